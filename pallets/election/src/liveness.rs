//! Liveness: counting each block's author, and judging each validator at a session's end.
//!
//! `ValidatorLiveness` and `BlocksThisSession` are written only here.

use crate::pallet::*;
use polkadot_sdk::{
	frame_support::traits::{FindAuthor, ValidatorSet},
	frame_system,
};
use timebank_primitives::SessionIndex;

impl<T: Config> Pallet<T> {
	/// Count the current block for its author, found in the block's pre-runtime digest.
	pub(crate) fn note_author() {
		let digest = frame_system::Pallet::<T>::digest();
		let pre_runtime = digest.logs.iter().filter_map(|item| item.as_pre_runtime());
		if let Some(author) = T::FindAuthor::find_author(pre_runtime) {
			ValidatorLiveness::<T>::mutate(&author, |l| {
				l.authored_this_session = l.authored_this_session.saturating_add(1)
			});
			BlocksThisSession::<T>::mutate(|n| *n = n.saturating_add(1));
		}
	}

	/// Judge each validator of the ending session and start counting the next one.
	pub(crate) fn judge_session(session: SessionIndex) {
		let validators = T::ValidatorSet::validators();
		let blocks = BlocksThisSession::<T>::take();
		let parameters = Parameters::<T>::get();
		let count = validators.len() as u32;
		for validator in validators {
			ValidatorLiveness::<T>::mutate(&validator, |liveness| {
				let authored = core::mem::take(&mut liveness.authored_this_session);
				// Offline when authored / (blocks / count) < threshold, in integers.
				let share = u64::from(authored) * u64::from(count) * 100;
				let required =
					u64::from(blocks) * u64::from(parameters.offline_threshold.deconstruct());
				if blocks > 0 && share < required {
					liveness.offline_sessions = liveness.offline_sessions.saturating_add(1);
					Self::deposit_event(Event::ValidatorOffline {
						validator: validator.clone(),
						session,
						authored,
						expected: blocks / count.max(1),
						offline_sessions: liveness.offline_sessions,
					});
				} else if blocks > 0 {
					liveness.offline_sessions = 0;
				}
			});
		}
	}

	/// Whether the election leaves `validator` out for having been offline too long.
	pub fn is_excluded(validator: &T::AccountId) -> bool {
		ValidatorLiveness::<T>::get(validator).offline_sessions
			>= Parameters::<T>::get().max_offline_sessions
	}
}
