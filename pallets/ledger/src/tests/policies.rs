//! Branch policies (`transfers.rs`) and what they decide: storage cap, overflow, mutual credit.

use super::*;

#[test]
fn the_storage_cap_sends_overflow_where_the_policy_says() {
	run(|| {
		set_policy(0, LedgerPolicy { storage_cap: Some(100), ..Default::default() });
		grant(ALICE, 150);
		assert_eq!((spendable(ALICE), class(ALICE, BalanceClass::DonationOnly)), (100, 50));
		set_policy(
			0,
			LedgerPolicy {
				storage_cap: Some(100),
				overflow: OverflowRule::ToHonorary,
				..Default::default()
			},
		);
		grant(ALICE, 30);
		assert_eq!(class(ALICE, BalanceClass::Honorary), 30);
		set_policy(
			0,
			LedgerPolicy {
				storage_cap: Some(100),
				overflow: OverflowRule::Refuse,
				..Default::default()
			},
		);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 1, memo()), E::StorageCapExceeded);
	});
}

#[test]
fn policies_are_versioned_with_an_audit_trail() {
	run(|| {
		set_policy(0, mutual_credit(300, true));
		set_policy(0, LedgerPolicy::default());
		assert_eq!(Policies::<Test>::get(0).map(|current| current.version), Some(2));
		assert_eq!(L::policy_version(0), 2);
		let first = PolicyHistory::<Test>::get(0, 1).expect("version 1 kept");
		assert_eq!(
			first,
			PolicyRecord { policy: mutual_credit(300, true), set_by: ADMIN0, set_at: 1 }
		);
	});
}

#[test]
fn set_policy_errors() {
	run(|| {
		let p = LedgerPolicy::default();
		assert_noop!(L::set_policy(signed(STAFF0), 0, p), E::NotBranchOfficer);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, LedgerPolicy { expiry_days: Some(365), ..p }),
			E::ExpiryNotSupported
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, LedgerPolicy { rounding_step: 0, ..p }),
			E::InvalidPolicy
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, LedgerPolicy { storage_cap: Some(0), ..p }),
			E::InvalidPolicy
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, mutual_credit(MAX_CREDIT_LIMIT + 1, true)),
			E::InvalidPolicy
		);
	});
}

#[test]
fn mutual_credit_limits_are_hard_or_soft() {
	run(|| {
		set_policy(0, mutual_credit(100, true));
		assert!(L::hold(0, L::spendable(&ALICE), 100, &ALICE).is_ok());
		assert_eq!(spendable(ALICE), -100);
		assert_eq!(L::hold(0, L::spendable(&ALICE), 1, &ALICE), Err(E::CreditLimitExceeded.into()));
		set_policy(0, mutual_credit(100, false));
		assert!(L::hold(0, L::spendable(&ALICE), 50, &ALICE).is_ok());
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), Some(-150));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::SoftLimitExceeded { who: ALICE, balance: -150, limit: 100 }
		)));
		// Soft, but never past the chain-wide floor.
		assert_eq!(
			L::hold(0, L::spendable(&ALICE), MAX_CREDIT_LIMIT, &ALICE),
			Err(E::CreditLimitExceeded.into())
		);
	});
}
