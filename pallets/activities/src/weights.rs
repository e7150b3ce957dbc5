//! Weights of the activities pallet. Placeholder until `scripts/benchmark-pallets activities`
//! generates them; see the benchmarks in `benchmarking.rs`.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_timebank_activities`.
pub trait WeightInfo {
	fn set_category() -> Weight;
	fn set_activity_policy() -> Weight;
	fn publish() -> Weight;
	fn cancel_listing() -> Weight;
	fn apply() -> Weight;
	fn accept() -> Weight;
	fn set_check_in_code() -> Weight;
	fn check_in() -> Weight;
	fn check_out() -> Weight;
	fn confirm(r: u32) -> Weight;
	fn dispute() -> Weight;
	fn cancel_engagement(r: u32) -> Weight;
	fn rate() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn due_task(r: u32) -> Weight;
}

impl WeightInfo for () {
	fn set_category() -> Weight {
		Weight::from_parts(20_000_000, 0)
	}
	fn set_activity_policy() -> Weight {
		Weight::from_parts(20_000_000, 0)
	}
	fn publish() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn cancel_listing() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
	fn apply() -> Weight {
		Weight::from_parts(40_000_000, 0)
	}
	fn accept() -> Weight {
		Weight::from_parts(100_000_000, 0)
	}
	fn set_check_in_code() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
	fn check_in() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
	fn check_out() -> Weight {
		Weight::from_parts(40_000_000, 0)
	}
	fn confirm(r: u32) -> Weight {
		Weight::from_parts(60_000_000, 0)
			.saturating_add(Weight::from_parts(80_000_000, 0).saturating_mul(r.into()))
	}
	fn dispute() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
	fn cancel_engagement(r: u32) -> Weight {
		Weight::from_parts(40_000_000, 0)
			.saturating_add(Weight::from_parts(40_000_000, 0).saturating_mul(r.into()))
	}
	fn rate() -> Weight {
		Weight::from_parts(30_000_000, 0)
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(5_000_000, 0)
	}
	fn due_task(r: u32) -> Weight {
		Weight::from_parts(60_000_000, 0)
			.saturating_add(Weight::from_parts(80_000_000, 0).saturating_mul(r.into()))
	}
}
