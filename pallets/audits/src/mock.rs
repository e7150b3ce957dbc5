//! A runtime with frame-system and the audits pallet, the shared in-memory registry, and an
//! in-memory owner of review subjects that records the decisions carried out.

use crate as pallet_timebank_audits;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::derive_impl,
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchError, DispatchResult},
};
use timebank_primitives::{Decision, OfficerRole, ReviewOutcome, ReviewSubject};
pub use timebank_test_support::{AccountId, MockRegistry};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Audits: pallet_timebank_audits,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timebank_audits::Config for Test {
	type Membership = MockRegistry;
	type Outcomes = MockOutcomes;
	type CouncilOrigin = frame_system::EnsureRoot<AccountId>;
	type FlagWindow = polkadot_sdk::frame_support::traits::ConstU64<FLAG_WINDOW>;
	type MaxFlagsPerWindow = polkadot_sdk::frame_support::traits::ConstU32<MAX_FLAGS_PER_WINDOW>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmark fixtures on the shared in-memory registry, so the mock also compiles with
/// `runtime-benchmarks`: the subject is listing 0, which the benchmark puts under review.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<MockRegistry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn officer(branch: timebank_primitives::BranchId, who: &AccountId, role: OfficerRole) {
		MockRegistry::add_officer(branch, *who, role);
	}
	fn auditor(who: &AccountId) {
		MockRegistry::add_auditor(*who);
	}
	fn subject(
		_: timebank_primitives::BranchId,
		_: &AccountId,
	) -> (ReviewSubject<AccountId>, Decision) {
		(ReviewSubject::Listing(0), Decision::Approve)
	}
}

thread_local! {
	/// Decisions carried out, in order.
	pub static EXECUTED: RefCell<Vec<(ReviewSubject<AccountId>, Decision)>> =
		const { RefCell::new(Vec::new()) };
	/// When set, carrying out a decision fails with this error.
	pub static FAIL_WITH: RefCell<Option<DispatchError>> = const { RefCell::new(None) };
}

/// Listing 0 is owned by PARTY; dispute 0 has PARTY as a party.
pub struct MockOutcomes;

impl ReviewOutcome<AccountId> for MockOutcomes {
	fn accepts(subject: &ReviewSubject<AccountId>, decision: &Decision) -> bool {
		match subject {
			ReviewSubject::Dispute(_) => matches!(decision, Decision::Arbitrate(_)),
			_ => matches!(decision, Decision::Approve | Decision::Reject),
		}
	}
	fn is_party(_: &ReviewSubject<AccountId>, who: &AccountId) -> bool {
		*who == PARTY
	}
	fn execute(
		subject: &ReviewSubject<AccountId>,
		decision: &Decision,
		_: &AccountId,
	) -> DispatchResult {
		if let Some(error) = FAIL_WITH.with(|f| *f.borrow()) {
			return Err(error);
		}
		EXECUTED.with(|e| e.borrow_mut().push((subject.clone(), *decision)));
		Ok(())
	}
}

/// Auditors' flags are counted per 10 blocks in the mock.
pub const FLAG_WINDOW: u64 = 10;
/// Flags one auditor may raise per window in the mock.
pub const MAX_FLAGS_PER_WINDOW: u32 = 2;

pub const ADMIN0: AccountId = 1;
pub const STAFF0: AccountId = 2;
pub const STAFF0B: AccountId = 3;
pub const ADMIN1: AccountId = 4;
pub const AUDITOR: AccountId = 5;
/// A member who asks for reviews.
pub const REQUESTER: AccountId = 10;
/// A party to the subjects under review, who is also staff of branch 0.
pub const PARTY: AccountId = 11;

pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(2, 0);
	MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
	MockRegistry::add_officer(0, STAFF0, OfficerRole::Staff);
	MockRegistry::add_officer(0, STAFF0B, OfficerRole::Staff);
	MockRegistry::add_officer(0, PARTY, OfficerRole::Staff);
	MockRegistry::add_officer(0, REQUESTER, OfficerRole::Staff);
	MockRegistry::add_officer(1, ADMIN1, OfficerRole::Admin);
	MockRegistry::add_auditor(AUDITOR);
	EXECUTED.with(|e| e.borrow_mut().clear());
	FAIL_WITH.with(|f| *f.borrow_mut() = None);
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("audits invariants hold");
	});
}
