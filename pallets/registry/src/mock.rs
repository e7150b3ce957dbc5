//! A runtime with only frame-system and the registry, for the unit tests.

use crate as pallet_timebank_registry;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::Contains,
		weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, Weight},
	},
	frame_system::{self, EnsureRoot},
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Registry: pallet_timebank_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const QuotaWindow: u64 = 10;
	/// Three calls' worth for a member (each light call counts the 1 ms minimum), six for
	/// officers.
	pub const MemberQuota: Weight = Weight::from_parts(3 * WEIGHT_REF_TIME_PER_MILLIS, 0);
	pub const OfficerQuota: Weight = Weight::from_parts(6 * WEIGHT_REF_TIME_PER_MILLIS, 0);
	pub const MinCallCharge: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_MILLIS, 0);
	pub const RekeyDelay: u64 = 5;
}

/// Every registry call except the application is members-only.
pub struct RegistryMemberCalls;
impl Contains<RuntimeCall> for RegistryMemberCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Registry(c) if !matches!(c, crate::Call::apply_for_membership { .. }))
	}
}
pub struct ApplicationCalls;
impl Contains<RuntimeCall> for ApplicationCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Registry(crate::Call::apply_for_membership { .. }))
	}
}

impl pallet_timebank_registry::Config for Test {
	type BranchOrigin = EnsureRoot<AccountId>;
	type MaxExtraMemberships = polkadot_sdk::frame_support::traits::ConstU32<2>;
	type MaxProxiesPerMember = polkadot_sdk::frame_support::traits::ConstU32<2>;
	type QuotaWindow = QuotaWindow;
	type MemberQuota = MemberQuota;
	type OfficerQuota = OfficerQuota;
	type MinCallCharge = MinCallCharge;
	type MemberCalls = RegistryMemberCalls;
	type OpenCalls = ApplicationCalls;
	type Reviews = timebank_test_support::MockReviews;
	type HomeBranchChanges = MockLedger;
	// Small, so the tests reach the limits in a few calls.
	type RegistrationsPerWindow = polkadot_sdk::frame_support::traits::ConstU32<6>;
	type MaxPendingOfficerChanges = polkadot_sdk::frame_support::traits::ConstU32<2>;
	type MaxPendingApplications = polkadot_sdk::frame_support::traits::ConstU32<3>;
	type MaxImportBatch = polkadot_sdk::frame_support::traits::ConstU32<4>;
	type ImportsPerWindow = polkadot_sdk::frame_support::traits::ConstU32<6>;
	type Rekeying = MockLedger;
	type RekeyProof = MockProof;
	type RekeyDelay = RekeyDelay;
	type MaxKeyHistory = polkadot_sdk::frame_support::traits::ConstU32<2>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRekeyHelper;
	type WeightInfo = ();
}

/// A stand-in for a signature: valid when it names the signer and carries the exact message.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub struct MockProof {
	pub signer: AccountId,
	pub message: Vec<u8>,
}

impl polkadot_sdk::sp_runtime::traits::Verify for MockProof {
	type Signer = polkadot_sdk::sp_runtime::testing::UintAuthorityId;
	fn verify<L: polkadot_sdk::sp_runtime::traits::Lazy<[u8]>>(
		&self,
		mut message: L,
		signer: &AccountId,
	) -> bool {
		self.signer == *signer && self.message == message.get()
	}
}

/// New keys from 1,000 on, each signing with `MockProof`.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockRekeyHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::RekeyBenchmarkHelper<AccountId, MockProof> for MockRekeyHelper {
	fn new_key() -> AccountId {
		1_000
	}
	fn sign(new: &AccountId, message: &[u8]) -> MockProof {
		MockProof { signer: *new, message: message.to_vec() }
	}
}

/// `new`'s consent to `old`'s account moving to it.
pub fn rekey_proof(old: AccountId, new: AccountId) -> MockProof {
	MockProof { signer: new, message: crate::Pallet::<Test>::rekey_message(&old, &new) }
}

std::thread_local! {
	/// The ledger's answer to the next moves (`MockLedger::refuse_moves`).
	static REFUSE_MOVES: core::cell::Cell<Option<&'static str>> = const { core::cell::Cell::new(None) };
	/// Opening balances credited.
	static OPENING_BALANCES: core::cell::RefCell<Vec<OpeningBalance>> =
		const { core::cell::RefCell::new(Vec::new()) };
	/// Re-keys carried out.
	static REKEYS: core::cell::RefCell<Vec<(AccountId, AccountId, AccountId, H256)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// An opening balance `MockLedger` credited: (member, branch, minutes, import file, officer).
pub type OpeningBalance = (AccountId, u32, u64, H256, AccountId);

/// The most opening balance `MockLedger` credits; above it, it refuses as a storage cap would.
pub const MOCK_STORAGE_CAP: u64 = 1_000;

/// Records home-branch changes (`RecordedHomeBranchChanges`) and refuses moves on demand, as the
/// ledger does for a member with open holds or a debt.
pub struct MockLedger;

impl MockLedger {
	/// Refuse every move with `error` (a ledger error's name), or accept them (`None`).
	pub fn refuse_moves(error: Option<&'static str>) {
		REFUSE_MOVES.with(|r| r.set(error));
	}

	/// The opening balances credited so far.
	pub fn opening_balances() -> Vec<OpeningBalance> {
		OPENING_BALANCES.with(|b| b.borrow().clone())
	}
}

impl timebank_primitives::HomeBranchChanges<AccountId> for MockLedger {
	fn home_branch_changed(
		who: &AccountId,
		from: Option<timebank_primitives::BranchId>,
		to: Option<timebank_primitives::BranchId>,
	) {
		<timebank_test_support::RecordedHomeBranchChanges as timebank_primitives::HomeBranchChanges<
			AccountId,
		>>::home_branch_changed(who, from, to)
	}
	fn weight() -> Weight {
		Weight::zero()
	}
	fn prepare_move(
		_: &AccountId,
		_: timebank_primitives::BranchId,
		_: timebank_primitives::BranchId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		match REFUSE_MOVES.with(|r| r.get()) {
			Some(error) => Err(polkadot_sdk::sp_runtime::DispatchError::Other(error)),
			None => Ok(()),
		}
	}
	fn credit_opening_balance(
		who: &AccountId,
		branch: timebank_primitives::BranchId,
		amount: u64,
		import_file: H256,
		by: &AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		if amount > MOCK_STORAGE_CAP {
			return Err(polkadot_sdk::sp_runtime::DispatchError::Other("StorageCapExceeded"));
		}
		OPENING_BALANCES.with(|b| b.borrow_mut().push((*who, branch, amount, import_file, *by)));
		Ok(())
	}
}

/// Refuses re-keys as it refuses moves (`refuse_moves`), as the ledger does for a member with
/// open holds, and records the re-keys it was asked to carry out.
impl timebank_primitives::Rekeying<AccountId> for MockLedger {
	fn can_rekey(_: &AccountId, _: &AccountId) -> polkadot_sdk::sp_runtime::DispatchResult {
		match REFUSE_MOVES.with(|r| r.get()) {
			Some(error) => Err(polkadot_sdk::sp_runtime::DispatchError::Other(error)),
			None => Ok(()),
		}
	}
	fn rekey(
		old: &AccountId,
		new: &AccountId,
		actor: &AccountId,
		evidence: H256,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		REKEYS.with(|r| r.borrow_mut().push((*old, *new, *actor, evidence)));
		Ok(())
	}
}

impl MockLedger {
	/// The re-keys carried out so far: (old, new, approving officer, evidence).
	pub fn rekeys() -> Vec<(AccountId, AccountId, AccountId, H256)> {
		REKEYS.with(|r| r.borrow().clone())
	}
}

/// Branch 0's first admin.
pub const ADMIN: AccountId = 1;
/// Staff at branch 0.
pub const STAFF: AccountId = 2;
/// Active members of branch 0.
pub const ALICE: AccountId = 10;
pub const BOB: AccountId = 11;
/// An account with no role anywhere.
pub const OUTSIDER: AccountId = 99;

pub fn commitment(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// Branch 0 with ADMIN, STAFF, and active members ALICE and BOB; block 1.
pub fn new_test_ext() -> TestExternalities {
	timebank_test_support::reset(0, 0);
	MockLedger::refuse_moves(None);
	OPENING_BALANCES.with(|b| b.borrow_mut().clear());
	REKEYS.with(|r| r.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		registry: pallet_timebank_registry::GenesisConfig { branches: vec![(ADMIN, H256::zero())] },
	}
	.build_storage()
	.expect("the mock genesis is valid");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		use pallet_timebank_registry::Pallet as R;
		// Branch 0 has one admin: the council appoints.
		let council = RuntimeOrigin::root();
		R::<Test>::appoint_officer(council, 0, STAFF, timebank_primitives::OfficerRole::Staff)
			.expect("staff appointed");
		for (who, n) in [(ALICE, 1u8), (BOB, 2)] {
			R::<Test>::register_member(
				RuntimeOrigin::signed(STAFF),
				who,
				0,
				commitment(n),
				Default::default(),
			)
			.expect("member registered");
		}
	});
	ext
}

/// Run `test` on the standard state, then check the registry's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("registry invariants hold");
	});
}
