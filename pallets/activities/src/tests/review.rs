//! Listings in review and the audits pallet's decisions (`review.rs`).

use super::*;

#[test]
fn risky_listings_and_newcomers_go_to_review_and_open_when_approved() {
	run(|| {
		let policy = ActivityPolicy {
			review_from_risk: Some(RiskLevel::High),
			review_newcomers: false,
			..A::default_policy()
		};
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let bathing = ListingDraft { category: BATHING, ..request() };
		let listing = publish(GRACE, bathing, None);
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::InReview));
		assert_eq!(reviews(), vec![(0, ReviewSubject::Listing(listing), GRACE)]);
		assert_noop!(A::apply(signed(VICTOR), listing), E::ListingNotOpen);
		assert_ok!(decide(ReviewSubject::Listing(listing), Decision::Approve));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert!(events().contains(&Event::ListingReviewed {
			listing,
			reviewer: STAFF0,
			approved: true
		}));

		// Low-risk listings open at once; with the newcomer rule, a first listing waits too.
		let companionship = publish(GRACE, request(), None);
		assert_eq!(
			Listings::<Test>::get(companionship).map(|l| l.status),
			Some(ListingStatus::Open)
		);
		let policy = ActivityPolicy { review_newcomers: true, ..policy };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let by_newcomer = publish(HENRY, request(), None);
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::InReview)
		);
		assert_ok!(decide(ReviewSubject::Listing(by_newcomer), Decision::Reject));
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::Rejected)
		);
		// A decision on a listing no longer in review changes nothing.
		assert_ok!(decide(ReviewSubject::Listing(by_newcomer), Decision::Approve));
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::Rejected)
		);
		// Staff publish without review.
		let by_staff = publish(STAFF0, request(), Some(HENRY));
		assert_eq!(Listings::<Test>::get(by_staff).map(|l| l.status), Some(ListingStatus::Open));
	});
}

#[test]
fn review_decisions_must_fit_their_subject_and_parties_are_known() {
	run(|| {
		let outcome = Decision::Arbitrate;
		let accepts = |s, d| <A as ReviewOutcome<AccountId>>::accepts(&s, &d);
		assert!(accepts(ReviewSubject::Listing(0), Decision::Approve));
		assert!(!accepts(ReviewSubject::Listing(0), outcome(ArbitrationOutcome::PayProvider)));
		assert!(!accepts(ReviewSubject::Dispute(0), Decision::Approve));
		assert!(!accepts(ReviewSubject::Grant(0), Decision::Approve), "not an activities subject");
		assert_noop!(
			decide(ReviewSubject::Listing(0), outcome(ArbitrationOutcome::Reject)),
			E::WrongDecision
		);
		assert_noop!(decide(ReviewSubject::Listing(9), Decision::Approve), E::UnknownListing);

		let listing = publish(PAUL, request(), Some(GRACE));
		let subject = ReviewSubject::Listing(listing);
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&subject, &who);
		assert!(party(PAUL) && party(GRACE) && !party(STAFF0));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(PAUL), listing, VICTOR));
		let dispute = ReviewSubject::Dispute(0);
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&dispute, &who);
		assert!(party(VICTOR) && party(GRACE) && party(PAUL) && !party(WENDY) && !party(STAFF0));
		assert_ok!(A::dispute(signed(PAUL), 0, H256::zero()));
		assert_eq!(reviews().last(), Some(&(0, dispute.clone(), PAUL)));
		assert_ok!(decide(dispute, outcome(ArbitrationOutcome::RefundReceivers)));
		assert_eq!(state(0), EngagementState::Settled);
		assert_eq!(spendable(GRACE), 600);
	});
}

// L2: officers who acted in a service for one side (accepted, checked in or out) are parties to
// its dispute and may not vote on it; the old code counted only the provider, the receivers,
// their proxies and the publisher.
#[test]
fn officers_who_acted_in_a_service_are_parties_to_its_dispute() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(STAFF0), listing, VICTOR));
		assert_ok!(A::check_in(signed(STAFF0B), 0, None));
		assert_ok!(A::check_out(signed(ADMIN0), 0));
		let dispute = ReviewSubject::Dispute(0);
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&dispute, &who);
		assert!(party(STAFF0) && party(STAFF0B) && party(ADMIN0));
		assert!(!party(ADMIN1) && !party(WENDY));
		// The provider and owner acting for themselves add nothing to remember.
		assert_eq!(Acted::<Test>::iter_prefix(0).count(), 3);
	});
}
