//! A runtime with frame-system, the real ledger and the activities pallet, an in-memory registry
//! that implements [`Membership`], an in-memory certificate list and a settable clock.

use crate as pallet_timebank_activities;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64, Hooks},
	},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use timebank_primitives::{
	BranchId, MemberRoles, OfficerRole, ProxyPermissions, ReviewSubject, SkillId,
};
pub use timebank_test_support::{AccountId, MockClock, MockRegistry, MockReviews};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_timebank_ledger,
		Activities: pallet_timebank_activities,
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

/// One block every 6 seconds in the mock; the confirmation window is 30 blocks.
pub const MILLISECS_PER_BLOCK: u64 = 6_000;
pub const CONFIRM_WINDOW: u64 = 30;
pub const LISTING_LIFETIME: u64 = 100;
pub const MAX_TASKS_PER_BLOCK: u32 = 4;
pub const MAX_OPEN_LISTINGS: u32 = 10;
pub const MAX_PENDING_TASKS: u32 = 12;

impl pallet_timebank_activities::Config for Test {
	type Membership = MockRegistry;
	type Ledger = Ledger;
	type Certification = MockRegistry;
	type Reviews = MockReviews;
	type UnixTime = MockClock;
	type MillisecsPerBlock = ConstU64<MILLISECS_PER_BLOCK>;
	type MaxParticipants = ConstU32<4>;
	type MaxApplications = ConstU32<3>;
	type MaxServiceMinutes = ConstU64<480>;
	type DefaultConfirmWindow = ConstU64<CONFIRM_WINDOW>;
	type DefaultListingLifetime = ConstU64<LISTING_LIFETIME>;
	type MaxPolicyWindow = ConstU64<1_000>;
	type MaxDueTasksPerBlock = ConstU32<MAX_TASKS_PER_BLOCK>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
	type MaxOpenListingsPerOwner = ConstU32<MAX_OPEN_LISTINGS>;
	type MaxPendingTasksPerAccount = ConstU32<MAX_PENDING_TASKS>;
}

/// The benchmarks' fixtures on the mock registry and the real ledger, so the tests compile with
/// the `runtime-benchmarks` feature on.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn branch(admin: &AccountId) -> BranchId {
		<MockRegistry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole) {
		MockRegistry::add_officer(branch, *who, role);
	}
	fn member(who: &AccountId, branch: BranchId) {
		let roles = MemberRoles { recipient: true, volunteer: true, ..Default::default() };
		MockRegistry::add_member(*who, branch, roles);
	}
	fn proxy(member: &AccountId, proxy: &AccountId, permissions: ProxyPermissions) {
		MockRegistry::add_proxy(*member, *proxy, permissions);
	}
	fn credits(admin: &AccountId, who: &AccountId, minutes: timebank_primitives::Minutes) {
		Ledger::grant(RuntimeOrigin::signed(*admin), *who, minutes, Default::default())
			.expect("the admin grants");
	}
	fn redemption_eligible(_: &AccountId, who: &AccountId) {
		MockRegistry::set_eligible(*who, true);
	}
	fn review_grants(_: &AccountId, _: BranchId) {
		MockReviews::review(timebank_primitives::ReviewKind::Grant, 1);
	}
}

/// What was put under review so far.
pub fn reviews() -> Vec<(BranchId, ReviewSubject<AccountId>, AccountId)> {
	MockReviews::opened()
}

pub const BRANCHES: BranchId = 2;
pub const ADMIN0: AccountId = 1;
pub const STAFF0: AccountId = 2;
pub const STAFF0B: AccountId = 3;
pub const ADMIN1: AccountId = 4;
/// Recipients (elders) of branch 0.
pub const GRACE: AccountId = 10;
pub const HENRY: AccountId = 11;
pub const IRIS: AccountId = 12;
/// GRACE's family proxy (requests and confirmations).
pub const PAUL: AccountId = 13;
/// Volunteers of branch 0; VICTOR holds the bathing certificate.
pub const VICTOR: AccountId = 20;
pub const WENDY: AccountId = 21;
/// A volunteer of branch 1.
pub const XAVIER: AccountId = 30;

/// Category 1: companionship (low risk). Category 2: bathing (high risk, needs skill 7).
pub const COMPANIONSHIP: u16 = 1;
pub const BATHING: u16 = 2;
pub const BATHING_SKILL: SkillId = 7;

/// Chain time at block 1: 2026-11-25 08:00 UTC.
pub const START_MS: u64 = 1_795_600_800_000;

/// The standard cast, the catalogue of both branches, block 1; recipients granted 600 minutes.
pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(BRANCHES, START_MS);
	MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
	MockRegistry::add_officer(0, STAFF0, OfficerRole::Staff);
	MockRegistry::add_officer(0, STAFF0B, OfficerRole::Staff);
	MockRegistry::add_officer(1, ADMIN1, OfficerRole::Admin);
	let recipient = MemberRoles { recipient: true, ..Default::default() };
	let volunteer = MemberRoles { volunteer: true, ..Default::default() };
	for who in [GRACE, HENRY, IRIS] {
		MockRegistry::add_member(who, 0, recipient);
	}
	MockRegistry::add_member(PAUL, 0, MemberRoles { family_proxy: true, ..Default::default() });
	MockRegistry::add_member(VICTOR, 0, volunteer);
	MockRegistry::add_member(WENDY, 0, volunteer);
	MockRegistry::add_member(XAVIER, 1, volunteer);
	MockRegistry::add_proxy(
		GRACE,
		PAUL,
		ProxyPermissions { request_services: true, confirm_services: true, ..Default::default() },
	);
	MockRegistry::certify(VICTOR, BATHING_SKILL);
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for branch in 0..BRANCHES {
			let admin = if branch == 0 { ADMIN0 } else { ADMIN1 };
			let origin = RuntimeOrigin::signed(admin);
			let low = crate::Category {
				risk: timebank_primitives::RiskLevel::Low,
				required_skill: None,
				active: true,
			};
			let high = crate::Category {
				risk: timebank_primitives::RiskLevel::High,
				required_skill: Some(BATHING_SKILL),
				active: true,
			};
			Activities::set_category(origin.clone(), branch, COMPANIONSHIP, Some(low))
				.expect("admin sets the catalogue");
			Activities::set_category(origin, branch, BATHING, Some(high))
				.expect("admin sets the catalogue");
		}
		for who in [GRACE, HENRY, IRIS] {
			Ledger::grant(RuntimeOrigin::signed(ADMIN0), who, 600, Default::default())
				.expect("admin grants");
		}
		System::reset_events();
	});
	ext
}

/// Move to `block`, running `on_initialize` of every block on the way, with chain time following
/// the block time.
pub fn advance_to(block: u64) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		MockClock::advance_ms(MILLISECS_PER_BLOCK);
		Activities::on_initialize(next);
	}
}

/// Move chain time forward without new blocks (a long service within one block's view).
pub fn advance_clock_minutes(minutes: u64) {
	MockClock::advance_ms(minutes * 60_000);
}

/// Run `test` on the standard cast, then check both pallets' invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		pallet_timebank_ledger::Pallet::<Test>::do_try_state().expect("ledger invariants hold");
		crate::Pallet::<Test>::do_try_state().expect("activities invariants hold");
	});
}
