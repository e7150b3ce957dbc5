//! Applying and accepting, check-in codes, check-in and check-out, cancellation, group
//! withdrawals and who may act on an engagement (`listings.rs`, `engagements.rs`).

use super::*;

#[test]
fn apply_and_accept_errors() {
	run(|| {
		assert_noop!(A::apply(signed(VICTOR), 9), E::UnknownListing);
		let listing =
			publish(GRACE, ListingDraft { max_participants: 1, min_trust: 1, ..request() }, None);
		assert_noop!(A::apply(signed(GRACE), listing), E::OwnListing);
		assert_noop!(A::apply(signed(99), listing), E::NotActiveMember);
		assert_noop!(A::apply(signed(HENRY), listing), E::WrongRole);
		assert_noop!(A::apply(signed(VICTOR), listing), E::TrustTooLow);

		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::apply(signed(VICTOR), listing), E::AlreadyApplied);
		assert_ok!(A::apply(signed(WENDY), listing));
		assert_ok!(A::apply(signed(XAVIER), listing));
		MockRegistry::add_member(40, 0, MemberRoles { volunteer: true, ..Default::default() });
		assert_noop!(A::apply(signed(40), listing), E::TooManyApplications);

		assert_noop!(A::accept(signed(GRACE), 9, VICTOR), E::UnknownListing);
		assert_noop!(A::accept(signed(VICTOR), listing, VICTOR), E::NotPermitted);
		assert_noop!(A::accept(signed(GRACE), listing, 40), E::NotAnApplicant);
		MockRegistry::update(WENDY, |m| m.status = timebank_primitives::MemberStatus::Suspended);
		assert_noop!(A::accept(signed(GRACE), listing, WENDY), E::NotActiveMember);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		assert_noop!(A::accept(signed(GRACE), listing, XAVIER), E::ListingFull);
		assert_noop!(A::cancel_listing(signed(GRACE), listing), E::ListingHasEngagements);

		// Not enough credits to hold the estimate: the ledger refuses.
		let bigger = publish(HENRY, ListingDraft { estimated_minutes: 480, ..request() }, None);
		assert_ok!(A::apply(signed(XAVIER), bigger));
		assert_ok!(A::accept(signed(HENRY), bigger, XAVIER));
		let third = publish(HENRY, ListingDraft { estimated_minutes: 480, ..request() }, None);
		assert_ok!(A::apply(signed(VICTOR), third));
		assert_noop!(
			A::accept(signed(HENRY), third, VICTOR),
			pallet_timebank_ledger::Error::<Test>::InsufficientCredits
		);
	});
}

#[test]
fn cancelling_listings_and_engagements() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::cancel_listing(signed(VICTOR), listing), E::NotPermitted);
		assert_noop!(A::cancel_listing(signed(GRACE), 9), E::UnknownListing);
		assert_ok!(A::cancel_listing(signed(PAUL), listing));
		assert_noop!(A::cancel_listing(signed(GRACE), listing), E::ListingNotOpen);
		assert!(!Applications::<Test>::contains_key(listing, VICTOR));

		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::cancel_engagement(signed(WENDY), engagement), E::NotAParty);
		assert_noop!(A::cancel_engagement(signed(GRACE), 9), E::UnknownEngagement);
		assert_ok!(A::cancel_engagement(signed(VICTOR), engagement));
		assert_eq!((spendable(GRACE), escrow()), (600, 0));
		assert_noop!(A::cancel_engagement(signed(GRACE), engagement), E::WrongState);
		// The place is free again.
		let listing = NextListingId::<Test>::get() - 1;
		assert_ok!(A::apply(signed(WENDY), listing));
		assert_ok!(A::accept(signed(GRACE), listing, WENDY));
	});
}

#[test]
fn a_check_in_code_stops_a_volunteer_checking_in_alone() {
	run(|| {
		let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::WrongCheckInCode);
		let code: CheckInCode = b"4711".to_vec().try_into().expect("short");
		let salt = [1; 16];
		let hash = A::check_in_commitment(engagement, &salt, &code);
		assert_noop!(A::set_check_in_code(signed(VICTOR), engagement, hash), E::NotAParty);
		// Without a code set, no proof opens check-in.
		let proof = CheckInProof { salt, code: code.clone() };
		assert_noop!(
			A::check_in(signed(VICTOR), engagement, Some(proof.clone())),
			E::WrongCheckInCode
		);
		assert_ok!(A::set_check_in_code(signed(PAUL), engagement, hash));
		let wrong: CheckInCode = b"0000".to_vec().try_into().expect("short");
		let wrong = CheckInProof { salt, code: wrong };
		assert_noop!(A::check_in(signed(VICTOR), engagement, Some(wrong)), E::WrongCheckInCode);
		assert_ok!(A::check_in(signed(VICTOR), engagement, Some(proof)));
		assert_noop!(A::set_check_in_code(signed(GRACE), engagement, hash), E::WrongState);
		// Staff of the receiver's home branch check in on a volunteer's behalf without a code.
		let second = engage(HENRY, request(), WENDY);
		assert_ok!(A::check_in(signed(STAFF0), second, None));
		assert_noop!(A::set_check_in_code(signed(GRACE), 99, hash), E::UnknownEngagement);
	});
}

#[test]
fn check_in_out_confirm_and_dispute_errors() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::check_in(signed(WENDY), engagement, None), E::NotAParty);
		assert_noop!(A::check_in(signed(VICTOR), 9, None), E::UnknownEngagement);
		assert_noop!(A::check_out(signed(VICTOR), engagement), E::WrongState);
		assert_noop!(A::confirm(signed(GRACE), engagement), E::WrongState);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::WrongState);
		assert_noop!(A::cancel_engagement(signed(VICTOR), engagement), E::WrongState);
		assert_noop!(A::check_out(signed(WENDY), engagement), E::NotAParty);
		assert_noop!(A::check_out(signed(VICTOR), 9), E::UnknownEngagement);
		advance_clock_minutes(30);
		assert_ok!(A::check_out(signed(STAFF0), engagement));
		assert_noop!(A::confirm(signed(VICTOR), engagement), E::NotAParty);
		assert_noop!(A::confirm(signed(GRACE), 9), E::UnknownEngagement);
		assert_noop!(A::dispute(signed(WENDY), engagement, H256::zero()), E::NotAParty);
		assert_noop!(A::dispute(signed(GRACE), 9, H256::zero()), E::UnknownEngagement);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_noop!(A::dispute(signed(GRACE), engagement, H256::zero()), E::WrongState);
	});
}

#[test]
fn a_group_that_has_started_takes_nobody_else_and_lapsed_certificates_are_refused() {
	run(|| {
		let listing = publish(VICTOR, offer(3), None);
		assert_ok!(A::apply(signed(GRACE), listing));
		assert_ok!(A::accept(signed(VICTOR), listing, GRACE));
		assert_ok!(A::apply(signed(HENRY), listing));
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::Closed));
		assert_noop!(A::accept(signed(VICTOR), listing, HENRY), E::ListingNotOpen);

		let bathing = publish(GRACE, ListingDraft { category: BATHING, ..request() }, None);
		assert_ok!(A::apply(signed(VICTOR), bathing));
		MockRegistry::clear_certificates();
		assert_noop!(A::accept(signed(GRACE), bathing, VICTOR), E::MissingCertificate);
	});
}

#[test]
fn a_group_receiver_withdraws_alone_and_the_provider_rates_each_receiver() {
	run(|| {
		let listing = publish(VICTOR, offer(3), None);
		for who in [GRACE, HENRY, IRIS] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(VICTOR), listing, who));
		}
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		assert_ok!(A::cancel_engagement(signed(HENRY), engagement));
		assert!(events().contains(&Event::ReceiverWithdrew {
			engagement,
			receiver: HENRY,
			refunded: 20
		}));
		assert_eq!(state(engagement), EngagementState::Accepted, "the others stay");
		assert_eq!(Engagements::<Test>::get(engagement).map(|e| e.receivers.len()), Some(2));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.accepted), Some(2));
		assert_eq!(spendable(HENRY), 600);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		advance_clock_minutes(60);
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		assert_ok!(A::confirm(signed(STAFF0), engagement));
		assert_ok!(A::rate(signed(VICTOR), engagement, GRACE, 5));
		assert_ok!(A::rate(signed(VICTOR), engagement, IRIS, 4));
		assert_noop!(A::rate(signed(VICTOR), engagement, IRIS, 4), E::AlreadyRated);
		assert_noop!(A::rate(signed(VICTOR), engagement, HENRY, 1), E::NotCounterpart);
	});
}

#[test]
fn officers_act_only_for_their_own_members_and_never_on_both_sides() {
	run(|| {
		// ADMIN1 of branch 1 may not publish for or accept on behalf of GRACE of branch 0.
		MockRegistry::add_officer(1, STAFF0B, OfficerRole::Staff);
		assert_noop!(A::publish(signed(ADMIN1), request(), Some(GRACE)), E::NotPermitted);
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::accept(signed(ADMIN1), listing, VICTOR), E::NotPermitted);

		// A volunteer who is also staff of branch 0 cannot accept themselves, skip the code or
		// confirm their own service.
		MockRegistry::add_officer(0, VICTOR, OfficerRole::Staff);
		assert_noop!(A::accept(signed(VICTOR), listing, VICTOR), E::NotPermitted);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		assert_noop!(A::check_in(signed(VICTOR), 0, None), E::WrongCheckInCode);
		assert_noop!(A::set_check_in_code(signed(VICTOR), 0, H256::zero()), E::NotAParty);
		assert_ok!(A::check_in(signed(STAFF0), 0, None));
		advance_clock_minutes(30);
		assert_ok!(A::check_out(signed(VICTOR), 0));
		assert_noop!(A::confirm(signed(VICTOR), 0), E::NotAParty);
		assert_ok!(A::confirm(signed(STAFF0), 0));
	});
}
