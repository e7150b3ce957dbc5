//! Weights for `pallet_timebank_governance`: an estimate until `scripts/benchmark-pallets
//! governance` replaces this file with measured figures.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// The weight of each call of this pallet.
pub trait WeightInfo {
	fn authorize_upgrade() -> Weight;
}

/// Weights for a runtime, using its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn authorize_upgrade() -> Weight { Weight::from_parts(15_000_000, 0).saturating_add(T::DbWeight::get().writes(1)) }
}

impl WeightInfo for () {
	fn authorize_upgrade() -> Weight { Weight::from_parts(15_000_000, 0).saturating_add(RocksDbWeight::get().writes(1)) }
}
