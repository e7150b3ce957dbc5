//! The calls' declarations: every call is free for members.

use super::*;

#[test]
fn every_call_is_free_for_members_from_validation_on() {
	use polkadot_sdk::frame_support::dispatch::{GetDispatchInfo, Pays};
	// Declared in the weight, so members without tokens pass the fee check in the pool.
	let calls: Vec<Call<Test>> = vec![
		Call::publish { draft: request(), owner: None },
		Call::apply { listing: 0 },
		Call::accept { listing: 0, applicant: VICTOR },
		Call::check_in { engagement: 0, proof: None },
		Call::check_out { engagement: 0 },
		Call::confirm { engagement: 0 },
		Call::dispute { engagement: 0, reason: H256::zero() },
		Call::rate { engagement: 0, ratee: VICTOR, stars: 5 },
		Call::cancel_engagement { engagement: 0 },
		Call::cancel_listing { listing: 0 },
		Call::set_check_in_code { engagement: 0, code_hash: H256::zero() },
	];
	for call in calls {
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::No, "{call:?}");
	}
}

#[test]
fn calls_stay_free_after_dispatch_whether_they_succeed_refund_weight_or_fail() {
	use polkadot_sdk::{
		frame_support::dispatch::{extract_actual_pays_fee, GetDispatchInfo, Pays},
		sp_runtime::traits::Dispatchable,
	};
	// The weight declares `Pays::No`; what a call returns (plain `Ok`, an actual weight, or an
	// error) may lower the fee but never raise it.
	run(|| {
		let calls = [
			(GRACE, Call::publish { draft: request(), owner: None }),
			(VICTOR, Call::apply { listing: 0 }),
			(GRACE, Call::accept { listing: 0, applicant: VICTOR }),
			(VICTOR, Call::check_in { engagement: 0, proof: None }),
			(VICTOR, Call::check_out { engagement: 0 }),
			(GRACE, Call::confirm { engagement: 0 }),
			(VICTOR, Call::rate { engagement: 0, ratee: GRACE, stars: 5 }),
			(GRACE, Call::cancel_engagement { engagement: 0 }),
			(WENDY, Call::dispute { engagement: 0, reason: H256::zero() }),
		];
		let mut succeeded = 0;
		for (who, call) in calls {
			let call = RuntimeCall::Activities(call);
			let info = call.get_dispatch_info();
			let result = call.clone().dispatch(signed(who));
			succeeded += usize::from(result.is_ok());
			assert_eq!(extract_actual_pays_fee(&result, &info), Pays::No, "{call:?}");
		}
		assert_eq!(succeeded, 7, "the last two are refused: settled, and not a party");
		let engagement = engage(HENRY, request(), WENDY);
		let call = RuntimeCall::Activities(Call::cancel_engagement { engagement });
		let info = call.get_dispatch_info();
		let result = call.dispatch(signed(WENDY));
		assert_eq!(
			result.as_ref().map(|post| post.actual_weight.is_some()),
			Ok(true),
			"weight refunded"
		);
		assert_eq!(extract_actual_pays_fee(&result, &info), Pays::No);
	});
}
