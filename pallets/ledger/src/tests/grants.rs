//! Grants from a branch's grant account (`transfers.rs`).

use super::*;
use timebank_primitives::{ReviewKind, ReviewSubject};

#[test]
fn a_grant_debits_the_grant_account_and_is_on_the_statement() {
	run(|| {
		grant(ALICE, 120);
		assert_eq!(spendable(ALICE), 120);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Grant(0)), -120);
		let page = L::statement_page(&ALICE, 0, 10);
		assert_eq!(page.total, 1);
		let line = &page.lines[0];
		assert_eq!((line.kind, line.amount, line.actor), (EntryKind::Grant, 120, ADMIN0));
		assert_eq!(line.debit, LedgerAccount::Grant(0));
		assert!(events().iter().any(|e| matches!(e, Event::EntryPosted { amount: 120, .. })));
		assert!(events().contains(&Event::OperationRecorded {
			operation: 0,
			kind: EntryKind::Grant,
			branch: 0,
			actor: ADMIN0,
			on_behalf_of: None,
			memo: Some(memo()),
		}));
	});
}

#[test]
fn grant_errors() {
	run(|| {
		assert_noop!(L::grant(signed(ADMIN0), 77, 10, memo()), E::NotMember);
		assert_noop!(L::grant(signed(STAFF0), ALICE, 10, memo()), E::NotBranchOfficer);
		assert_noop!(L::grant(signed(ADMIN1), ALICE, 10, memo()), E::NotBranchOfficer);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 0, memo()), E::ZeroAmount);
		assert_noop!(L::grant(RuntimeOrigin::root(), ALICE, 10, memo()), DispatchError::BadOrigin);
		set_policy(0, LedgerPolicy { storage_cap: None, ..Default::default() });
		assert_noop!(L::grant(signed(ADMIN0), ALICE, u64::MAX, memo()), E::Overflow);
		MockRegistry::set_status(ALICE, MemberStatus::Suspended);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 10, memo()), E::MemberNotActive);
		// A suspended branch issues nothing, changes no policy and reverses nothing.
		grant(BOB, 10);
		MockRegistry::suspend_branch(0);
		assert_noop!(L::grant(signed(ADMIN0), BOB, 10, memo()), E::BranchNotActive);
		assert_noop!(L::set_policy(signed(ADMIN0), 0, LedgerPolicy::default()), E::BranchNotActive);
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Other, memo()),
			E::BranchNotActive
		);
	});
}

/// The opening balance of a member imported from paper records (`grant_opening_balance`, what
/// the registry's `confirm_import` asks through `HomeBranchChanges`).
fn open_balance(who: AccountId, amount: u64, by: AccountId) -> sp_runtime::DispatchResult {
	<L as HomeBranchChanges<AccountId>>::credit_opening_balance(
		&who,
		0,
		amount,
		H256::repeat_byte(0xf1),
		&by,
	)
}

#[test]
fn an_imported_opening_balance_is_a_grant_with_the_import_file_as_memo() {
	run(|| {
		assert_ok!(open_balance(ALICE, 90, ADMIN0));
		assert_eq!(spendable(ALICE), 90);
		assert!(events().contains(&Event::OperationRecorded {
			operation: 0,
			kind: EntryKind::Grant,
			branch: 0,
			actor: ADMIN0,
			on_behalf_of: None,
			memo: Some(H256::repeat_byte(0xf1)),
		}));
		// Where the branch reviews grants of that size, it waits for the reviewers instead.
		timebank_test_support::MockReviews::review(ReviewKind::Grant, 100);
		assert_ok!(open_balance(BOB, 150, ADMIN0));
		assert_eq!(spendable(BOB), 0, "not before the review");
		assert_eq!(
			timebank_test_support::MockReviews::opened(),
			vec![(0, ReviewSubject::Grant(0), ADMIN0)]
		);
		// Only the branch's admins issue credits, and only to its own members.
		assert_noop!(open_balance(ALICE, 10, STAFF0), E::NotBranchOfficer);
		assert_noop!(open_balance(DAVE, 10, ADMIN0), E::NotBranchOfficer);
	});
}
