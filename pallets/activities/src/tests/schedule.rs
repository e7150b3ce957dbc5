//! Timed work: auto-confirmation, no-shows, expiry, the per-block budget, crowded blocks,
//! each member's bound and retries of failed settlements (`schedule.rs`).

use super::*;

#[test]
fn an_unconfirmed_engagement_settles_itself_when_the_window_ends() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 90);
		let due = Engagements::<Test>::get(engagement).and_then(|e| e.confirm_due);
		assert_eq!(due, Some(1 + CONFIRM_WINDOW));
		advance_to(CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::CheckedOut);
		advance_to(1 + CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::Settled);
		// 90 measured minutes, but escrow only holds the 60-minute estimate: no credit from
		// nothing.
		assert_eq!((spendable(GRACE), spendable(VICTOR), escrow()), (540, 60, 0));
		assert!(events().contains(&Event::Confirmed { engagement, by: None }));
	});
}

#[test]
fn a_no_show_is_cancelled_and_its_hold_returned() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		// Slot ends 3 h after start: 1,800 blocks of 6 s, then the confirmation window.
		let due = 1 + 3 * 600 + CONFIRM_WINDOW;
		advance_to(due - 1);
		assert_eq!(state(engagement), EngagementState::Accepted);
		advance_to(due);
		assert_eq!(state(engagement), EngagementState::Cancelled);
		assert_eq!((spendable(GRACE), escrow()), (600, 0));
		assert!(events().contains(&Event::EngagementCancelled {
			engagement,
			by: None,
			refunded: 60
		}));
	});
}

#[test]
fn stale_listings_expire_and_lose_their_applications() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		advance_to(1 + LISTING_LIFETIME);
		let l = Listings::<Test>::get(listing).expect("listing");
		assert_eq!(l.status, ListingStatus::Expired);
		assert!(!Applications::<Test>::contains_key(listing, VICTOR));
		assert_noop!(A::apply(signed(WENDY), listing), E::ListingNotOpen);
	});
}

#[test]
fn timed_work_is_bounded_per_block_and_carries_over() {
	run(|| {
		// Ten listings expire in the same block; each block does at most 4, the rest waits.
		for _ in 0..10 {
			publish(GRACE, request(), None);
		}
		assert_eq!(queued_at(1 + LISTING_LIFETIME), 10);
		advance_to(1 + LISTING_LIFETIME);
		let expired =
			|| Listings::<Test>::iter().filter(|(_, l)| l.status == ListingStatus::Expired).count();
		assert_eq!(expired(), 4);
		advance_to(3 + LISTING_LIFETIME);
		assert_eq!(expired(), 10);
		assert_eq!(DueCursor::<Test>::get(), 4 + LISTING_LIFETIME);
	});
}

/// Tasks waiting in `block`.
fn queued_at(block: u64) -> usize {
	DueQueue::<Test>::iter_prefix(block).count()
}

fn volunteer(who: AccountId) {
	MockRegistry::add_member(who, 0, MemberRoles { volunteer: true, ..Default::default() });
}

// M4: other members fill every block where an honest check-out's auto-confirmation could fall,
// through no-show checks whose slot ends they chose. The old scheduler refused the check-out
// (`SchedulerFull`); now it succeeds, and the queue catches up within a bounded number of blocks.
#[test]
fn nobody_can_make_another_members_check_out_fail_by_filling_the_blocks_ahead() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		// A check-out now is auto-confirmed at `target`; a no-show check accepted now lands one
		// confirmation window after its slot's end.
		let target = 1 + CONFIRM_WINDOW;
		let per_block = u64::from(MAX_TASKS_PER_BLOCK);
		for i in 0..16 * per_block {
			let (provider, receiver) = (1_000 + i, 2_000 + i);
			volunteer(provider);
			MockRegistry::add_member(
				receiver,
				0,
				MemberRoles { recipient: true, ..Default::default() },
			);
			assert_ok!(LedgerPallet::grant(signed(ADMIN0), receiver, 1, Default::default()));
			let now = MockClock::now_ms();
			let slot_end = now + (i / per_block) * MILLISECS_PER_BLOCK + 1;
			let draft =
				ListingDraft { slot_start: now, slot_end, estimated_minutes: 1, ..offer(1) };
			let listing = publish(provider, draft, None);
			assert_ok!(A::apply(signed(receiver), listing));
			assert_ok!(A::accept(signed(provider), listing, receiver));
		}
		for block in target..target + 16 {
			assert_eq!(queued_at(block), MAX_TASKS_PER_BLOCK as usize, "block {block} is full");
		}
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		assert_eq!(queued_at(target), MAX_TASKS_PER_BLOCK as usize + 1);
		// 65 tasks from `target` on, 4 a block: all done 17 blocks later.
		advance_to(target + 17);
		assert_eq!(state(engagement), EngagementState::Settled);
		assert_eq!(DueQueue::<Test>::iter().count(), 64 + 2, "only the listings' expiries wait");
	});
}

// M4: one member's listings hold at most `MaxPendingTasksPerAccount` no-show checks, so their
// share of the queue is bounded; other members are not held back, and the member may accept
// again once the checks ran.
#[test]
fn one_members_listings_hold_a_bounded_number_of_no_show_checks() {
	run(|| {
		let draft = ListingDraft { estimated_minutes: 10, max_participants: 4, ..request() };
		let mut listing = 0;
		for i in 0..=u64::from(MAX_PENDING_TASKS) {
			if i % 3 == 0 {
				listing = publish(GRACE, draft, None);
			}
			volunteer(3_000 + i);
			assert_ok!(A::apply(signed(3_000 + i), listing));
			if i < u64::from(MAX_PENDING_TASKS) {
				assert_ok!(A::accept(signed(GRACE), listing, 3_000 + i));
			} else {
				assert_noop!(A::accept(signed(GRACE), listing, 3_000 + i), E::TooManyPendingTasks);
			}
		}
		assert_eq!(PendingTasks::<Test>::get(GRACE), MAX_PENDING_TASKS);
		engage(HENRY, request(), VICTOR);
		// The no-show checks run one confirmation window after the slot's end (3 h away).
		advance_to(1 + 3 * 600 + CONFIRM_WINDOW + 4);
		assert_eq!(PendingTasks::<Test>::get(GRACE), 0);
		let now = MockClock::now_ms();
		engage(
			GRACE,
			ListingDraft { slot_start: now + 1, slot_end: now + 3_600_000, ..draft },
			WENDY,
		);
	});
}

// M3: a settlement the ledger refuses (here the provider was suspended, so cannot be paid)
// no longer freezes escrow for good. The old scheduler dropped the auto-confirmation; now it is
// tried again, later each time, and settles once the cause is gone. A manual confirmation that
// fails leaves the retry in place.
#[test]
fn a_failed_auto_confirmation_is_tried_again_until_it_settles() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 60);
		MockRegistry::set_status(VICTOR, timebank_primitives::MemberStatus::Suspended);
		let due = 1 + CONFIRM_WINDOW;
		let task = DueTask::AutoConfirm(engagement);
		advance_to(due);
		assert_eq!(state(engagement), EngagementState::CheckedOut);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::DueTaskFailed { task: t, .. } if *t == task)));
		assert!(events().contains(&Event::DueTaskRescheduled { task, at: due + 10, attempt: 1 }));
		assert_eq!(DueQueue::<Test>::get(due + 10, task), Some(1));
		assert_noop!(
			A::confirm(signed(GRACE), engagement),
			pallet_timebank_ledger::Error::<Test>::PayeeNotActive
		);
		advance_to(due + 10);
		assert!(events().contains(&Event::DueTaskRescheduled { task, at: due + 30, attempt: 2 }));
		assert_eq!(escrow(), 60, "the credits are still held, not lost");
		MockRegistry::set_status(VICTOR, timebank_primitives::MemberStatus::Active);
		advance_to(due + 30);
		assert_eq!(state(engagement), EngagementState::Settled);
		assert_eq!((spendable(GRACE), spendable(VICTOR), escrow()), (540, 60, 0));
	});
}

#[test]
fn retries_wait_twice_as_long_each_time_up_to_a_bound() {
	let delays: Vec<u64> = (1..=13).map(A::retry_delay).collect();
	assert_eq!(&delays[..4], &[10, 20, 40, 80]);
	assert_eq!(delays[10], 10 << 10);
	assert_eq!(delays[12], 10 << 10, "the wait stops growing");
}

// M3: a manual confirmation that fails leaves the engagement checked out with its
// auto-confirmation queued; once the cause is gone the member confirms by hand.
#[test]
fn a_failed_confirmation_can_be_repeated() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 60);
		MockRegistry::set_status(VICTOR, timebank_primitives::MemberStatus::Suspended);
		assert_noop!(
			A::confirm(signed(GRACE), engagement),
			pallet_timebank_ledger::Error::<Test>::PayeeNotActive
		);
		assert_eq!(
			DueQueue::<Test>::get(1 + CONFIRM_WINDOW, DueTask::AutoConfirm(engagement)),
			Some(0)
		);
		MockRegistry::set_status(VICTOR, timebank_primitives::MemberStatus::Active);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_eq!(state(engagement), EngagementState::Settled);
	});
}

// M3: the invariants now require a checked-out engagement's auto-confirmation in the queue
// (the state the old scheduler left after a failure).
#[test]
fn the_invariants_catch_a_checked_out_engagement_without_its_auto_confirmation() {
	new_test_ext().execute_with(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 60);
		assert_ok!(A::do_try_state());
		DueQueue::<Test>::remove(1 + CONFIRM_WINDOW, DueTask::AutoConfirm(engagement));
		assert!(A::do_try_state().is_err());
	});
}
