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
