//! Timed work: auto-confirmation, no-shows, expiry, the per-block budget and full buckets
//! (`schedule.rs`).

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
		// Ten listings expire in the same block; buckets hold 4, so they spread over later
		// buckets, and each block does at most 4.
		for _ in 0..10 {
			publish(GRACE, request(), None);
		}
		assert_eq!(DueTasks::<Test>::get(1 + LISTING_LIFETIME).len(), 4);
		assert_eq!(DueTasks::<Test>::get(2 + LISTING_LIFETIME).len(), 4);
		assert_eq!(DueTasks::<Test>::get(3 + LISTING_LIFETIME).len(), 2);
		advance_to(1 + LISTING_LIFETIME);
		let expired =
			|| Listings::<Test>::iter().filter(|(_, l)| l.status == ListingStatus::Expired).count();
		assert_eq!(expired(), 4);
		advance_to(3 + LISTING_LIFETIME);
		assert_eq!(expired(), 10);
		assert_eq!(DueCursor::<Test>::get(), 4 + LISTING_LIFETIME);
	});
}

#[test]
fn the_scheduler_refuses_work_when_every_bucket_ahead_is_full() {
	run(|| {
		let full: BoundedVec<_, _> = vec![DueTask::ExpireListing(99); MAX_TASKS_PER_BLOCK as usize]
			.try_into()
			.expect("fits");
		for block in 1 + LISTING_LIFETIME..1 + LISTING_LIFETIME + 16 {
			DueTasks::<Test>::insert(block, full.clone());
		}
		assert_noop!(A::publish(signed(GRACE), request(), None), E::SchedulerFull);
	});
}
