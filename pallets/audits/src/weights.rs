//! Weights of the audits pallet. Placeholder until `scripts/benchmark-pallets audits`
//! generates them from `benchmarking.rs`.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_timebank_audits`.
pub trait WeightInfo {
	fn set_review_policy() -> Weight;
	fn vote() -> Weight;
	fn flag() -> Weight;
}

impl WeightInfo for () {
	fn set_review_policy() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn vote() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
	fn flag() -> Weight {
		Weight::from_parts(50_000_000, 0)
	}
}
