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
//! Timed work (listing expiry, no-shows, auto-confirmation) goes into a queue ordered by the block
//! it falls due in; `on_initialize` works through it with a fixed budget per block, carrying any
//! excess to the next block. A task whose settlement fails is tried again later.
//!
//! ## Interface
//!
//! Branch admins: `set_category`, `set_activity_policy`. Branch staff: every
//! participant's action on their behalf but `rate` (a rating is the member's own opinion, so
//! staff never give one in a member's name). Members and proxies: `publish`, `cancel_listing`,
//! `apply`, `accept`, `set_check_in_code`, `check_in`, `check_out`, `confirm`, `dispute`,
//! `cancel_engagement`, `rate`. The audits pallet: [`Pallet::arbitrate`].
//!
//! ## Code map
//!
//! The files follow a service's life. This file holds the FRAME sections; each call checks its
//! origin and hands over to the file of its stage.
//! - `types.rs`: the stored and submitted data.
//! - `events.rs`: the events and errors (a pallet section this file imports).
//! - `catalogue.rs`: the branch's categories and activity policy.
//! - `listings.rs`: publishing, applying, withdrawing, review decisions, expiry, closing offers.
//! - `engagements.rs`: acceptance, check-in and check-out, confirmation, disputes, cancellation,
//!   and who speaks for a receiver.
//! - `settlement.rs`: escrow and payment; **the only file that calls the ledger** (`T::Ledger`).
//! - `grants.rs`: requests paid from the grant account: their budget, its review and its use.
//! - `schedule.rs`: the timed-task queue, retries of failed tasks and `on_initialize`.
//! - `migrations.rs`: storage migrations, one module per storage version.
//! - `trust.rs`: ratings, service records and trust levels.
//! - `views.rs`: what the `timebank_listing` and `timebank_engagement` RPCs return.
//! - `invariants.rs`: `do_try_state`. `review.rs`: the audits pallet's way in (`ReviewOutcome`).
//!
//! Who may act is asked through [`timebank_primitives::Authority`]: officers act for a receiver
//! only as staff of that receiver's home branch, and a proxy accepts a volunteer only when it
//! may also confirm services (`engagements.rs`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod catalogue;
mod engagements;
mod events;
mod grants;
mod invariants;
mod listings;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod property_tests;
mod rekey;
mod review;
mod schedule;
mod settlement;
#[cfg(test)]
mod tests;
mod trust;
mod types;
mod views;

pub use timebank_primitives::{
	ArbitrationOutcome, EngagementState, ListingKind, ListingStatus, Payout,
};
pub use weights::WeightInfo;

// `frame_support` and `frame_system` stay out of scope here: the pallet macro spells their
// paths in full (`polkadot_sdk::frame_system::Config` as supertrait, `polkadot_sdk::frame_support`
// in what it generates), which would otherwise be unnecessary qualifications.
use polkadot_sdk::{frame_support::pallet_macros::import_section, sp_core::H256};
use timebank_primitives::{
	BranchId, CategoryId, Certification, EngagementId, HoldId, Ledger, ListingId, Membership,
	Minutes, NotOfficer, ReviewQueue, TrustLevel,
};

// The pallet macro expands every storage item and the error enum into code that names
// `frame_support::__private::Vec` and `core::fmt::Debug` in full, under our spans; with `Vec` and
// `Debug` in scope those count as unnecessary qualifications. This module holds only the FRAME
// sections (the logic is in the files beside it, where the lint applies).
#[import_section(events::events_and_errors)]
#[allow(unused_qualifications)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::frame_support::{
		dispatch::Pays,
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use polkadot_sdk::frame_system::pallet_prelude::*;

	/// The storage version: 1 since timed tasks moved from fixed buckets to [`DueQueue`], 2
	/// since listings keep the hash of their description.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Members, branches, officers and proxies (the registry): who may act.
		type Membership: Membership<Self::AccountId>;
		/// The time-credit ledger, which holds escrow and pays settlements.
		type Ledger: Ledger<Self::AccountId>;
		/// Who holds which certificate (the training pallet), for categories that need one.
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
		/// The measured weights of the calls and of the timed work.
		type WeightInfo: WeightInfo;
		/// Sets up branches, members and credits for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
		/// Most listings one member may have open or in review at once.
		#[pallet::constant]
		type MaxOpenListingsPerOwner: Get<u32>;
		/// Most no-show checks (timed tasks) one member's listings may have waiting at once.
		#[pallet::constant]
		type MaxPendingTasksPerAccount: Get<u32>;
	}

	// Hashers: ids the chain hands out (branches, listings, engagements, block numbers) and ids
	// chosen by a branch's admins (categories) use `Twox64Concat`, which is fast and safe because
	// nobody can pick many keys that collide; account ids are chosen by whoever creates the
	// account, so keys holding one use `Blake2_128Concat`.

	/// The service catalogue of each branch: category by branch and category id.
	///
	/// Hashers: `Twox64Concat`, the branch id is the registry's and the category id its admins'.
	#[pallet::storage]
	pub type Catalogue<T> =
		StorageDoubleMap<_, Twox64Concat, BranchId, Twox64Concat, CategoryId, Category>;

	/// The activity policy of each branch that set one (others use the default policy).
	///
	/// Hasher: `Twox64Concat`, branch ids are handed out by the registry.
	#[pallet::storage]
	pub type Policies<T: Config> =
		StorageMap<_, Twox64Concat, BranchId, ActivityPolicy<BlockNumberFor<T>>>;

	/// The id the next published listing gets.
	#[pallet::storage]
	pub type NextListingId<T> = StorageValue<_, ListingId, ValueQuery>;

	/// Every published listing, by id, whatever its status.
	///
	/// Hasher: `Twox64Concat`, listing ids are a counter.
	#[pallet::storage]
	pub type Listings<T: Config> = StorageMap<_, Twox64Concat, ListingId, ListingOf<T>>;

	/// Pending applications per listing: (listing, applicant) → ().
	///
	/// Hashers: `Twox64Concat` for the listing (a counter), `Blake2_128Concat` for the applicant
	/// (an account anyone can create).
	#[pallet::storage]
	pub type Applications<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ListingId, Blake2_128Concat, T::AccountId, ()>;

	/// The id the next engagement gets.
	#[pallet::storage]
	pub type NextEngagementId<T> = StorageValue<_, EngagementId, ValueQuery>;

	/// Every engagement, by id, from acceptance on, whatever its state.
	///
	/// Hasher: `Twox64Concat`, engagement ids are a counter.
	#[pallet::storage]
	pub type Engagements<T: Config> = StorageMap<_, Twox64Concat, EngagementId, EngagementOf<T>>;

	/// The one group engagement of each offer that has accepted a receiver.
	///
	/// Hasher: `Twox64Concat`, listing ids are a counter.
	#[pallet::storage]
	pub type OfferEngagement<T> = StorageMap<_, Twox64Concat, ListingId, EngagementId>;

	/// Each member's services given and received and the ratings they got, for the trust level.
	///
	/// Hasher: `Blake2_128Concat`, the key is an account.
	#[pallet::storage]
	pub type ServiceRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ServiceRecord, ValueQuery>;

	/// Ratings given: (engagement, (rater, ratee)) → stars.
	///
	/// Hashers: `Twox64Concat` for the engagement (a counter), `Blake2_128Concat` for the pair of
	/// accounts.
	#[pallet::storage]
	pub type Ratings<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EngagementId,
		Blake2_128Concat,
		(T::AccountId, T::AccountId),
		u8,
	>;

	/// The first block whose bucket `on_initialize` has not emptied yet.
	#[pallet::storage]
	pub type DueCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Timed tasks by the block they fall due in: (block, task) → failed attempts so far. A
	/// block takes any number of tasks, so scheduling never fails; `on_initialize` works
	/// through them in order of block, `MaxDueTasksPerBlock` per block.
	///
	/// Hashers: `Twox64Concat`, block numbers are the chain's and tasks name ids it hands out.
	#[pallet::storage]
	pub type DueQueue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, DueTask, u32>;

	/// How many no-show checks of each member's listings wait in [`DueQueue`] (at most
	/// `MaxPendingTasksPerAccount`).
	///
	/// Hasher: `Blake2_128Concat`, the key is an account.
	#[pallet::storage]
	pub type PendingTasks<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many listings of each member are open or in review (at most
	/// `MaxOpenListingsPerOwner`).
	///
	/// Hasher: `Blake2_128Concat`, the key is an account.
	#[pallet::storage]
	pub type OpenListings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// What a request paid from the branch's grant account may still hold from it, in minutes:
	/// the budget approved at publication (estimate × participants), less what its running and
	/// settled engagements hold or paid.
	///
	/// Hasher: `Twox64Concat`, listing ids are a counter.
	#[pallet::storage]
	pub type GrantBudgets<T> = StorageMap<_, Twox64Concat, ListingId, Minutes>;

	/// Accounts other than the provider that acted in an engagement (accepted, checked in or
	/// out, disputed): officers among them may not vote on its dispute.
	///
	/// Hashers: `Twox64Concat` for the engagement (a counter), `Blake2_128Concat` for the account.
	#[pallet::storage]
	pub type Acted<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EngagementId, Blake2_128Concat, T::AccountId, ()>;
	/// Who takes part in each listing, and in which engagement: the volunteer of each of a
	/// request's engagements, each receiver of an offer's group. A member takes one place per
	/// listing; the entry goes when that engagement is cancelled or the receiver withdraws.
	///
	/// Hashers: `Twox64Concat` for the listing (a counter), `Blake2_128Concat` for the member
	/// (an account anyone can create).
	#[pallet::storage]
	pub type ListingParticipants<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ListingId, Blake2_128Concat, T::AccountId, EngagementId>;

	/// The engagement each provider is checked in to right now: one at a time, from check-in
	/// until check-out (or a dispute).
	///
	/// Hasher: `Blake2_128Concat`, the key is an account.
	#[pallet::storage]
	pub type CheckedInProviders<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EngagementId>;

	/// How many engagements each member takes part in (as provider or receiver) that are not
	/// yet settled or cancelled: re-keying waits for them to end (decision 0013).
	///
	/// Hasher: `Blake2_128Concat`, the key is an account.
	#[pallet::storage]
	pub type OpenEngagements<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::run_due_tasks(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	// Every call is free for members (`Pays::No` in its weight), so members without tokens pass
	// the fee check in the pool; the calls return plain `DispatchResult` unless they refund
	// weight.
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Add, change or (with `None`) remove a category of the branch's service catalogue:
		/// the branch's admins.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set_category(), Pays::No))]
		pub fn set_category(
			origin: OriginFor<T>,
			branch: BranchId,
			category: CategoryId,
			value: Option<Category>,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_set_category(&admin, branch, category, value)
		}

		/// Set the branch's review, confirmation-window, lifetime and check-in-code rules: the
		/// branch's admins.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::set_activity_policy(), Pays::No))]
		pub fn set_activity_policy(
			origin: OriginFor<T>,
			branch: BranchId,
			policy: ActivityPolicy<BlockNumberFor<T>>,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_set_activity_policy(&admin, branch, policy)
		}

		/// Publish a request or offer for `owner` (the signer when `None`). A proxy publishes
		/// requests with the `request_services` permission; staff of the owner's home branch
		/// publish for them.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::publish(), Pays::No))]
		pub fn publish(
			origin: OriginFor<T>,
			draft: ListingDraft,
			owner: Option<T::AccountId>,
		) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			Self::do_publish(signer, draft, owner)
		}

		/// Withdraw a listing that has no running engagements: the owner, their proxy or staff.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::cancel_listing(), Pays::No))]
		pub fn cancel_listing(origin: OriginFor<T>, listing: ListingId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_listing(by, listing)
		}

		/// Apply to an open listing: as a volunteer to a request, or as a receiver to an offer.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::apply(), Pays::No))]
		pub fn apply(origin: OriginFor<T>, listing: ListingId) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			Self::do_apply(applicant, listing)
		}

		/// Accept an applicant: the owner, staff of the owner's home branch, or (requests only)
		/// the owner's proxy holding both `request_services` and `confirm_services`, since the
		/// owner's credits go into escrow and settle without further signature. The paying side's
		/// estimated credits go into escrow now: the request's funding for each volunteer, or
		/// each receiver's share of an offer's estimate.
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::accept(), Pays::No))]
		pub fn accept(
			origin: OriginFor<T>,
			listing: ListingId,
			applicant: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_accept(by, listing, applicant)
		}

		/// Record the commitment to the one-time code a receiver will show the provider at
		/// check-in ([`Pallet::check_in_commitment`] of this engagement, a secret salt and the
		/// code): a receiver, their proxy with `confirm_services`, or staff of a receiver's home
		/// branch. Setting it again replaces it.
		#[pallet::call_index(7)]
		#[pallet::weight((T::WeightInfo::set_check_in_code(), Pays::No))]
		pub fn set_check_in_code(
			origin: OriginFor<T>,
			engagement: EngagementId,
			code_hash: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_set_check_in_code(by, engagement, code_hash)
		}

		/// Start the service: the provider (with the receiver's salt and code when the branch
		/// requires it) or staff of the receivers' home branch. The time is the chain's, from a
		/// quarter of an hour before the slot starts until it ends; a provider is checked in to
		/// one service at a time.
		#[pallet::call_index(8)]
		#[pallet::weight((T::WeightInfo::check_in(), Pays::No))]
		pub fn check_in(
			origin: OriginFor<T>,
			engagement: EngagementId,
			proof: Option<CheckInProof>,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_check_in(by, engagement, proof)
		}

		/// End the service: the provider or staff of the receivers' home branch. The measured
		/// duration (at most the slot's length) is recorded and the confirmation window
		/// starts.
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::check_out(), Pays::No))]
		pub fn check_out(origin: OriginFor<T>, engagement: EngagementId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_check_out(by, engagement)
		}

		/// Confirm the measured duration and settle: a receiver, their proxy (with
		/// `confirm_services`) or staff of the receiver's home branch (of every receiver's, for
		/// a group). To contest the duration, dispute instead.
		#[pallet::call_index(10)]
		#[pallet::weight((T::WeightInfo::confirm(T::MaxParticipants::get()), Pays::No))]
		pub fn confirm(
			origin: OriginFor<T>,
			engagement: EngagementId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let receivers = Self::do_confirm(by, engagement)?;
			Ok(Some(T::WeightInfo::confirm(receivers)).into())
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
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_dispute(by, engagement, reason)
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
			let released = Self::do_cancel_engagement(by, engagement)?;
			Ok(Some(T::WeightInfo::cancel_engagement(released)).into())
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
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_rate(by, engagement, ratee, stars)
		}

		/// Withdraw one's own pending application to a listing.
		#[pallet::call_index(14)]
		#[pallet::weight((T::WeightInfo::withdraw_application(), Pays::No))]
		pub fn withdraw_application(origin: OriginFor<T>, listing: ListingId) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			Self::do_withdraw_application(applicant, listing)
		}
	}

	/// Typed read-only queries for clients, through the runtime's `RuntimeViewFunction` API
	/// and the metadata.
	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// `who`'s trust level (what listings' `min_trust` is compared with) and the service
		/// record it is computed from.
		pub fn trust(who: T::AccountId) -> (TrustLevel, ServiceRecord) {
			(Self::trust_level(&who), ServiceRecords::<T>::get(&who))
		}

		/// Whether `who` has a pending application to `listing`.
		pub fn has_applied(listing: ListingId, who: T::AccountId) -> bool {
			Applications::<T>::contains_key(listing, &who)
		}
	}
}
