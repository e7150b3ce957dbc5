//! # Governance pallet
//!
//! The council's power over the runtime itself, without a sudo key.
//!
//! ## Overview
//!
//! A forkless runtime upgrade takes two steps. The council passes a motion calling
//! [`Pallet::authorize_upgrade`] with the hash of the new runtime's Wasm; the runtime then
//! accepts `system.apply_authorized_upgrade` with exactly that code from anyone, checking that the
//! spec name stays and the spec version grows. Splitting it so keeps the half-megabyte Wasm out of
//! the motion (a motion carries the hash only) and lets any operator submit the code once the
//! council agreed.
//!
//! `frame-system` keeps the authorisation and emits `UpgradeAuthorized`; this pallet only gives
//! the council the origin that `frame-system`'s own call reserves for root.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system};

#[frame_support::pallet]
// FRAME's macros expand to fully qualified paths (`frame_support::sp_runtime::DispatchError`,
// `std::string::String`, ...) under the spans of this module's `#[pallet::*]` attributes, and it
// needs the `Config` supertrait spelled `polkadot_sdk::frame_system::Config`: the lint would
// report both as this crate's. Code outside this module is linted.
#[allow(unused_qualifications)]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The governance pallet's configuration: who may authorise an upgrade. It has no events of
	/// its own (`frame-system` emits `UpgradeAuthorized`), so no `RuntimeEvent` bound.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Who may authorise an upgrade: the council.
		type UpgradeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
	}

	/// The council's power to authorise runtime upgrades.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Authorise the runtime whose Wasm hashes to `code_hash`; anyone may then apply it with
		/// `system.apply_authorized_upgrade`. A later authorisation replaces an earlier one.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Ok(())
		}
	}
}
