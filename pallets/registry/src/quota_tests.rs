//! The quota extension counts block time, not calls (security review H4), drains continuously
//! (L6), gives officers the larger allowance and gives back what a call reports it did not use.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchInfo, GetDispatchInfo, PostDispatchInfo},
		weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, Weight},
	},
	sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionValidityError},
	},
};

type R = Pallet<Test>;

fn member_call() -> RuntimeCall {
	RuntimeCall::Registry(Call::revoke_proxy { member: ALICE, proxy: BOB })
}

/// `member_call` as if it declared `millis` of weight.
fn declaring(millis: u64) -> DispatchInfo {
	DispatchInfo {
		call_weight: Weight::from_parts(millis * WEIGHT_REF_TIME_PER_MILLIS, 0),
		..member_call().get_dispatch_info()
	}
}

fn charge(
	who: AccountId,
	info: &DispatchInfo,
) -> Result<Option<(AccountId, u32)>, TransactionValidityError> {
	CheckMemberQuota::<Test>::new()
		.validate_and_prepare(RuntimeOrigin::signed(who), &member_call(), info, 0, 0)
		.map(|(pre, _origin)| pre)
}

const EXHAUSTED: TransactionValidityError =
	TransactionValidityError::Invalid(InvalidTransaction::Custom(QUOTA_EXHAUSTED));

#[test]
fn a_heavy_call_counts_its_declared_weight() {
	run(|| {
		assert_eq!(R::quota_remaining(&ALICE), 3_000);
		// H4: a call declaring 2 ms (what the block is charged, also when it fails) uses two
		// thirds of a member's allowance, so a second one is refused.
		assert!(charge(ALICE, &declaring(2)).is_ok());
		assert_eq!(R::quota_remaining(&ALICE), 1_000);
		assert_eq!(charge(ALICE, &declaring(2)), Err(EXHAUSTED));
		// A light call counts the minimum charge, 1 ms, and fits.
		assert!(charge(ALICE, &declaring(0)).is_ok());
		assert_eq!(R::quota_remaining(&ALICE), 0);
	});
}

#[test]
fn a_call_heavier_than_the_allowance_is_never_valid() {
	run(|| assert_eq!(charge(ALICE, &declaring(4)), Err(EXHAUSTED)));
}

#[test]
fn the_allowance_drains_back_continuously_with_no_window_edge() {
	run(|| {
		System::set_block_number(QuotaWindow::get() - 1);
		for _ in 0..3 {
			assert!(charge(ALICE, &declaring(1)).is_ok());
		}
		// L6: one block later a new window has started, but only a tenth of the allowance has
		// drained: no burst of two allowances across the edge.
		System::set_block_number(QuotaWindow::get());
		assert_eq!(R::quota_remaining(&ALICE), 300);
		assert_eq!(charge(ALICE, &declaring(1)), Err(EXHAUSTED));
		// Half a window later, half of it is back.
		System::set_block_number(QuotaWindow::get() + 4);
		assert_eq!(R::quota_remaining(&ALICE), 1_500);
		assert!(charge(ALICE, &declaring(1)).is_ok());
		assert_eq!(R::quota_remaining(&ALICE), 500);
	});
}

#[test]
fn officers_get_the_larger_allowance() {
	run(|| {
		assert_eq!(R::quota_remaining(&STAFF), 6_000);
		for _ in 0..6 {
			assert!(charge(STAFF, &declaring(1)).is_ok());
		}
		assert_eq!(charge(STAFF, &declaring(1)), Err(EXHAUSTED));
	});
}

#[test]
fn what_a_call_reports_it_did_not_use_is_given_back() {
	run(|| {
		let info = declaring(3);
		let pre = charge(ALICE, &info).expect("fits the allowance");
		assert_eq!(R::quota_remaining(&ALICE), 0);
		// The call says it used 1.5 ms (as a call that fails early may say): 1.5 ms come back.
		let post = PostDispatchInfo {
			actual_weight: Some(Weight::from_parts(1_500 * 1_000_000, 0)),
			..Default::default()
		};
		let refund =
			<CheckMemberQuota<Test> as TransactionExtension<RuntimeCall>>::post_dispatch_details(
				pre,
				&info,
				&post,
				0,
				&Ok(()),
			);
		assert_eq!(refund, Ok(Weight::zero()), "the quota refunds no block weight");
		assert_eq!(R::quota_remaining(&ALICE), 1_500);
		// A call that reports nothing keeps its full charge, as the block keeps it.
		let pre = charge(ALICE, &declaring(1)).expect("fits");
		let kept =
			<CheckMemberQuota<Test> as TransactionExtension<RuntimeCall>>::post_dispatch_details(
				pre,
				&declaring(1),
				&PostDispatchInfo::default(),
				0,
				&Ok(()),
			);
		assert_eq!(kept, Ok(Weight::zero()));
		assert_eq!(R::quota_remaining(&ALICE), 500);
	});
}
