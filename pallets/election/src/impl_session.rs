//! The election as `pallet-session` sees it: the [`SessionManager`] that elects and judges, and
//! the session clock ([`ShouldEndSession`], [`EstimateNextSessionRotation`]) that follows the
//! council's `session_blocks`.

use crate::pallet::*;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		traits::{EstimateNextSessionRotation, Get},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	pallet_session::{SessionManager, ShouldEndSession},
	sp_runtime::{traits::Saturating, Permill, SaturatedConversion},
};
use timebank_primitives::SessionIndex;

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::elect(new_index)
	}

	/// The genesis set is the one `pallet-session`'s genesis keys name.
	fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
		None
	}

	fn end_session(end_index: SessionIndex) {
		Self::judge_session(end_index);
	}

	fn start_session(_: SessionIndex) {
		SessionStartedAt::<T>::put(frame_system::Pallet::<T>::block_number());
	}
}

impl<T: Config> Pallet<T> {
	fn session_length() -> BlockNumberFor<T> {
		Parameters::<T>::get().session_blocks.into()
	}
}

impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		now.saturating_sub(SessionStartedAt::<T>::get()) >= Self::session_length()
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		Self::session_length()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let length = Parameters::<T>::get().session_blocks;
		let elapsed = now.saturating_sub(SessionStartedAt::<T>::get());
		let elapsed: u32 = elapsed.saturated_into();
		let progress = Permill::from_rational(elapsed.saturating_add(1).min(length), length);
		(Some(progress), T::DbWeight::get().reads(2))
	}

	fn estimate_next_session_rotation(
		_now: BlockNumberFor<T>,
	) -> (Option<BlockNumberFor<T>>, Weight) {
		let next = SessionStartedAt::<T>::get().saturating_add(Self::session_length());
		(Some(next), T::DbWeight::get().reads(2))
	}
}
