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
//! The pallet also ends sessions ([`ShouldEndSession`]), so the session length is
//! an election parameter the council can change, not a constant of the runtime.
//!
//! ## Interface
//!
//! Branch admins: `propose_candidate`, `withdraw_candidate`, `declare_online`. Council:
//! `approve_candidate`, `withdraw_candidate`, `set_parameters`. Members: `vote`, `unvote`. Anyone:
//! `remove_stale_vote` (of an account that is no longer an active member). The node's
//! `timebank_validators` RPC reads [`Pallet::view`].
//!
//! ## Code map
//!
//! This file holds the FRAME sections and the calls. Beside it: [`types`] (what is stored),
//! `parameters.rs` (their validity), `validator_set.rs` (how an election chooses),
//! `liveness.rs` (authoring counts and offline judgement), `impl_session.rs` (the
//! `pallet-session` traits), `views.rs` (`timebank_validators`) and `invariants.rs`
//! (`do_try_state`).
//!
//! [`SessionManager`]: polkadot_sdk::pallet_session::SessionManager
//! [`ShouldEndSession`]: polkadot_sdk::pallet_session::ShouldEndSession

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod impl_session;
mod invariants;
mod liveness;
pub mod migrations;
mod parameters;
mod rekey;
mod tally;
pub mod types;
mod validator_set;
mod views;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		self,
		traits::{FindAuthor, Get, ValidatorRegistration, ValidatorSet},
	},
	frame_system,
};
use timebank_primitives::{
	Authority, BranchId, ElectionParameters, EraIndex, MemberStatus, Membership, NotOfficer,
	OfficerRole, SessionIndex,
};

#[frame_support::pallet]
// FRAME's macros expand to fully qualified paths (`frame_support::sp_runtime::DispatchError`,
// `std::string::String`, ...) under the spans of this module's `#[pallet::*]` attributes, and it
// needs the `Config` supertrait spelled `polkadot_sdk::frame_system::Config`: the lint would
// report both as this crate's. Code outside this module is linted.
#[allow(unused_qualifications)]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::Pays, pallet_prelude::*, weights::Weight};
	use frame_system::pallet_prelude::*;

	/// The election's configuration: who approves, where members, sessions and authors come
	/// from, and the limits.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
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
		/// Most votes for one candidate that count from the members of one home branch: a
		/// branch's staff register its members, so its registrations are worth at most this
		/// much to any candidate. Changing it needs a recount of `CountedVotes`.
		#[pallet::constant]
		type MaxVotesPerHomeBranch: Get<u32>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
		/// Sets up branches, members and a block author for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The storage layout's version; `migrations` moves a chain from one to the next.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The validator election and liveness watch.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	// Hashers: `BranchId`s are assigned by the chain (the registry counts them up), so
	// `Twox64Concat` is safe and cheap for them. Maps keyed by an `AccountId` use
	// `Blake2_128Concat` because accounts are chosen by their owners, who could otherwise pick
	// keys that unbalance the trie.

	/// The election parameters the council set: session and era length, minimum and maximum
	/// validators, offline threshold and tolerance.
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ElectionParameters, ValueQuery>;

	/// Candidacies by branch: one per branch institution, with its validator account and whether
	/// the council approved it.
	// Hasher: Twox64Concat, the key is a chain-assigned branch id.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		CountedStorageMap<_, Twox64Concat, BranchId, Candidate<T::AccountId>>;

	/// The candidate branch of each validator account.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type CandidateOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BranchId>;

	/// The branch each member delegated their vote to.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Votes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BranchId>;

	/// Votes per branch. Kept when a candidacy is withdrawn: members vote for the institution, so
	/// their votes count again if the branch stands again.
	// Hasher: Twox64Concat, the key is a chain-assigned branch id.
	#[pallet::storage]
	pub type VotesFor<T: Config> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	/// The home branch each voter belonged to when voting: their vote counts under it.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type VoterHome<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BranchId>;

	/// Votes per candidate branch and voters' home branch.
	// Hashers: Twox64Concat, both keys are chain-assigned branch ids.
	#[pallet::storage]
	pub type VotesByHome<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BranchId, Twox64Concat, BranchId, u32, ValueQuery>;

	/// The votes that count for each candidate branch in elections: from each home branch at
	/// most `MaxVotesPerHomeBranch`.
	// Hasher: Twox64Concat, the key is a chain-assigned branch id.
	#[pallet::storage]
	pub type CountedVotes<T: Config> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	/// Each validator's blocks authored this session and its run of offline sessions.
	// Hasher: Blake2_128Concat, the key is an account (a validator's, chosen by its branch).
	#[pallet::storage]
	pub type ValidatorLiveness<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Liveness, ValueQuery>;

	/// Blocks of the current session that had an author.
	#[pallet::storage]
	pub type BlocksThisSession<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The block in which the current session started.
	#[pallet::storage]
	pub type SessionStartedAt<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The era of the last election; 0 until the first.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

	/// The parameters and approved candidacies a chain starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The election parameters at genesis.
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

	/// What happened in the validator election.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A branch admin proposed the branch as a validator candidate; the council must approve.
		CandidateProposed {
			/// The candidate branch.
			branch: BranchId,
			/// The account whose session keys the branch's node will sign with.
			validator: T::AccountId,
			/// The branch admin who proposed it.
			by: T::AccountId,
		},
		/// The council approved a candidacy: it may receive votes and be elected.
		CandidateApproved {
			/// The candidate branch.
			branch: BranchId,
		},
		/// The candidacy ended; a sitting validator leaves at the next election.
		CandidateWithdrawn {
			/// The branch.
			branch: BranchId,
			/// Its validator account.
			validator: T::AccountId,
		},
		/// A member delegated their vote to a candidate branch.
		Voted {
			/// The member.
			voter: T::AccountId,
			/// The branch voted for.
			branch: BranchId,
			/// The branch the vote went to before, if any.
			previous: Option<BranchId>,
		},
		/// A member withdrew their vote.
		VoteWithdrawn {
			/// The member.
			voter: T::AccountId,
			/// The branch the vote went to.
			branch: BranchId,
		},
		/// The vote of an account that is no longer an active member was removed.
		StaleVoteRemoved {
			/// The former voter.
			voter: T::AccountId,
			/// The branch the vote went to.
			branch: BranchId,
			/// Who removed it.
			by: T::AccountId,
		},
		/// The council set new election parameters.
		ParametersSet {
			/// The parameters now in force.
			parameters: ElectionParameters,
		},
		/// A validator authored less than the offline threshold of its share in a session.
		ValidatorOffline {
			/// The validator account.
			validator: T::AccountId,
			/// The session judged.
			session: SessionIndex,
			/// Blocks it authored in that session.
			authored: u32,
			/// Its share: the session's blocks divided by the validators.
			expected: u32,
			/// Offline sessions in a row, this one included.
			offline_sessions: u32,
		},
		/// The branch admin reports its node repaired: the validator may be elected again.
		DeclaredOnline {
			/// The branch.
			branch: BranchId,
			/// Its validator account.
			validator: T::AccountId,
			/// The branch admin.
			by: T::AccountId,
		},
		/// An election chose a different set, in rank order; it validates from `from_session`.
		NewValidatorSet {
			/// The era the election opened.
			era: EraIndex,
			/// The first session the new set validates.
			from_session: SessionIndex,
			/// The new set, best ranked first.
			validators: Vec<T::AccountId>,
			/// Left out because they were offline too long.
			removed_offline: Vec<T::AccountId>,
		},
		/// An election kept the current set.
		ValidatorSetUnchanged {
			/// The era the election opened.
			era: EraIndex,
		},
		/// Fewer eligible candidates than the minimum: incumbents filled the set.
		ShortOfCandidates {
			/// The era the election opened.
			era: EraIndex,
			/// Approved candidates with keys that were not excluded.
			eligible: u32,
			/// The minimum number of validators.
			minimum: u32,
		},
	}

	/// Why an election call failed.
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
		/// The account is a branch's validator candidate: it changes key by a new candidacy,
		/// not by re-keying.
		ValidatorCandidate,
	}

	/// Only a branch's admins act for it in the election.
	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchAdmin
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxVotesPerHomeBranch::get() > 0,
				"a zero cap would make every vote count for nothing"
			);
		}

		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// The block that starts a session was authored by the previous session's set, but
			// the authorities have already changed, so its slot would name the wrong validator.
			if SessionStartedAt::<T>::get() == now {
				return T::DbWeight::get().reads(3);
			}
			Self::note_author();
			// `pallet-session` asks `should_end_session` every block (two reads) and charges
			// nothing for it unless the session ends.
			T::WeightInfo::note_author().saturating_add(T::DbWeight::get().reads(2))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
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
			T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
				.map_err(Error::<T>::from)?;
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

		/// Approve a branch's candidacy. Origin: the council.
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
				T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
					.map_err(Error::<T>::from)?;
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
		/// vote. Counts from the next election, under the signer's home branch: a candidate
		/// counts at most `MaxVotesPerHomeBranch` votes from the members of one branch.
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::vote(), Pays::No))]
		pub fn vote(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			let voter = ensure_signed(origin)?;
			let home = T::Membership::member(&voter)
				.filter(|m| m.status == MemberStatus::Active)
				.map(|m| m.home_branch)
				.ok_or(Error::<T>::NotActiveMember)?;
			let candidate = Candidates::<T>::get(branch).ok_or(Error::<T>::UnknownCandidate)?;
			ensure!(candidate.approved, Error::<T>::NotApproved);
			ensure!(Votes::<T>::get(&voter) != Some(branch), Error::<T>::AlreadyVotedFor);
			let previous = Self::remove_vote(&voter);
			Self::add_vote(&voter, branch, home);
			Self::deposit_event(Event::Voted { voter, branch, previous });
			Ok(())
		}

		/// Withdraw the signer's vote.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::unvote(), Pays::No))]
		pub fn unvote(origin: OriginFor<T>) -> DispatchResult {
			let voter = ensure_signed(origin)?;
			let branch = Self::remove_vote(&voter).ok_or(Error::<T>::NoVote)?;
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
			Self::remove_vote(&voter);
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
			T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
				.map_err(Error::<T>::from)?;
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
}
