//! Unit tests: one- and two-approver reviews, conflicts of interest, decisions that do not fit,
//! auditor flags, the append-only audit log, and every error.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchErrorWithPostInfo, Pays},
	},
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{ArbitrationOutcome, ReviewKind, ReviewQueue};

type Au = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn reason() -> H256 {
	H256::repeat_byte(7)
}

fn executed() -> Vec<(ReviewSubject<AccountId>, Decision)> {
	EXECUTED.with(|e| e.borrow().clone())
}

const SPLIT: Decision = Decision::Arbitrate(ArbitrationOutcome::Split(Percent::from_percent(50)));
const PAY: Decision = Decision::Arbitrate(ArbitrationOutcome::PayProvider);

#[test]
fn a_listing_review_is_decided_by_one_officer() {
	run(|| {
		assert_ok!(Au::open(0, ReviewSubject::Listing(0), &REQUESTER));
		assert_ok!(Au::vote(signed(STAFF0), 0, Decision::Approve, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Listing(0), Decision::Approve)]);
		assert_eq!(
			Reviews::<Test>::get(0).map(|r| r.status),
			Some(ReviewStatus::Decided(Decision::Approve))
		);
		assert_eq!(OpenReviews::<Test>::get(ReviewSubject::Listing(0)), None);
		assert_noop!(Au::vote(signed(STAFF0B), 0, Decision::Approve, reason()), E::AlreadyDecided);
		// Decided subjects can be reviewed again.
		assert_ok!(Au::open(0, ReviewSubject::Listing(0), &REQUESTER));
	});
}

#[test]
fn a_dispute_needs_two_officers_who_agree() {
	run(|| {
		assert_ok!(Au::open(0, ReviewSubject::Dispute(0), &REQUESTER));
		assert_ok!(Au::vote(signed(STAFF0), 0, SPLIT, reason()));
		assert!(executed().is_empty(), "one vote is not enough");
		// A second officer who disagrees does not decide it either.
		assert_ok!(Au::vote(signed(STAFF0B), 0, PAY, reason()));
		assert!(executed().is_empty());
		assert_ok!(Au::vote(signed(ADMIN0), 0, SPLIT, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Dispute(0), SPLIT)]);
		let log = Au::audit_log(&AuditSubject::Engagement(0), 0, 100);
		assert_eq!(log.1, 5, "opened, three votes, decided");
		assert_eq!(log.0[0].action, AuditAction::ReviewOpened { review: 0 });
		assert_eq!(log.0[4].action, AuditAction::Decided { review: 0, decision: SPLIT });
		assert_eq!(log.0[4].actor, ADMIN0);
	});
}

#[test]
fn a_branch_may_require_two_officers_for_listings_or_one_for_disputes() {
	run(|| {
		let policy =
			ReviewPolicy { listing_approvals: 2, dispute_approvals: 1, ..Default::default() };
		// Fewer approvals for disputes reviews less: the council sets it (or two admins).
		assert_ok!(Au::set_review_policy(RuntimeOrigin::root(), 0, policy));
		assert_ok!(Au::open(0, ReviewSubject::Listing(3), &REQUESTER));
		assert_ok!(Au::open(0, ReviewSubject::Dispute(3), &REQUESTER));
		assert_ok!(Au::vote(signed(STAFF0), 0, Decision::Reject, reason()));
		assert_ok!(Au::vote(signed(STAFF0), 1, PAY, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Dispute(3), PAY)]);
		assert_ok!(Au::vote(signed(STAFF0B), 0, Decision::Reject, reason()));
		assert_eq!(executed().len(), 2);
	});
}

#[test]
fn review_policy_errors() {
	run(|| {
		let good = ReviewPolicy::default();
		assert_noop!(Au::set_review_policy(signed(STAFF0), 0, good), E::NotBranchOfficer);
		assert_noop!(Au::set_review_policy(signed(ADMIN1), 0, good), E::NotBranchOfficer);
		assert_noop!(
			Au::set_review_policy(RuntimeOrigin::none(), 0, good),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Au::set_review_policy(
				RuntimeOrigin::root(),
				0,
				ReviewPolicy { listing_approvals: 0, ..good }
			),
			E::InvalidPolicy
		);
		for bad in [
			ReviewPolicy { listing_approvals: 0, ..good },
			ReviewPolicy { dispute_approvals: 3, ..good },
			ReviewPolicy { grant_approvals: 3, ..good },
			ReviewPolicy { application_approvals: 3, ..good },
			ReviewPolicy { reversal_approvals: 3, ..good },
			ReviewPolicy { policy_change_approvals: 3, ..good },
			ReviewPolicy { large_grant_from: 0, ..good },
		] {
			assert_noop!(Au::set_review_policy(signed(ADMIN0), 0, bad), E::InvalidPolicy);
		}
	});
}

/// H4: a vote refused at its first checks, charged only the `reads` it made, fee-free.
fn refused_early(error: E, reads: u64) -> DispatchErrorWithPostInfo {
	use polkadot_sdk::frame_support::{dispatch::PostDispatchInfo, traits::Get};
	let db: frame_support::weights::RuntimeDbWeight =
		<<Test as frame_system::Config>::DbWeight as Get<_>>::get();
	DispatchErrorWithPostInfo {
		post_info: PostDispatchInfo { actual_weight: Some(db.reads(reads)), pays_fee: Pays::No },
		error: error.into(),
	}
}

#[test]
fn vote_errors() {
	run(|| {
		assert_noop!(
			Au::vote(signed(STAFF0), 0, Decision::Approve, reason()),
			refused_early(E::UnknownReview, 1)
		);
		assert_ok!(Au::open(0, ReviewSubject::Dispute(0), &REQUESTER));
		assert_noop!(Au::open(0, ReviewSubject::Dispute(0), &STAFF0), E::AlreadyUnderReview);
		assert_noop!(
			Au::vote(signed(ADMIN1), 0, PAY, reason()),
			refused_early(E::NotBranchOfficer, 4)
		);
		assert_noop!(
			Au::vote(signed(AUDITOR), 0, PAY, reason()),
			refused_early(E::NotBranchOfficer, 4)
		);
		assert_noop!(Au::vote(signed(REQUESTER), 0, PAY, reason()), E::ConflictOfInterest);
		assert_noop!(Au::vote(signed(PARTY), 0, PAY, reason()), E::ConflictOfInterest);
		assert_noop!(Au::vote(signed(STAFF0), 0, Decision::Approve, reason()), E::WrongDecision);
		assert_ok!(Au::vote(signed(STAFF0), 0, PAY, reason()));
		assert_noop!(Au::vote(signed(STAFF0), 0, PAY, reason()), E::AlreadyVoted);
		// When the owning pallet cannot carry the decision out, the vote is refused whole.
		FAIL_WITH.with(|f| *f.borrow_mut() = Some(DispatchError::Other("payee left")));
		assert_noop!(
			Au::vote(signed(STAFF0B), 0, PAY, reason()),
			DispatchError::Other("payee left")
		);
		FAIL_WITH.with(|f| *f.borrow_mut() = None);

		// Eight disagreeing officers fill a review.
		assert_ok!(Au::open(0, ReviewSubject::Dispute(1), &REQUESTER));
		for (i, officer) in (100..108).enumerate() {
			MockRegistry::add_officer(0, officer, OfficerRole::Staff);
			let decision =
				Decision::Arbitrate(ArbitrationOutcome::Split(Percent::from_percent(i as u8)));
			assert_ok!(Au::vote(signed(officer), 1, decision, reason()));
		}
		MockRegistry::add_officer(0, 108, OfficerRole::Staff);
		assert_noop!(Au::vote(signed(108), 1, PAY, reason()), E::TooManyVotes);
		NextReviewId::<Test>::put(ReviewId::MAX);
		assert_noop!(Au::open(0, ReviewSubject::Dispute(2), &REQUESTER), E::Overflow);
	});
}

#[test]
fn auditors_flag_anything_and_the_log_is_append_only() {
	run(|| {
		let subject = AuditSubject::Member(REQUESTER);
		assert_noop!(Au::flag(signed(STAFF0), subject, reason()), E::NotAuditor);
		assert_ok!(Au::flag(signed(AUDITOR), subject, reason()));
		System::set_block_number(5);
		assert_ok!(Au::flag(signed(AUDITOR), subject, H256::repeat_byte(8)));
		let (entries, total) = Au::audit_log(&subject, 0, 100);
		assert_eq!(total, 2);
		assert_eq!(
			entries[0],
			AuditEntry {
				actor: AUDITOR,
				action: AuditAction::Flagged { reason: reason() },
				block: 1
			}
		);
		assert_eq!(entries[1].block, 5);
		assert_eq!(Au::audit_log(&subject, 1, 1).0, entries[1..].to_vec());
		assert_eq!(Au::audit_log(&subject, 5, 10).0, vec![]);
		assert_eq!(Au::audit_log(&AuditSubject::Branch(0), 0, 10), (vec![], 0));
	});
}

#[test]
fn the_review_policy_decides_which_actions_wait_for_review() {
	run(|| {
		let needs = |kind, amount| <Au as ReviewQueue<AccountId>>::needs_review(0, kind, amount);
		// By default only listings and disputes are reviewed.
		assert!(needs(ReviewKind::Listing, 0) && needs(ReviewKind::Dispute, 0));
		for kind in [
			ReviewKind::Application,
			ReviewKind::Grant,
			ReviewKind::Reversal,
			ReviewKind::PolicyChange,
		] {
			assert!(!needs(kind, 10_000), "{kind:?}");
		}
		let policy = ReviewPolicy {
			application_approvals: 1,
			grant_approvals: 2,
			large_grant_from: 600,
			reversal_approvals: 1,
			policy_change_approvals: 2,
			..Default::default()
		};
		assert_ok!(Au::set_review_policy(signed(ADMIN0), 0, policy));
		assert!(needs(ReviewKind::Application, 0));
		assert!(!needs(ReviewKind::Grant, 599) && needs(ReviewKind::Grant, 600));
		assert!(needs(ReviewKind::Reversal, 0) && needs(ReviewKind::PolicyChange, 0));
		let other_branch = <Au as ReviewQueue<AccountId>>::needs_review(1, ReviewKind::Reversal, 0);
		assert!(!other_branch, "branch 1 keeps the default");

		// A large grant needs two officers; an application one.
		assert_ok!(Au::open(0, ReviewSubject::Grant(7), &REQUESTER));
		assert_ok!(Au::open(0, ReviewSubject::Application(42), &42));
		assert_eq!(Reviews::<Test>::get(0).map(|r| r.required), Some(2));
		assert_eq!(Reviews::<Test>::get(1).map(|r| r.required), Some(1));
		assert_ok!(Au::vote(signed(STAFF0), 1, Decision::Approve, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Application(42), Decision::Approve)]);
		assert_eq!(Au::audit_log(&AuditSubject::Member(42), 0, 10).1, 3);
		assert_eq!(Au::audit_log(&AuditSubject::LedgerAction(7), 0, 10).1, 1);
	});
}

#[test]
fn officers_who_disagree_can_change_their_votes_and_converge() {
	run(|| {
		assert_ok!(Au::open(0, ReviewSubject::Dispute(0), &REQUESTER));
		assert_ok!(Au::vote(signed(STAFF0), 0, PAY, reason()));
		assert_ok!(Au::vote(signed(STAFF0B), 0, SPLIT, reason()));
		assert!(executed().is_empty(), "a deadlock without a change of mind");
		assert_ok!(Au::vote(signed(STAFF0), 0, SPLIT, H256::repeat_byte(9)));
		assert_eq!(executed(), vec![(ReviewSubject::Dispute(0), SPLIT)]);
		let votes = Reviews::<Test>::get(0).map(|r| r.votes.len());
		assert_eq!(votes, Some(2), "the changed vote replaced the first one");
		assert_eq!(Au::audit_log(&AuditSubject::Engagement(0), 0, 10).1, 5, "every vote is logged");
	});
}

/// A second admin of branch 0.
const ADMIN0B: AccountId = 6;

// M11: one admin alone makes review stricter, never weaker: a policy that reviews less waits for
// a different admin to ask for the same, or for the council.
#[test]
fn a_review_policy_that_reviews_less_needs_a_second_admin_or_the_council() {
	run(|| {
		MockRegistry::add_officer(0, ADMIN0B, OfficerRole::Admin);
		let strict = ReviewPolicy {
			grant_approvals: 2,
			large_grant_from: 600,
			reversal_approvals: 1,
			..Default::default()
		};
		assert_ok!(Au::set_review_policy(signed(ADMIN0), 0, strict));
		assert_eq!(Au::policy(0), strict, "stricter: in force at once");
		// Back to no grant review (`grant_approvals: 0`): waits for a second admin.
		let lax = ReviewPolicy { grant_approvals: 0, ..strict };
		assert_ok!(Au::set_review_policy(signed(ADMIN0), 0, lax));
		assert_eq!(Au::policy(0), strict);
		assert_eq!(ProposedReviewPolicies::<Test>::get(0), Some((lax, ADMIN0)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Audits(Event::ReviewPolicyProposed {
				branch: 0,
				policy: lax,
				by: ADMIN0
			})));
		assert_noop!(Au::set_review_policy(signed(ADMIN0), 0, lax), E::AwaitingSecondAdmin);
		// A higher grant threshold also reviews less.
		let higher = ReviewPolicy { large_grant_from: 6_000, ..strict };
		assert!(higher.weakens(&strict) && !strict.weakens(&lax));
		assert_ok!(Au::set_review_policy(signed(ADMIN0B), 0, lax));
		assert_eq!(Au::policy(0), lax, "two different admins asked for it");
		assert_eq!(ProposedReviewPolicies::<Test>::get(0), None);
		// A single admin's branch goes through the council.
		assert_ok!(Au::set_review_policy(
			RuntimeOrigin::root(),
			1,
			ReviewPolicy { dispute_approvals: 1, ..Default::default() }
		));
		assert_eq!(Au::policy(1).dispute_approvals, 1);
	});
}

// M11, scenario: one admin cannot switch off the two-officer dispute rule alone.
#[test]
fn one_admin_alone_cannot_lower_the_dispute_approvals() {
	run(|| {
		let one = ReviewPolicy { dispute_approvals: 1, ..Default::default() };
		let _ = Au::set_review_policy(signed(ADMIN0), 0, one);
		assert_eq!(Au::policy(0).dispute_approvals, 2);
	});
}

/// `who` is no longer an officer of branch 0: the mock registry is rebuilt without them.
fn remove_officer(who: AccountId) {
	timebank_test_support::reset(2, 0);
	for (officer, role) in [
		(ADMIN0, OfficerRole::Admin),
		(STAFF0, OfficerRole::Staff),
		(STAFF0B, OfficerRole::Staff),
		(PARTY, OfficerRole::Staff),
		(REQUESTER, OfficerRole::Staff),
	] {
		if officer != who {
			MockRegistry::add_officer(0, officer, role);
		}
	}
	MockRegistry::add_auditor(AUDITOR);
}

// L2: the vote of an officer removed since no longer counts; one new vote does not decide.
#[test]
fn votes_of_officers_removed_since_do_not_count() {
	run(|| {
		assert_ok!(Au::open(0, ReviewSubject::Dispute(0), &REQUESTER));
		assert_ok!(Au::vote(signed(STAFF0), 0, PAY, reason()));
		remove_officer(STAFF0);
		assert_ok!(Au::vote(signed(STAFF0B), 0, PAY, reason()));
		assert!(executed().is_empty(), "the removed officer's vote was discarded");
		assert_eq!(Reviews::<Test>::get(0).map(|r| r.votes.len()), Some(1));
		assert!(System::events()
			.iter()
			.any(|r| r.event
				== RuntimeEvent::Audits(Event::VoteDiscarded { review: 0, voter: STAFF0 })));
		assert_ok!(Au::vote(signed(ADMIN0), 0, PAY, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Dispute(0), PAY)]);
		// The discarded vote stays in the audit log: opened, three votes, decided.
		assert_eq!(Au::audit_log(&AuditSubject::Engagement(0), 0, 10).1, 5);
	});
}

// M5: an auditor raises a bounded number of flags per window.
#[test]
fn an_auditor_raises_a_bounded_number_of_flags_per_window() {
	run(|| {
		let subject = AuditSubject::Branch(0);
		for _ in 0..MAX_FLAGS_PER_WINDOW {
			assert_ok!(Au::flag(signed(AUDITOR), subject, reason()));
		}
		assert_noop!(Au::flag(signed(AUDITOR), subject, reason()), E::TooManyFlags);
		System::set_block_number(1 + FLAG_WINDOW);
		assert_ok!(Au::flag(signed(AUDITOR), subject, reason()));
		assert_eq!(FlagsInWindow::<Test>::get(AUDITOR), (1 + FLAG_WINDOW, 1));
	});
}

// M11: an admin cannot decide a case with officers appointed after it was opened: they may not
// vote on it, and a vote cast before a re-appointment does not count either.
#[test]
fn officers_appointed_after_a_review_opened_may_not_decide_it() {
	run(|| {
		System::set_block_number(5);
		assert_ok!(Au::open(0, ReviewSubject::Dispute(0), &REQUESTER));
		const SOCK: AccountId = 77;
		MockRegistry::appoint_at(0, SOCK, OfficerRole::Staff, 6);
		assert_noop!(Au::vote(signed(SOCK), 0, PAY, reason()), E::AppointedAfterOpening);
		// Officers in office at the opening (or appointed in that very block) still decide.
		MockRegistry::appoint_at(0, 78, OfficerRole::Staff, 5);
		assert_ok!(Au::vote(signed(78), 0, PAY, reason()));
		assert_ok!(Au::vote(signed(STAFF0), 0, PAY, reason()));
		assert_eq!(executed(), vec![(ReviewSubject::Dispute(0), PAY)]);
	});
}

#[test]
fn a_rekey_is_logged_under_both_keys() {
	use timebank_primitives::Rekeying;
	run(|| {
		let (old, new) = (REQUESTER, 500);
		let evidence = H256::repeat_byte(7);
		assert_ok!(<Au as Rekeying<AccountId>>::rekey(&old, &new, &STAFF0, evidence));
		for key in [old, new] {
			assert_eq!(
				Au::audit_log(&AuditSubject::Member(key), 0, 10).0,
				vec![AuditEntry {
					actor: STAFF0,
					action: AuditAction::Rekeyed { evidence },
					block: 1
				}]
			);
		}
	});
}
