//! Admin actions that wait for the branch's reviewers (`review.rs`).

use super::*;
use polkadot_sdk::sp_runtime::DispatchResult;
use timebank_primitives::{Decision, ReviewKind, ReviewOutcome, ReviewSubject};
use timebank_test_support::MockReviews;

/// The reviewers' decision on `subject`, as the runtime's router hands it to the ledger.
fn decide(subject: ReviewSubject<AccountId>, decision: Decision) -> DispatchResult {
	<L as ReviewOutcome<AccountId>>::execute(&subject, &decision, &STAFF0)
}

/// Branch 0 sends grants from 100 minutes, every reversal and every policy change to review.
fn review_large_grants_reversals_and_policy_changes() {
	MockReviews::review(ReviewKind::Grant, 100);
	MockReviews::review(ReviewKind::Reversal, 0);
	MockReviews::review(ReviewKind::PolicyChange, 0);
}

#[test]
fn large_grants_reversals_and_policy_changes_wait_for_review_when_the_branch_asks() {
	run(|| {
		review_large_grants_reversals_and_policy_changes();
		// A small grant goes through; a large one waits, and nothing is posted yet.
		grant(ALICE, 99);
		assert_ok!(L::grant(signed(ADMIN0), ALICE, 500, memo()));
		assert_eq!(spendable(ALICE), 99);
		assert_eq!(MockReviews::opened(), vec![(0, ReviewSubject::Grant(0), ADMIN0)]);
		assert!(events().contains(&Event::ActionDeferred {
			pending: 0,
			branch: 0,
			requester: ADMIN0
		}));
		// The member who would be credited is a party; the requester is excluded by audits.
		assert!(<L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Grant(0), &ALICE));
		assert!(!<L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Grant(0), &STAFF0));
		assert_ok!(decide(ReviewSubject::Grant(0), Decision::Approve));
		assert_eq!(spendable(ALICE), 599);
		let operation = last_operation();
		assert_eq!(
			Operations::<Test>::get(operation).map(|o| o.actor),
			Some(ADMIN0),
			"in the requester's name"
		);
		assert_noop!(decide(ReviewSubject::Grant(0), Decision::Approve), E::UnknownPendingAction);

		// A reversal waits; rejected, nothing changes.
		assert_ok!(L::reverse(signed(ADMIN0), operation, ReversalReason::EnteredInError, memo()));
		assert_eq!(spendable(ALICE), 599);
		assert_ok!(decide(ReviewSubject::Reversal(1), Decision::Reject));
		assert!(events().contains(&Event::PendingActionRejected { pending: 1 }));
		assert_eq!(spendable(ALICE), 599);
		// Asked again and approved, it is posted.
		assert_ok!(L::reverse(signed(ADMIN0), operation, ReversalReason::EnteredInError, memo()));
		assert_ok!(decide(ReviewSubject::Reversal(2), Decision::Approve));
		assert_eq!(spendable(ALICE), 99);

		// A policy change waits, then applies.
		let policy = LedgerPolicy { rounding_step: 30, ..Default::default() };
		assert_ok!(L::set_policy(signed(ADMIN0), 0, policy));
		assert_eq!(L::policy(0).rounding_step, 15);
		assert_ok!(decide(ReviewSubject::PolicyChange(3), Decision::Approve));
		assert_eq!(L::policy(0).rounding_step, 30);
	});
}

#[test]
fn bad_input_is_refused_before_it_waits_and_decisions_must_fit() {
	run(|| {
		review_large_grants_reversals_and_policy_changes();
		// Bad input is still refused before anything waits.
		assert_noop!(L::grant(signed(STAFF0), ALICE, 500, memo()), E::NotBranchOfficer);
		assert_noop!(
			L::set_policy(
				signed(ADMIN0),
				0,
				LedgerPolicy { rounding_step: 0, ..Default::default() }
			),
			E::InvalidPolicy
		);
		assert_noop!(
			L::reverse(signed(ADMIN0), 999, ReversalReason::EnteredInError, memo()),
			E::UnknownOperation
		);
		// Decisions that do not fit.
		assert!(!<L as ReviewOutcome<AccountId>>::accepts(
			&ReviewSubject::Listing(0),
			&Decision::Approve
		));
		assert_noop!(decide(ReviewSubject::Listing(0), Decision::Approve), E::WrongDecision);
		assert_ok!(L::grant(signed(ADMIN0), ALICE, 500, memo()));
		let arbitrate = Decision::Arbitrate(timebank_primitives::ArbitrationOutcome::PayProvider);
		assert_noop!(decide(ReviewSubject::Grant(0), arbitrate), E::WrongDecision);
	});
}

// L2: the parties of a reversal (who signed the operation, and every member whose credits it
// moved) may not decide it. Audits refuses a party's vote with `ConflictOfInterest`
// (`pallets/audits/src/tests.rs`, `vote_errors`); here the ledger names them.
#[test]
fn a_staff_member_who_donated_is_a_party_to_the_reversal_of_that_donation() {
	run(|| {
		MockRegistry::add_member(STAFF0, 0, Default::default());
		grant(STAFF0, 100);
		MockReviews::review(ReviewKind::Reversal, 0);
		let to_pool = TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable };
		assert_ok!(L::donate(signed(STAFF0), to_pool, 50));
		assert_ok!(L::reverse(signed(ADMIN0), last_operation(), ReversalReason::Other, memo()));
		let is_party =
			|who| <L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Reversal(0), &who);
		assert!(is_party(STAFF0), "the donor");
		assert!(!is_party(STAFF0B) && !is_party(ALICE));

		// A proxy's approved gift: the approver (signer), the member and the relative.
		grant(ALICE, 100);
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, TransferTarget::Gift { to: BOB }, 5));
		assert_ok!(L::approve_transfer(signed(STAFF0B), 0));
		assert_ok!(L::reverse(signed(ADMIN0), last_operation(), ReversalReason::Other, memo()));
		let is_party =
			|who| <L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Reversal(1), &who);
		assert!(is_party(STAFF0B) && is_party(ALICE) && is_party(BOB));
		assert!(!is_party(STAFF0));
		assert!(!<L as ReviewOutcome<AccountId>>::is_party(
			&ReviewSubject::PolicyChange(0),
			&ADMIN0
		));
	});
}
