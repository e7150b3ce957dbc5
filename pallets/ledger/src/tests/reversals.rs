//! Reversals of grants, gifts and donations (`transfers.rs`).

use super::*;

#[test]
fn a_reversal_posts_opposite_entries_and_keeps_the_original() {
	run(|| {
		grant(ALICE, 100);
		let granted = last_operation();
		assert_ok!(L::gift(signed(ALICE), BOB, 30));
		let gifted = last_operation();
		assert_ok!(L::reverse(signed(ADMIN0), gifted, ReversalReason::EnteredInError, memo()));
		assert_eq!((spendable(ALICE), spendable(BOB)), (100, 0));
		assert_eq!(Operations::<Test>::get(gifted).and_then(|o| o.reversed_by), Some(gifted + 1));
		assert_eq!(L::statement_page(&ALICE, 0, 10).total, 3, "grant, gift and its reversal");
		assert_ok!(L::reverse(signed(ADMIN0), granted, ReversalReason::Duplicate, memo()));
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Grant(0)), 0);
	});
}

#[test]
fn reversal_errors() {
	run(|| {
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Other, memo()),
			E::UnknownOperation
		);
		grant(ALICE, 100);
		assert_noop!(
			L::reverse(signed(ADMIN1), 0, ReversalReason::Other, memo()),
			E::NotBranchOfficer
		);
		assert_ok!(L::gift(signed(ALICE), BOB, 100));
		// BOB spent nothing but ALICE's grant was gifted on: reversing the grant would overdraw.
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Fraud, memo()),
			E::InsufficientCredits
		);
		assert_ok!(L::reverse(signed(ADMIN0), 1, ReversalReason::Fraud, memo()));
		assert_noop!(
			L::reverse(signed(ADMIN0), 1, ReversalReason::Fraud, memo()),
			E::AlreadyReversed
		);
		assert_noop!(
			L::reverse(signed(ADMIN0), 2, ReversalReason::Fraud, memo()),
			E::NotReversible
		);
		let hold = L::hold(0, L::spendable(&ALICE), 10, &ALICE).expect("held");
		assert_noop!(
			L::reverse(signed(ADMIN0), last_operation(), ReversalReason::Other, memo()),
			E::NotReversible
		);
		assert_ok!(L::release(hold, &ALICE));
	});
}

// L5: branch 0's admin cannot take back a donation from a member of branch 1 by itself, nor push
// that member into overdraft: the reversal waits for branch 1's reviewers, and the member gives
// back only what they still hold.
#[test]
fn a_cross_branch_reversal_waits_for_the_recipient_branch_and_never_overdraws_it() {
	run(|| {
		set_policy(1, mutual_credit(500, true));
		grant(ALICE, 100);
		let to_dave = TransferTarget::DonationToMember { to: DAVE, class: BalanceClass::Spendable };
		assert_ok!(L::donate(signed(ALICE), to_dave, 60));
		let donation = last_operation();
		// DAVE spends the donation.
		let hold = L::hold(1, L::spendable(&DAVE), 60, &DAVE).expect("DAVE holds 60");
		assert_ok!(L::reverse(signed(ADMIN0), donation, ReversalReason::Fraud, memo()));
		assert_eq!(spendable(DAVE), 0, "nothing posted yet");
		assert_eq!(
			timebank_test_support::MockReviews::opened(),
			vec![(1, timebank_primitives::ReviewSubject::Reversal(0), ADMIN0)],
			"branch 1's reviewers decide"
		);
		let approve = || {
			polkadot_sdk::frame_support::storage::with_storage_layer(|| {
				<L as timebank_primitives::ReviewOutcome<AccountId>>::execute(
					&timebank_primitives::ReviewSubject::Reversal(0),
					&timebank_primitives::Decision::Approve,
					&ADMIN1,
				)
			})
		};
		// Approved while DAVE holds nothing: refused, although branch 1 allows overdrafts.
		assert_eq!(approve(), Err(E::InsufficientCredits.into()));
		assert_eq!(spendable(DAVE), 0);
		// Once the credits are back, the approved reversal goes through.
		assert_ok!(L::release(hold, &DAVE));
		assert_ok!(approve());
		assert_eq!((spendable(ALICE), spendable(DAVE)), (100, 0));
		let clearing = LedgerAccount::Clearing { branch: 0, counterparty: 1 };
		assert_eq!(CreditBalances::<Test>::get(clearing), 0);
	});
}

// L5: a reversal within the branch still goes down to the branch's own floor, at once.
#[test]
fn a_reversal_within_the_branch_may_use_the_branchs_own_credit_line() {
	run(|| {
		set_policy(0, mutual_credit(500, true));
		grant(ALICE, 100);
		let to_pool = TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable };
		assert_ok!(L::gift(signed(ALICE), BOB, 40));
		let gift = last_operation();
		assert_ok!(L::donate(signed(BOB), to_pool, 10));
		assert_ok!(L::reverse(signed(ADMIN0), gift, ReversalReason::Fraud, memo()));
		assert_eq!(spendable(BOB), -10, "BOB's own branch allows the overdraft");
		assert!(timebank_test_support::MockReviews::opened().is_empty());
	});
}
