//! Publishing listings and its checks (`listings.rs`).

use super::*;

#[test]
fn publish_errors() {
	run(|| {
		let d = request();
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { branch: 7, ..d }, None),
			E::BranchNotActive
		);
		assert_noop!(A::publish(signed(GRACE), d, Some(99)), E::NotActiveMember);
		MockRegistry::update(HENRY, |m| m.status = timebank_primitives::MemberStatus::Suspended);
		assert_noop!(A::publish(signed(HENRY), d, None), E::NotActiveMember);
		assert_noop!(A::publish(signed(VICTOR), d, Some(GRACE)), E::NotPermitted);
		// Proxies publish requests only.
		assert_noop!(A::publish(signed(PAUL), offer(1), Some(GRACE)), E::NotPermitted);
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { category: 9, ..d }, None),
			E::UnknownCategory
		);
		let inactive = Category { risk: RiskLevel::Low, required_skill: None, active: false };
		assert_ok!(A::set_category(signed(ADMIN0), 0, 3, Some(inactive)));
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { category: 3, ..d }, None),
			E::CategoryInactive
		);
		assert_noop!(A::publish(signed(VICTOR), d, None), E::WrongRole);
		assert_noop!(A::publish(signed(GRACE), offer(1), None), E::WrongRole);
		assert_noop!(
			A::publish(signed(WENDY), ListingDraft { category: BATHING, ..offer(1) }, None),
			E::MissingCertificate
		);
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { slot_end: d.slot_start, ..d }, None),
			E::InvalidSlot
		);
		assert_noop!(
			A::publish(
				signed(GRACE),
				ListingDraft { slot_start: 0, slot_end: START_MS - 1, ..d },
				None
			),
			E::InvalidSlot
		);
		for minutes in [0, 481] {
			assert_noop!(
				A::publish(signed(GRACE), ListingDraft { estimated_minutes: minutes, ..d }, None),
				E::InvalidDuration
			);
		}
		for limit in [0, 5] {
			assert_noop!(
				A::publish(signed(GRACE), ListingDraft { max_participants: limit, ..d }, None),
				E::InvalidParticipantLimit
			);
		}
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { min_trust: 6, ..d }, None),
			E::InvalidTrustLevel
		);
		let from_pool = ListingDraft { funding: Funding::BranchPool, ..d };
		assert_noop!(A::publish(signed(GRACE), from_pool, None), E::FundingNotAllowed);
		assert_noop!(A::publish(signed(STAFF0), from_pool, Some(GRACE)), E::FundingNotAllowed);
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		assert_ok!(A::publish(signed(STAFF0), from_pool, Some(GRACE)));
		NextListingId::<Test>::put(ListingId::MAX);
		assert_noop!(A::publish(signed(GRACE), d, None), E::Overflow);
	});
}

#[test]
fn slots_may_not_end_more_than_a_year_ahead() {
	run(|| {
		let year = 366 * 24 * 3_600_000;
		let far = ListingDraft { slot_end: START_MS + year + 1, ..request() };
		assert_noop!(A::publish(signed(GRACE), far, None), E::InvalidSlot);
		let edge = ListingDraft { slot_end: START_MS + year, ..request() };
		assert_ok!(A::publish(signed(GRACE), edge, None));
	});
}

// M5: a member may have at most `MaxOpenListingsPerOwner` listings open or in review; the old
// code took any number, each one stored for ever with its expiry task. The count follows every
// way a listing closes (withdrawn, rejected, expired, a group that started).
#[test]
fn a_member_has_a_bounded_number_of_open_listings() {
	run(|| {
		let first = publish(GRACE, request(), None);
		for _ in 1..MAX_OPEN_LISTINGS {
			publish(GRACE, request(), None);
		}
		assert_eq!(OpenListings::<Test>::get(GRACE), MAX_OPEN_LISTINGS);
		assert_noop!(A::publish(signed(GRACE), request(), None), E::TooManyOpenListings);
		// Staff publishing for her count against her too; others are not held back.
		assert_noop!(A::publish(signed(STAFF0), request(), Some(GRACE)), E::TooManyOpenListings);
		publish(HENRY, request(), None);
		// Withdrawing one frees a place and its expiry leaves the queue.
		assert_ok!(A::cancel_listing(signed(GRACE), first));
		assert_eq!(OpenListings::<Test>::get(GRACE), MAX_OPEN_LISTINGS - 1);
		assert!(!DueQueue::<Test>::contains_key(
			1 + LISTING_LIFETIME,
			DueTask::ExpireListing(first)
		));
		publish(GRACE, request(), None);
		// Expiry frees them all.
		advance_to(4 + LISTING_LIFETIME);
		assert_eq!(OpenListings::<Test>::get(GRACE), 0);
		publish(GRACE, request(), None);
	});
}

#[test]
fn open_listing_counts_follow_rejection_and_a_group_that_started() {
	run(|| {
		assert_ok!(A::set_activity_policy(
			signed(ADMIN0),
			0,
			ActivityPolicy { review_newcomers: true, ..A::default_policy() }
		));
		let listing = publish(GRACE, request(), None);
		assert_eq!(OpenListings::<Test>::get(GRACE), 1);
		assert_ok!(decide(ReviewSubject::Listing(listing), Decision::Reject));
		assert_eq!(OpenListings::<Test>::get(GRACE), 0);
		let offer = publish(VICTOR, offer(2), None);
		assert_ok!(decide(ReviewSubject::Listing(offer), Decision::Approve));
		assert_eq!(OpenListings::<Test>::get(VICTOR), 1);
		assert_ok!(A::apply(signed(GRACE), offer));
		assert_ok!(A::accept(signed(VICTOR), offer, GRACE));
		let engagement = OfferEngagement::<Test>::get(offer).expect("group");
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		assert_eq!(OpenListings::<Test>::get(VICTOR), 0);
	});
}
