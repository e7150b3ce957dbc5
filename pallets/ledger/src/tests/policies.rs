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

// L7: a rounding step above an hour and a clearing limit below the chain's minimum are refused.
#[test]
fn rounding_steps_above_an_hour_and_clearing_limits_below_the_minimum_are_refused() {
	run(|| {
		let p = LedgerPolicy::default();
		let step = |rounding_step| LedgerPolicy { rounding_step, ..p };
		let clearing = |clearing_limit| LedgerPolicy { clearing_limit, ..p };
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, step(MAX_ROUNDING_STEP + 1)),
			E::RoundingStepTooLarge
		);
		assert_noop!(L::set_policy(signed(ADMIN0), 0, step(480)), E::RoundingStepTooLarge);
		assert_noop!(L::set_policy(signed(ADMIN0), 0, clearing(0)), E::ClearingLimitTooSmall);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, clearing(MIN_CLEARING_LIMIT - 1)),
			E::ClearingLimitTooSmall
		);
		set_policy(0, step(MAX_ROUNDING_STEP));
		set_policy(0, clearing(MIN_CLEARING_LIMIT));
		assert_eq!(L::policy(0).clearing_limit, MIN_CLEARING_LIMIT);
	});
}

// L7: the soft-limit flag goes when the balance is back within the limit.
#[test]
fn a_soft_limit_flag_is_cleared_when_the_balance_comes_back_within_the_limit() {
	run(|| {
		set_policy(0, mutual_credit(100, false));
		let hold = L::hold(0, L::spendable(&ALICE), 150, &ALICE).expect("soft limit allows it");
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), Some(-150));
		// Still beyond the limit: the flag stays.
		grant(ALICE, 30);
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), Some(-150));
		// Back at the limit: cleared, and announced.
		grant(ALICE, 20);
		assert_eq!(spendable(ALICE), -100);
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), None);
		assert!(events().contains(&Event::SoftLimitCleared { who: ALICE, balance: -100 }));
		// Flagged again, then back in credit through the release of the hold.
		assert!(L::hold(0, L::spendable(&ALICE), 50, &ALICE).is_ok());
		assert!(SoftLimitFlags::<Test>::get(ALICE).is_some());
		assert_ok!(L::release(hold, &ALICE));
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), None);
	});
}

// M5: the policy audit trail keeps the latest `MaxPolicyHistory` versions.
#[test]
fn the_policy_audit_trail_keeps_the_latest_versions_only() {
	run(|| {
		for step in 1..=5 {
			set_policy(0, LedgerPolicy { rounding_step: step, ..Default::default() });
		}
		assert_eq!(L::policy_version(0), 5);
		let kept: Vec<u32> = PolicyHistory::<Test>::iter_prefix(0).map(|(v, _)| v).collect();
		let mut kept = kept;
		kept.sort();
		assert_eq!(kept.len() as u32, MAX_POLICY_HISTORY);
		assert_eq!(kept, vec![3, 4, 5]);
		assert_eq!(PolicyHistory::<Test>::get(0, 5).map(|r| r.policy.rounding_step), Some(5));
	});
}
