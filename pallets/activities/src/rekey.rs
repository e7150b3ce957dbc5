//! Activities' part of re-keying a member (decision 0013, [`Rekeying`]).
//!
//! The service record (and so the trust level) follows the member. Listings and engagements are
//! keyed by ids and name the account inside, so they are not moved: re-keying waits until the
//! member has none open and takes part in none running. Finished ones stay as history under
//! the old key.

use crate::{
	CheckedInProviders, Config, Error, OpenEngagements, OpenListings, Pallet, PendingTasks,
	ServiceRecords,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::Rekeying;

impl<T: Config> Rekeying<T::AccountId> for Pallet<T> {
	fn can_rekey(old: &T::AccountId, _: &T::AccountId) -> DispatchResult {
		ensure!(
			OpenListings::<T>::get(old) == 0 && PendingTasks::<T>::get(old) == 0,
			Error::<T>::OpenListingsRemain
		);
		ensure!(
			!OpenEngagements::<T>::contains_key(old) && !CheckedInProviders::<T>::contains_key(old),
			Error::<T>::OpenEngagementsRemain
		);
		Ok(())
	}

	fn rekey(old: &T::AccountId, new: &T::AccountId, _: &T::AccountId, _: H256) -> DispatchResult {
		if ServiceRecords::<T>::contains_key(old) {
			ServiceRecords::<T>::insert(new, ServiceRecords::<T>::take(old));
		}
		Ok(())
	}

	/// Four checks; the service record read, removed and written.
	fn rekey_weight() -> Weight {
		T::DbWeight::get().reads_writes(5, 2)
	}
}
