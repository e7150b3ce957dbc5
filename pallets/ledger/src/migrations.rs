//! Storage migrations of the ledger, one module per storage version. List each in the runtime's
//! `Migrations`; `VersionedMigration` runs it once, when the stored version matches.

/// Version 0 → 1: fill `HomeSpendable`, each branch's total of its home members' spendable
/// balances, which earlier runtimes recomputed on every `timebank_branchSummary` call.
pub mod v1 {
	use crate::{Config, CreditBalances, HomeSpendable, Pallet};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
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
			let balances_read = CreditBalances::<T>::iter_keys().count() as u64;
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
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
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

/// Version 1 → 2: `Policies` and `PolicyHistory` keyed by `Twox64Concat` branch ids, like every
/// other map keyed by a branch id (branch ids are assigned by the chain, so a fast hasher is
/// safe); they were keyed by `Blake2_128Concat`. The values are unchanged.
pub mod v2 {
	use crate::{Config, Pallet, Policies, PolicyHistory};
	use alloc::vec::Vec;
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::frame_system;

	/// The two maps as storage version 1 keyed them, to read the entries to move.
	pub(crate) mod old {
		use crate::{Config, Pallet, PolicyRecord, VersionedPolicy};
		use polkadot_sdk::{
			frame_support::{storage_alias, Blake2_128Concat, Twox64Concat},
			frame_system::{self, pallet_prelude::BlockNumberFor},
		};
		use timebank_primitives::BranchId;

		/// `Policies` keyed by `Blake2_128Concat` branch ids.
		#[storage_alias]
		pub type Policies<T: Config> =
			StorageMap<Pallet<T>, Blake2_128Concat, BranchId, VersionedPolicy>;

		/// `PolicyHistory` keyed by `Blake2_128Concat` branch ids.
		#[storage_alias]
		pub type PolicyHistory<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			BranchId,
			Twox64Concat,
			u32,
			PolicyRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>,
		>;
	}

	/// Moves every policy and policy record from its old key to its new one. Runs in the upgrade
	/// block: a chain has one policy per branch and one record per policy change, a few hundred
	/// entries at most.
	pub struct RekeyPoliciesByBranch<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RekeyPoliciesByBranch<T> {
		fn on_runtime_upgrade() -> Weight {
			// Both key forms share the map's prefix: read (and remove) every old entry before
			// writing a new one, so the drain never meets a key it cannot decode.
			let policies: Vec<_> = old::Policies::<T>::drain().collect();
			let history: Vec<_> = old::PolicyHistory::<T>::drain().collect();
			let moved = (policies.len() + history.len()) as u64;
			for (branch, current) in policies {
				Policies::<T>::insert(branch, current);
			}
			for (branch, version, record) in history {
				PolicyHistory::<T>::insert(branch, version, record);
			}
			// Each entry read and removed once, then written under its new key.
			T::DbWeight::get().reads_writes(moved, 2 * moved)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let policies = old::Policies::<T>::iter().count() as u32;
			let history = old::PolicyHistory::<T>::iter().count() as u32;
			Ok((policies, history).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(counts: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let (policies, history) = <(u32, u32)>::decode(&mut &counts[..])
				.map_err(|_| "the pre-upgrade counts do not decode")?;
			polkadot_sdk::frame_support::ensure!(
				Policies::<T>::iter().count() as u32 == policies
					&& PolicyHistory::<T>::iter().count() as u32 == history,
				"a policy or a policy record was lost in the move"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the ledger's stored
	/// version is 1, and sets it to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		RekeyPoliciesByBranch<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 2 → 3: an estate case records the block it was opened in (`EstateCase::opened_at`),
/// so an officer appointed after the case was opened cannot approve it (review M11). Cases
/// open at the upgrade are dated to the upgrade block: every officer in office then may still
/// approve them, as before, and none appointed later may.
pub mod v3 {
	use crate::{Config, EstateCase, Estates, Pallet};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::{frame_system, sp_runtime::traits::UniqueSaturatedInto};

	/// An estate case as storage version 2 kept it.
	pub(crate) mod old {
		use codec::{Decode, Encode};
		use polkadot_sdk::sp_core::H256;

		/// `EstateCase` without its opening block.
		#[derive(Encode, Decode)]
		pub struct EstateCase<AccountId> {
			pub opened_by: AccountId,
			pub evidence: H256,
		}
	}

	/// Dates every open estate case to the upgrade block. Runs in the upgrade block: a branch
	/// has a handful of cases open at a time.
	pub struct DateEstateCases<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for DateEstateCases<T> {
		fn on_runtime_upgrade() -> Weight {
			let now: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			let mut cases = 0u64;
			Estates::<T>::translate_values::<old::EstateCase<T::AccountId>, _>(|case| {
				cases += 1;
				Some(EstateCase {
					opened_by: case.opened_by,
					evidence: case.evidence,
					opened_at: now,
				})
			});
			// Each case read and written once, plus the block number.
			T::DbWeight::get().reads_writes(cases + 1, cases)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok((Estates::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(count: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = u32::decode(&mut &count[..])
				.map_err(|_| "the pre-upgrade count does not decode")?;
			polkadot_sdk::frame_support::ensure!(
				Estates::<T>::iter_values().count() as u32 == before,
				"an estate case was lost or does not decode"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the ledger's stored
	/// version is 2, and sets it to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		DateEstateCases<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
