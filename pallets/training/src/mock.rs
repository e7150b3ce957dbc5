//! A runtime with frame-system, the real ledger (for course rewards) and the training pallet, on
//! the shared in-memory registry and clock.

use crate as pallet_timebank_training;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64},
	},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use timebank_primitives::{MemberRoles, OfficerRole};
pub use timebank_test_support::{AccountId, MockClock, MockRegistry, MockReviews};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_timebank_ledger,
		Training: pallet_timebank_training,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timebank_ledger::Config for Test {
	type Membership = MockRegistry;
	type Reviews = ();
	type MaxCreditLimit = ConstU64<1_000>;
	type MaxBeneficiaries = ConstU32<3>;
	type MaxEntriesPerOperation = ConstU32<12>;
	type MinClearingLimit = ConstU64<30>;
	type MaxProposalsPerProxy = ConstU32<3>;
	type MaxPolicyHistory = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistry;
}

impl pallet_timebank_training::Config for Test {
	type Membership = MockRegistry;
	type Ledger = Ledger;
	type Reviews = MockReviews;
	type UnixTime = MockClock;
	type MaxUriLen = ConstU32<64>;
	type MaxSessionCapacity = ConstU32<3>;
	type MaxValidityDays = ConstU32<3_650>;
	type MaxReward = ConstU64<600>;
	type MaxRewardedCompletions = ConstU32<10>;
	type MaxTrustedIssuers = ConstU32<2>;
	type MaxHeldCertificates = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistry;
}

pub const ADMIN0: AccountId = 1;
pub const STAFF0: AccountId = 2;
pub const ADMIN1: AccountId = 4;
pub const STAFF1: AccountId = 5;
pub const ADMIN2: AccountId = 6;
/// Volunteers of branch 0.
pub const VICTOR: AccountId = 20;
pub const WENDY: AccountId = 21;
pub const YARA: AccountId = 22;
pub const ZACK: AccountId = 23;

/// Chain time at block 1: 2026-11-25 08:00 UTC.
pub const START_MS: u64 = 1_795_600_800_000;
pub const DAY_MS: u64 = 24 * 3_600_000;

/// Three branches with officers, four volunteers in branch 0, block 1.
pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(3, START_MS);
	MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
	MockRegistry::add_officer(0, STAFF0, OfficerRole::Staff);
	MockRegistry::add_officer(1, ADMIN1, OfficerRole::Admin);
	MockRegistry::add_officer(1, STAFF1, OfficerRole::Staff);
	MockRegistry::add_officer(2, ADMIN2, OfficerRole::Admin);
	for who in [VICTOR, WENDY, YARA, ZACK] {
		MockRegistry::add_member(who, 0, MemberRoles { volunteer: true, ..Default::default() });
	}
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test`, then check the ledger's and this pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		pallet_timebank_ledger::Pallet::<Test>::do_try_state().expect("ledger invariants hold");
		crate::Pallet::<Test>::do_try_state().expect("training invariants hold");
	});
}

/// The review policy and clock for the benchmarks, on the mocks.
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockRegistry {
	fn review_grants_from(_: timebank_primitives::BranchId, _: &AccountId, amount: u64) {
		MockReviews::review(timebank_primitives::ReviewKind::Grant, amount);
	}
	fn set_time(ms: u64) {
		MockClock::advance_ms(ms.saturating_sub(MockClock::now_ms()));
	}
}
