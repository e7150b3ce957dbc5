//! Block authoring (Aura), finality (GRANDPA) and the session that rotates their authority sets.

use crate::{
	AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, SessionKeys, MINUTES,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64},
	},
	pallet_aura, pallet_grandpa,
	pallet_session::{self, PeriodicSessions},
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
	/// Session length: authority-set changes take effect at session boundaries.
	/// Ten minutes gives an offline validator time to come back before it is judged.
	pub const SessionPeriod: BlockNumber = 10 * MINUTES;
	pub const SessionOffset: BlockNumber = 0;
	/// Branch validators are vetted by the council, so registering session keys costs no deposit.
	pub const SessionKeyDeposit: Balance = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = PeriodicSessions<SessionPeriod, SessionOffset>;
	// Until the election pallet lands, the validator set is the one chosen at genesis.
	type SessionManager = ();
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}
