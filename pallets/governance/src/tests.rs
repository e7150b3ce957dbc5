//! A runtime with frame-system and the governance pallet; root stands for the council.

use crate as pallet_timebank_governance;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, derive_impl},
	frame_system::{self, EnsureRoot},
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchError},
};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Governance: pallet_timebank_governance,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timebank_governance::Config for Test {
	type UpgradeOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

fn new_test_ext() -> TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn the_council_authorises_an_upgrade_with_version_checks() {
	new_test_ext().execute_with(|| {
		let code_hash = H256::repeat_byte(7);
		assert_ok!(Governance::authorize_upgrade(RuntimeOrigin::root(), code_hash));
		System::assert_last_event(
			frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
		);
		// The authorised code is refused if it is not the one hashed (wrong preimage).
		assert!(System::apply_authorized_upgrade(RuntimeOrigin::none(), vec![1, 2, 3]).is_err());
	});
}

#[test]
fn nobody_else_authorises_upgrades() {
	new_test_ext().execute_with(|| {
		let code_hash = H256::repeat_byte(7);
		assert_noop!(
			Governance::authorize_upgrade(RuntimeOrigin::signed(1), code_hash),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Governance::authorize_upgrade(RuntimeOrigin::none(), code_hash),
			DispatchError::BadOrigin
		);
	});
}
