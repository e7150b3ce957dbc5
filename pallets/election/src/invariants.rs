//! The election's invariants, checked by `try_state`, after every unit test, and by
//! `timebank_checkInvariants` on any block.
//!
//! # Invariants
//!
//! - `VotesFor`: each branch's count equals the `Votes` that name it, and no branch has votes
//!   without a count.
//! - `VoterHome`: exactly one entry per vote. `VotesByHome`: for each (candidate, home) the
//!   votes for the candidate cast from that home; no zero entries.
//! - `CountedVotes`: for each candidate, the sum over homes of `min(VotesByHome,
//!   MaxVotesPerHomeBranch)`.
//! - `Candidates`: every candidacy's validator points back to its branch in `CandidateOf`; the
//!   map's counter equals its entries, at most `MaxCandidates`.
//! - `CandidateOf`: has exactly one entry per candidacy.
//! - `Parameters`: pass the checks `set_parameters` makes.

use crate::pallet::*;
use alloc::collections::BTreeMap;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_runtime::TryRuntimeError,
};
use timebank_primitives::BranchId;

impl<T: Config> Pallet<T> {
	/// Check every invariant listed in this module's documentation; the first broken one is the
	/// error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_votes()?;
		Self::check_counted_votes()?;
		Self::check_candidates()?;
		ensure!(
			Self::check_parameters(&Parameters::<T>::get()).is_ok(),
			"the election parameters are invalid"
		);
		Ok(())
	}

	/// Votes add up per branch.
	fn check_votes() -> Result<(), TryRuntimeError> {
		let mut tally = BTreeMap::<BranchId, u32>::new();
		for (_, branch) in Votes::<T>::iter() {
			*tally.entry(branch).or_default() += 1;
		}
		for (branch, count) in VotesFor::<T>::iter() {
			ensure!(
				tally.remove(&branch).unwrap_or(0) == count,
				"a branch's vote count differs from its votes"
			);
		}
		ensure!(tally.values().all(|n| *n == 0), "votes for a branch without a count");
		Ok(())
	}

	/// Candidacies and their index agree.
	fn check_candidates() -> Result<(), TryRuntimeError> {
		let mut candidates = 0u32;
		for (branch, candidate) in Candidates::<T>::iter() {
			candidates += 1;
			ensure!(
				CandidateOf::<T>::get(&candidate.validator) == Some(branch),
				"a candidate's validator does not point back to its branch"
			);
		}
		ensure!(candidates == Candidates::<T>::count(), "candidate counter is wrong");
		ensure!(candidates <= T::MaxCandidates::get(), "more candidates than MaxCandidates");
		ensure!(
			CandidateOf::<T>::iter().count() as u32 == candidates,
			"a validator points to no candidacy"
		);
		Ok(())
	}

	/// Votes per home branch and the counted votes agree with the votes cast.
	fn check_counted_votes() -> Result<(), TryRuntimeError> {
		let mut by_home = BTreeMap::<(BranchId, BranchId), u32>::new();
		let mut voters = 0u32;
		for (voter, candidate) in Votes::<T>::iter() {
			let home = VoterHome::<T>::get(&voter).ok_or("a vote without its voter's home")?;
			*by_home.entry((candidate, home)).or_default() += 1;
			voters += 1;
		}
		ensure!(VoterHome::<T>::iter().count() as u32 == voters, "a voter's home without a vote");
		let cap = T::MaxVotesPerHomeBranch::get();
		let mut counted = BTreeMap::<BranchId, u32>::new();
		for (candidate, home, count) in VotesByHome::<T>::iter() {
			ensure!(
				by_home.remove(&(candidate, home)) == Some(count),
				"votes from a home branch differ from the votes cast"
			);
			*counted.entry(candidate).or_default() += count.min(cap);
		}
		ensure!(by_home.is_empty(), "votes from a home branch without a count");
		for (candidate, count) in CountedVotes::<T>::iter() {
			ensure!(
				counted.remove(&candidate).unwrap_or(0) == count,
				"a candidate's counted votes are wrong"
			);
		}
		ensure!(counted.values().all(|n| *n == 0), "counted votes missing for a candidate");
		Ok(())
	}
}
