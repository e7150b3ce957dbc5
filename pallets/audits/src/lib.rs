//! # Audits pallet
//!
//! Administrative review (管理审核), dispute arbitration and the audit log.
//!
//! ## Overview
//!
//! Other pallets put a subject under review through [`timebank_primitives::ReviewQueue`]: the
//! activities pallet sends listings its branch wants reviewed and every disputed engagement. A
//! review names its branch, its subject and who asked; the branch's review policy says how many
//! different officers must agree (one, or two). Officers of the branch vote a decision with the
//! hash of their written reasons; nobody votes on a review they asked for or are a party to. When
//! enough votes agree, the decision is carried out by the owning pallet
//! ([`timebank_primitives::ReviewOutcome`]): a listing opens or is rejected, a dispute is settled
//! by the arbitration outcome (reject, pay the provider, refund the receivers, or split), each
//! outcome new ledger entries.
//!
//! Every review step, and every flag an auditor (civil-affairs regulator) raises, is appended to
//! the audit log of its subject. Entries are never changed or removed; the node's
//! `timebank_auditLog` RPC reads them by subject.
//!
//! ## Interface
//!
//! Branch admins: `set_review_policy` (a policy that reviews less needs two admins; the council
//! sets any alone). Branch officers: `vote` (only votes of current officers who are not parties
//! count). Auditors: `flag` (a bounded number per window). Other pallets:
//! [`timebank_primitives::ReviewQueue`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod rekey;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use timebank_primitives::{
	AuditAction, AuditEntry, AuditSubject, Authority, BranchId, Decision, Membership, Minutes,
	NotOfficer, OfficerRole, ReviewId, ReviewKind, ReviewOutcome, ReviewSubject,
};

#[frame_support::pallet]
// FRAME's macros expand to fully qualified paths (`frame_support::sp_runtime::DispatchError`,
// `std::string::String`, ...) under the spans of this module's `#[pallet::*]` attributes, and it
// needs the `Config` supertrait spelled `polkadot_sdk::frame_system::Config`: the lint would
// report both as this crate's. Code outside this module is linted.
#[allow(unused_qualifications)]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::{DispatchErrorWithPostInfo, Pays, PostDispatchInfo},
		pallet_prelude::*,
	};
	use frame_system::pallet_prelude::*;

	/// How many different officers must agree, per kind of subject. For applications, grants,
	/// reversals and policy changes, 0 means they take effect without review. Encoded in
	/// storage: never reorder the fields.
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
		Debug,
	)]
	pub struct ReviewPolicy {
		/// Officers who must approve a listing sent to review (1 or 2).
		pub listing_approvals: u8,
		/// Officers who must agree on a dispute's arbitration (1 or 2).
		pub dispute_approvals: u8,
		/// Officers who must approve a membership application (0: staff decide alone).
		pub application_approvals: u8,
		/// Officers who must approve a large grant (0: grants are not reviewed).
		pub grant_approvals: u8,
		/// Grants of at least this many minutes are reviewed (when `grant_approvals` > 0).
		pub large_grant_from: Minutes,
		/// Officers who must approve a reversal (0: not reviewed).
		pub reversal_approvals: u8,
		/// Officers who must approve a ledger policy change (0: not reviewed).
		pub policy_change_approvals: u8,
	}

	impl Default for ReviewPolicy {
		/// One officer reviews a listing; two settle a dispute (DOMAIN.md rule 5); applications,
		/// grants, reversals and policy changes take effect without review until the branch opts
		/// in.
		fn default() -> Self {
			Self {
				listing_approvals: 1,
				dispute_approvals: 2,
				application_approvals: 0,
				grant_approvals: 0,
				large_grant_from: 10 * 60,
				reversal_approvals: 0,
				policy_change_approvals: 0,
			}
		}
	}

	impl ReviewPolicy {
		/// Approvals a review of `kind` needs; 0 when that kind is not reviewed.
		pub fn approvals(&self, kind: ReviewKind) -> u8 {
			match kind {
				ReviewKind::Listing => self.listing_approvals,
				ReviewKind::Dispute => self.dispute_approvals,
				ReviewKind::Application => self.application_approvals,
				ReviewKind::Grant => self.grant_approvals,
				ReviewKind::Reversal => self.reversal_approvals,
				ReviewKind::PolicyChange => self.policy_change_approvals,
			}
		}

		/// Whether `self` reviews less than `current` does: some kind needs fewer approvals, or
		/// grants that were reviewed from a threshold are now reviewed from a higher one. Such a
		/// change needs a second admin or the council (review finding M11); a change that only
		/// makes review stricter does not.
		pub fn weakens(&self, current: &Self) -> bool {
			let kinds = [
				ReviewKind::Listing,
				ReviewKind::Dispute,
				ReviewKind::Application,
				ReviewKind::Grant,
				ReviewKind::Reversal,
				ReviewKind::PolicyChange,
			];
			kinds.iter().any(|kind| self.approvals(*kind) < current.approvals(*kind))
				|| (current.grant_approvals > 0 && self.large_grant_from > current.large_grant_from)
		}

		fn is_valid(&self) -> bool {
			let always = |n: u8| (1..=2).contains(&n);
			let optional = |n: u8| n <= 2;
			always(self.listing_approvals)
				&& always(self.dispute_approvals)
				&& optional(self.application_approvals)
				&& optional(self.grant_approvals)
				&& optional(self.reversal_approvals)
				&& optional(self.policy_change_approvals)
				&& self.large_grant_from > 0
		}
	}

	/// Whether a review still takes votes. Encoded in storage: never reorder the variants.
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
		Debug,
	)]
	pub enum ReviewStatus {
		/// Waiting for enough officers to agree.
		Open,
		/// Decided, and the decision carried out.
		Decided(Decision),
	}

	/// Most votes one review keeps; with at most two needed, disagreement can go on for a while.
	pub type MaxVotes = ConstU32<8>;

	/// A review of one subject by a branch's officers. Encoded in storage: never reorder the
	/// fields.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Review<AccountId, BlockNumber> {
		/// The branch whose officers decide.
		pub branch: BranchId,
		/// What is reviewed: a listing, a dispute, an application, a grant, a reversal or a
		/// policy change.
		pub subject: ReviewSubject<AccountId>,
		/// Who asked for it; they cannot vote on it.
		pub requester: AccountId,
		/// How many different officers must vote the same decision.
		pub required: u8,
		/// Who voted what, with the hash of their written reasons.
		pub votes: BoundedVec<(AccountId, Decision, H256), MaxVotes>,
		/// Open, or decided.
		pub status: ReviewStatus,
		/// The block in which the review was opened.
		pub opened_at: BlockNumber,
	}

	/// A review with the runtime's account and block number types.
	pub type ReviewOf<T> = Review<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// An audit log entry with the runtime's account and block number types.
	pub type AuditEntryOf<T> =
		AuditEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	/// Administrative review, arbitration and the audit log.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The audits pallet's configuration: where officers and auditors come from, and who carries
	/// decisions out.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Branch officers and auditors (the registry).
		type Membership: Membership<Self::AccountId>;
		/// The pallets that own the subjects and carry out decisions.
		type Outcomes: ReviewOutcome<Self::AccountId>;
		/// The council, which may set a branch's review policy alone (for a branch with one
		/// admin, a review policy that reviews less needs it).
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The length of the window in which an auditor's flags are counted, in blocks.
		#[pallet::constant]
		type FlagWindow: Get<BlockNumberFor<Self>>;
		/// Most flags one auditor may raise in one window (review finding M5).
		#[pallet::constant]
		type MaxFlagsPerWindow: Get<u32>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
		/// Sets up branches and officers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	// Hashers: branch and review ids are assigned by the chain (counting up), so `Twox64Concat`
	// is safe and cheap for them, and for a log entry's position behind its subject's hash.
	// Subjects hold accounts chosen by their owners, who could otherwise pick keys that
	// unbalance the trie: `Blake2_128Concat` for them.

	/// Each branch's review policy, where its admins set one (the default applies otherwise).
	// Hasher: Twox64Concat, the key is a chain-assigned branch id.
	#[pallet::storage]
	pub type ReviewPolicies<T> = StorageMap<_, Twox64Concat, BranchId, ReviewPolicy>;

	/// A review policy one admin asked for that reviews less than the branch's current one,
	/// waiting for a different admin of the branch to ask for the same (review finding M11).
	// Hasher: Twox64Concat, the key is a chain-assigned branch id.
	#[pallet::storage]
	pub type ProposedReviewPolicies<T: Config> =
		StorageMap<_, Twox64Concat, BranchId, (ReviewPolicy, T::AccountId)>;

	/// Each auditor's flags in the current window: the block the window started, and how many
	/// flags were raised in it (review finding M5).
	// Hasher: Blake2_128Concat, auditor accounts are chosen by their owners.
	#[pallet::storage]
	pub type FlagsInWindow<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32), ValueQuery>;

	/// The number the next review gets; reviews are numbered from 0.
	#[pallet::storage]
	pub type NextReviewId<T> = StorageValue<_, ReviewId, ValueQuery>;

	/// Every review, open or decided, by number: branch, subject, requester, votes, status.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type Reviews<T: Config> = StorageMap<_, Twox64Concat, ReviewId, ReviewOf<T>>;

	/// The open review of each subject under review.
	// Hasher: Blake2_128Concat, the subject holds user-chosen accounts.
	#[pallet::storage]
	pub type OpenReviews<T: Config> =
		StorageMap<_, Blake2_128Concat, ReviewSubject<T::AccountId>, ReviewId>;

	/// The audit log: entries by subject, numbered from 0; only ever appended.
	// Hashers: Blake2_128Concat on the subject (it holds user-chosen accounts), Twox64Concat on
	// the entry's position behind it.
	#[pallet::storage]
	pub type AuditLog<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		AuditSubject<T::AccountId>,
		Twox64Concat,
		u32,
		AuditEntryOf<T>,
	>;

	/// How many entries each subject's audit log has.
	// Hasher: Blake2_128Concat, the subject holds user-chosen accounts.
	#[pallet::storage]
	pub type AuditLogLength<T: Config> =
		StorageMap<_, Blake2_128Concat, AuditSubject<T::AccountId>, u32, ValueQuery>;

	/// What happened in review and audit.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A branch admin set the branch's review policy.
		ReviewPolicySet {
			/// The branch.
			branch: BranchId,
			/// The policy now in force.
			policy: ReviewPolicy,
			/// The admin.
			by: T::AccountId,
		},
		/// A subject was put under review by the branch's officers.
		ReviewOpened {
			/// The review's number.
			review: ReviewId,
			/// The branch whose officers decide.
			branch: BranchId,
			/// What is reviewed.
			subject: ReviewSubject<T::AccountId>,
			/// Who asked for the review.
			requester: T::AccountId,
			/// How many officers must agree.
			required: u8,
		},
		/// An officer voted a decision on a review.
		Voted {
			/// The review.
			review: ReviewId,
			/// The officer.
			by: T::AccountId,
			/// The decision voted.
			decision: Decision,
			/// Hash of the officer's written reasons, kept off chain.
			reason: H256,
		},
		/// Enough officers agreed and the owning pallet carried the decision out.
		Decided {
			/// The review.
			review: ReviewId,
			/// The decision carried out.
			decision: Decision,
		},
		/// An auditor flagged a subject for the record.
		Flagged {
			/// The subject flagged.
			subject: AuditSubject<T::AccountId>,
			/// The auditor.
			by: T::AccountId,
			/// Hash of the auditor's written reason, kept off chain.
			reason: H256,
		},
		/// An admin asked for a review policy that reviews less than the current one; it applies
		/// when a different admin of the branch asks for the same policy (or the council sets it).
		ReviewPolicyProposed {
			/// The branch.
			branch: BranchId,
			/// The policy asked for.
			policy: ReviewPolicy,
			/// The admin who asked.
			by: T::AccountId,
		},
		/// The council set a branch's review policy.
		ReviewPolicySetByCouncil {
			/// The branch.
			branch: BranchId,
			/// The policy now in force.
			policy: ReviewPolicy,
		},
		/// A vote no longer counts: its voter is no longer an officer of the review's branch, or
		/// has become a party to the subject (review finding L2).
		VoteDiscarded {
			/// The review.
			review: ReviewId,
			/// The voter whose vote was removed.
			voter: T::AccountId,
		},
	}

	/// Why an audits call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The signer is not an officer of the branch with the needed role.
		NotBranchOfficer,
		/// Listings and disputes need 1 or 2 approvals, the other kinds 0 to 2, and the large-grant
		/// threshold must be above 0.
		InvalidPolicy,
		/// No review has this number.
		UnknownReview,
		/// The review is already decided.
		AlreadyDecided,
		/// Requesters and parties do not decide their own case.
		ConflictOfInterest,
		/// The signer already voted this decision.
		AlreadyVoted,
		/// The decision does not fit the subject (arbitration outcomes are for disputes).
		WrongDecision,
		/// The review keeps no more votes; it needs a decision the voters agree on.
		TooManyVotes,
		/// Only auditors flag.
		NotAuditor,
		/// The subject already has an open review.
		AlreadyUnderReview,
		/// A review number or an audit log position would overflow.
		Overflow,
		/// This admin already asked for this review policy; a different admin of the branch (or
		/// the council) must ask for it too.
		AwaitingSecondAdmin,
		/// The auditor raised as many flags as allowed in the current window; try again later.
		TooManyFlags,
		/// The officer took office after this review was opened, so may not decide it (no
		/// deciders appointed for the case).
		AppointedAfterOpening,
	}

	/// A vote or policy change by someone who is not an officer of the branch with the role it
	/// needs.
	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchOfficer
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set how many officers must agree on the branch's reviews, by kind. An admin alone may
		/// make review stricter; a policy that reviews less applies when a second admin of the
		/// branch asks for the same policy. The council sets any policy alone (and pays the fee).
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set_review_policy(), Pays::No))]
		pub fn set_review_policy(
			origin: OriginFor<T>,
			branch: BranchId,
			policy: ReviewPolicy,
		) -> DispatchResultWithPostInfo {
			if T::CouncilOrigin::try_origin(origin.clone()).is_ok() {
				ensure!(policy.is_valid(), Error::<T>::InvalidPolicy);
				Self::apply_review_policy(branch, policy);
				Self::deposit_event(Event::ReviewPolicySetByCouncil { branch, policy });
				return Ok(Pays::Yes.into());
			}
			let by = ensure_signed(origin)?;
			T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
				.map_err(Error::<T>::from)?;
			ensure!(policy.is_valid(), Error::<T>::InvalidPolicy);
			if policy.weakens(&Self::policy(branch)) {
				match ProposedReviewPolicies::<T>::get(branch) {
					Some((proposed, proposer)) if proposed == policy => {
						ensure!(proposer != by, Error::<T>::AwaitingSecondAdmin);
					}
					_ => {
						ProposedReviewPolicies::<T>::insert(branch, (policy, by.clone()));
						Self::deposit_event(Event::ReviewPolicyProposed { branch, policy, by });
						return Ok(Pays::No.into());
					}
				}
			}
			Self::apply_review_policy(branch, policy);
			Self::deposit_event(Event::ReviewPolicySet { branch, policy, by });
			Ok(Pays::No.into())
		}

		/// Vote a decision on an open review of the signer's branch, with the hash of the
		/// written reasons; voting again replaces the signer's earlier vote. The decision is
		/// carried out once the required number of different officers voted it.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::vote(), Pays::No))]
		pub fn vote(
			origin: OriginFor<T>,
			review: ReviewId,
			decision: Decision,
			reason: H256,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			// H4: a vote refused at its first checks is charged the reads it made, not the
			// declared weight of the dearest decision (it is fee-free, and block time is what
			// members' quota is counted in).
			let mut record = Reviews::<T>::get(review)
				.ok_or_else(|| Self::refused_early(Error::<T>::UnknownReview, 1))?;
			T::Membership::ensure_officer(record.branch, &by, OfficerRole::Staff)
				.map_err(|e| Self::refused_early(Error::<T>::from(e), 4))?;
			ensure!(Self::in_office_before(&record, &by), Error::<T>::AppointedAfterOpening);
			ensure!(record.status == ReviewStatus::Open, Error::<T>::AlreadyDecided);
			ensure!(
				by != record.requester && !T::Outcomes::is_party(&record.subject, &by),
				Error::<T>::ConflictOfInterest
			);
			ensure!(T::Outcomes::accepts(&record.subject, &decision), Error::<T>::WrongDecision);
			Self::discard_stale_votes(review, &mut record);
			// A voter may change their vote, so officers who disagree can still converge.
			match record.votes.iter_mut().find(|(v, ..)| v == &by) {
				Some(vote) => {
					ensure!(vote.1 != decision, Error::<T>::AlreadyVoted);
					*vote = (by.clone(), decision, reason);
				}
				None => record
					.votes
					.try_push((by.clone(), decision, reason))
					.map_err(|_| Error::<T>::TooManyVotes)?,
			}
			let subject = AuditSubject::from(record.subject.clone());
			Self::log(&subject, &by, AuditAction::Voted { review, decision, reason })?;
			Self::deposit_event(Event::Voted { review, by: by.clone(), decision, reason });

			let agreeing = record.votes.iter().filter(|(_, d, _)| *d == decision).count();
			if agreeing >= usize::from(record.required) {
				T::Outcomes::execute(&record.subject, &decision, &by)?;
				record.status = ReviewStatus::Decided(decision);
				OpenReviews::<T>::remove(&record.subject);
				Self::log(&subject, &by, AuditAction::Decided { review, decision })?;
				Self::deposit_event(Event::Decided { review, decision });
			}
			Reviews::<T>::insert(review, record);
			Ok(Pays::No.into())
		}

		/// Raise a flag on any subject for the record: auditors only.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::flag(), Pays::No))]
		pub fn flag(
			origin: OriginFor<T>,
			subject: AuditSubject<T::AccountId>,
			reason: H256,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			ensure!(T::Membership::is_auditor(&by), Error::<T>::NotAuditor);
			Self::count_flag(&by)?;
			Self::log(&subject, &by, AuditAction::Flagged { reason })?;
			Self::deposit_event(Event::Flagged { subject, by, reason });
			Ok(Pays::No.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The branch's review policy, or the default.
		pub fn policy(branch: BranchId) -> ReviewPolicy {
			ReviewPolicies::<T>::get(branch).unwrap_or_default()
		}

		/// Put `policy` in force for `branch`; a policy waiting for a second admin is dropped.
		fn apply_review_policy(branch: BranchId, policy: ReviewPolicy) {
			ReviewPolicies::<T>::insert(branch, policy);
			ProposedReviewPolicies::<T>::remove(branch);
		}

		/// L2: drop the votes that no longer count before counting: votes of accounts that are
		/// no longer officers of the review's branch (removed, perhaps for misconduct), or that
		/// have become a party to the subject since they voted. Their votes stay in the audit
		/// log.
		fn discard_stale_votes(review: ReviewId, record: &mut ReviewOf<T>) {
			let mut discarded = alloc::vec::Vec::new();
			let (branch, opened, subject) =
				(record.branch, record.opened_at, record.subject.clone());
			record.votes.retain(|(voter, ..)| {
				let counts = T::Membership::is_officer(branch, voter, OfficerRole::Staff)
					&& Self::in_office_at(branch, opened, voter)
					&& !T::Outcomes::is_party(&subject, voter);
				if !counts {
					discarded.push(voter.clone());
				}
				counts
			});
			for voter in discarded {
				Self::deposit_event(Event::VoteDiscarded { review, voter });
			}
		}

		/// A fee-free call refused after `reads` storage reads and no write: charged those reads.
		fn refused_early(error: Error<T>, reads: u64) -> DispatchErrorWithPostInfo {
			DispatchErrorWithPostInfo {
				post_info: PostDispatchInfo {
					actual_weight: Some(T::DbWeight::get().reads(reads)),
					pays_fee: Pays::No,
				},
				error: error.into(),
			}
		}

		/// M11: whether `who` held office at the review's branch when it was opened, so that no
		/// admin can decide a case with officers appointed for it (appointments before the
		/// registry kept their date count as in office from the start).
		fn in_office_before(record: &ReviewOf<T>, who: &T::AccountId) -> bool {
			Self::in_office_at(record.branch, record.opened_at, who)
		}

		/// Whether `who` held office at `branch` in block `opened`.
		fn in_office_at(branch: BranchId, opened: BlockNumberFor<T>, who: &T::AccountId) -> bool {
			use sp_runtime::traits::UniqueSaturatedInto;
			let opened: u64 = opened.unique_saturated_into();
			T::Membership::officer_since(branch, who).is_some_and(|since| since <= opened)
		}

		/// M5: count a flag against the auditor's window; refused once the window is full.
		fn count_flag(auditor: &T::AccountId) -> DispatchResult {
			use sp_runtime::traits::Saturating;
			let now = frame_system::Pallet::<T>::block_number();
			let (started, count) = FlagsInWindow::<T>::get(auditor);
			let (started, count) = if now >= started.saturating_add(T::FlagWindow::get()) {
				(now, 0)
			} else {
				(started, count)
			};
			ensure!(count < T::MaxFlagsPerWindow::get(), Error::<T>::TooManyFlags);
			FlagsInWindow::<T>::insert(auditor, (started, count.saturating_add(1)));
			Ok(())
		}

		/// Append an entry to `subject`'s audit log.
		pub(crate) fn log(
			subject: &AuditSubject<T::AccountId>,
			actor: &T::AccountId,
			action: AuditAction,
		) -> DispatchResult {
			let index = AuditLogLength::<T>::get(subject);
			let next = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
			AuditLog::<T>::insert(
				subject,
				index,
				AuditEntry {
					actor: actor.clone(),
					action,
					block: frame_system::Pallet::<T>::block_number(),
				},
			);
			AuditLogLength::<T>::insert(subject, next);
			Ok(())
		}

		/// Up to `limit` entries of `subject`'s log from position `from`, and the log's length.
		pub fn audit_log(
			subject: &AuditSubject<T::AccountId>,
			from: u32,
			limit: u32,
		) -> (alloc::vec::Vec<AuditEntryOf<T>>, u32) {
			let total = AuditLogLength::<T>::get(subject);
			let end = from.saturating_add(limit.min(timebank_primitives::MAX_PAGE)).min(total);
			let entries = (from..end).filter_map(|i| AuditLog::<T>::get(subject, i)).collect();
			(entries, total)
		}

		/// Every open review is indexed by its subject and back; log lengths match the entries.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (subject, id) in OpenReviews::<T>::iter() {
				let review = Reviews::<T>::get(id).ok_or("an open review is missing")?;
				if review.subject != subject || review.status != ReviewStatus::Open {
					return Err("the open-review index is wrong".into());
				}
			}
			for (subject, length) in AuditLogLength::<T>::iter() {
				let count = AuditLog::<T>::iter_prefix(&subject).count() as u32;
				if count != length {
					return Err("an audit log's length is wrong".into());
				}
			}
			Ok(())
		}
	}

	impl<T: Config> timebank_primitives::ReviewQueue<T::AccountId> for Pallet<T> {
		fn needs_review(branch: BranchId, kind: ReviewKind, amount: Minutes) -> bool {
			let policy = Self::policy(branch);
			match kind {
				ReviewKind::Listing | ReviewKind::Dispute => true,
				ReviewKind::Grant => {
					policy.grant_approvals > 0 && amount >= policy.large_grant_from
				}
				other => policy.approvals(other) > 0,
			}
		}

		fn open(
			branch: BranchId,
			subject: ReviewSubject<T::AccountId>,
			requester: &T::AccountId,
		) -> DispatchResult {
			ensure!(!OpenReviews::<T>::contains_key(&subject), Error::<T>::AlreadyUnderReview);
			// A kind the policy does not review still needs one approver when a pallet opens it.
			let required = Self::policy(branch).approvals(subject.kind()).max(1);
			let review = NextReviewId::<T>::get();
			NextReviewId::<T>::put(review.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Reviews::<T>::insert(
				review,
				Review {
					branch,
					subject: subject.clone(),
					requester: requester.clone(),
					required,
					votes: BoundedVec::new(),
					status: ReviewStatus::Open,
					opened_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			OpenReviews::<T>::insert(&subject, review);
			Self::log(
				&AuditSubject::from(subject.clone()),
				requester,
				AuditAction::ReviewOpened { review },
			)?;
			Self::deposit_event(Event::ReviewOpened {
				review,
				branch,
				subject,
				requester: requester.clone(),
				required,
			});
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
