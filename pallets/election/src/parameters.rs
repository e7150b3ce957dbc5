//! Which election parameters the council may set.

use crate::{pallet::*, MAX_OFFLINE_THRESHOLD};
use polkadot_sdk::frame_support::{ensure, traits::Get};
use timebank_primitives::ElectionParameters;

impl<T: Config> Pallet<T> {
	/// `Ok` when `p` leaves room to judge liveness, keeps at least one validator, stays within
	/// `MaxValidators` and allows at least one offline session; else the first rule it breaks.
	pub(crate) fn check_parameters(p: &ElectionParameters) -> Result<(), Error<T>> {
		ensure!(p.session_blocks >= T::MinSessionBlocks::get(), Error::<T>::SessionTooShort);
		ensure!(p.sessions_per_era > 0, Error::<T>::NoSessionsPerEra);
		ensure!(p.min_validators > 0, Error::<T>::NoMinimumValidators);
		ensure!(p.max_validators >= p.min_validators, Error::<T>::MaximumBelowMinimum);
		ensure!(p.max_validators <= T::MaxValidators::get(), Error::<T>::TooManyValidators);
		ensure!(
			p.session_blocks >= p.max_validators.saturating_mul(2),
			Error::<T>::SessionTooShort
		);
		ensure!(p.offline_threshold <= MAX_OFFLINE_THRESHOLD, Error::<T>::ThresholdTooHigh);
		ensure!(p.max_offline_sessions > 0, Error::<T>::NoOfflineSessions);
		Ok(())
	}
}
