//! The time bank's own pallets: the member registry and the time-credit ledger, wired to each
//! other through the traits in `timebank-primitives`.

use crate::{
	AccountId, BlockNumber, CouncilInstance, Registry, Runtime, RuntimeCall, RuntimeEvent, MINUTES,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, ConstU64, Contains, EitherOfDiverse},
	},
	frame_system::EnsureRoot,
	pallet_collective,
};

/// Registry and ledger calls are fee-free for members; every other call pays fees.
pub struct MemberOnlyCalls;
impl Contains<RuntimeCall> for MemberOnlyCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Registry(inner) => {
				!matches!(inner, pallet_timebank_registry::Call::apply_for_membership { .. })
			}
			RuntimeCall::Ledger(_) => true,
			_ => false,
		}
	}
}

/// Applying for membership is the one fee-free call open to accounts that are not yet members.
pub struct MembershipApplication;
impl Contains<RuntimeCall> for MembershipApplication {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Registry(pallet_timebank_registry::Call::apply_for_membership { .. })
		)
	}
}

parameter_types! {
	/// Quota windows of ten minutes.
	pub const QuotaWindow: BlockNumber = 10 * MINUTES;
}

/// Branches are registered by two thirds of the council, or by root (itself a council motion on
/// every chain but `dev`).
pub type BranchOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>,
>;

impl pallet_timebank_registry::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type BranchOrigin = BranchOrigin;
	type MaxExtraMemberships = ConstU32<8>;
	type MaxProxiesPerMember = ConstU32<4>;
	type QuotaWindow = QuotaWindow;
	// One call every five seconds on average: far above what a person does, far below spam.
	type CallsPerQuotaWindow = ConstU32<120>;
	type MemberCalls = MemberOnlyCalls;
	type OpenCalls = MembershipApplication;
	type WeightInfo = pallet_timebank_registry::weights::SubstrateWeight<Runtime>;
}

impl pallet_timebank_ledger::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Membership = Registry;
	// 1,000 hours: no branch's mutual-credit limit may exceed it.
	type MaxCreditLimit = ConstU64<{ 1_000 * 60 }>;
	type MaxBeneficiaries = ConstU32<5>;
	type MaxEntriesPerOperation = ConstU32<24>;
	type WeightInfo = pallet_timebank_ledger::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type Fixtures = Registry;
}
