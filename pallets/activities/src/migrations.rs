//! Storage migrations of the activities pallet, one module per storage version. List each in
//! the runtime's `Migrations`; `VersionedMigration` runs it once, when the stored version
//! matches.

/// Version 0 → 1: timed tasks move from fixed per-block buckets (`DueTasks`, at most
/// `MaxDueTasksPerBlock` a block) to [`DueQueue`](crate::DueQueue), where a block takes any
/// number (M4); the new per-member counts ([`OpenListings`](crate::OpenListings),
/// [`PendingTasks`](crate::PendingTasks)) and the budgets of grant-funded requests
/// ([`GrantBudgets`](crate::GrantBudgets)) are filled from the listings; and every checked-out
/// engagement whose auto-confirmation an earlier runtime dropped after a failure gets it back
/// (M3).
pub mod v1 {
	use crate::{
		Config, DueQueue, DueTask, Engagements, GrantBudgets, Listings, OpenListings, Pallet,
		PendingTasks,
	};
	use alloc::collections::BTreeSet;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::{
		frame_system::{self, pallet_prelude::BlockNumberFor},
		sp_runtime::traits::Saturating,
	};
	use timebank_primitives::{EngagementState, ListingStatus};

	/// The buckets as storage version 0 kept them, to read the tasks to move.
	pub(crate) mod old {
		use crate::{Config, DueTask, Pallet};
		use polkadot_sdk::{
			frame_support::{storage_alias, BoundedVec, Twox64Concat},
			frame_system::pallet_prelude::BlockNumberFor,
		};

		/// `DueTasks`: the tasks of each block, at most `MaxDueTasksPerBlock`.
		#[storage_alias]
		pub type DueTasks<T: Config> = StorageMap<
			Pallet<T>,
			Twox64Concat,
			BlockNumberFor<T>,
			BoundedVec<DueTask, <T as Config>::MaxDueTasksPerBlock>,
		>;
	}

	/// Moves the buckets into the queue and fills the new counts. Runs in the upgrade block
	/// itself: it reads every bucket, listing and engagement once, which the young chains this
	/// runtime serves hold a few thousand of; a chain with far more would need a multi-block
	/// migration.
	pub struct MoveToDueQueue<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for MoveToDueQueue<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			let mut queued = BTreeSet::new();
			for (block, bucket) in old::DueTasks::<T>::drain() {
				reads += 1;
				for task in bucket {
					DueQueue::<T>::insert(block, task, 0u32);
					queued.insert(task);
					writes += 1;
				}
				writes += 1;
			}
			for (id, l) in Listings::<T>::iter() {
				reads += 1;
				if matches!(l.status, ListingStatus::Open | ListingStatus::InReview) {
					OpenListings::<T>::mutate(&l.owner, |n| *n = n.saturating_add(1));
					writes += 1;
				}
				// A request published before budgets keeps what its open places may hold.
				if let Ok(Some(budget)) = Pallet::<T>::grant_budget(&l.draft) {
					let used = l.draft.estimated_minutes.saturating_mul(u64::from(l.accepted));
					GrantBudgets::<T>::insert(id, budget.saturating_sub(used));
					writes += 1;
				}
			}
			let next = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
			for (id, e) in Engagements::<T>::iter() {
				reads += 1;
				if queued.contains(&DueTask::NoShow(id)) {
					if let Some(l) = Listings::<T>::get(e.listing) {
						PendingTasks::<T>::mutate(&l.owner, |n| *n = n.saturating_add(1));
						reads += 1;
						writes += 1;
					}
				}
				if e.state == EngagementState::CheckedOut
					&& !queued.contains(&DueTask::AutoConfirm(id))
				{
					let at: BlockNumberFor<T> = e.confirm_due.unwrap_or(next).max(next);
					DueQueue::<T>::insert(at, DueTask::AutoConfirm(id), 0u32);
					writes += 1;
				}
			}
			T::DbWeight::get().reads_writes(reads, writes.saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the activities
	/// pallet's stored version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		MoveToDueQueue<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 1 → 2: every listing's draft gains `details_hash` (clients-plan finding F12), the
/// hash of its description kept off chain. Listings published before have none: all zeros.
pub mod v2 {
	use crate::{Config, Listing, ListingDraft, Listings, Pallet};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system::{self, pallet_prelude::BlockNumberFor},
		sp_core::H256,
	};

	/// The listing layout of storage version 1, to decode the listings to rewrite; the fields
	/// mean what they mean in today's types.
	#[allow(missing_docs)]
	pub(crate) mod old {
		use crate::{Funding, ListingKind};
		use codec::{Decode, Encode, MaxEncodedLen};
		use scale_info::TypeInfo;
		use timebank_primitives::{BranchId, CategoryId, ListingStatus, Minutes, TrustLevel};

		/// `ListingDraft` before `details_hash`.
		#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
		pub struct ListingDraft {
			pub kind: ListingKind,
			pub branch: BranchId,
			pub category: CategoryId,
			pub slot_start: u64,
			pub slot_end: u64,
			pub area: u32,
			pub estimated_minutes: Minutes,
			pub min_trust: TrustLevel,
			pub max_participants: u32,
			pub funding: Funding,
		}

		/// `Listing` holding the old draft.
		#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
		pub struct Listing<AccountId, BlockNumber> {
			pub draft: ListingDraft,
			pub owner: AccountId,
			pub published_by: AccountId,
			pub status: ListingStatus,
			pub accepted: u32,
			pub applications: u32,
			pub expires_at: BlockNumber,
		}
	}

	/// Rewrites every listing with an all-zero `details_hash`. Runs in the upgrade block: a
	/// young chain has a few thousand listings.
	pub struct AddDetailsHash<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for AddDetailsHash<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut rewritten = 0u64;
			Listings::<T>::translate::<old::Listing<T::AccountId, BlockNumberFor<T>>, _>(|_, l| {
				rewritten += 1;
				let d = l.draft;
				Some(Listing {
					draft: ListingDraft {
						kind: d.kind,
						branch: d.branch,
						category: d.category,
						slot_start: d.slot_start,
						slot_end: d.slot_end,
						area: d.area,
						estimated_minutes: d.estimated_minutes,
						min_trust: d.min_trust,
						max_participants: d.max_participants,
						funding: d.funding,
						details_hash: H256::zero(),
					},
					owner: l.owner,
					published_by: l.published_by,
					status: l.status,
					accepted: l.accepted,
					applications: l.applications,
					expires_at: l.expires_at,
				})
			});
			T::DbWeight::get().reads_writes(rewritten, rewritten)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(
			_: alloc::vec::Vec<u8>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the stored version
	/// is 1, and sets it to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		AddDetailsHash<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 2 → 3: [`OpenEngagements`](crate::OpenEngagements) counts, per member, the
/// engagements they take part in that are not settled or cancelled, so re-keying can refuse
/// while one runs (decision 0013). Filled from `Engagements`, read once in the upgrade block.
pub mod v3 {
	use crate::{Config, Engagements, OpenEngagements, Pallet};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system,
	};

	/// Counts each member's running engagements.
	pub struct CountOpenEngagements<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountOpenEngagements<T> {
		fn on_runtime_upgrade() -> Weight {
			let engagements = Engagements::<T>::iter_keys().count() as u64;
			let counts = Pallet::<T>::count_running();
			let members = counts.len() as u64;
			for (who, count) in counts {
				OpenEngagements::<T>::insert(who, count);
			}
			T::DbWeight::get().reads_writes(engagements.saturating_mul(2), members)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(
			_: alloc::vec::Vec<u8>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the stored version
	/// is 2, and sets it to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		CountOpenEngagements<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
