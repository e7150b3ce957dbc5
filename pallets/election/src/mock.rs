//! A runtime with frame-system and the election pallet, the shared in-memory registry, and an
//! in-memory session (its validators, registered keys and the block author).

use crate as pallet_timebank_election;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, FindAuthor, ValidatorRegistration, ValidatorSet},
	},
	frame_system::{self, EnsureRoot},
	pallet_session::SessionManager,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, ConsensusEngineId, Percent},
};
use std::collections::BTreeSet;
#[cfg(feature = "runtime-benchmarks")]
use timebank_primitives::MemberStatus;
use timebank_primitives::{ElectionParameters, OfficerRole, SessionIndex};
pub use timebank_test_support::{AccountId, MockRegistry};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Election: pallet_timebank_election,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// Room for the default parameters' 21.
	pub const MaxValidators: u32 = 32;
}

impl pallet_timebank_election::Config for Test {
	type CouncilOrigin = EnsureRoot<AccountId>;
	type Membership = MockRegistry;
	type ValidatorSet = MockSession;
	type KeysRegistered = MockSession;
	type FindAuthor = MockSession;
	type MaxValidators = MaxValidators;
	type MaxCandidates = ConstU32<8>;
	type MinSessionBlocks = ConstU32<5>;
	// All six VOTERS of branch 0 count, as the older tests expect; the M10 test needs more.
	type MaxVotesPerHomeBranch = ConstU32<6>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmark fixtures on the shared in-memory registry and session, so the mock also compiles
/// with `runtime-benchmarks`.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<MockRegistry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn member(who: &AccountId, branch: timebank_primitives::BranchId, status: MemberStatus) {
		MockRegistry::add_member(*who, branch, Default::default());
		MockRegistry::set_status(*who, status);
	}
	fn author_digest() {
		MockSession::set_author(MockSession::validators_now().first().copied());
	}
}

#[derive(Default)]
struct SessionState {
	index: SessionIndex,
	validators: Vec<AccountId>,
	queued: Option<Vec<AccountId>>,
	keys: BTreeSet<AccountId>,
	author: Option<AccountId>,
}

thread_local! {
	static SESSION: RefCell<SessionState> = RefCell::new(SessionState::default());
}

/// `pallet-session` as the election sees it: validators, registered keys, the block author; and
/// its rotation, which calls the session manager as the real pallet does.
pub struct MockSession;

impl MockSession {
	pub fn set_validators(validators: &[AccountId]) {
		SESSION.with(|s| s.borrow_mut().validators = validators.to_vec());
	}
	pub fn register_keys(who: AccountId) {
		SESSION.with(|s| s.borrow_mut().keys.insert(who));
	}
	pub fn unregister_keys(who: AccountId) {
		SESSION.with(|s| s.borrow_mut().keys.remove(&who));
	}
	pub fn set_author(author: Option<AccountId>) {
		SESSION.with(|s| s.borrow_mut().author = author);
	}

	/// Ends the current session and starts the next, as `pallet_session::rotate_session` does:
	/// end, activate the queued set, start, plan the one after.
	pub fn rotate() {
		let ending = SESSION.with(|s| s.borrow().index);
		Election::end_session(ending);
		SESSION.with(|s| {
			let mut s = s.borrow_mut();
			if let Some(queued) = s.queued.take() {
				s.validators = queued;
			}
			s.index += 1;
		});
		Election::start_session(ending + 1);
		let planned = Election::new_session(ending + 2);
		SESSION.with(|s| s.borrow_mut().queued = planned);
	}

	/// Runs `blocks` blocks, each authored by the next of `authors` in turn (`None`: no author
	/// found), rotating the session whenever the election pallet says it ends.
	pub fn run_blocks(blocks: u32, authors: &[AccountId]) {
		use polkadot_sdk::{frame_support::traits::Hooks, pallet_session::ShouldEndSession};
		for i in 0..blocks {
			let now = System::block_number() + 1;
			System::set_block_number(now);
			if Election::should_end_session(now) {
				Self::rotate();
			}
			let author = (!authors.is_empty()).then(|| authors[i as usize % authors.len()]);
			Self::set_author(author);
			Election::on_initialize(now);
		}
	}

	pub fn validators_now() -> Vec<AccountId> {
		SESSION.with(|s| s.borrow().validators.clone())
	}
	pub fn queued() -> Option<Vec<AccountId>> {
		SESSION.with(|s| s.borrow().queued.clone())
	}
	pub fn index() -> SessionIndex {
		SESSION.with(|s| s.borrow().index)
	}
}

impl ValidatorSet<AccountId> for MockSession {
	type ValidatorId = AccountId;
	type ValidatorIdOf = polkadot_sdk::sp_runtime::traits::ConvertInto;
	fn session_index() -> SessionIndex {
		Self::index()
	}
	fn validators() -> Vec<AccountId> {
		Self::validators_now()
	}
}

impl ValidatorRegistration<AccountId> for MockSession {
	fn is_registered(id: &AccountId) -> bool {
		SESSION.with(|s| s.borrow().keys.contains(id))
	}
}

impl FindAuthor<AccountId> for MockSession {
	fn find_author<'a, I>(_: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		SESSION.with(|s| s.borrow().author)
	}
}

/// Admins of branches 0..=4 and their validator accounts.
pub const ADMINS: [AccountId; 5] = [1, 2, 3, 4, 5];
pub const VALIDATORS: [AccountId; 5] = [101, 102, 103, 104, 105];
/// Members of branch 0 who vote.
pub const VOTERS: [AccountId; 6] = [201, 202, 203, 204, 205, 206];
/// Neither member nor officer.
pub const STRANGER: AccountId = 999;

/// Ten-block sessions, an election every session, three to four validators, offline below half
/// the expected share, excluded after two offline sessions.
pub fn test_parameters() -> ElectionParameters {
	ElectionParameters {
		session_blocks: 10,
		sessions_per_era: 1,
		min_validators: 3,
		max_validators: 4,
		offline_threshold: Percent::from_percent(50),
		max_offline_sessions: 2,
	}
}

/// Branches 0..=3 validate with approved candidacies; branch 4 has an admin and no candidacy.
pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(10, 0);
	for (branch, admin) in ADMINS.iter().enumerate() {
		MockRegistry::add_officer(branch as u32, *admin, OfficerRole::Admin);
	}
	for voter in VOTERS {
		MockRegistry::add_member(voter, 0, Default::default());
	}
	SESSION.with(|s| *s.borrow_mut() = SessionState::default());
	for validator in VALIDATORS {
		MockSession::register_keys(validator);
	}
	MockSession::set_validators(&VALIDATORS[..4]);
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock genesis is valid");
	pallet_timebank_election::GenesisConfig::<Test> {
		parameters: test_parameters(),
		candidates: (0..4).map(|b| (b as u32, VALIDATORS[b])).collect(),
	}
	.assimilate_storage(&mut storage)
	.expect("the election genesis is valid");
	let mut ext = TestExternalities::new(storage);
	// Block 1: events are not recorded in block 0. Session 0 started at genesis (block 0).
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("election invariants hold");
	});
}

pub fn events() -> Vec<pallet_timebank_election::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Election(e) => Some(e),
			_ => None,
		})
		.collect()
}
