//! The branch's catalogue and activity policy (`catalogue.rs`).

use super::*;

#[test]
fn catalogue_and_policy_errors() {
	run(|| {
		let low = Category { risk: RiskLevel::Low, required_skill: None, active: true };
		assert_noop!(A::set_category(signed(STAFF0), 0, 5, Some(low)), E::NotBranchOfficer);
		assert_noop!(A::set_category(signed(ADMIN1), 0, 5, Some(low)), E::NotBranchOfficer);
		assert_noop!(
			A::set_category(RuntimeOrigin::root(), 0, 5, Some(low)),
			DispatchError::BadOrigin
		);
		assert_ok!(A::set_category(signed(ADMIN0), 0, 5, Some(low)));
		assert_ok!(A::set_category(signed(ADMIN0), 0, 5, None));
		assert_eq!(Catalogue::<Test>::get(0, 5), None);

		let good = A::default_policy();
		assert_noop!(A::set_activity_policy(signed(STAFF0), 0, good), E::NotBranchOfficer);
		for bad in [
			ActivityPolicy { confirm_window: 0, ..good },
			ActivityPolicy { listing_lifetime: 0, ..good },
			ActivityPolicy { confirm_window: 1_001, ..good },
		] {
			assert_noop!(A::set_activity_policy(signed(ADMIN0), 0, bad), E::InvalidPolicy);
		}
	});
}
