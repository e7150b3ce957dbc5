//! The storage migrations (`migrations.rs`) and the encodings they rely on.

use super::*;

#[test]
fn the_v1_migration_fills_branch_totals_once() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		grant(ALICE, 100);
		grant(BOB, 5);
		grant(DAVE, 40);
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		// A chain from before version 1: no totals stored.
		let _ = HomeSpendable::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<L>();

		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (75, 70));
		assert_eq!(L::on_chain_storage_version(), StorageVersion::new(1));

		// Run again (another upgrade later): the version says it is done, so a value the
		// migration would overwrite stays as it is.
		HomeSpendable::<Test>::insert(0, 999);
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(HomeSpendable::<Test>::get(0), 999);
		HomeSpendable::<Test>::insert(0, 75);
	});
}

#[test]
fn named_policy_records_encode_as_the_tuples_they_replace() {
	use codec::Encode;
	let policy = mutual_credit(300, false);
	assert_eq!(VersionedPolicy { version: 7, policy }.encode(), (7u32, policy).encode());
	let record: PolicyRecord<AccountId, u64> = PolicyRecord { policy, set_by: ADMIN0, set_at: 42 };
	assert_eq!(record.encode(), (policy, ADMIN0, 42u64).encode());
}

#[test]
fn the_v2_migration_moves_policies_to_their_new_keys() {
	use crate::migrations::v2::{old, MigrateV1ToV2};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		// A chain at version 1: two branches' policies and three records under the old keys.
		let first = PolicyRecord { policy: mutual_credit(300, true), set_by: ADMIN0, set_at: 1 };
		let second = PolicyRecord { policy: LedgerPolicy::default(), set_by: ADMIN0, set_at: 2 };
		let other = PolicyRecord { policy: mutual_credit(50, false), set_by: ADMIN1, set_at: 3 };
		old::Policies::<Test>::insert(0, VersionedPolicy { version: 2, policy: second.policy });
		old::Policies::<Test>::insert(1, VersionedPolicy { version: 1, policy: other.policy });
		old::PolicyHistory::<Test>::insert(0, 1, first.clone());
		old::PolicyHistory::<Test>::insert(0, 2, second.clone());
		old::PolicyHistory::<Test>::insert(1, 1, other.clone());
		StorageVersion::new(1).put::<L>();
		assert!(Policies::<Test>::get(0).is_none(), "the new keys differ from the old");

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(L::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(
			Policies::<Test>::get(0),
			Some(VersionedPolicy { version: 2, policy: second.policy })
		);
		assert_eq!(L::policy(1), other.policy);
		assert_eq!(PolicyHistory::<Test>::get(0, 1), Some(first));
		assert_eq!(PolicyHistory::<Test>::get(0, 2), Some(second));
		assert_eq!(PolicyHistory::<Test>::get(1, 1), Some(other.clone()));
		assert!(!old::Policies::<Test>::contains_key(0) && !old::Policies::<Test>::contains_key(1));
		assert!(!old::PolicyHistory::<Test>::contains_key(0, 1));
		assert_eq!(Policies::<Test>::iter().count(), 2, "nothing but the new keys remains");
		assert_eq!(PolicyHistory::<Test>::iter().count(), 3);

		// Run again (a later upgrade): the version says it is done, nothing moves.
		old::Policies::<Test>::insert(0, VersionedPolicy { version: 9, policy: other.policy });
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(L::policy_version(0), 2);
		old::Policies::<Test>::remove(0);
	});
}

#[test]
fn the_v3_migration_dates_open_estate_cases_to_the_upgrade() {
	use crate::migrations::v3::{old, MigrateV2ToV3};
	use polkadot_sdk::frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};
	run(|| {
		// A chain at version 2 with one estate case open, kept without its opening block.
		let evidence = H256::repeat_byte(9);
		let case = old::EstateCase { opened_by: STAFF0, evidence };
		unhashed::put(&Estates::<Test>::hashed_key_for(ALICE), &case);
		StorageVersion::new(2).put::<L>();
		System::set_block_number(40);

		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(L::on_chain_storage_version(), StorageVersion::new(3));
		let dated = EstateCase { opened_by: STAFF0, evidence, opened_at: 40 };
		assert_eq!(Estates::<Test>::get(ALICE), Some(dated.clone()));

		// An officer in office before the upgrade still approves the case.
		MockRegistry::appoint_at(0, STAFF0B, timebank_primitives::OfficerRole::Staff, 40);
		assert_ok!(L::approve_estate(signed(STAFF0B), ALICE));

		// Run again (a later upgrade): the version says it is done, nothing is re-dated.
		Estates::<Test>::insert(ALICE, dated.clone());
		System::set_block_number(90);
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Estates::<Test>::get(ALICE), Some(dated));
	});
}
