//! The election's part of re-keying a member (decision 0013, [`Rekeying`]): the member's vote
//! and the home branch it counts under move to the new key. The tallies (`VotesFor`,
//! `VotesByHome`, `CountedVotes`) do not change: the same vote for the same branch from the
//! same home. A validator candidate's account is not a member's to move.

use crate::{CandidateOf, Config, Error, Pallet, VoterHome, Votes};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::Rekeying;

impl<T: Config> Rekeying<T::AccountId> for Pallet<T> {
	fn can_rekey(old: &T::AccountId, _: &T::AccountId) -> DispatchResult {
		ensure!(!CandidateOf::<T>::contains_key(old), Error::<T>::ValidatorCandidate);
		Ok(())
	}

	fn rekey(old: &T::AccountId, new: &T::AccountId, _: &T::AccountId, _: H256) -> DispatchResult {
		if let Some(branch) = Votes::<T>::take(old) {
			Votes::<T>::insert(new, branch);
		}
		if let Some(home) = VoterHome::<T>::take(old) {
			VoterHome::<T>::insert(new, home);
		}
		Ok(())
	}

	/// One check; the vote and its home read, removed and written.
	fn rekey_weight() -> Weight {
		T::DbWeight::get().reads_writes(3, 4)
	}
}
