//! Storage version 0 → 1 (`migrations.rs`): the old buckets move to the queue, the counts and
//! budgets are filled, dropped auto-confirmations come back.

use super::*;
use crate::migrations::v1;
use polkadot_sdk::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn version_0_buckets_move_to_the_queue_and_the_counts_are_filled() {
	run(|| {
		engage(GRACE, request(), VICTOR);
		let served = engage(HENRY, request(), WENDY);
		serve(served, 60);
		MockRegistry::update(IRIS, |m| m.redemption_eligible = true);
		let funded =
			ListingDraft { funding: Funding::BranchGrant, max_participants: 2, ..request() };
		let funded = publish(ADMIN0, funded, Some(IRIS));
		assert_ok!(A::apply(signed(XAVIER), funded));
		assert_ok!(A::accept(signed(ADMIN0), funded, XAVIER));

		// Storage as version 0 had it: the tasks in buckets, the auto-confirmation of the
		// served engagement dropped after a failure, no counts, no budgets.
		let mut before: Vec<(u64, DueTask)> = DueQueue::<Test>::iter_keys().collect();
		let _ = DueQueue::<Test>::clear(u32::MAX, None);
		before.retain(|(_, task)| *task != DueTask::AutoConfirm(served));
		for (block, task) in &before {
			v1::old::DueTasks::<Test>::mutate(block, |bucket| {
				let mut b = bucket.take().unwrap_or_default();
				b.try_push(*task).expect("a bucket has room");
				*bucket = Some(b);
			});
		}
		let _ = OpenListings::<Test>::clear(u32::MAX, None);
		let _ = PendingTasks::<Test>::clear(u32::MAX, None);
		let _ = GrantBudgets::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Pallet<Test>>();
		assert!(A::do_try_state().is_err());

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(v1::old::DueTasks::<Test>::iter().count(), 0);
		for (block, task) in &before {
			assert_eq!(DueQueue::<Test>::get(block, task), Some(0));
		}
		assert_eq!(
			DueQueue::<Test>::get(1 + CONFIRM_WINDOW, DueTask::AutoConfirm(served)),
			Some(0)
		);
		assert_eq!(
			[GRACE, HENRY, IRIS].map(OpenListings::<Test>::get),
			[1, 1, 1],
			"one open listing each"
		);
		assert_eq!([GRACE, HENRY, IRIS].map(PendingTasks::<Test>::get), [1, 1, 1]);
		assert_eq!(GrantBudgets::<Test>::get(funded), Some(60), "one of two places taken");
		// Running it again changes nothing: the version is 1 now.
		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(DueQueue::<Test>::iter().count(), before.len() + 1);
	});
}
