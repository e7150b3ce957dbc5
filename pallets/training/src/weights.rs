//! Weights of the training pallet. Placeholder until `scripts/benchmark-pallets training`
//! generates them from `benchmarking.rs`.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_timebank_training`.
pub trait WeightInfo {
	fn create_course() -> Weight;
	fn set_course_active() -> Weight;
	fn schedule_session() -> Weight;
	fn close_session() -> Weight;
	fn enrol() -> Weight;
	fn withdraw() -> Weight;
	fn record_attendance() -> Weight;
	fn complete() -> Weight;
	fn revoke_certificate() -> Weight;
}

impl WeightInfo for () {
	fn create_course() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn set_course_active() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn schedule_session() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn close_session() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn enrol() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn withdraw() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn record_attendance() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn complete() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn revoke_certificate() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
}
