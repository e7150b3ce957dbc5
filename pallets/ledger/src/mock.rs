//! A runtime with frame-system and the ledger, and an in-memory registry that implements
//! [`Membership`], for the unit and property tests.

use crate as pallet_timebank_ledger;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64},
	},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchResult},
};
use std::collections::{BTreeMap, BTreeSet};
use timebank_primitives::{
	BranchId, MemberFacts, MemberRoles, MemberStatus, Membership, OfficerRole, ProxyPermissions,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

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
	type RuntimeEvent = RuntimeEvent;
	type Membership = MockRegistry;
	type Reviews = timebank_test_support::MockReviews;
	type MaxCreditLimit = ConstU64<MAX_CREDIT_LIMIT>;
	type MaxBeneficiaries = ConstU32<3>;
	type MaxEntriesPerOperation = ConstU32<12>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Fixtures = MockRegistry;
}

#[derive(Default)]
pub struct RegistryState {
	pub members: BTreeMap<AccountId, MemberFacts>,
	pub officers: BTreeMap<(BranchId, AccountId), OfficerRole>,
	pub relations: BTreeSet<(AccountId, AccountId)>,
	pub proxies: BTreeMap<(AccountId, AccountId), ProxyPermissions>,
	pub inactive_branches: BTreeSet<BranchId>,
}

thread_local! {
	pub static REGISTRY: RefCell<RegistryState> = RefCell::new(RegistryState::default());
}

/// The registry as the ledger sees it, kept in memory.
pub struct MockRegistry;

impl MockRegistry {
	pub fn add_member(who: AccountId, home_branch: BranchId) {
		REGISTRY.with(|r| {
			r.borrow_mut().members.insert(
				who,
				MemberFacts {
					home_branch,
					status: MemberStatus::Active,
					roles: MemberRoles::default(),
					redemption_eligible: false,
				},
			)
		});
	}
	pub fn set_status(who: AccountId, status: MemberStatus) {
		REGISTRY.with(|r| {
			if let Some(m) = r.borrow_mut().members.get_mut(&who) {
				m.status = status;
			}
		});
	}
	pub fn set_recipient(who: AccountId) {
		REGISTRY.with(|r| {
			if let Some(m) = r.borrow_mut().members.get_mut(&who) {
				m.roles.recipient = true;
			}
		});
	}
	pub fn set_eligible(who: AccountId, eligible: bool) {
		REGISTRY.with(|r| {
			if let Some(m) = r.borrow_mut().members.get_mut(&who) {
				m.redemption_eligible = eligible;
			}
		});
	}
	pub fn add_officer(branch: BranchId, who: AccountId, role: OfficerRole) {
		REGISTRY.with(|r| r.borrow_mut().officers.insert((branch, who), role));
	}
	pub fn relate(a: AccountId, b: AccountId) {
		REGISTRY.with(|r| {
			let mut r = r.borrow_mut();
			r.relations.insert((a, b));
			r.relations.insert((b, a));
		});
	}
	pub fn add_proxy(member: AccountId, proxy: AccountId, permissions: ProxyPermissions) {
		REGISTRY.with(|r| r.borrow_mut().proxies.insert((member, proxy), permissions));
	}
	pub fn suspend_branch(branch: BranchId) {
		REGISTRY.with(|r| r.borrow_mut().inactive_branches.insert(branch));
	}
}

impl Membership<AccountId> for MockRegistry {
	fn member(who: &AccountId) -> Option<MemberFacts> {
		REGISTRY.with(|r| r.borrow().members.get(who).cloned())
	}
	fn branch_is_active(branch: BranchId) -> bool {
		branch < BRANCHES && REGISTRY.with(|r| !r.borrow().inactive_branches.contains(&branch))
	}
	fn is_officer(branch: BranchId, who: &AccountId, role: OfficerRole) -> bool {
		REGISTRY
			.with(|r| r.borrow().officers.get(&(branch, *who)).is_some_and(|held| *held >= role))
	}
	fn is_verified_relation(a: &AccountId, b: &AccountId) -> bool {
		REGISTRY.with(|r| r.borrow().relations.contains(&(*a, *b)))
	}
	fn proxy_permissions(member: &AccountId, proxy: &AccountId) -> Option<ProxyPermissions> {
		REGISTRY.with(|r| r.borrow().proxies.get(&(*member, *proxy)).copied())
	}
	fn is_auditor(_: &AccountId) -> bool {
		false
	}
	fn record_departure(who: &AccountId, status: MemberStatus) -> DispatchResult {
		Self::set_status(*who, status);
		Ok(())
	}
}

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
	REGISTRY.with(|r| *r.borrow_mut() = RegistryState::default());
	timebank_test_support::reset(0, 0);
	MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
	MockRegistry::add_officer(0, STAFF0, OfficerRole::Staff);
	MockRegistry::add_officer(0, STAFF0B, OfficerRole::Staff);
	MockRegistry::add_officer(1, ADMIN1, OfficerRole::Admin);
	for who in [ALICE, BOB, CAROL] {
		MockRegistry::add_member(who, 0);
	}
	for who in [DAVE, ERIN] {
		MockRegistry::add_member(who, 1);
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

#[cfg(feature = "runtime-benchmarks")]
impl timebank_primitives::MembershipFixtures<AccountId> for MockRegistry {
	fn branch(admin: &AccountId) -> BranchId {
		Self::add_officer(0, *admin, OfficerRole::Admin);
		0
	}
	fn member(who: &AccountId, branch: BranchId) {
		Self::add_member(*who, branch);
		Self::set_recipient(*who);
	}
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole) {
		Self::add_officer(branch, *who, role);
	}
	fn relatives(a: &AccountId, b: &AccountId) {
		Self::relate(*a, *b);
	}
	fn proxy(member: &AccountId, proxy: &AccountId, permissions: ProxyPermissions) {
		Self::add_proxy(*member, *proxy, permissions);
	}
}
