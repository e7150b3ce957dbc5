//! How votes count (review M10): one member, one vote, but the votes a candidate receives from
//! the members of any one home branch count only up to `MaxVotesPerHomeBranch`.
//!
//! Staff register the members of their own branch, so a branch's staff could otherwise
//! register as many voters as they like and carry their branch (or an ally) into the validator
//! set. With the cap, a branch's registrations are worth at most `MaxVotesPerHomeBranch` to any
//! candidate, what any branch whose members vote for it has: winning more takes members of
//! other branches, that is, other institutions' staff.
//!
//! `VotesFor` keeps every vote; `CountedVotes` what the ranking uses, kept in step here on
//! every vote added or removed: for each candidate, the sum over home branches of
//! `min(VotesByHome, MaxVotesPerHomeBranch)`.

use crate::pallet::*;
use polkadot_sdk::frame_support::traits::Get;
use timebank_primitives::BranchId;

impl<T: Config> Pallet<T> {
	/// Record `voter`'s vote for `candidate`, cast as a member of `home`.
	pub(crate) fn add_vote(voter: &T::AccountId, candidate: BranchId, home: BranchId) {
		VotesFor::<T>::mutate(candidate, |n| *n = n.saturating_add(1));
		let from_home = VotesByHome::<T>::get(candidate, home);
		if from_home < T::MaxVotesPerHomeBranch::get() {
			CountedVotes::<T>::mutate(candidate, |n| *n = n.saturating_add(1));
		}
		VotesByHome::<T>::insert(candidate, home, from_home.saturating_add(1));
		Votes::<T>::insert(voter, candidate);
		VoterHome::<T>::insert(voter, home);
	}

	/// Remove `voter`'s vote, if any, and return the candidate it went to.
	pub(crate) fn remove_vote(voter: &T::AccountId) -> Option<BranchId> {
		let candidate = Votes::<T>::take(voter)?;
		// Every vote has its home (`VoterHome` is written with `Votes`, and by the v1
		// migration); the candidate stands in for one that had none.
		let home = VoterHome::<T>::take(voter).unwrap_or(candidate);
		VotesFor::<T>::mutate(candidate, |n| *n = n.saturating_sub(1));
		let from_home = VotesByHome::<T>::get(candidate, home);
		if from_home > 0 && from_home <= T::MaxVotesPerHomeBranch::get() {
			CountedVotes::<T>::mutate(candidate, |n| *n = n.saturating_sub(1));
		}
		if from_home <= 1 {
			VotesByHome::<T>::remove(candidate, home);
		} else {
			VotesByHome::<T>::insert(candidate, home, from_home - 1);
		}
		Some(candidate)
	}
}
