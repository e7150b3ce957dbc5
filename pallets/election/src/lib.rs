//! # Election pallet
//!
//! Chooses which branch institutions validate, DPoS style, and watches that they do.
//!
//! ## Overview
//!
//! A branch admin proposes the branch as a candidate, naming the account whose session keys the
//! branch's node signs with; the council approves it. Members delegate their one vote to a
//! candidate branch and may move it at any time (decision record 0007). Every era (a number of
//! sessions the council sets) the pallet, as `pallet-session`'s [`SessionManager`], elects the
//! approved candidates with session keys, most votes first, up to the maximum; Aura and GRANDPA
//! take the new set one session later. Two rules protect finality: the set never shrinks below the
//! minimum (incumbents stay to fill it), and one election never removes more validators than the
//! current set's fault tolerance, `(n - 1) / 3`.
//!
//! Liveness: every block's author is counted. At the end of a session a validator that authored
//! less than the offline threshold of its expected share (blocks in the session divided by
//! validators) is reported offline (`ValidatorOffline`); after `max_offline_sessions` offline
//! sessions in a row it is left out of elections until its branch admin declares the node online
//! again.
//!
//! The pallet also ends sessions ([`pallet_session::ShouldEndSession`]), so the session length is
//! an election parameter the council can change, not a constant of the runtime.
//!
//! ## Interface
//!
//! Branch admins: `propose_candidate`, `withdraw_candidate`, `declare_online`. Council:
//! `approve_candidate`, `withdraw_candidate`, `set_parameters`. Members: `vote`, `unvote`. Anyone:
//! `remove_stale_vote` (of an account that is no longer an active member). The node's
//! `timebank_validators` RPC reads [`Pallet::view`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		self,
		traits::{
			EstimateNextSessionRotation, FindAuthor, Get, ValidatorRegistration, ValidatorSet,
		},
	},
	frame_system, pallet_session,
	sp_runtime::{self, traits::Saturating, Permill, SaturatedConversion},
};
use timebank_primitives::{
	BranchId, CandidateView, ElectionParameters, ElectionView, EraIndex, Membership, OfficerRole,
	SessionIndex, ValidatorView,
};

/// The highest offline threshold the council may set.
pub const MAX_OFFLINE_THRESHOLD: sp_runtime::Percent = sp_runtime::Percent::from_percent(75);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::Pays, pallet_prelude::*, weights::Weight};
	use frame_system::pallet_prelude::*;

	/// A branch's candidacy.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
	)]
	pub struct Candidate<AccountId> {
		/// The account whose session keys the branch's node signs with.
		pub validator: AccountId,
		pub approved: bool,
	}

	/// What the pallet knows of a validator's authoring.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Default,
		Debug,
	)]
	pub struct Liveness {
		/// Blocks authored in the current session.
		pub authored_this_session: u32,
		/// Consecutive sessions judged offline, the last one included.
		pub offline_sessions: u32,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
		/// Who may approve candidates and set the election parameters: the council.
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Branch admins and active members.
		type Membership: Membership<Self::AccountId>;
		/// The current session and its validators (`pallet-session`).
		type ValidatorSet: ValidatorSet<Self::AccountId, ValidatorId = Self::AccountId>;
		/// Whether an account registered session keys (`pallet-session`).
		type KeysRegistered: ValidatorRegistration<Self::AccountId>;
		/// The author of the block being built, from its pre-runtime digest (Aura).
		type FindAuthor: FindAuthor<Self::AccountId>;
		/// Most validators any parameters may ask for; the consensus pallets' authority limit.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Most candidacies at once: the election sorts them all.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// Shortest session the council may set: a validator must have slots to prove liveness.
		#[pallet::constant]
		type MinSessionBlocks: Get<u32>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ElectionParameters, ValueQuery>;

	/// Candidacies by branch: one per branch institution.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		CountedStorageMap<_, Twox64Concat, BranchId, Candidate<T::AccountId>>;

	/// The candidate branch of each validator account.
	#[pallet::storage]
	pub type CandidateOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BranchId>;

	/// The branch each member delegated their vote to.
	#[pallet::storage]
	pub type Votes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BranchId>;

	/// Votes per branch. Kept when a candidacy is withdrawn: members vote for the institution, so
	/// their votes count again if the branch stands again.
	#[pallet::storage]
	pub type VotesFor<T: Config> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	#[pallet::storage]
	pub type ValidatorLiveness<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Liveness, ValueQuery>;

	/// Blocks of the current session that had an author.
	#[pallet::storage]
	pub type BlocksThisSession<T: Config> = StorageValue<_, u32, ValueQuery>;

	#[pallet::storage]
	pub type SessionStartedAt<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The era of the last election; 0 until the first.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub parameters: ElectionParameters,
		/// Approved candidacies: (branch, validator account).
		pub candidates: Vec<(BranchId, T::AccountId)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(error) = Pallet::<T>::check_parameters(&self.parameters) {
				panic!("invalid genesis election parameters: {error:?}");
			}
			Parameters::<T>::put(self.parameters);
			assert!(
				self.candidates.len() as u32 <= T::MaxCandidates::get(),
				"more genesis candidates than MaxCandidates"
			);
			for (branch, validator) in &self.candidates {
				assert!(
					!Candidates::<T>::contains_key(branch)
						&& !CandidateOf::<T>::contains_key(validator),
					"genesis candidates repeat a branch or a validator"
				);
				Candidates::<T>::insert(
					branch,
					Candidate { validator: validator.clone(), approved: true },
				);
				CandidateOf::<T>::insert(validator, branch);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		CandidateProposed {
			branch: BranchId,
			validator: T::AccountId,
			by: T::AccountId,
		},
		CandidateApproved {
			branch: BranchId,
		},
		/// The candidacy ended; a sitting validator leaves at the next election.
		CandidateWithdrawn {
			branch: BranchId,
			validator: T::AccountId,
		},
		Voted {
			voter: T::AccountId,
			branch: BranchId,
			previous: Option<BranchId>,
		},
		VoteWithdrawn {
			voter: T::AccountId,
			branch: BranchId,
		},
		/// The vote of an account that is no longer an active member was removed.
		StaleVoteRemoved {
			voter: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
		},
		ParametersSet {
			parameters: ElectionParameters,
		},
		/// A validator authored less than the offline threshold of its share in a session.
		ValidatorOffline {
			validator: T::AccountId,
			session: SessionIndex,
			authored: u32,
			expected: u32,
			offline_sessions: u32,
		},
		/// The branch admin reports its node repaired: the validator may be elected again.
		DeclaredOnline {
			branch: BranchId,
			validator: T::AccountId,
			by: T::AccountId,
		},
		/// An election chose a different set, in rank order; it validates from `from_session`.
		NewValidatorSet {
			era: EraIndex,
			from_session: SessionIndex,
			validators: Vec<T::AccountId>,
			/// Left out because they were offline too long.
			removed_offline: Vec<T::AccountId>,
		},
		/// An election kept the current set.
		ValidatorSetUnchanged {
			era: EraIndex,
		},
		/// Fewer eligible candidates than the minimum: incumbents filled the set.
		ShortOfCandidates {
			era: EraIndex,
			eligible: u32,
			minimum: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Only an admin of the branch may do this.
		NotBranchAdmin,
		/// The branch is not registered or not active.
		BranchInactive,
		/// The branch already has a candidacy.
		AlreadyCandidate,
		/// The validator account is already another branch's candidate.
		ValidatorTaken,
		/// The candidacy limit (`MaxCandidates`) is reached.
		TooManyCandidates,
		/// The branch has no candidacy.
		UnknownCandidate,
		/// The council already approved this candidacy.
		AlreadyApproved,
		/// The candidacy is not approved yet: votes go to approved candidates only.
		NotApproved,
		/// Only active members vote.
		NotActiveMember,
		/// The member's vote already goes to this candidate.
		AlreadyVotedFor,
		/// The account has no vote to withdraw or remove.
		NoVote,
		/// The voter is still an active member: only the voter may move their vote.
		VoterStillActive,
		/// Sessions shorter than `MinSessionBlocks`, or than two slots per validator at the
		/// maximum, leave no room to judge liveness.
		SessionTooShort,
		/// An era needs at least one session.
		NoSessionsPerEra,
		/// At least one validator must remain.
		NoMinimumValidators,
		/// The maximum is below the minimum.
		MaximumBelowMinimum,
		/// The maximum is above what the consensus pallets accept (`MaxValidators`).
		TooManyValidators,
		/// A validator must be allowed at least one offline session.
		NoOfflineSessions,
		/// The validator is not reported offline.
		NotOffline,
		/// The validator still sits in the set: authoring a good session clears its record.
		StillValidating,
		/// An offline threshold above 75% would report healthy validators whose slots fell
		/// unevenly.
		ThresholdTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// The block that starts a session was authored by the previous session's set, but
			// the authorities have already changed, so its slot would name the wrong validator.
			if SessionStartedAt::<T>::get() == now {
				return T::DbWeight::get().reads(3);
			}
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtime = digest.logs.iter().filter_map(|item| item.as_pre_runtime());
			if let Some(author) = T::FindAuthor::find_author(pre_runtime) {
				ValidatorLiveness::<T>::mutate(&author, |l| {
					l.authored_this_session = l.authored_this_session.saturating_add(1)
				});
				BlocksThisSession::<T>::mutate(|n| *n = n.saturating_add(1));
			}
			// `pallet-session` asks `should_end_session` every block (two reads) and charges
			// nothing for it unless the session ends.
			T::WeightInfo::note_author().saturating_add(T::DbWeight::get().reads(2))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Propose the signer's branch as a validator candidate, with the account whose session
		/// keys its node will sign with. The council must approve it before it can be elected.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::propose_candidate(), Pays::No))]
		pub fn propose_candidate(
			origin: OriginFor<T>,
			branch: BranchId,
			validator: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::ensure_branch_admin(branch, &by)?;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchInactive);
			ensure!(!Candidates::<T>::contains_key(branch), Error::<T>::AlreadyCandidate);
			ensure!(!CandidateOf::<T>::contains_key(&validator), Error::<T>::ValidatorTaken);
			ensure!(
				Candidates::<T>::count() < T::MaxCandidates::get(),
				Error::<T>::TooManyCandidates
			);
			Candidates::<T>::insert(
				branch,
				Candidate { validator: validator.clone(), approved: false },
			);
			CandidateOf::<T>::insert(&validator, branch);
			Self::deposit_event(Event::CandidateProposed { branch, validator, by });
			Ok(())
		}

		/// Approve a branch's candidacy (council).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::approve_candidate())]
		pub fn approve_candidate(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Candidates::<T>::try_mutate(branch, |candidate| {
				let candidate = candidate.as_mut().ok_or(Error::<T>::UnknownCandidate)?;
				ensure!(!candidate.approved, Error::<T>::AlreadyApproved);
				candidate.approved = true;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::CandidateApproved { branch });
			Ok(())
		}

		/// End a branch's candidacy: by its admin, or by the council. A sitting validator leaves
		/// at the next election (within the fault-tolerance limit); votes stay with the branch.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::withdraw_candidate(), Pays::No))]
		pub fn withdraw_candidate(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			if let Err(origin) = T::CouncilOrigin::try_origin(origin) {
				let by = ensure_signed(origin)?;
				Self::ensure_branch_admin(branch, &by)?;
			}
			let candidate = Candidates::<T>::take(branch).ok_or(Error::<T>::UnknownCandidate)?;
			CandidateOf::<T>::remove(&candidate.validator);
			Self::deposit_event(Event::CandidateWithdrawn {
				branch,
				validator: candidate.validator,
			});
			Ok(())
		}

		/// Delegate the signer's vote to an approved candidate branch, replacing any earlier
		/// vote. Counts from the next election.
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::vote(), Pays::No))]
		pub fn vote(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			let voter = ensure_signed(origin)?;
			ensure!(T::Membership::is_active_member(&voter), Error::<T>::NotActiveMember);
			let candidate = Candidates::<T>::get(branch).ok_or(Error::<T>::UnknownCandidate)?;
			ensure!(candidate.approved, Error::<T>::NotApproved);
			let previous = Votes::<T>::get(&voter);
			ensure!(previous != Some(branch), Error::<T>::AlreadyVotedFor);
			if let Some(previous) = previous {
				VotesFor::<T>::mutate(previous, |n| *n = n.saturating_sub(1));
			}
			VotesFor::<T>::mutate(branch, |n| *n = n.saturating_add(1));
			Votes::<T>::insert(&voter, branch);
			Self::deposit_event(Event::Voted { voter, branch, previous });
			Ok(())
		}

		/// Withdraw the signer's vote.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::unvote(), Pays::No))]
		pub fn unvote(origin: OriginFor<T>) -> DispatchResult {
			let voter = ensure_signed(origin)?;
			let branch = Votes::<T>::take(&voter).ok_or(Error::<T>::NoVote)?;
			VotesFor::<T>::mutate(branch, |n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::VoteWithdrawn { voter, branch });
			Ok(())
		}

		/// Remove the vote of an account that is no longer an active member (suspended, left or
		/// deceased), so it stops counting. Anyone may call it; it pays a fee.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_stale_vote())]
		pub fn remove_stale_vote(origin: OriginFor<T>, voter: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let branch = Votes::<T>::get(&voter).ok_or(Error::<T>::NoVote)?;
			ensure!(!T::Membership::is_active_member(&voter), Error::<T>::VoterStillActive);
			Votes::<T>::remove(&voter);
			VotesFor::<T>::mutate(branch, |n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::StaleVoteRemoved { voter, branch, by });
			Ok(())
		}

		/// Set the election parameters (council). A new session length applies from the current
		/// session; a new era length from the next session start.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(
			origin: OriginFor<T>,
			parameters: ElectionParameters,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::check_parameters(&parameters)?;
			Parameters::<T>::put(parameters);
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}

		/// Report the branch's validator node repaired: its offline record is cleared, so the
		/// next election may choose it again.
		#[pallet::call_index(7)]
		#[pallet::weight((T::WeightInfo::declare_online(), Pays::No))]
		pub fn declare_online(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::ensure_branch_admin(branch, &by)?;
			let candidate = Candidates::<T>::get(branch).ok_or(Error::<T>::UnknownCandidate)?;
			// A sitting validator proves itself by authoring; clearing its record would keep a
			// dead node in the set for ever.
			ensure!(
				!T::ValidatorSet::validators().contains(&candidate.validator),
				Error::<T>::StillValidating
			);
			ValidatorLiveness::<T>::try_mutate(&candidate.validator, |liveness| {
				ensure!(liveness.offline_sessions > 0, Error::<T>::NotOffline);
				liveness.offline_sessions = 0;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::DeclaredOnline {
				branch,
				validator: candidate.validator,
				by,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn ensure_branch_admin(branch: BranchId, who: &T::AccountId) -> DispatchResult {
			ensure!(
				T::Membership::is_officer(branch, who, OfficerRole::Admin),
				Error::<T>::NotBranchAdmin
			);
			Ok(())
		}

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

		/// Whether the election leaves `validator` out for having been offline too long.
		pub fn is_excluded(validator: &T::AccountId) -> bool {
			ValidatorLiveness::<T>::get(validator).offline_sessions
				>= Parameters::<T>::get().max_offline_sessions
		}

		/// The approved candidates with session keys that are not excluded, best first: most
		/// votes, then incumbents (so ties never churn the set), then the lower branch number.
		fn ranked_candidates(current: &[T::AccountId]) -> Vec<(BranchId, T::AccountId, u32)> {
			let mut ranked: Vec<(BranchId, T::AccountId, u32)> = Candidates::<T>::iter()
				.filter(|(_, c)| {
					c.approved
						&& T::KeysRegistered::is_registered(&c.validator)
						&& !Self::is_excluded(&c.validator)
				})
				.map(|(branch, c)| (branch, c.validator, VotesFor::<T>::get(branch)))
				.collect();
			ranked.sort_by(|(branch_a, a, votes_a), (branch_b, b, votes_b)| {
				votes_b
					.cmp(votes_a)
					.then_with(|| current.contains(b).cmp(&current.contains(a)))
					.then_with(|| branch_a.cmp(branch_b))
			});
			ranked
		}

		/// How much an incumbent should stay when an election may not drop it: one that can
		/// validate (keys registered, not excluded) first, then an approved candidate, then by
		/// votes.
		fn keep_priority(validator: &T::AccountId) -> (bool, bool, u32) {
			let able = T::KeysRegistered::is_registered(validator) && !Self::is_excluded(validator);
			match CandidateOf::<T>::get(validator) {
				Some(branch) => (
					able,
					Candidates::<T>::get(branch).is_some_and(|c| c.approved),
					VotesFor::<T>::get(branch),
				),
				None => (able, false, 0),
			}
		}

		/// The set an election held now would choose given the `current` set, and how many
		/// candidates were eligible.
		///
		/// The ranking's top `max_validators`, then three limits in this order: incumbents fill
		/// the set up to `min_validators`; at most `(n - 1) / 3` incumbents leave (GRANDPA's fault
		/// tolerance of the current `n`); and newcomers stay few enough that the incumbents alone
		/// are more than two thirds of the new set (at most `(kept - 1) / 2`, but one always
		/// may join), so newcomers whose nodes do not vote cannot stop finality.
		pub fn plan_validator_set(current: &[T::AccountId]) -> (Vec<T::AccountId>, u32) {
			let parameters = Parameters::<T>::get();
			let max = parameters.max_validators.min(T::MaxValidators::get()) as usize;
			let min = parameters.min_validators as usize;
			let ranked = Self::ranked_candidates(current);
			let eligible = ranked.len() as u32;
			// In rank order, so the last newcomer is the lowest-ranked one.
			let mut chosen: Vec<T::AccountId> =
				ranked.into_iter().take(max).map(|(_, validator, _)| validator).collect();

			// Incumbents the election drops, the ones that should stay most first. One without
			// session keys cannot sit at all (`pallet-session` skips it), so it is never kept.
			let mut dropped: Vec<T::AccountId> =
				current.iter().filter(|v| !chosen.contains(v)).cloned().collect();
			dropped.sort_by_key(|v| core::cmp::Reverse(Self::keep_priority(v)));
			let mut keepable: Vec<T::AccountId> =
				dropped.iter().filter(|v| T::KeysRegistered::is_registered(v)).cloned().collect();
			let is_newcomer = |v: &T::AccountId| !current.contains(v);

			// Never below the minimum: incumbents fill the set.
			while chosen.len() < min && !keepable.is_empty() {
				chosen.push(keepable.remove(0));
			}
			// Never remove more validators at once than the current set tolerates failing.
			let tolerated = current.len().saturating_sub(1) / 3;
			let removed =
				|chosen: &[T::AccountId]| current.iter().filter(|v| !chosen.contains(v)).count();
			while removed(&chosen) > tolerated && !keepable.is_empty() {
				if chosen.len() >= max {
					// Make room by deferring the lowest-ranked newcomer to a later election.
					if let Some(position) = chosen.iter().rposition(is_newcomer) {
						chosen.remove(position);
					}
				}
				chosen.push(keepable.remove(0));
			}
			// Never more newcomers than the incumbents could outvote if none of them voted.
			loop {
				let newcomers = chosen.iter().filter(|v| is_newcomer(v)).count();
				let kept = chosen.len() - newcomers;
				if newcomers <= (kept.saturating_sub(1) / 2).max(1) {
					break;
				}
				if let Some(position) = chosen.iter().rposition(is_newcomer) {
					chosen.remove(position);
				}
			}
			while chosen.len() < min && !keepable.is_empty() {
				chosen.push(keepable.remove(0));
			}
			(chosen, eligible)
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

		/// Hold an election for session `session` if it starts an era.
		pub(crate) fn elect(session: SessionIndex) -> Option<Vec<T::AccountId>> {
			let parameters = Parameters::<T>::get();
			if !session.is_multiple_of(parameters.sessions_per_era) {
				return None;
			}
			let era = CurrentEra::<T>::mutate(|era| {
				*era = era.saturating_add(1);
				*era
			});
			let current = T::ValidatorSet::validators();
			let (chosen, eligible) = Self::plan_validator_set(&current);
			if eligible < parameters.min_validators {
				Self::deposit_event(Event::ShortOfCandidates {
					era,
					eligible,
					minimum: parameters.min_validators,
				});
			}
			let unchanged =
				chosen.len() == current.len() && chosen.iter().all(|v| current.contains(v));
			if unchanged || chosen.is_empty() {
				Self::deposit_event(Event::ValidatorSetUnchanged { era });
				return None;
			}
			let removed_offline = current
				.iter()
				.filter(|v| !chosen.contains(v) && Self::is_excluded(v))
				.cloned()
				.collect();
			Self::deposit_event(Event::NewValidatorSet {
				era,
				from_session: session,
				validators: chosen.clone(),
				removed_offline,
			});
			Some(chosen)
		}

		/// The election's state, for `timebank_validators`.
		pub fn view() -> ElectionView<T::AccountId> {
			let parameters = Parameters::<T>::get();
			let session = T::ValidatorSet::session_index();
			let current = T::ValidatorSet::validators();
			let validators = current
				.iter()
				.map(|account| {
					let liveness = ValidatorLiveness::<T>::get(account);
					ValidatorView {
						account: account.clone(),
						branch: CandidateOf::<T>::get(account),
						authored_this_session: liveness.authored_this_session,
						offline_sessions: liveness.offline_sessions,
						excluded: Self::is_excluded(account),
					}
				})
				.collect();
			let candidates = Candidates::<T>::iter()
				.map(|(branch, c)| CandidateView {
					branch,
					approved: c.approved,
					votes: VotesFor::<T>::get(branch),
					keys_registered: T::KeysRegistered::is_registered(&c.validator),
					excluded: Self::is_excluded(&c.validator),
					validator: c.validator,
				})
				.collect();
			// `new_session(i)` plans session `i` when session `i - 1` starts; the next call is for
			// `session + 2`, and it elects when `i` starts an era.
			let per_era = parameters.sessions_per_era.max(1);
			let planned = session.saturating_add(2);
			let next_election = planned.div_ceil(per_era).saturating_mul(per_era);
			ElectionView {
				session,
				era: CurrentEra::<T>::get(),
				next_election_session: next_election.saturating_sub(1),
				parameters,
				validators,
				candidates,
				projected: Self::plan_validator_set(&current).0,
			}
		}

		/// The pallet's invariants: votes add up per branch, candidacies and their index agree,
		/// and the parameters are valid.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut tally = alloc::collections::BTreeMap::<BranchId, u32>::new();
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
			ensure!(
				Self::check_parameters(&Parameters::<T>::get()).is_ok(),
				"the election parameters are invalid"
			);
			Ok(())
		}
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
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
	fn session_length() -> frame_system::pallet_prelude::BlockNumberFor<T> {
		Parameters::<T>::get().session_blocks.into()
	}
}

impl<T: Config> pallet_session::ShouldEndSession<frame_system::pallet_prelude::BlockNumberFor<T>>
	for Pallet<T>
{
	fn should_end_session(now: frame_system::pallet_prelude::BlockNumberFor<T>) -> bool {
		now.saturating_sub(SessionStartedAt::<T>::get()) >= Self::session_length()
	}
}

impl<T: Config> EstimateNextSessionRotation<frame_system::pallet_prelude::BlockNumberFor<T>>
	for Pallet<T>
{
	fn average_session_length() -> frame_system::pallet_prelude::BlockNumberFor<T> {
		Self::session_length()
	}

	fn estimate_current_session_progress(
		now: frame_system::pallet_prelude::BlockNumberFor<T>,
	) -> (Option<Permill>, frame_support::weights::Weight) {
		let length = Parameters::<T>::get().session_blocks;
		let elapsed = now.saturating_sub(SessionStartedAt::<T>::get());
		let elapsed: u32 = elapsed.saturated_into();
		let progress = Permill::from_rational(elapsed.saturating_add(1).min(length), length);
		(Some(progress), T::DbWeight::get().reads(2))
	}

	fn estimate_next_session_rotation(
		_now: frame_system::pallet_prelude::BlockNumberFor<T>,
	) -> (Option<frame_system::pallet_prelude::BlockNumberFor<T>>, frame_support::weights::Weight)
	{
		let next = SessionStartedAt::<T>::get().saturating_add(Self::session_length());
		(Some(next), T::DbWeight::get().reads(2))
	}
}
