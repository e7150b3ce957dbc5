//! Keys of the `frame_system` storage items clients read that the pallet keeps private
//! (`pub(super)`): `Events`, `Number`, `AuthorizedUpgrade`.
//!
//! FRAME's `storage_alias` names them with the key FRAME computes from the pallet's name in this
//! runtime and the item's name, the way migrations name items of other pallets; a key is never
//! spelt out with hash functions by hand. Items the pallets make public are read through their
//! own types, e.g. `pallet_timebank_ledger::NextEntryId::<Runtime>::hashed_key()`.

use polkadot_sdk::{
	frame_support::{pallet_prelude::ValueQuery, storage_alias},
	frame_system::{CodeUpgradeAuthorization, EventRecord, Pallet as System},
	sp_core::H256,
};
use timebank_runtime::{BlockNumber, Runtime, RuntimeEvent};

/// The events of the block, with the phase (extrinsic index) each was emitted in.
#[storage_alias(pallet_name)]
pub type Events = StorageValue<System<Runtime>, Vec<EventRecord<RuntimeEvent, H256>>, ValueQuery>;

/// The number of the block whose state this is.
#[storage_alias(pallet_name)]
pub type Number = StorageValue<System<Runtime>, BlockNumber, ValueQuery>;

/// The code hash an `authorize_upgrade` allowed, until `apply_authorized_upgrade` uses it.
#[storage_alias(pallet_name)]
pub type AuthorizedUpgrade = StorageValue<System<Runtime>, CodeUpgradeAuthorization<Runtime>>;

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::frame_support::traits::StorageInfoTrait;

	/// Each alias must name the item the pallet itself declares: its key is the one in the
	/// pallet's own storage info.
	#[test]
	fn aliases_name_the_system_pallets_own_items() {
		let declared = |item: &[u8]| {
			System::<Runtime>::storage_info()
				.into_iter()
				.find(|info| info.storage_name == item)
				.map(|info| info.prefix)
		};
		assert_eq!(Some(Events::hashed_key().to_vec()), declared(b"Events"));
		assert_eq!(Some(Number::hashed_key().to_vec()), declared(b"Number"));
		assert_eq!(Some(AuthorizedUpgrade::hashed_key().to_vec()), declared(b"AuthorizedUpgrade"));
	}
}
