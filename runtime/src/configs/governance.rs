//! Governance: the council of branch administrators, and the dev-only sudo key.
//!
//! The council decides by motions (`pallet-collective`); who sits on it is managed by
//! `pallet-membership`, whose changes themselves need a two-thirds council motion. Runtime
//! upgrades are a council motion too (`pallet-timebank-governance` authorises the code hash, then
//! anyone applies the code). No single key can change the runtime outside `dev`: there the genesis
//! preset sets a sudo key, everywhere else it is empty.

use crate::{
	AccountId, BlockNumber, CouncilInstance, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, EitherOfDiverse},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	pallet_collective, pallet_membership, pallet_sudo,
	sp_runtime::Perbill,
};

/// Most branch administrators the council can hold.
pub type MaxCouncilMembers = ConstU32<100>;

parameter_types! {
	/// A motion not decided within three days is closed: branch staff work office hours.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	/// A motion may dispatch up to half a block, enough for a runtime upgrade.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * crate::configs::RuntimeBlockWeights::get().max_block;
}

/// Root, or at least two thirds of the council.
pub type RootOrTwoThirdsOfCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>,
>;

/// A council member who did not vote by the end of a motion counted as voting nay.
///
/// pallet-collective's stock defaults add abstentions to the ayes when a bare majority (or the
/// prime) voted aye, which would let a majority plus silent members pass anything that needs two
/// thirds: runtime upgrades, branches, auditors and validator candidacies (security review M8).
pub struct AbstentionIsNay;

impl pallet_collective::DefaultVote for AbstentionIsNay {
	fn default_vote(_prime_vote: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = MaxCouncilMembers;
	// Silence is never consent: "two thirds of the branch administrators" counts ayes only.
	type DefaultVote = AbstentionIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = RootOrTwoThirdsOfCouncil;
	type KillOrigin = RootOrTwoThirdsOfCouncil;
	// Council members are vetted institutions: proposing costs no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = RootOrTwoThirdsOfCouncil;
	type RemoveOrigin = RootOrTwoThirdsOfCouncil;
	type SwapOrigin = RootOrTwoThirdsOfCouncil;
	type ResetOrigin = RootOrTwoThirdsOfCouncil;
	type PrimeOrigin = RootOrTwoThirdsOfCouncil;
	type MembershipInitialized = crate::Council;
	type MembershipChanged = crate::Council;
	type MaxMembers = MaxCouncilMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_timebank_governance::Config for Runtime {
	type UpgradeOrigin = RootOrTwoThirdsOfCouncil;
	type WeightInfo = pallet_timebank_governance::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
