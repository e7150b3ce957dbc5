//! Ratings and trust levels (`trust.rs`).

use super::*;

#[test]
fn rating_errors_and_trust_levels() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 5), E::WrongState);
		serve(engagement, 60);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 0), E::InvalidRating);
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 6), E::InvalidRating);
		assert_noop!(A::rate(signed(GRACE), 9, VICTOR, 5), E::UnknownEngagement);
		assert_noop!(A::rate(signed(WENDY), engagement, VICTOR, 5), E::NotAParty);
		assert_noop!(A::rate(signed(GRACE), engagement, GRACE, 5), E::NotCounterpart);
		assert_noop!(A::rate(signed(VICTOR), engagement, WENDY, 5), E::NotCounterpart);

		// Experience raises the level; three low ratings cap it.
		ServiceRecords::<Test>::insert(WENDY, ServiceRecord { provided: 21, ..Default::default() });
		assert_eq!(A::trust_level(&WENDY), 5);
		ServiceRecords::<Test>::insert(WENDY, ServiceRecord { provided: 6, ..Default::default() });
		assert_eq!(A::trust_level(&WENDY), 2);
		ServiceRecords::<Test>::insert(
			WENDY,
			ServiceRecord { provided: 21, ratings: 3, rating_sum: 7, ..Default::default() },
		);
		assert_eq!(A::trust_level(&WENDY), 2);
		assert_eq!(A::trust_level(&IRIS), 0);
	});
}
