//! Weights for `pallet_timebank_election`: estimates until `scripts/benchmark-pallets election`
//! replaces this file with measured figures.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// The weight of each call of this pallet.
pub trait WeightInfo {
	fn note_author() -> Weight;
	fn propose_candidate() -> Weight;
	fn approve_candidate() -> Weight;
	fn withdraw_candidate() -> Weight;
	fn vote() -> Weight;
	fn unvote() -> Weight;
	fn remove_stale_vote() -> Weight;
	fn set_parameters() -> Weight;
	fn declare_online() -> Weight;
}

/// Weights for a runtime, using its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn note_author() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(4, 2)) }
	fn propose_candidate() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(5, 3)) }
	fn approve_candidate() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(1, 1)) }
	fn withdraw_candidate() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(2, 3)) }
	fn vote() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(5, 3)) }
	fn unvote() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(2, 2)) }
	fn remove_stale_vote() -> Weight { Weight::from_parts(25_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(3, 2)) }
	fn set_parameters() -> Weight { Weight::from_parts(10_000_000, 1000).saturating_add(T::DbWeight::get().writes(1)) }
	fn declare_online() -> Weight { Weight::from_parts(25_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(3, 1)) }
}

impl WeightInfo for () {
	fn note_author() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(4, 2)) }
	fn propose_candidate() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(5, 3)) }
	fn approve_candidate() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn withdraw_candidate() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(2, 3)) }
	fn vote() -> Weight { Weight::from_parts(30_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(5, 3)) }
	fn unvote() -> Weight { Weight::from_parts(20_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(2, 2)) }
	fn remove_stale_vote() -> Weight { Weight::from_parts(25_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(3, 2)) }
	fn set_parameters() -> Weight { Weight::from_parts(10_000_000, 1000).saturating_add(RocksDbWeight::get().writes(1)) }
	fn declare_online() -> Weight { Weight::from_parts(25_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(3, 1)) }
}
