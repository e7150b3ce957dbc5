//! # Activities pallet
//!
//! Service listings and the activities that follow them, from acceptance to settlement
//! (DOMAIN.md rules 4–6 and 11).
//!
//! ## Overview
//!
//! A member (or their family proxy, or branch staff on their behalf) publishes a **request**
//! (需求: "I need help") or an **offer** (服务: "I can help") in a branch, in a category of the
//! branch's service catalogue. Listings in risky categories, or the first listings of members with
//! no completed service, wait for staff review when the branch's activity policy says so.
//!
//! Members apply; the listing's owner accepts them. Each acceptance creates or extends an
//! **engagement**: one provider and the member(s) receiving the service, each receiver's credits
//! held in escrow by the ledger. A request accepts one engagement per volunteer; an offer has one
//! group engagement whose receivers split the provider's time.
//!
//! The provider (or staff on their behalf) checks in and out; times come from the chain, and the
//! branch may require a one-time code the receiver shows, so a volunteer cannot check in alone. A
//! receiver, their proxy or staff confirms the measured duration; the duration is rounded once by
//! the branch's ledger policy and paid from escrow, never beyond what escrow holds. Without a
//! confirmation or dispute, the engagement settles by itself when the confirmation window
//! (default 3 days) ends. A dispute before settlement freezes the holds until arbitration decides
//! (reject the dispute, pay the provider, refund the receivers, or split). After settlement both
//! sides rate each other; completed services and ratings give each member a trust level that
//! listings may require.
//!
//! Timed work (listing expiry, no-shows, auto-confirmation) goes into per-block buckets that
//! `on_initialize` works through with a fixed budget, carrying any excess to the next block.
//!
//! ## Interface
//!
//! Branch admins: `set_category`, `set_activity_policy`. Branch staff: every
//! participant's action on their behalf. Members and proxies: `publish`, `cancel_listing`,
//! `apply`, `accept`, `set_check_in_code`, `check_in`, `check_out`, `confirm`, `dispute`,
//! `cancel_engagement`, `rate`. The audits pallet: [`Pallet::arbitrate`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_io, sp_runtime};
use timebank_primitives::{
	round_duration, BranchId, CategoryId, Certification, Decision, EngagementId, EngagementView,
	HoldId, Ledger, LedgerAccount, ListingId, ListingView, Membership, Minutes, OfficerRole,
	ReviewOutcome, ReviewQueue, ReviewSubject, RiskLevel, SkillId, TrustLevel, MAX_TRUST_LEVEL,
};
pub use timebank_primitives::{
	ArbitrationOutcome, EngagementState, ListingKind, ListingStatus, Payout,
};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::Pays,
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, UniqueSaturatedInto};

	/// A service category in a branch's catalogue.
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
	pub struct Category {
		pub risk: RiskLevel,
		/// The certificate a provider needs (bathing, medical escort…); `None` for anyone.
		pub required_skill: Option<SkillId>,
		/// Inactive categories take no new listings; existing ones run to their end.
		pub active: bool,
	}

	/// A branch's rules for activities; a branch without one uses [`Pallet::default_policy`].
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
	pub struct ActivityPolicy<BlockNumber> {
		/// Listings in categories at or above this risk wait for staff review; `None`: none do.
		pub review_from_risk: Option<RiskLevel>,
		/// Listings by members with no completed service wait for staff review.
		pub review_newcomers: bool,
		/// Blocks after check-out before an unconfirmed, undisputed engagement settles itself.
		pub confirm_window: BlockNumber,
		/// Blocks an open listing stays open.
		pub listing_lifetime: BlockNumber,
		/// The provider must give the one-time code the receiver shows to check in.
		pub check_in_code: bool,
	}

	/// Who pays for a request.
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
	pub enum Funding {
		/// The receiving member's own spendable credits.
		Own,
		/// The branch's pool (community fund), for a redemption-eligible elder; staff publish.
		BranchPool,
		/// The branch's grant account, for a redemption-eligible elder; staff publish.
		BranchGrant,
	}

	/// What the publisher submits.
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
	pub struct ListingDraft {
		pub kind: ListingKind,
		pub branch: BranchId,
		pub category: CategoryId,
		/// Time slot, milliseconds since the Unix epoch.
		pub slot_start: u64,
		pub slot_end: u64,
		/// A coarse place code (community or street), never an address.
		pub area: u32,
		pub estimated_minutes: Minutes,
		/// Applicants need at least this trust level.
		pub min_trust: TrustLevel,
		/// Volunteers a request takes, or receivers an offer's group takes.
		pub max_participants: u32,
		pub funding: Funding,
	}

	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Listing<AccountId, BlockNumber> {
		pub draft: ListingDraft,
		/// The member the listing is for: the receiver of a request, the provider of an offer.
		pub owner: AccountId,
		/// Who signed the publication (the owner, a proxy or staff).
		pub published_by: AccountId,
		pub status: ListingStatus,
		/// Engagements (requests) or receivers (offers) accepted and not cancelled.
		pub accepted: u32,
		pub applications: u32,
		pub expires_at: BlockNumber,
	}

	/// A member receiving the service and the escrow hold that pays for their share.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Receiver<AccountId> {
		pub who: AccountId,
		pub hold: HoldId,
	}

	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	#[scale_info(skip_type_params(MaxReceivers))]
	pub struct Engagement<AccountId, BlockNumber, MaxReceivers: Get<u32>> {
		pub listing: ListingId,
		pub provider: AccountId,
		pub receivers: BoundedVec<Receiver<AccountId>, MaxReceivers>,
		pub state: EngagementState,
		/// Hash of the one-time check-in code the receiver shows.
		pub check_in_code: Option<H256>,
		/// Chain time, milliseconds since the Unix epoch.
		pub checked_in_at: Option<u64>,
		pub checked_out_at: Option<u64>,
		/// Whole minutes between check-in and check-out.
		pub measured_minutes: Minutes,
		/// When the engagement settles by itself if nobody confirms or disputes.
		pub confirm_due: Option<BlockNumber>,
		pub payout: Option<Payout>,
	}

	/// A member's service history, for the trust level.
	#[derive(
		Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default,
	)]
	pub struct ServiceRecord {
		pub provided: u32,
		pub received: u32,
		pub ratings: u32,
		pub rating_sum: u32,
	}

	/// Timed work, done by `on_initialize` within its budget.
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
	pub enum DueTask {
		/// Close an open listing whose lifetime ended.
		ExpireListing(ListingId),
		/// Cancel an engagement nobody checked in to by the end of its slot, releasing its holds.
		NoShow(EngagementId),
		/// Settle a checked-out engagement whose confirmation window ended.
		AutoConfirm(EngagementId),
	}

	pub type ListingOf<T> = Listing<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	pub type EngagementOf<T> = Engagement<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxParticipants,
	>;
	pub type CheckInCode = BoundedVec<u8, ConstU32<32>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
		type Membership: Membership<Self::AccountId>;
		type Ledger: Ledger<Self::AccountId>;
		type Certification: Certification<Self::AccountId>;
		/// Where listings wait for review and disputes for arbitration (the audits pallet).
		type Reviews: ReviewQueue<Self::AccountId>;
		/// Chain time, for check-in and check-out.
		type UnixTime: UnixTime;
		/// Block time, to turn a slot's end into a block number.
		#[pallet::constant]
		type MillisecsPerBlock: Get<u64>;
		/// Most volunteers one request takes, or receivers one offer's group takes.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;
		/// Most pending applications per listing.
		#[pallet::constant]
		type MaxApplications: Get<u32>;
		/// Longest service one listing may estimate, in minutes.
		#[pallet::constant]
		type MaxServiceMinutes: Get<Minutes>;
		/// Confirmation window of branches without an activity policy (3 days by default).
		#[pallet::constant]
		type DefaultConfirmWindow: Get<BlockNumberFor<Self>>;
		/// Listing lifetime of branches without an activity policy.
		#[pallet::constant]
		type DefaultListingLifetime: Get<BlockNumberFor<Self>>;
		/// Longest confirmation window or listing lifetime a policy may set.
		#[pallet::constant]
		type MaxPolicyWindow: Get<BlockNumberFor<Self>>;
		/// Timed tasks per block, both in a block's bucket and done by one `on_initialize`.
		#[pallet::constant]
		type MaxDueTasksPerBlock: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Sets up branches, members and credits for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	#[pallet::storage]
	pub type Catalogue<T> =
		StorageDoubleMap<_, Twox64Concat, BranchId, Twox64Concat, CategoryId, Category>;

	#[pallet::storage]
	pub type Policies<T: Config> =
		StorageMap<_, Twox64Concat, BranchId, ActivityPolicy<BlockNumberFor<T>>>;

	#[pallet::storage]
	pub type NextListingId<T> = StorageValue<_, ListingId, ValueQuery>;

	#[pallet::storage]
	pub type Listings<T: Config> = StorageMap<_, Twox64Concat, ListingId, ListingOf<T>>;

	/// Pending applications per listing.
	#[pallet::storage]
	pub type Applications<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ListingId, Blake2_128Concat, T::AccountId, ()>;

	#[pallet::storage]
	pub type NextEngagementId<T> = StorageValue<_, EngagementId, ValueQuery>;

	#[pallet::storage]
	pub type Engagements<T: Config> = StorageMap<_, Twox64Concat, EngagementId, EngagementOf<T>>;

	/// The one group engagement of each offer that has accepted a receiver.
	#[pallet::storage]
	pub type OfferEngagement<T> = StorageMap<_, Twox64Concat, ListingId, EngagementId>;

	#[pallet::storage]
	pub type ServiceRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ServiceRecord, ValueQuery>;

	/// Ratings given: (engagement, (rater, ratee)) → stars.
	#[pallet::storage]
	pub type Ratings<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EngagementId,
		Blake2_128Concat,
		(T::AccountId, T::AccountId),
		u8,
	>;

	/// Timed tasks by the block they fall due in.
	#[pallet::storage]
	pub type DueTasks<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<DueTask, T::MaxDueTasksPerBlock>,
		ValueQuery,
	>;

	/// The first block whose bucket `on_initialize` has not emptied yet.
	#[pallet::storage]
	pub type DueCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		CategorySet {
			branch: BranchId,
			category: CategoryId,
			value: Option<Category>,
		},
		ActivityPolicySet {
			branch: BranchId,
			policy: ActivityPolicy<BlockNumberFor<T>>,
		},
		ListingPublished {
			listing: ListingId,
			kind: ListingKind,
			branch: BranchId,
			owner: T::AccountId,
			published_by: T::AccountId,
			in_review: bool,
		},
		ListingReviewed {
			listing: ListingId,
			reviewer: T::AccountId,
			approved: bool,
		},
		ListingCancelled {
			listing: ListingId,
			by: T::AccountId,
		},
		ListingExpired {
			listing: ListingId,
		},
		/// An offer whose group started or finished takes no more applications.
		ListingClosed {
			listing: ListingId,
		},
		/// A receiver left a group before it started; their hold was released.
		ReceiverWithdrew {
			engagement: EngagementId,
			receiver: T::AccountId,
			refunded: Minutes,
		},
		Applied {
			listing: ListingId,
			applicant: T::AccountId,
		},
		/// `applicant` was accepted; `hold` holds `held` minutes of the paying side's credits.
		Accepted {
			listing: ListingId,
			engagement: EngagementId,
			applicant: T::AccountId,
			by: T::AccountId,
			hold: HoldId,
			held: Minutes,
		},
		CheckInCodeSet {
			engagement: EngagementId,
			by: T::AccountId,
		},
		CheckedIn {
			engagement: EngagementId,
			at: u64,
			by: T::AccountId,
		},
		CheckedOut {
			engagement: EngagementId,
			at: u64,
			measured_minutes: Minutes,
			by: T::AccountId,
		},
		/// `by` is `None` when the confirmation window ended without confirmation or dispute.
		Confirmed {
			engagement: EngagementId,
			by: Option<T::AccountId>,
		},
		Settled {
			engagement: EngagementId,
			provider: T::AccountId,
			payout: Payout,
		},
		Disputed {
			engagement: EngagementId,
			by: T::AccountId,
			reason: H256,
		},
		Arbitrated {
			engagement: EngagementId,
			outcome: ArbitrationOutcome,
			payout: Payout,
		},
		EngagementCancelled {
			engagement: EngagementId,
			by: Option<T::AccountId>,
			refunded: Minutes,
		},
		Rated {
			engagement: EngagementId,
			rater: T::AccountId,
			ratee: T::AccountId,
			stars: u8,
		},
		/// A timed task could not run (its ledger call failed); it is dropped, and staff act by hand.
		DueTaskFailed {
			task: DueTask,
			error: DispatchError,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The branch is not registered or not active.
		BranchNotActive,
		/// The signer is not an officer of the branch with the needed role.
		NotBranchOfficer,
		/// The category is not in the branch's catalogue.
		UnknownCategory,
		/// The category takes no new listings.
		CategoryInactive,
		/// Policy windows must be between one block and `MaxPolicyWindow`.
		InvalidPolicy,
		/// The member is unknown or not active.
		NotActiveMember,
		/// The signer may not act for this member here.
		NotPermitted,
		/// Requests need the owner to be a recipient; offers and applications to requests need a
		/// volunteer.
		WrongRole,
		/// The provider lacks the certificate the category requires.
		MissingCertificate,
		/// The slot must end after it starts and after now.
		InvalidSlot,
		/// The estimate must be between 1 minute and `MaxServiceMinutes`.
		InvalidDuration,
		/// The participant limit must be between 1 and `MaxParticipants`.
		InvalidParticipantLimit,
		/// Branch funding is for requests by staff for redemption-eligible members.
		FundingNotAllowed,
		/// The minimum trust level is above the highest level.
		InvalidTrustLevel,
		UnknownListing,
		/// The listing does not take applications or acceptances.
		ListingNotOpen,
		/// Engagements are still running: cancel them first.
		ListingHasEngagements,
		/// The owner cannot apply to their own listing.
		OwnListing,
		AlreadyApplied,
		NotAnApplicant,
		/// The applicant's trust level is below the listing's minimum.
		TrustTooLow,
		/// The listing has as many pending applications as it may.
		TooManyApplications,
		/// The listing has as many participants as it takes.
		ListingFull,
		UnknownEngagement,
		/// The engagement is not in a state that allows this.
		WrongState,
		/// The branch requires the receiver's one-time code, and it was missing or wrong.
		WrongCheckInCode,
		/// The signer is not a party of the engagement (nor staff of its branch).
		NotAParty,
		/// The review decision does not fit the subject.
		WrongDecision,
		/// Staff confirm group services; a receiver cannot settle for the whole group.
		GroupNeedsStaff,
		/// Stars go from 1 to 5.
		InvalidRating,
		AlreadyRated,
		/// Providers rate receivers and receivers rate the provider.
		NotCounterpart,
		/// The timed-task buckets of the coming blocks are full.
		SchedulerFull,
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::run_due_tasks(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Add, change or (with `None`) remove a category of the branch's service catalogue.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set_category(), Pays::No))]
		pub fn set_category(
			origin: OriginFor<T>,
			branch: BranchId,
			category: CategoryId,
			value: Option<Category>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_officer(branch, &who, OfficerRole::Admin)?;
			Catalogue::<T>::set(branch, category, value);
			Self::deposit_event(Event::CategorySet { branch, category, value });
			Ok(())
		}

		/// Set the branch's review, confirmation-window, lifetime and check-in-code rules.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::set_activity_policy(), Pays::No))]
		pub fn set_activity_policy(
			origin: OriginFor<T>,
			branch: BranchId,
			policy: ActivityPolicy<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_officer(branch, &who, OfficerRole::Admin)?;
			let valid = |window: BlockNumberFor<T>| {
				!window.is_zero() && window <= T::MaxPolicyWindow::get()
			};
			ensure!(
				valid(policy.confirm_window) && valid(policy.listing_lifetime),
				Error::<T>::InvalidPolicy
			);
			Policies::<T>::insert(branch, policy);
			Self::deposit_event(Event::ActivityPolicySet { branch, policy });
			Ok(())
		}

		/// Publish a request or offer for `owner` (the signer when `None`). A proxy publishes
		/// requests with the `request_services` permission; branch staff publish for anyone.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::publish(), Pays::No))]
		pub fn publish(
			origin: OriginFor<T>,
			draft: ListingDraft,
			owner: Option<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let signer = ensure_signed(origin)?;
			let owner = owner.unwrap_or_else(|| signer.clone());
			let branch = draft.branch;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
			let facts = T::Membership::member(&owner)
				.filter(|m| m.status == timebank_primitives::MemberStatus::Active)
				.ok_or(Error::<T>::NotActiveMember)?;
			// Only the member's own branch's staff act for them; staff of the listing's branch
			// who publish for someone else skip review.
			let home_staff = Self::is_staff(facts.home_branch, &signer);
			let staff = signer != owner && Self::is_staff(branch, &signer);
			if signer != owner && !home_staff {
				let may = draft.kind == ListingKind::Request
					&& T::Membership::proxy_permissions(&owner, &signer)
						.is_some_and(|p| p.request_services);
				ensure!(may, Error::<T>::NotPermitted);
			}
			let category =
				Catalogue::<T>::get(branch, draft.category).ok_or(Error::<T>::UnknownCategory)?;
			ensure!(category.active, Error::<T>::CategoryInactive);
			match draft.kind {
				ListingKind::Request => ensure!(facts.roles.recipient, Error::<T>::WrongRole),
				ListingKind::Offer => {
					ensure!(facts.roles.volunteer, Error::<T>::WrongRole);
					Self::ensure_certified(&owner, &category)?;
				}
			}
			let now_ms = T::UnixTime::now().as_millis() as u64;
			ensure!(
				draft.slot_end > draft.slot_start
					&& draft.slot_end > now_ms
					&& draft.slot_end <= now_ms.saturating_add(MAX_SLOT_AHEAD_MS),
				Error::<T>::InvalidSlot
			);
			ensure!(
				(1..=T::MaxServiceMinutes::get()).contains(&draft.estimated_minutes),
				Error::<T>::InvalidDuration
			);
			ensure!(
				(1..=T::MaxParticipants::get()).contains(&draft.max_participants),
				Error::<T>::InvalidParticipantLimit
			);
			ensure!(draft.min_trust <= MAX_TRUST_LEVEL, Error::<T>::InvalidTrustLevel);
			if draft.funding != Funding::Own {
				// The branch pays from its pool (staff) or issues new credits (admins) for an
				// eligible elder of its own.
				let role = match draft.funding {
					Funding::BranchGrant => OfficerRole::Admin,
					_ => OfficerRole::Staff,
				};
				ensure!(
					draft.kind == ListingKind::Request
						&& signer != owner && branch == facts.home_branch
						&& T::Membership::is_officer(branch, &signer, role)
						&& facts.redemption_eligible,
					Error::<T>::FundingNotAllowed
				);
			}

			let policy = Self::policy(branch);
			let risky = policy.review_from_risk.is_some_and(|from| category.risk >= from);
			let newcomer = policy.review_newcomers && {
				let record = ServiceRecords::<T>::get(&owner);
				record.provided == 0 && record.received == 0
			};
			let in_review = (risky || newcomer) && !staff;
			let listing = NextListingId::<T>::get();
			let next = listing.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let now = frame_system::Pallet::<T>::block_number();
			let expires_at = Self::schedule(
				now.saturating_add(policy.listing_lifetime),
				DueTask::ExpireListing(listing),
			)?;
			NextListingId::<T>::put(next);
			Listings::<T>::insert(
				listing,
				Listing {
					draft,
					owner: owner.clone(),
					published_by: signer.clone(),
					status: if in_review { ListingStatus::InReview } else { ListingStatus::Open },
					accepted: 0,
					applications: 0,
					expires_at,
				},
			);
			if in_review {
				T::Reviews::open(branch, ReviewSubject::Listing(listing), &signer)?;
			}
			Self::deposit_event(Event::ListingPublished {
				listing,
				kind: draft.kind,
				branch,
				owner,
				published_by: signer,
				in_review,
			});
			Ok(Pays::No.into())
		}

		/// Withdraw a listing that has no running engagements: the owner, their proxy or staff.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::cancel_listing(), Pays::No))]
		pub fn cancel_listing(
			origin: OriginFor<T>,
			listing: ListingId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			Listings::<T>::try_mutate(listing, |maybe| -> DispatchResult {
				let record = maybe.as_mut().ok_or(Error::<T>::UnknownListing)?;
				ensure!(
					Self::speaks_for(&by, &record.owner, record.draft.branch),
					Error::<T>::NotPermitted
				);
				ensure!(
					matches!(record.status, ListingStatus::Open | ListingStatus::InReview),
					Error::<T>::ListingNotOpen
				);
				ensure!(record.accepted == 0, Error::<T>::ListingHasEngagements);
				record.status = ListingStatus::Cancelled;
				Ok(())
			})?;
			let _ = Applications::<T>::clear_prefix(listing, T::MaxApplications::get(), None);
			Self::deposit_event(Event::ListingCancelled { listing, by });
			Ok(Pays::No.into())
		}

		/// Apply to an open listing: as a volunteer to a request, or as a receiver to an offer.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::apply(), Pays::No))]
		pub fn apply(origin: OriginFor<T>, listing: ListingId) -> DispatchResultWithPostInfo {
			let applicant = ensure_signed(origin)?;
			let mut record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
			ensure!(record.status == ListingStatus::Open, Error::<T>::ListingNotOpen);
			ensure!(applicant != record.owner, Error::<T>::OwnListing);
			let facts = T::Membership::member(&applicant)
				.filter(|m| m.status == timebank_primitives::MemberStatus::Active)
				.ok_or(Error::<T>::NotActiveMember)?;
			if record.draft.kind == ListingKind::Request {
				ensure!(facts.roles.volunteer, Error::<T>::WrongRole);
				let category = Catalogue::<T>::get(record.draft.branch, record.draft.category)
					.ok_or(Error::<T>::UnknownCategory)?;
				Self::ensure_certified(&applicant, &category)?;
			}
			ensure!(
				Self::trust_level(&applicant) >= record.draft.min_trust,
				Error::<T>::TrustTooLow
			);
			ensure!(
				!Applications::<T>::contains_key(listing, &applicant),
				Error::<T>::AlreadyApplied
			);
			ensure!(
				record.applications < T::MaxApplications::get(),
				Error::<T>::TooManyApplications
			);
			record.applications += 1;
			Applications::<T>::insert(listing, &applicant, ());
			Listings::<T>::insert(listing, record);
			Self::deposit_event(Event::Applied { listing, applicant });
			Ok(Pays::No.into())
		}

		/// Accept an applicant: the owner, their proxy (requests) or staff. The paying side's
		/// estimated credits go into escrow now: the request's funding for each volunteer, or
		/// each receiver's share of an offer's estimate.
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::accept(), Pays::No))]
		pub fn accept(
			origin: OriginFor<T>,
			listing: ListingId,
			applicant: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let mut record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
			let branch = record.draft.branch;
			ensure!(
				by != applicant && Self::speaks_for(&by, &record.owner, branch),
				Error::<T>::NotPermitted
			);
			ensure!(record.status == ListingStatus::Open, Error::<T>::ListingNotOpen);
			ensure!(
				Applications::<T>::contains_key(listing, &applicant),
				Error::<T>::NotAnApplicant
			);
			ensure!(record.accepted < record.draft.max_participants, Error::<T>::ListingFull);
			// Facts may have changed since the application.
			ensure!(T::Membership::is_active_member(&applicant), Error::<T>::NotActiveMember);
			if record.draft.kind == ListingKind::Request {
				// A certificate may have lapsed since the application.
				let category = Catalogue::<T>::get(branch, record.draft.category)
					.ok_or(Error::<T>::UnknownCategory)?;
				Self::ensure_certified(&applicant, &category)?;
			}

			let (engagement, hold, held) = match record.draft.kind {
				ListingKind::Request => {
					let payer = match record.draft.funding {
						Funding::Own => LedgerAccount::Member {
							who: record.owner.clone(),
							class: timebank_primitives::BalanceClass::Spendable,
						},
						Funding::BranchPool => LedgerAccount::Pool(branch),
						Funding::BranchGrant => LedgerAccount::Grant(branch),
					};
					let held = record.draft.estimated_minutes;
					let hold = T::Ledger::hold(branch, payer, held, &by)?;
					let mut receivers = BoundedVec::new();
					receivers
						.try_push(Receiver { who: record.owner.clone(), hold })
						.map_err(|_| Error::<T>::ListingFull)?;
					let engagement = Self::new_engagement(listing, applicant.clone(), receivers)?;
					Self::schedule_no_show(&record, engagement)?;
					(engagement, hold, held)
				}
				ListingKind::Offer => {
					let group = OfferEngagement::<T>::get(listing);
					if let Some(id) = group {
						let state = Engagements::<T>::get(id).map(|e| e.state);
						ensure!(state == Some(EngagementState::Accepted), Error::<T>::WrongState);
					}
					let held = record
						.draft
						.estimated_minutes
						.div_ceil(u64::from(record.draft.max_participants));
					let payer = LedgerAccount::Member {
						who: applicant.clone(),
						class: timebank_primitives::BalanceClass::Spendable,
					};
					let hold = T::Ledger::hold(branch, payer, held, &by)?;
					let receiver = Receiver { who: applicant.clone(), hold };
					let engagement = match group {
						Some(id) => {
							Engagements::<T>::try_mutate(id, |maybe| -> DispatchResult {
								let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
								e.receivers
									.try_push(receiver)
									.map_err(|_| Error::<T>::ListingFull)?;
								Ok(())
							})?;
							id
						}
						None => {
							let mut receivers = BoundedVec::new();
							receivers.try_push(receiver).map_err(|_| Error::<T>::ListingFull)?;
							let id =
								Self::new_engagement(listing, record.owner.clone(), receivers)?;
							OfferEngagement::<T>::insert(listing, id);
							Self::schedule_no_show(&record, id)?;
							id
						}
					};
					(engagement, hold, held)
				}
			};
			Applications::<T>::remove(listing, &applicant);
			record.applications = record.applications.saturating_sub(1);
			record.accepted += 1;
			Listings::<T>::insert(listing, record);
			Self::deposit_event(Event::Accepted { listing, engagement, applicant, by, hold, held });
			Ok(Pays::No.into())
		}

		/// Record the hash of the one-time code a receiver will show the provider at check-in:
		/// a receiver, their proxy, or staff.
		#[pallet::call_index(7)]
		#[pallet::weight((T::WeightInfo::set_check_in_code(), Pays::No))]
		pub fn set_check_in_code(
			origin: OriginFor<T>,
			engagement: EngagementId,
			code_hash: H256,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
				let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
				let branch = Self::branch_of(e)?;
				ensure!(Self::speaks_for_receiver(&by, e, branch), Error::<T>::NotAParty);
				ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
				e.check_in_code = Some(code_hash);
				Ok(())
			})?;
			Self::deposit_event(Event::CheckInCodeSet { engagement, by });
			Ok(Pays::No.into())
		}

		/// Start the service: the provider (with the receiver's code when the branch requires
		/// it) or staff on their behalf. The time is the chain's.
		#[pallet::call_index(8)]
		#[pallet::weight((T::WeightInfo::check_in(), Pays::No))]
		pub fn check_in(
			origin: OriginFor<T>,
			engagement: EngagementId,
			code: Option<CheckInCode>,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let at = T::UnixTime::now().as_millis() as u64;
			Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
				let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
				let branch = Self::branch_of(e)?;
				// A provider who is also staff still needs the receiver's code.
				let staff = by != e.provider && Self::is_staff(branch, &by);
				ensure!(by == e.provider || staff, Error::<T>::NotAParty);
				ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
				if Self::policy(branch).check_in_code && !staff {
					let given = code.map(|c| H256(sp_io::hashing::blake2_256(&c)));
					ensure!(
						given.is_some() && given == e.check_in_code,
						Error::<T>::WrongCheckInCode
					);
				}
				e.state = EngagementState::CheckedIn;
				e.checked_in_at = Some(at);
				e.check_in_code = None;
				// A group that has started takes nobody else: its offer closes.
				Self::close_offer(e.listing);
				Ok(())
			})?;
			Self::deposit_event(Event::CheckedIn { engagement, at, by });
			Ok(Pays::No.into())
		}

		/// End the service: the provider or staff. The measured duration is recorded and the
		/// confirmation window starts.
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::check_out(), Pays::No))]
		pub fn check_out(
			origin: OriginFor<T>,
			engagement: EngagementId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let at = T::UnixTime::now().as_millis() as u64;
			let mut e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
			let branch = Self::branch_of(&e)?;
			ensure!(by == e.provider || Self::is_staff(branch, &by), Error::<T>::NotAParty);
			ensure!(e.state == EngagementState::CheckedIn, Error::<T>::WrongState);
			let started = e.checked_in_at.unwrap_or(at);
			let measured_minutes = at.saturating_sub(started) / 60_000;
			let due = frame_system::Pallet::<T>::block_number()
				.saturating_add(Self::policy(branch).confirm_window);
			e.state = EngagementState::CheckedOut;
			e.checked_out_at = Some(at);
			e.measured_minutes = measured_minutes;
			e.confirm_due = Some(Self::schedule(due, DueTask::AutoConfirm(engagement))?);
			Engagements::<T>::insert(engagement, e);
			Self::deposit_event(Event::CheckedOut { engagement, at, measured_minutes, by });
			Ok(Pays::No.into())
		}

		/// Confirm the measured duration and settle: a receiver, their proxy (with
		/// `confirm_services`) or staff. To contest the duration, dispute instead.
		#[pallet::call_index(10)]
		#[pallet::weight((T::WeightInfo::confirm(T::MaxParticipants::get()), Pays::No))]
		pub fn confirm(
			origin: OriginFor<T>,
			engagement: EngagementId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
			let branch = Self::branch_of(&e)?;
			ensure!(Self::speaks_for_receiver(&by, &e, branch), Error::<T>::NotAParty);
			// One receiver does not settle for a whole group: staff confirm groups (or the
			// window ends, or someone disputes).
			ensure!(
				e.receivers.len() == 1 || Self::is_staff(branch, &by),
				Error::<T>::GroupNeedsStaff
			);
			ensure!(e.state == EngagementState::CheckedOut, Error::<T>::WrongState);
			let receivers = e.receivers.len() as u32;
			Self::deposit_event(Event::Confirmed { engagement, by: Some(by.clone()) });
			Self::settle_measured(engagement, e, branch, &by)?;
			Ok((Some(T::WeightInfo::confirm(receivers)), Pays::No).into())
		}

		/// Contest an engagement before settlement: its provider, a receiver, their proxy or
		/// staff. The holds stay frozen until arbitration; `reason` is the hash of the off-chain
		/// statement.
		#[pallet::call_index(11)]
		#[pallet::weight((T::WeightInfo::dispute(), Pays::No))]
		pub fn dispute(
			origin: OriginFor<T>,
			engagement: EngagementId,
			reason: H256,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
				let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
				let branch = Self::branch_of(e)?;
				ensure!(
					by == e.provider || Self::speaks_for_receiver(&by, e, branch),
					Error::<T>::NotAParty
				);
				ensure!(
					matches!(
						e.state,
						EngagementState::Accepted
							| EngagementState::CheckedIn
							| EngagementState::CheckedOut
					),
					Error::<T>::WrongState
				);
				e.state = EngagementState::Disputed;
				e.confirm_due = None;
				Ok(())
			})?;
			let branch = Engagements::<T>::get(engagement)
				.map(|e| Self::branch_of(&e))
				.transpose()?
				.ok_or(Error::<T>::UnknownEngagement)?;
			T::Reviews::open(branch, ReviewSubject::Dispute(engagement), &by)?;
			Self::deposit_event(Event::Disputed { engagement, by, reason });
			Ok(Pays::No.into())
		}

		/// Call off an engagement before check-in, returning what escrow holds: the provider,
		/// a receiver, their proxy, or staff. The listing can accept someone else.
		#[pallet::call_index(12)]
		#[pallet::weight((T::WeightInfo::cancel_engagement(T::MaxParticipants::get()), Pays::No))]
		pub fn cancel_engagement(
			origin: OriginFor<T>,
			engagement: EngagementId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
			let branch = Self::branch_of(&e)?;
			ensure!(
				by == e.provider || Self::speaks_for_receiver(&by, &e, branch),
				Error::<T>::NotAParty
			);
			ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
			let receivers = e.receivers.len() as u32;
			// In a group, a receiver (or their proxy) withdraws only themselves.
			let own_place = e.receivers.iter().position(|r| {
				r.who == by
					|| T::Membership::proxy_permissions(&r.who, &by)
						.is_some_and(|p| p.confirm_services)
			});
			if let (true, Some(index), false) =
				(receivers > 1, own_place, by == e.provider || Self::is_staff(branch, &by))
			{
				Self::withdraw_receiver(engagement, e, index, &by)?;
				return Ok((Some(T::WeightInfo::cancel_engagement(1)), Pays::No).into());
			}
			Self::cancel(engagement, e, &by, Some(by.clone()))?;
			Ok((Some(T::WeightInfo::cancel_engagement(receivers)), Pays::No).into())
		}

		/// Rate the other side of a settled engagement, 1 to 5 stars, once: the provider rates
		/// each receiver, each receiver (or their proxy) rates the provider.
		#[pallet::call_index(13)]
		#[pallet::weight((T::WeightInfo::rate(), Pays::No))]
		pub fn rate(
			origin: OriginFor<T>,
			engagement: EngagementId,
			ratee: T::AccountId,
			stars: u8,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			ensure!((1..=5).contains(&stars), Error::<T>::InvalidRating);
			let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
			ensure!(e.state == EngagementState::Settled, Error::<T>::WrongState);
			let is_receiver = |who: &T::AccountId| e.receivers.iter().any(|r| &r.who == who);
			// A proxy rates as the receiver it acts for.
			let rater = if by == e.provider || is_receiver(&by) {
				by.clone()
			} else {
				e.receivers
					.iter()
					.find(|r| {
						T::Membership::proxy_permissions(&r.who, &by)
							.is_some_and(|p| p.confirm_services)
					})
					.map(|r| r.who.clone())
					.ok_or(Error::<T>::NotAParty)?
			};
			let counterpart =
				if rater == e.provider { is_receiver(&ratee) } else { ratee == e.provider };
			ensure!(counterpart, Error::<T>::NotCounterpart);
			let key = (rater.clone(), ratee.clone());
			ensure!(!Ratings::<T>::contains_key(engagement, &key), Error::<T>::AlreadyRated);
			Ratings::<T>::insert(engagement, key, stars);
			ServiceRecords::<T>::mutate(&ratee, |r| {
				r.ratings = r.ratings.saturating_add(1);
				r.rating_sum = r.rating_sum.saturating_add(u32::from(stars));
			});
			Self::deposit_event(Event::Rated { engagement, rater, ratee, stars });
			Ok(Pays::No.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The branch's activity policy, or the default one.
		pub fn policy(branch: BranchId) -> ActivityPolicy<BlockNumberFor<T>> {
			Policies::<T>::get(branch).unwrap_or_else(Self::default_policy)
		}

		/// No review, no check-in code, the configured windows.
		pub fn default_policy() -> ActivityPolicy<BlockNumberFor<T>> {
			ActivityPolicy {
				review_from_risk: None,
				review_newcomers: false,
				confirm_window: T::DefaultConfirmWindow::get(),
				listing_lifetime: T::DefaultListingLifetime::get(),
				check_in_code: false,
			}
		}

		/// 0 before any completed service; then 1, rising by one every 5 more services up to
		/// [`MAX_TRUST_LEVEL`], and capped by the average rating once there are 3 ratings.
		pub fn trust_level(who: &T::AccountId) -> TrustLevel {
			let record = ServiceRecords::<T>::get(who);
			let services = record.provided.saturating_add(record.received);
			if services == 0 {
				return 0;
			}
			let experience = (1 + (services - 1) / 5).min(u32::from(MAX_TRUST_LEVEL));
			let rating_cap = if record.ratings >= 3 {
				record.rating_sum / record.ratings
			} else {
				u32::from(MAX_TRUST_LEVEL)
			};
			experience.min(rating_cap) as TrustLevel
		}

		/// Decide a disputed engagement, once the audits pallet's reviewers agree (through
		/// [`ReviewOutcome::execute`]). `actor` is recorded on the ledger entries.
		pub fn arbitrate(
			engagement: EngagementId,
			outcome: ArbitrationOutcome,
			actor: &T::AccountId,
		) -> DispatchResult {
			let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
			ensure!(e.state == EngagementState::Disputed, Error::<T>::WrongState);
			let branch = Self::branch_of(&e)?;
			let payout = match outcome {
				ArbitrationOutcome::Reject => {
					let rounded =
						round_duration(e.measured_minutes, T::Ledger::rounding_step(branch));
					Self::pay_out(&e, rounded, actor)?
				}
				ArbitrationOutcome::PayProvider => Self::pay_out(&e, Minutes::MAX, actor)?,
				ArbitrationOutcome::RefundReceivers => Self::pay_out(&e, 0, actor)?,
				ArbitrationOutcome::Split(share) => {
					let held: Minutes =
						e.receivers.iter().filter_map(|r| T::Ledger::held(r.hold)).sum();
					Self::pay_out(&e, share.mul_floor(held), actor)?
				}
			};
			Self::finish(engagement, e, payout);
			Self::deposit_event(Event::Arbitrated { engagement, outcome, payout });
			Ok(())
		}

		fn settle_measured(
			engagement: EngagementId,
			e: EngagementOf<T>,
			branch: BranchId,
			actor: &T::AccountId,
		) -> DispatchResult {
			let rounded = round_duration(e.measured_minutes, T::Ledger::rounding_step(branch));
			let payout = Self::pay_out(&e, rounded, actor)?;
			let provider = e.provider.clone();
			Self::finish(engagement, e, payout);
			Self::deposit_event(Event::Settled { engagement, provider, payout });
			Ok(())
		}

		/// Pay the provider `minutes` (at most what the holds hold), split evenly among the
		/// receivers, each share rounded up; what the rounding collects beyond `minutes` goes to
		/// the pool (DOMAIN.md rule 6); the rest of every hold returns to its payer.
		fn pay_out(
			e: &EngagementOf<T>,
			minutes: Minutes,
			actor: &T::AccountId,
		) -> Result<Payout, DispatchError> {
			let count = e.receivers.len() as u64;
			let share = if count == 0 { 0 } else { minutes.div_ceil(count) };
			let mut owed = minutes;
			let mut payout = Payout { rounded_minutes: minutes, ..Default::default() };
			for receiver in e.receivers.iter() {
				let Some(held) = T::Ledger::held(receiver.hold) else { continue };
				let charged = share.min(held);
				let to_provider = charged.min(owed);
				if to_provider > 0 {
					T::Ledger::settle(receiver.hold, &e.provider, to_provider, actor)?;
				}
				let to_pool = charged - to_provider;
				if to_pool > 0 {
					T::Ledger::settle_to_pool(receiver.hold, to_pool, actor)?;
				}
				owed -= to_provider;
				let refunded = held - charged;
				if refunded > 0 {
					T::Ledger::release(receiver.hold, actor)?;
				}
				payout.to_provider = payout.to_provider.saturating_add(to_provider);
				payout.to_pool = payout.to_pool.saturating_add(to_pool);
				payout.refunded = payout.refunded.saturating_add(refunded);
			}
			if minutes == Minutes::MAX {
				payout.rounded_minutes = payout.to_provider;
			}
			Ok(payout)
		}

		fn finish(engagement: EngagementId, mut e: EngagementOf<T>, payout: Payout) {
			if payout.to_provider > 0 {
				ServiceRecords::<T>::mutate(&e.provider, |r| {
					r.provided = r.provided.saturating_add(1)
				});
				for receiver in e.receivers.iter() {
					ServiceRecords::<T>::mutate(&receiver.who, |r| {
						r.received = r.received.saturating_add(1)
					});
				}
			}
			e.state = EngagementState::Settled;
			e.confirm_due = None;
			e.payout = Some(payout);
			Self::close_offer(e.listing);
			Engagements::<T>::insert(engagement, e);
		}

		fn cancel(
			engagement: EngagementId,
			mut e: EngagementOf<T>,
			actor: &T::AccountId,
			by: Option<T::AccountId>,
		) -> DispatchResult {
			let mut refunded: Minutes = 0;
			for receiver in e.receivers.iter() {
				if let Some(held) = T::Ledger::held(receiver.hold) {
					T::Ledger::release(receiver.hold, actor)?;
					refunded = refunded.saturating_add(held);
				}
			}
			let freed = match Listings::<T>::get(e.listing).map(|l| l.draft.kind) {
				Some(ListingKind::Offer) => {
					OfferEngagement::<T>::remove(e.listing);
					e.receivers.len() as u32
				}
				_ => 1,
			};
			Listings::<T>::mutate(e.listing, |maybe| {
				if let Some(l) = maybe {
					l.accepted = l.accepted.saturating_sub(freed);
				}
			});
			e.state = EngagementState::Cancelled;
			Engagements::<T>::insert(engagement, e);
			Self::deposit_event(Event::EngagementCancelled { engagement, by, refunded });
			Ok(())
		}

		/// Close `listing` if it is an open offer.
		fn close_offer(listing: ListingId) {
			let closed = Listings::<T>::mutate(listing, |maybe| match maybe.as_mut() {
				Some(l)
					if l.draft.kind == ListingKind::Offer && l.status == ListingStatus::Open =>
				{
					l.status = ListingStatus::Closed;
					true
				}
				_ => false,
			});
			if closed {
				let _ = Applications::<T>::clear_prefix(listing, T::MaxApplications::get(), None);
				Self::deposit_event(Event::ListingClosed { listing });
			}
		}

		/// Take one receiver out of a group that has not started, releasing their hold.
		fn withdraw_receiver(
			engagement: EngagementId,
			mut e: EngagementOf<T>,
			index: usize,
			actor: &T::AccountId,
		) -> DispatchResult {
			let receiver = e.receivers.remove(index);
			let refunded = T::Ledger::held(receiver.hold).unwrap_or(0);
			if refunded > 0 {
				T::Ledger::release(receiver.hold, actor)?;
			}
			Listings::<T>::mutate(e.listing, |maybe| {
				if let Some(l) = maybe {
					l.accepted = l.accepted.saturating_sub(1);
				}
			});
			Engagements::<T>::insert(engagement, e);
			Self::deposit_event(Event::ReceiverWithdrew {
				engagement,
				receiver: receiver.who,
				refunded,
			});
			Ok(())
		}

		fn new_engagement(
			listing: ListingId,
			provider: T::AccountId,
			receivers: BoundedVec<Receiver<T::AccountId>, T::MaxParticipants>,
		) -> Result<EngagementId, DispatchError> {
			let id = NextEngagementId::<T>::get();
			NextEngagementId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Engagements::<T>::insert(
				id,
				Engagement {
					listing,
					provider,
					receivers,
					state: EngagementState::Accepted,
					check_in_code: None,
					checked_in_at: None,
					checked_out_at: None,
					measured_minutes: 0,
					confirm_due: None,
					payout: None,
				},
			);
			Ok(id)
		}

		/// An engagement nobody checked in to is cancelled one confirmation window after its
		/// slot ends.
		fn schedule_no_show(listing: &ListingOf<T>, engagement: EngagementId) -> DispatchResult {
			let now_ms = T::UnixTime::now().as_millis() as u64;
			let per_block = T::MillisecsPerBlock::get().max(1);
			let blocks_to_slot_end: BlockNumberFor<T> =
				(listing.draft.slot_end.saturating_sub(now_ms) / per_block).unique_saturated_into();
			let due = frame_system::Pallet::<T>::block_number()
				.saturating_add(blocks_to_slot_end)
				.saturating_add(Self::policy(listing.draft.branch).confirm_window);
			Self::schedule(due, DueTask::NoShow(engagement)).map(|_| ())
		}

		/// Put `task` in the first bucket at or after `at` (and after the current block) with
		/// room, looking a bounded number of blocks ahead.
		fn schedule(
			at: BlockNumberFor<T>,
			task: DueTask,
		) -> Result<BlockNumberFor<T>, DispatchError> {
			let earliest = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
			let mut block = at.max(earliest);
			for _ in 0..SCHEDULE_LOOKAHEAD {
				let placed = DueTasks::<T>::mutate(block, |bucket| bucket.try_push(task).is_ok());
				if placed {
					return Ok(block);
				}
				block = block.saturating_add(1u32.into());
			}
			Err(Error::<T>::SchedulerFull.into())
		}

		/// Work through due buckets from the cursor, at most `MaxDueTasksPerBlock` tasks and
		/// twice as many buckets per block; a partly done bucket keeps its rest for the next.
		pub(crate) fn run_due_tasks(now: BlockNumberFor<T>) -> Weight {
			let budget = T::MaxDueTasksPerBlock::get();
			let mut done = 0u32;
			let mut buckets = 0u32;
			let mut cursor = DueCursor::<T>::get();
			// Nothing is ever due before the pallet's first block (a chain may add it late).
			if cursor.is_zero() {
				cursor = now;
			}
			while cursor <= now && done < budget && buckets < budget.saturating_mul(2) {
				buckets += 1;
				let mut bucket = DueTasks::<T>::take(cursor).into_inner();
				let take = (budget - done).min(bucket.len() as u32) as usize;
				let rest =
					BoundedVec::<_, T::MaxDueTasksPerBlock>::truncate_from(bucket.split_off(take));
				for task in bucket {
					Self::run_task(task, now);
				}
				done += take as u32;
				if rest.is_empty() {
					cursor = cursor.saturating_add(1u32.into());
				} else {
					DueTasks::<T>::insert(cursor, rest);
					break;
				}
			}
			DueCursor::<T>::put(cursor);
			T::WeightInfo::on_initialize_idle()
				.saturating_mul(u64::from(buckets.max(1)))
				.saturating_add(
					T::WeightInfo::due_task(T::MaxParticipants::get())
						.saturating_mul(u64::from(done)),
				)
		}

		fn run_task(task: DueTask, now: BlockNumberFor<T>) {
			let result = frame_support::storage::with_storage_layer(|| -> DispatchResult {
				match task {
					DueTask::ExpireListing(listing) => {
						Listings::<T>::try_mutate(listing, |maybe| -> DispatchResult {
							if let Some(l) = maybe {
								if matches!(l.status, ListingStatus::Open | ListingStatus::InReview)
									&& l.expires_at <= now
								{
									l.status = if l.accepted == 0 {
										ListingStatus::Expired
									} else {
										ListingStatus::Closed
									};
									Self::deposit_event(Event::ListingExpired { listing });
								}
							}
							Ok(())
						})?;
						let _ = Applications::<T>::clear_prefix(
							listing,
							T::MaxApplications::get(),
							None,
						);
						Ok(())
					}
					DueTask::NoShow(engagement) => match Engagements::<T>::get(engagement) {
						Some(e) if e.state == EngagementState::Accepted => {
							let actor = e.provider.clone();
							Self::cancel(engagement, e, &actor, None)
						}
						_ => Ok(()),
					},
					DueTask::AutoConfirm(engagement) => match Engagements::<T>::get(engagement) {
						Some(e)
							if e.state == EngagementState::CheckedOut
								&& e.confirm_due.is_some_and(|due| due <= now) =>
						{
							let branch = Self::branch_of(&e)?;
							let actor = e.provider.clone();
							Self::deposit_event(Event::Confirmed { engagement, by: None });
							Self::settle_measured(engagement, e, branch, &actor)
						}
						_ => Ok(()),
					},
				}
			});
			if let Err(error) = result {
				Self::deposit_event(Event::DueTaskFailed { task, error });
			}
		}

		fn branch_of(e: &EngagementOf<T>) -> Result<BranchId, DispatchError> {
			Listings::<T>::get(e.listing)
				.map(|l| l.draft.branch)
				.ok_or_else(|| Error::<T>::UnknownListing.into())
		}

		fn ensure_officer(
			branch: BranchId,
			who: &T::AccountId,
			role: OfficerRole,
		) -> DispatchResult {
			ensure!(T::Membership::is_officer(branch, who, role), Error::<T>::NotBranchOfficer);
			Ok(())
		}

		fn is_staff(branch: BranchId, who: &T::AccountId) -> bool {
			T::Membership::is_officer(branch, who, OfficerRole::Staff)
		}

		fn ensure_certified(who: &T::AccountId, category: &Category) -> DispatchResult {
			if let Some(skill) = category.required_skill {
				ensure!(T::Certification::is_certified(who, skill), Error::<T>::MissingCertificate);
			}
			Ok(())
		}

		/// `by` is `member`, their proxy with `request_services`, or staff of their home branch.
		fn speaks_for(by: &T::AccountId, member: &T::AccountId, _branch: BranchId) -> bool {
			by == member
				|| T::Membership::member(member).is_some_and(|m| Self::is_staff(m.home_branch, by))
				|| T::Membership::proxy_permissions(member, by).is_some_and(|p| p.request_services)
		}

		/// `by` is a receiver, a receiver's proxy with `confirm_services`, or staff of `branch`,
		/// and never the provider.
		fn speaks_for_receiver(by: &T::AccountId, e: &EngagementOf<T>, branch: BranchId) -> bool {
			if by == &e.provider {
				return false;
			}
			Self::is_staff(branch, by)
				|| e.receivers.iter().any(|r| {
					&r.who == by
						|| T::Membership::proxy_permissions(&r.who, by)
							.is_some_and(|p| p.confirm_services)
				})
		}

		/// A listing as `timebank_listing` shows it.
		pub fn listing_view(id: ListingId) -> Option<ListingView<T::AccountId>> {
			let l = Listings::<T>::get(id)?;
			let d = l.draft;
			Some(ListingView {
				kind: d.kind,
				branch: d.branch,
				category: d.category,
				slot_start: d.slot_start,
				slot_end: d.slot_end,
				area: d.area,
				estimated_minutes: d.estimated_minutes,
				min_trust: d.min_trust,
				max_participants: d.max_participants,
				owner: l.owner,
				published_by: l.published_by,
				status: l.status,
				accepted: l.accepted,
				applications: l.applications,
				expires_at: l.expires_at.unique_saturated_into(),
			})
		}

		/// An engagement as `timebank_engagement` shows it, with what each hold still holds.
		pub fn engagement_view(id: EngagementId) -> Option<EngagementView<T::AccountId>> {
			let e = Engagements::<T>::get(id)?;
			Some(EngagementView {
				listing: e.listing,
				provider: e.provider,
				receivers: e
					.receivers
					.into_iter()
					.map(|r| (r.who, T::Ledger::held(r.hold).unwrap_or(0)))
					.collect(),
				state: e.state,
				checked_in_at: e.checked_in_at,
				checked_out_at: e.checked_out_at,
				measured_minutes: e.measured_minutes,
				confirm_due: e.confirm_due.map(|b| b.unique_saturated_into()),
				payout: e.payout,
			})
		}

		/// A running engagement has an open escrow hold per receiver, a settled or cancelled one
		/// none, and a checked-out one a confirmation deadline.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (_, e) in Engagements::<T>::iter() {
				let open = e.receivers.iter().filter(|r| T::Ledger::held(r.hold).is_some()).count();
				match e.state {
					EngagementState::Settled | EngagementState::Cancelled => {
						if open > 0 {
							return Err("a finished engagement still holds credits".into());
						}
					}
					_ => {
						if open != e.receivers.len() {
							return Err("a running engagement lost a hold".into());
						}
					}
				}
				if e.state == EngagementState::CheckedOut && e.confirm_due.is_none() {
					return Err("a checked-out engagement has no deadline".into());
				}
			}
			Ok(())
		}
	}

	impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
		fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
			match subject {
				ReviewSubject::Listing(_) => {
					matches!(decision, Decision::Approve | Decision::Reject)
				}
				ReviewSubject::Dispute(_) => matches!(decision, Decision::Arbitrate(_)),
				_ => false,
			}
		}

		/// The owner and publisher of a listing; the provider, the receivers, their proxies and
		/// the listing's publisher for an engagement.
		fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
			match subject {
				ReviewSubject::Listing(id) => Listings::<T>::get(id)
					.is_some_and(|l| &l.owner == who || &l.published_by == who),
				ReviewSubject::Dispute(id) => Engagements::<T>::get(id).is_some_and(|e| {
					&e.provider == who
						|| T::Membership::proxy_permissions(&e.provider, who).is_some()
						|| Listings::<T>::get(e.listing).is_some_and(|l| &l.published_by == who)
						|| e.receivers.iter().any(|r| {
							&r.who == who || T::Membership::proxy_permissions(&r.who, who).is_some()
						})
				}),
				_ => false,
			}
		}

		fn execute(
			subject: &ReviewSubject<T::AccountId>,
			decision: &Decision,
			actor: &T::AccountId,
		) -> DispatchResult {
			match (subject, decision) {
				(ReviewSubject::Listing(listing), Decision::Approve | Decision::Reject) => {
					let approved = *decision == Decision::Approve;
					let mut record =
						Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
					// Withdrawn or expired while in review: the decision changes nothing.
					if record.status != ListingStatus::InReview {
						return Ok(());
					}
					record.status =
						if approved { ListingStatus::Open } else { ListingStatus::Rejected };
					Listings::<T>::insert(listing, record);
					Self::deposit_event(Event::ListingReviewed {
						listing: *listing,
						reviewer: actor.clone(),
						approved,
					});
					Ok(())
				}
				(ReviewSubject::Dispute(engagement), Decision::Arbitrate(outcome)) => {
					Self::arbitrate(*engagement, *outcome, actor)
				}
				_ => Err(Error::<T>::WrongDecision.into()),
			}
		}
	}

	/// How far ahead a listing's slot may end: a year.
	const MAX_SLOT_AHEAD_MS: u64 = 366 * 24 * 60 * 60 * 1000;

	/// How many blocks ahead `schedule` looks for a bucket with room.
	const SCHEDULE_LOOKAHEAD: u32 = 16;
}
