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
