//! The ledger's part of re-keying a member (decision 0013, [`Rekeying`]).
//!
//! Balances move by entries of kind `Rekey` (`door.rs`), so both statements show the move and
//! the books stay double-entry; the member's time will and soft-limit flag move with them.
//! What is keyed by ids and only names the account inside (holds, proxies' proposals, an estate
//! case) cannot be found by account in one bounded call, so re-keying waits until it is closed.

use crate::{
	Config, Error, Estates, HeldForMember, Pallet, ProposalsByProxy, StatementLength, TimeWills,
	WeightInfo,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::{EntryKind, Rekeying};

impl<T: Config> Rekeying<T::AccountId> for Pallet<T> {
	fn can_rekey(old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		ensure!(HeldForMember::<T>::get(old) == 0, Error::<T>::OpenHolds);
		// The new key's statement starts with the move: it must have no lines of its own.
		ensure!(StatementLength::<T>::get(new) == 0, Error::<T>::NewKeyHasHistory);
		ensure!(ProposalsByProxy::<T>::get(old) == 0, Error::<T>::ProposalsWaiting);
		ensure!(!Estates::<T>::contains_key(old), Error::<T>::EstateAlreadyOpen);
		Ok(())
	}

	fn rekey(
		old: &T::AccountId,
		new: &T::AccountId,
		actor: &T::AccountId,
		evidence: H256,
	) -> DispatchResult {
		let home = Self::home_branch(old)?;
		let mut op =
			Self::begin(EntryKind::Rekey, home, actor, Some(old.clone())).with_memo(evidence);
		Self::move_balances_to_new_key(&mut op, old, new)?;
		Self::commit(op)?;
		if let Some(will) = TimeWills::<T>::take(old) {
			TimeWills::<T>::insert(new, will);
		}
		Ok(())
	}

	/// Three checks, three balances moved (as three gifts within a branch, each posting one
	/// entry with its statement lines), and the will and the flag read and written.
	fn rekey_weight() -> Weight {
		T::WeightInfo::gift()
			.saturating_mul(3)
			.saturating_add(T::DbWeight::get().reads_writes(6, 4))
	}
}
