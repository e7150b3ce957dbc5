//! Requests paid from the branch's grant account: admins only, the whole budget through the
//! grant review, acceptances within the approved budget (`grants.rs`, H3).

use super::*;
use timebank_primitives::ReviewKind;

fn grant_request(participants: u32) -> ListingDraft {
	ListingDraft {
		funding: Funding::BranchGrant,
		estimated_minutes: 480,
		max_participants: participants,
		..request()
	}
}

fn grant_account() -> i64 {
	pallet_timebank_ledger::CreditBalances::<Test>::get(LedgerAccount::Grant(0))
}

// H3: with grants of 600 minutes or more reviewed, an admin's request paid from the grant
// account for 480 × 4 minutes waited for nobody before; now its whole budget goes to the grant
// reviewers and nobody can apply until they approve.
#[test]
fn a_large_grant_funded_request_waits_for_the_grant_reviewers() {
	run(|| {
		MockReviews::review(ReviewKind::Grant, 600);
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		// Issuance is an admin power: staff may not publish one.
		assert_noop!(
			A::publish(signed(STAFF0), grant_request(4), Some(GRACE)),
			E::FundingNotAllowed
		);
		let listing = publish(ADMIN0, grant_request(4), Some(GRACE));
		let l = Listings::<Test>::get(listing).expect("listing");
		assert_eq!(l.status, ListingStatus::InReview);
		assert_eq!(reviews().last(), Some(&(0, ReviewSubject::FundedListing(listing), ADMIN0)));
		assert_eq!(GrantBudgets::<Test>::get(listing), Some(1_920));
		assert_noop!(A::apply(signed(VICTOR), listing), E::ListingNotOpen);

		let subject = ReviewSubject::FundedListing(listing);
		let outcome = <A as ReviewOutcome<AccountId>>::accepts;
		assert!(outcome(&subject, &Decision::Approve) && outcome(&subject, &Decision::Reject));
		assert!(!outcome(&subject, &Decision::Arbitrate(ArbitrationOutcome::PayProvider)));
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&subject, &who);
		assert!(party(ADMIN0) && party(GRACE) && !party(STAFF0));
		assert_noop!(
			decide(subject.clone(), Decision::Arbitrate(ArbitrationOutcome::Reject)),
			E::WrongDecision
		);
		assert_ok!(decide(subject, Decision::Approve));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::Open));
		assert_ok!(A::apply(signed(VICTOR), listing));
		let before = grant_account();
		assert_ok!(A::accept(signed(ADMIN0), listing, VICTOR));
		assert_eq!(GrantBudgets::<Test>::get(listing), Some(1_440));
		assert_eq!(grant_account(), before - 480, "held from the grant account");
	});
}

#[test]
fn rejected_grant_funded_requests_never_open_and_small_ones_need_no_review() {
	run(|| {
		MockReviews::review(ReviewKind::Grant, 600);
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		let listing = publish(ADMIN0, grant_request(2), Some(GRACE));
		assert_ok!(decide(ReviewSubject::FundedListing(listing), Decision::Reject));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::Rejected));
		// 60 minutes for one volunteer: below the threshold, open at once.
		let draft = ListingDraft { estimated_minutes: 60, ..grant_request(1) };
		let small = publish(ADMIN0, draft, Some(GRACE));
		assert_eq!(Listings::<Test>::get(small).map(|l| l.status), Some(ListingStatus::Open));
		assert_eq!(reviews().len(), 1);
		// Requests paid from the pool or by the member have no grant budget.
		assert_eq!(GrantBudgets::<Test>::get(publish(GRACE, request(), None)), None);
	});
}

// H3: acceptances never hold more from the grant account than the budget left; a service
// called off gives its hold back to the budget.
#[test]
fn acceptances_stay_within_the_approved_budget() {
	run(|| {
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		let listing = publish(ADMIN0, grant_request(2), Some(GRACE));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(ADMIN0), listing, VICTOR));
		assert_ok!(A::cancel_engagement(signed(VICTOR), 0));
		assert_eq!(GrantBudgets::<Test>::get(listing), Some(960));
		// A budget partly used (as a request published before budgets existed keeps it).
		GrantBudgets::<Test>::insert(listing, 479);
		assert_ok!(A::apply(signed(WENDY), listing));
		assert_noop!(A::accept(signed(ADMIN0), listing, WENDY), E::GrantBudgetExceeded);
		GrantBudgets::<Test>::insert(listing, 480);
		assert_ok!(A::accept(signed(ADMIN0), listing, WENDY));
		assert_eq!(GrantBudgets::<Test>::get(listing), Some(0));
	});
}
