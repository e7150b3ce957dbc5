//! Storage migrations of the training pallet, one module per storage version. List each in the
//! runtime's `Migrations`; `VersionedMigration` runs it once, when the stored version matches.

/// Version 0 → 1: `SkillCertificates` (one certificate per member and skill, whatever branch
/// issued it) becomes `HeldCertificates` (every unrevoked, unexpired certificate per member and
/// skill, with its issuing branch), so that a branch accepts only certificates it issued or
/// trusts (review finding M9) and revoking one certificate no longer hides another (L4).
pub mod v1 {
	use crate::{Certificates, Config, HeldCertificate, Pallet};
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::frame_system;

	/// The map as storage version 0 kept it, to clear it.
	pub(crate) mod old {
		use crate::{Config, Pallet};
		use polkadot_sdk::{
			frame_support::{storage_alias, Blake2_128Concat, Twox64Concat},
			frame_system,
		};
		use timebank_primitives::{CertificateId, SkillId};

		/// For each member and skill, the certificate that certified them longest.
		#[storage_alias]
		pub type SkillCertificates<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			Twox64Concat,
			SkillId,
			CertificateId,
		>;
	}

	/// Indexes every unrevoked, unexpired certificate ever issued (not only the one the old map
	/// pointed at, so older valid certificates count again) and clears the old map. Runs in the
	/// upgrade block: one read per certificate issued, a few thousand at most on this chain.
	pub struct IndexHeldCertificates<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexHeldCertificates<T> {
		fn on_runtime_upgrade() -> Weight {
			let cleared = old::SkillCertificates::<T>::clear(u32::MAX, None).unique as u64;
			let (mut read, mut held) = (0u64, 0u64);
			for (id, c) in Certificates::<T>::iter() {
				read = read.saturating_add(1);
				if Pallet::<T>::is_valid(&c) {
					held = held.saturating_add(1);
					Pallet::<T>::hold_certificate(
						&c.holder,
						c.skill,
						HeldCertificate { id, branch: c.branch, expires_at: c.expires_at },
					);
				}
			}
			// Each certificate read once; each valid one's record read and written; the old
			// entries removed; the version written.
			T::DbWeight::get().reads_writes(
				read.saturating_add(held),
				held.saturating_add(cleared).saturating_add(1),
			)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(
			_: alloc::vec::Vec<u8>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to list in the runtime's `Executive`: runs once, when the training pallet's
	/// stored version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		IndexHeldCertificates<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
