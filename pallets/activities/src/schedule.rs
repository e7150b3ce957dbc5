//! Timed work: listing expiry, no-shows and auto-confirmation wait in a queue ordered by the
//! block they fall due in, which `on_initialize` works through with a fixed budget per block.
//!
//! Scheduling never fails: a block takes any number of tasks, so nobody can make another
//! member's call fail by filling the blocks ahead (M4). What one member can add is bounded
//! instead: each listing's expiry while it is open (at most `MaxOpenListingsPerOwner` open
//! listings) and at most `MaxPendingTasksPerAccount` no-show checks of their listings' services;
//! auto-confirmations follow a provider's check-out of such a service. A task that fails (a
//! settlement the ledger refused) is tried again later, each time after twice the wait, until it
//! succeeds, so escrow never stays frozen for good (M3).

use crate::{
	weights::WeightInfo, Config, DueCursor, DueQueue, DueTask, Engagements, Error, Event,
	ListingOf, Listings, Pallet, PendingTasks,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		ensure,
		storage::with_storage_layer,
		traits::{Get, UnixTime},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{Saturating, UniqueSaturatedInto, Zero},
		DispatchError, DispatchResult,
	},
};
use timebank_primitives::{EngagementId, EngagementState};

/// Blocks before the first new attempt of a failed task (a minute at 6-second blocks).
pub(crate) const RETRY_FIRST_DELAY: u32 = 10;
/// The wait doubles with each failed attempt up to this many doublings (10 × 2¹⁰ blocks, about
/// 17 hours at 6-second blocks), then stays there.
pub(crate) const RETRY_MAX_DOUBLINGS: u32 = 10;

impl<T: Config> Pallet<T> {
	/// An engagement nobody checked in to is cancelled one confirmation window after its
	/// slot ends. The check counts against the listing owner's `MaxPendingTasksPerAccount`.
	pub(crate) fn schedule_no_show(
		listing: &ListingOf<T>,
		engagement: EngagementId,
	) -> DispatchResult {
		let now_ms = T::UnixTime::now().as_millis() as u64;
		let per_block = T::MillisecsPerBlock::get().max(1);
		let blocks_to_slot_end: BlockNumberFor<T> =
			(listing.draft.slot_end.saturating_sub(now_ms) / per_block).unique_saturated_into();
		let due = frame_system::Pallet::<T>::block_number()
			.saturating_add(blocks_to_slot_end)
			.saturating_add(Self::policy(listing.draft.branch).confirm_window);
		PendingTasks::<T>::try_mutate(&listing.owner, |pending| -> DispatchResult {
			ensure!(
				*pending < T::MaxPendingTasksPerAccount::get(),
				Error::<T>::TooManyPendingTasks
			);
			// Cannot overflow: below the bound just checked.
			*pending += 1;
			Ok(())
		})?;
		Self::schedule(due, DueTask::NoShow(engagement)).map(|_| ())
	}

	/// Put `task` in the queue at `at` (at the earliest the next block); the block it landed
	/// in. Never fails: the `Result` stays for the callers' sake.
	pub(crate) fn schedule(
		at: BlockNumberFor<T>,
		task: DueTask,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let earliest = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
		let block = at.max(earliest);
		DueQueue::<T>::insert(block, task, 0u32);
		Ok(block)
	}

	/// Take `task` out of the queue at `at`, if it is there (a listing that closed early needs
	/// no expiry).
	pub(crate) fn unschedule(at: BlockNumberFor<T>, task: DueTask) {
		DueQueue::<T>::remove(at, task);
	}

	/// The member whose `PendingTasks` count `task` is in: a no-show check counts against the
	/// listing's owner; expiry and auto-confirmation count against nobody.
	fn counted_against(task: DueTask) -> Option<T::AccountId> {
		match task {
			DueTask::NoShow(engagement) => Engagements::<T>::get(engagement)
				.and_then(|e| Listings::<T>::get(e.listing))
				.map(|l| l.owner),
			DueTask::ExpireListing(_) | DueTask::AutoConfirm(_) => None,
		}
	}

	/// Work through the queue from the cursor's block, at most `MaxDueTasksPerBlock` tasks and
	/// twice as many blocks per block; a block with tasks left keeps the cursor for the next.
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
			let room = (budget - done) as usize;
			// One more than there is room for, to know whether the block has tasks left.
			let mut tasks: Vec<(DueTask, u32)> =
				DueQueue::<T>::iter_prefix(cursor).take(room.saturating_add(1)).collect();
			let more = tasks.len() > room;
			tasks.truncate(room);
			for (task, attempts) in tasks {
				DueQueue::<T>::remove(cursor, task);
				Self::run_task(task, attempts, now);
				done += 1;
			}
			if more {
				break;
			}
			cursor = cursor.saturating_add(1u32.into());
		}
		DueCursor::<T>::put(cursor);
		T::WeightInfo::on_initialize_idle()
			.saturating_mul(u64::from(buckets.max(1)))
			.saturating_add(
				T::WeightInfo::due_task(T::MaxParticipants::get()).saturating_mul(u64::from(done)),
			)
	}

	/// Run one task all or nothing (hooks run outside an extrinsic's storage layer). A task
	/// that fails is reported in [`Event::DueTaskFailed`] and put back in the queue, later each
	/// time; one that ran no longer counts against its member.
	fn run_task(task: DueTask, attempts: u32, now: BlockNumberFor<T>) {
		let result = with_storage_layer(|| -> DispatchResult {
			match task {
				DueTask::ExpireListing(listing) => {
					Self::expire_listing(listing, now);
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
		match result {
			Ok(()) => {
				if let Some(owner) = Self::counted_against(task) {
					PendingTasks::<T>::mutate_exists(&owner, |pending| {
						*pending = pending.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
					});
				}
			}
			Err(error) => {
				Self::deposit_event(Event::DueTaskFailed { task, error });
				let attempt = attempts.saturating_add(1);
				let at = now.saturating_add(Self::retry_delay(attempt));
				DueQueue::<T>::insert(at, task, attempt);
				Self::deposit_event(Event::DueTaskRescheduled { task, at, attempt });
			}
		}
	}

	/// Blocks to wait before attempt `attempt + 1`: `RETRY_FIRST_DELAY`, doubling with each
	/// failure up to `RETRY_MAX_DOUBLINGS` times.
	pub(crate) fn retry_delay(attempt: u32) -> BlockNumberFor<T> {
		let doublings = attempt.saturating_sub(1).min(RETRY_MAX_DOUBLINGS);
		// Cannot overflow: 10 × 2¹⁰ fits a `u32`.
		(RETRY_FIRST_DELAY << doublings).into()
	}
}
