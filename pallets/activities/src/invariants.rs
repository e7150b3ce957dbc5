//! The pallet's invariants as code: `try_state` runs them under try-runtime, and every unit
//! test runs them after its scenario.

use crate::{
	CheckedInProviders, Config, DueQueue, DueTask, Engagements, GrantBudgets, ListingParticipants,
	Listings, OpenEngagements, OpenListings, Pallet, PendingTasks,
};
use alloc::collections::{BTreeMap, BTreeSet};
use polkadot_sdk::{frame_support::traits::Get, sp_runtime::TryRuntimeError};
use timebank_primitives::{EngagementState, ListingStatus};

impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants against storage.
	///
	/// # Invariants
	///
	/// For every engagement in `Engagements`:
	/// - a running one (accepted, checked in, checked out or disputed) has an open escrow hold
	///   for each of its receivers: its credits are still in escrow, none lost;
	/// - a settled or cancelled one holds nothing any more: every hold was settled or released;
	/// - a checked-out one has a confirmation deadline (`confirm_due`) and its auto-confirmation
	///   waits in the queue, so it settles by itself if nobody confirms or disputes, also after a
	///   failed attempt (M3).
	///
	/// For every member: `OpenListings` counts their listings open or in review, within
	/// `MaxOpenListingsPerOwner` (M5); `PendingTasks` counts the no-show checks of their
	/// listings in the queue (M4). Every request paid from a grant account has a budget left
	/// within estimate × participants (H3).
	///
	/// And: a provider marked as checked in (`CheckedInProviders`) is the provider of that
	/// engagement, which is checked in; a member's place in a listing (`ListingParticipants`)
	/// is an engagement of that listing they take part in, not cancelled; `OpenEngagements`
	/// counts, per member, the engagements not settled or cancelled they are provider or
	/// receiver of.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_places()?;
		let queued: BTreeSet<DueTask> = DueQueue::<T>::iter_keys().map(|(_, task)| task).collect();
		for (id, e) in Engagements::<T>::iter() {
			let open = e.receivers.iter().filter(|r| Self::held(r.hold).is_some()).count();
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
			if e.state == EngagementState::CheckedOut {
				if e.confirm_due.is_none() {
					return Err("a checked-out engagement has no deadline".into());
				}
				if !queued.contains(&DueTask::AutoConfirm(id)) {
					return Err("a checked-out engagement's auto-confirmation is not queued".into());
				}
			}
		}
		Self::check_counts(&queued)
	}

	/// Check-in marks and places in listings point to the engagements they name (M1).
	fn check_places() -> Result<(), TryRuntimeError> {
		for (provider, id) in CheckedInProviders::<T>::iter() {
			let e = Engagements::<T>::get(id).ok_or("a provider is checked in to nothing")?;
			if e.provider != provider || e.state != EngagementState::CheckedIn {
				return Err("a provider's check-in mark is stale".into());
			}
		}
		for (listing, who, id) in ListingParticipants::<T>::iter() {
			let e = Engagements::<T>::get(id).ok_or("a place in a listing has no engagement")?;
			let takes_part = e.provider == who || e.receivers.iter().any(|r| r.who == who);
			if e.listing != listing || !takes_part || e.state == EngagementState::Cancelled {
				return Err("a place in a listing is stale".into());
			}
		}
		Ok(())
	}

	/// The per-member counts and the grant budgets against the listings and the queue.
	fn check_counts(queued: &BTreeSet<DueTask>) -> Result<(), TryRuntimeError> {
		let mut open = BTreeMap::<T::AccountId, u32>::new();
		let mut pending = BTreeMap::<T::AccountId, u32>::new();
		for (id, l) in Listings::<T>::iter() {
			if matches!(l.status, ListingStatus::Open | ListingStatus::InReview) {
				*open.entry(l.owner.clone()).or_default() += 1;
			}
			if let Some(budget) = Self::grant_budget(&l.draft).map_err(|_| "budget overflow")? {
				let left =
					GrantBudgets::<T>::get(id).ok_or("a grant-funded request has no budget")?;
				if left > budget {
					return Err("a grant budget grew beyond what was approved".into());
				}
			}
		}
		for task in queued {
			if let DueTask::NoShow(engagement) = task {
				let owner = Engagements::<T>::get(engagement)
					.and_then(|e| Listings::<T>::get(e.listing))
					.ok_or("a no-show check names no engagement")?
					.owner;
				*pending.entry(owner).or_default() += 1;
			}
		}
		if OpenListings::<T>::iter().collect::<BTreeMap<_, _>>() != open {
			return Err("the open-listing counts are out of step".into());
		}
		if open.values().any(|n| *n > T::MaxOpenListingsPerOwner::get()) {
			return Err("a member has more open listings than allowed".into());
		}
		if PendingTasks::<T>::iter().collect::<BTreeMap<_, _>>() != pending {
			return Err("the pending-task counts are out of step".into());
		}
		if OpenEngagements::<T>::iter().collect::<BTreeMap<_, _>>() != Self::count_running() {
			return Err("the open-engagement counts are out of step".into());
		}
		Ok(())
	}

	/// Per member, the engagements not settled or cancelled they are provider or receiver of.
	pub(crate) fn count_running() -> BTreeMap<T::AccountId, u32> {
		let mut running = BTreeMap::<T::AccountId, u32>::new();
		for (_, e) in Engagements::<T>::iter() {
			if matches!(e.state, EngagementState::Settled | EngagementState::Cancelled) {
				continue;
			}
			*running.entry(e.provider.clone()).or_default() += 1;
			for receiver in e.receivers.iter() {
				*running.entry(receiver.who.clone()).or_default() += 1;
			}
		}
		running
	}
}
