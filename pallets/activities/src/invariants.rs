//! The pallet's invariants as code: `try_state` runs them under try-runtime, and every unit
//! test runs them after its scenario.

use crate::{CheckedInProviders, Config, Engagements, ListingParticipants, Pallet};
use polkadot_sdk::sp_runtime::TryRuntimeError;
use timebank_primitives::EngagementState;

impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants against storage.
	///
	/// # Invariants
	///
	/// For every engagement in `Engagements`:
	/// - a running one (accepted, checked in, checked out or disputed) has an open escrow hold
	///   for each of its receivers: its credits are still in escrow, none lost;
	/// - a settled or cancelled one holds nothing any more: every hold was settled or released;
	/// - a checked-out one has a confirmation deadline (`confirm_due`), so it settles by itself
	///   if nobody confirms or disputes.
	///
	/// And: a provider marked as checked in (`CheckedInProviders`) is the provider of that
	/// engagement, which is checked in; a member's place in a listing (`ListingParticipants`)
	/// is an engagement of that listing they take part in, not cancelled.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
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
		for (_, e) in Engagements::<T>::iter() {
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
			if e.state == EngagementState::CheckedOut && e.confirm_due.is_none() {
				return Err("a checked-out engagement has no deadline".into());
			}
		}
		Ok(())
	}
}
