//! Storage migrations of the election, each run once by the runtime's `Executive` (listed in
//! `runtime/src/lib.rs`) and skipped on a chain whose stored version is already past it.

/// Version 1 (review M10): votes count under the voter's home branch, at most
/// `MaxVotesPerHomeBranch` per home branch and candidate. Fills `VoterHome`, `VotesByHome` and
/// `CountedVotes` from the votes already cast.
pub mod v1 {
	use crate::{Config, CountedVotes, Pallet, VoterHome, Votes, VotesByHome};
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system,
	};
	use timebank_primitives::Membership;

	/// Counts every vote under its voter's home branch. Runs in the upgrade block: one vote per
	/// member, a member record read for each.
	pub struct CountVotesByHome<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountVotesByHome<T> {
		fn on_runtime_upgrade() -> Weight {
			let votes: Vec<_> = Votes::<T>::iter().collect();
			let cast = votes.len() as u64;
			let cap = T::MaxVotesPerHomeBranch::get();
			for (voter, candidate) in votes {
				// A former member's vote (removable as stale) counts under the candidate.
				let home = T::Membership::member(&voter).map_or(candidate, |m| m.home_branch);
				VoterHome::<T>::insert(&voter, home);
				let from_home = VotesByHome::<T>::get(candidate, home);
				if from_home < cap {
					CountedVotes::<T>::mutate(candidate, |n| *n = n.saturating_add(1));
				}
				VotesByHome::<T>::insert(candidate, home, from_home.saturating_add(1));
			}
			// Per vote: the vote, the member record and the two counts read; the home and the
			// two counts written.
			T::DbWeight::get().reads_writes(4 * cast, 3 * cast)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the election's
	/// stored version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		CountVotesByHome<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
