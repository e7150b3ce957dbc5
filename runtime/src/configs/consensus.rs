//! Block authoring (Aura), finality (GRANDPA) and the session that rotates their authority sets.

use crate::{
	configs::governance::RootOrTwoThirdsOfCouncil, AccountId, Aura, Balance, Balances, Election,
	Registry, Runtime, RuntimeEvent, Session, SessionKeys,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64},
	},
	pallet_aura, pallet_grandpa,
	pallet_session::{self, FindAccountFromAuthorIndex},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_core::Void,
	sp_runtime::traits::{ConvertInto, OpaqueKeys},
};

/// Most validators the authority sets may hold. Sixty-four branch institutions is far beyond a
/// city's network, and GRANDPA's vote traffic grows with the square of this number.
pub type MaxBranchValidators = ConstU32<64>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	// Offline validators are removed by the election at the next era, not disabled mid-session.
	type DisabledValidators = ();
	type MaxAuthorities = MaxBranchValidators;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxBranchValidators;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Equivocation reports need a key-ownership proof from a historical session pallet; until the
	// election pallet brings one, equivocations are visible to operators in logs only.
	type KeyOwnerProof = Void;
	type EquivocationReportSystem = ();
}

parameter_types! {
	/// Branch validators are vetted by the council, so registering session keys costs no deposit.
	pub const SessionKeyDeposit: Balance = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	// The session length is an election parameter the council sets (genesis: 10 minutes).
	type ShouldEndSession = Election;
	type NextSessionRotation = Election;
	// The election pallet chooses each era's validators; genesis validators come from the keys.
	type SessionManager = Election;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_timebank_election::Config for Runtime {
	type CouncilOrigin = RootOrTwoThirdsOfCouncil;
	type Membership = Registry;
	type ValidatorSet = Session;
	type KeysRegistered = Session;
	type FindAuthor = FindAccountFromAuthorIndex<Runtime, Aura>;
	type MaxValidators = MaxBranchValidators;
	type MaxCandidates = MaxBranchValidators;
	// Ten one-second slots: each of four validators gets about two, enough to tell it is alive.
	type MinSessionBlocks = ConstU32<10>;
	// A branch's staff register its members, so the members of one branch count for at most
	// 100 votes per candidate (review M10): what a community branch's own voters give it, while
	// no branch's registrations alone outweigh two branches' members. Changing it needs a
	// recount of `CountedVotes`.
	type MaxVotesPerHomeBranch = ConstU32<100>;
	type WeightInfo = pallet_timebank_election::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ElectionBenchmarkHelper;
}

/// Branches and members for the election benchmarks, through the registry; a block author
/// through Aura's pre-runtime digest.
#[cfg(feature = "runtime-benchmarks")]
pub struct ElectionBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_timebank_election::benchmarking::BenchmarkHelper<AccountId>
	for ElectionBenchmarkHelper
{
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn member(
		who: &AccountId,
		branch: timebank_primitives::BranchId,
		status: timebank_primitives::MemberStatus,
	) {
		Registry::member_with_status(who, branch, status);
	}
	fn author_digest() {
		use codec::Encode;
		use polkadot_sdk::{
			sp_consensus_aura::{Slot, AURA_ENGINE_ID},
			sp_runtime::DigestItem,
		};
		let slot = Slot::from(0u64);
		polkadot_sdk::frame_system::Pallet::<Runtime>::deposit_log(DigestItem::PreRuntime(
			AURA_ENGINE_ID,
			slot.encode(),
		));
	}
}
