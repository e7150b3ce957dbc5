//! Storage migrations of the registry, each run once by the runtime's `Executive` (listed in
//! `runtime/src/lib.rs`) and skipped on a chain whose stored version is already past it.

/// Version 1: the maps keyed by a branch id use `Twox64Concat`, like every other branch-keyed
/// map of the time bank's pallets (branch ids are assigned by the chain, so they cannot be chosen
/// to unbalance the trie, and the shorter hash saves work on every read).
pub mod v1 {
	use crate::{AdminCount, BranchOfficers, Branches, Config, MemberCountsByBranch, Pallet};
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system,
	};

	/// The four maps as storage version 0 keyed them, to read the entries to move.
	pub(crate) mod old {
		use crate::{types::Branch, types::MemberCounts, Config, Pallet};
		use polkadot_sdk::{
			frame_support::{storage_alias, Blake2_128Concat},
			frame_system::{self, pallet_prelude::BlockNumberFor},
		};
		use timebank_primitives::{BranchId, OfficerRole};

		/// `Branches` keyed by `Blake2_128Concat` branch ids.
		#[storage_alias]
		pub type Branches<T: Config> =
			StorageMap<Pallet<T>, Blake2_128Concat, BranchId, Branch<BlockNumberFor<T>>>;

		/// `BranchOfficers` keyed by `Blake2_128Concat` branch ids (the account key is unchanged).
		#[storage_alias]
		pub type BranchOfficers<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			BranchId,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			OfficerRole,
		>;

		/// `AdminCount` keyed by `Blake2_128Concat` branch ids.
		#[storage_alias]
		pub type AdminCount<T: Config> = StorageMap<Pallet<T>, Blake2_128Concat, BranchId, u32>;

		/// `MemberCountsByBranch` keyed by `Blake2_128Concat` branch ids.
		#[storage_alias]
		pub type MemberCountsByBranch<T: Config> =
			StorageMap<Pallet<T>, Blake2_128Concat, BranchId, MemberCounts>;
	}

	/// Moves every entry of the four branch-keyed maps from its old key to its new one. Runs in
	/// the upgrade block: a chain has a few hundred branches and a few officers each.
	pub struct RekeyByBranch<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RekeyByBranch<T> {
		fn on_runtime_upgrade() -> Weight {
			// Old and new keys share each map's prefix: read (and remove) every old entry before
			// writing a new one, so the drain never meets a key it cannot decode.
			let branches: Vec<_> = old::Branches::<T>::drain().collect();
			let officers: Vec<_> = old::BranchOfficers::<T>::drain().collect();
			let admins: Vec<_> = old::AdminCount::<T>::drain().collect();
			let counts: Vec<_> = old::MemberCountsByBranch::<T>::drain().collect();
			let moved = (branches.len() + officers.len() + admins.len() + counts.len()) as u64;
			for (branch, record) in branches {
				Branches::<T>::insert(branch, record);
			}
			for (branch, who, role) in officers {
				BranchOfficers::<T>::insert(branch, who, role);
			}
			for (branch, admins) in admins {
				AdminCount::<T>::insert(branch, admins);
			}
			for (branch, members) in counts {
				MemberCountsByBranch::<T>::insert(branch, members);
			}
			// Each entry read and removed once, then written under its new key.
			T::DbWeight::get().reads_writes(moved, 2 * moved)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok(Self::old_counts().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(counts: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = <[u32; 4]>::decode(&mut &counts[..])
				.map_err(|_| "the pre-upgrade counts do not decode")?;
			let after = [
				Branches::<T>::iter().count() as u32,
				BranchOfficers::<T>::iter().count() as u32,
				AdminCount::<T>::iter().count() as u32,
				MemberCountsByBranch::<T>::iter().count() as u32,
			];
			polkadot_sdk::frame_support::ensure!(
				before == after,
				"a branch, officer or count was lost in the move"
			);
			Pallet::<T>::do_try_state()
		}
	}

	#[cfg(feature = "try-runtime")]
	impl<T: Config> RekeyByBranch<T> {
		fn old_counts() -> [u32; 4] {
			[
				old::Branches::<T>::iter().count() as u32,
				old::BranchOfficers::<T>::iter().count() as u32,
				old::AdminCount::<T>::iter().count() as u32,
				old::MemberCountsByBranch::<T>::iter().count() as u32,
			]
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the registry's stored
	/// version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		RekeyByBranch<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 2: `ActingFor`, the reverse index of `Proxies` ("whom do I act for"), is built from
/// the proxies already authorised. New storage items of version 2 (`PendingProxies`,
/// `BranchGateways`, `LogAnchors`) start empty.
pub mod v2 {
	use crate::{ActingFor, Config, Pallet, Proxies};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			traits::{Get, UncheckedOnRuntimeUpgrade},
			weights::Weight,
		},
		frame_system,
	};

	/// Writes one `ActingFor` entry per `Proxies` entry. Runs in the upgrade block: each member
	/// has at most `MaxProxiesPerMember` proxies and few members have any.
	pub struct IndexProxiesByProxy<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexProxiesByProxy<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut indexed = 0u64;
			for (member, proxy, _) in Proxies::<T>::iter() {
				ActingFor::<T>::insert(&proxy, &member, ());
				indexed += 1;
			}
			T::DbWeight::get().reads_writes(indexed, indexed)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(
			_: alloc::vec::Vec<u8>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the registry's stored
	/// version is 1, and sets it to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		IndexProxiesByProxy<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
