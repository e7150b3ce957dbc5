//! Storage migrations of the ledger, one module per storage version.

/// Version 0 → 1: fill `HomeSpendable`, each branch's total of its home members' spendable
/// balances, which earlier runtimes recomputed on every `timebank_branchSummary` call.
pub mod v1 {
	use crate::{Balances, Config, HomeSpendable, Pallet};
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::frame_system;

	/// Runs in the upgrade block itself (not over several blocks): it reads every balance once
	/// and each spendable balance's member record. Measured on a chain of 10,000 members
	/// (docs/BENCHMARKS.md): 0.27 s with the state in cache, 1.6–2.3 s cold, so the first
	/// attempts missed their one-second slot. A chain with ten times the accounts would need a
	/// multi-block migration instead.
	pub struct FillHomeSpendable<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for FillHomeSpendable<T> {
		fn on_runtime_upgrade() -> Weight {
			let (totals, members_read) = Pallet::<T>::recompute_home_spendable();
			let balances_read = Balances::<T>::iter_keys().count() as u64;
			let _ = HomeSpendable::<T>::clear(u32::MAX, None);
			for (branch, total) in &totals {
				HomeSpendable::<T>::insert(branch, total);
			}
			// Every balance is read twice (summed, then counted for this figure), each spendable
			// balance's member record once; a clear and one write per branch, plus the version.
			T::DbWeight::get()
				.reads_writes(2 * balances_read + members_read, totals.len() as u64 + 2)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(
			_: alloc::vec::Vec<u8>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the ledger's stored
	/// version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		FillHomeSpendable<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
