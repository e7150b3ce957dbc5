//! The pallet's invariants as code: `try_state` runs them under try-runtime, and every unit
//! test runs them after its scenario.

use crate::{Config, Engagements, Pallet};
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
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
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
