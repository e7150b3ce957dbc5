//! Timed work: listing expiry, no-shows and auto-confirmation wait in per-block buckets of at
//! most `MaxDueTasksPerBlock` tasks, which `on_initialize` works through with a fixed budget.

use crate::{
	weights::WeightInfo, Config, DueCursor, DueTask, DueTasks, Engagements, Error, Event,
	ListingOf, Pallet,
};
use polkadot_sdk::{
	frame_support::{
		storage::with_storage_layer,
		traits::{Get, UnixTime},
		weights::Weight,
		BoundedVec,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{Saturating, UniqueSaturatedInto, Zero},
		DispatchError, DispatchResult,
	},
};
use timebank_primitives::{EngagementId, EngagementState};

/// How many blocks ahead `schedule` looks for a bucket with room.
const SCHEDULE_LOOKAHEAD: u32 = 16;

impl<T: Config> Pallet<T> {
	/// An engagement nobody checked in to is cancelled one confirmation window after its
	/// slot ends.
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
		Self::schedule(due, DueTask::NoShow(engagement)).map(|_| ())
	}

	/// Put `task` in the first bucket at or after `at` (and after the current block) with
	/// room, looking a bounded number of blocks ahead; the block it landed in.
	pub(crate) fn schedule(
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
				T::WeightInfo::due_task(T::MaxParticipants::get()).saturating_mul(u64::from(done)),
			)
	}

	/// Run one task all or nothing (hooks run outside an extrinsic's storage layer); a task
	/// that fails is reported in [`Event::DueTaskFailed`] and dropped.
	fn run_task(task: DueTask, now: BlockNumberFor<T>) {
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
		if let Err(error) = result {
			Self::deposit_event(Event::DueTaskFailed { task, error });
		}
	}
}
