//! The audit trail of re-keying a member (decision 0013, [`Rekeying`]): a `Rekeyed` entry in
//! the audit log of the old key and of the new one, the approving officer its actor, so
//! whoever reads either account's log finds the other (the registry's `Rekeyed` event names
//! both). The logs themselves are history and stay where they are.

use crate::{Config, Pallet};
use polkadot_sdk::{
	frame_support::{traits::Get, weights::Weight},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::{AuditAction, AuditSubject, Rekeying};

impl<T: Config> Rekeying<T::AccountId> for Pallet<T> {
	fn rekey(
		old: &T::AccountId,
		new: &T::AccountId,
		actor: &T::AccountId,
		evidence: H256,
	) -> DispatchResult {
		for key in [old, new] {
			Self::log(
				&AuditSubject::Member(key.clone()),
				actor,
				AuditAction::Rekeyed { evidence },
			)?;
		}
		Ok(())
	}

	/// Two log entries, each reading and writing the log's length and writing the entry.
	fn rekey_weight() -> Weight {
		T::DbWeight::get().reads_writes(2, 4)
	}
}
