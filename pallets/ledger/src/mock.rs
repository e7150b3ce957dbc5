//! A runtime with frame-system and the ledger on the shared in-memory registry
//! (`timebank-test-support`), for the unit and property tests.

use crate as pallet_timebank_ledger;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64},
	},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use timebank_primitives::{BranchId, MemberRoles, OfficerRole, ProxyPermissions};
pub use timebank_test_support::{AccountId, MockRegistry};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_timebank_ledger,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The chain-wide floor of any spendable balance, in the mock.
pub const MAX_CREDIT_LIMIT: u64 = 1_000;

impl pallet_timebank_ledger::Config for Test {
	type Membership = MockRegistry;
	type Reviews = timebank_test_support::MockReviews;
	type MaxCreditLimit = ConstU64<MAX_CREDIT_LIMIT>;
	type MaxBeneficiaries = ConstU32<3>;
	type MaxEntriesPerOperation = ConstU32<12>;
	type MinClearingLimit = ConstU64<MIN_CLEARING_LIMIT>;
	type MaxProposalsPerProxy = ConstU32<MAX_PROPOSALS_PER_PROXY>;
	type MaxPolicyHistory = ConstU32<MAX_POLICY_HISTORY>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistry;
}

/// The smallest clearing limit a branch may set, in the mock.
pub const MIN_CLEARING_LIMIT: u64 = 30;
/// Proposals one proxy may have waiting, in the mock.
pub const MAX_PROPOSALS_PER_PROXY: u32 = 3;
/// Policy versions the audit trail keeps per branch, in the mock.
pub const MAX_POLICY_HISTORY: u32 = 3;

/// Two branches exist: 0 and 1.
pub const BRANCHES: BranchId = 2;
pub const ADMIN0: AccountId = 1;
pub const STAFF0: AccountId = 2;
pub const STAFF0B: AccountId = 3;
pub const ADMIN1: AccountId = 4;
/// Members of branch 0.
pub const ALICE: AccountId = 10;
pub const BOB: AccountId = 11;
/// ALICE's family proxy, also a member of branch 0.
pub const CAROL: AccountId = 12;
/// Members of branch 1.
pub const DAVE: AccountId = 20;
pub const ERIN: AccountId = 21;
pub const MEMBERS: [AccountId; 5] = [ALICE, BOB, CAROL, DAVE, ERIN];

/// The standard cast: officers, members (DAVE and ERIN recipients), ALICE related to BOB and to
/// DAVE, CAROL proxy of ALICE;
/// both branches on the default policy; block 1.
pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(BRANCHES, 0);
	MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
	MockRegistry::add_officer(0, STAFF0, OfficerRole::Staff);
	MockRegistry::add_officer(0, STAFF0B, OfficerRole::Staff);
	MockRegistry::add_officer(1, ADMIN1, OfficerRole::Admin);
	for who in [ALICE, BOB, CAROL] {
		MockRegistry::add_member(who, 0, MemberRoles::default());
	}
	for who in [DAVE, ERIN] {
		MockRegistry::add_member(who, 1, MemberRoles::default());
	}
	// DAVE and ERIN receive services, so they may receive donations.
	MockRegistry::set_recipient(DAVE);
	MockRegistry::set_recipient(ERIN);
	MockRegistry::relate(ALICE, BOB);
	MockRegistry::relate(ALICE, DAVE);
	MockRegistry::add_proxy(
		ALICE,
		CAROL,
		ProxyPermissions { propose_transfers: true, ..Default::default() },
	);
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on the standard cast, then check the ledger's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("ledger invariants hold");
	});
}
