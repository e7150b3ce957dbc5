//! The time bank's own pallets: the member registry, the time-credit ledger, activities, audits and
//! training, wired to each other through the traits in `timebank-primitives`.

use crate::{
	AccountId, Activities, Audits, BlockNumber, CouncilInstance, Election, Ledger, Registry,
	Runtime, RuntimeCall, Timestamp, Training, DAYS, MILLISECS_PER_BLOCK, MINUTES,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, ConstU64, Contains, EitherOfDiverse},
		weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, Weight},
	},
	frame_system::EnsureRoot,
	pallet_collective,
};
use timebank_primitives::{Decision, ReviewOutcome, ReviewSubject};

/// The time bank's calls (registry, ledger, activities, audits, training, election) are fee-free for members; every other call pays fees.
pub struct MemberOnlyCalls;
impl Contains<RuntimeCall> for MemberOnlyCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Registry(inner) => {
				!matches!(inner, pallet_timebank_registry::Call::apply_for_membership { .. })
			}
			// Removing a departed member's vote is open to anyone and pays a fee.
			RuntimeCall::Election(inner) => {
				!matches!(inner, pallet_timebank_election::Call::remove_stale_vote { .. })
			}
			RuntimeCall::Ledger(_)
			| RuntimeCall::Activities(_)
			| RuntimeCall::Audits(_)
			| RuntimeCall::Training(_) => true,
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
	/// A member may use 60 ms of block execution per ten minutes: sixty ordinary calls (each
	/// counts at least `MinCallCharge`), or a dozen of the heaviest, far more than a person does.
	pub const MemberQuota: Weight = Weight::from_parts(60 * WEIGHT_REF_TIME_PER_MILLIS, 0);
	/// Staff act for many members: ten times a member's allowance.
	pub const OfficerQuota: Weight = Weight::from_parts(600 * WEIGHT_REF_TIME_PER_MILLIS, 0);
	/// Every fee-free call counts at least 1 ms, so no account keeps more than sixty (a member)
	/// or six hundred (an officer) calls' worth of validation work in flight per window.
	pub const MinCallCharge: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_MILLIS, 0);
}

/// Branches are registered by two thirds of the council, or by root (itself a council motion on
/// every chain but `dev`).
pub type BranchOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>,
>;

impl pallet_timebank_registry::Config for Runtime {
	type BranchOrigin = BranchOrigin;
	type MaxExtraMemberships = ConstU32<8>;
	type MaxProxiesPerMember = ConstU32<4>;
	type QuotaWindow = QuotaWindow;
	type MemberQuota = MemberQuota;
	type OfficerQuota = OfficerQuota;
	type MinCallCharge = MinCallCharge;
	type MemberCalls = MemberOnlyCalls;
	type OpenCalls = MembershipApplication;
	type Reviews = Audits;
	type HomeBranchChanges = Ledger;
	// New accounts per branch per 10-minute quota window (review H4). Registering an elder in
	// person takes minutes, so 10 is above a busy desk; and each account adds at most 120
	// fee-free calls per window, so a branch adds at most 1,200 calls' worth of quota per window
	// (about 265 accounts saturate the blocks, i.e. over four hours of registering at the limit,
	// in public events).
	type RegistrationsPerWindow = ConstU32<10>;
	// Appointments and co-admin removals waiting for a second admin: a branch has a few officers.
	type MaxPendingOfficerChanges = ConstU32<8>;
	// Applications waiting for a decision per branch (review L10): staff decide them in person,
	// so 200 is weeks of a desk's work, and the queue of free applications stays bounded.
	type MaxPendingApplications = ConstU32<200>;
	// Imports from paper records (clients-plan F7), each batch confirmed by a second officer
	// (an admin). 12 members a batch keeps the call's arguments under 1 KiB like every fee-free
	// call (review C1: 12 × 75 bytes); 2,500 members per branch per 10-minute window lets a
	// branch bring in 5,000 paper records (417 batches, two blocks each) in two windows, about
	// a quarter of an hour. The runtime weighs an imported member with an opening balance at
	// about 0.63 ms (benchmarks of `confirm_import` and the ledger's `grant`, ParityDB weights;
	// runtime test `f7_...` prints it), so a branch's imports use at most about 1.6 s of the
	// window's 150 s normal-class budget.
	type MaxImportBatch = ConstU32<12>;
	type ImportsPerWindow = ConstU32<2_500>;
	// Re-keying (decision 0013): each pallet that keeps a member's state under the account
	// moves its part. The new key consents with an ordinary signature of the chain's kind.
	type Rekeying = (Ledger, Activities, Training, Election, Audits);
	type RekeyProof = crate::Signature;
	// A re-key staff ask for (a lost key) waits a day, so the member's devices and the gateway,
	// which notifies the member, can object before an officer approves.
	type RekeyDelay = ConstU32<DAYS>;
	// Eight new keys in a lifetime: lost phones and rotated custodial keys, not a routine.
	type MaxKeyHistory = ConstU32<8>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RekeyBenchmarkKeys;
	type WeightInfo = pallet_timebank_registry::weights::SubstrateWeight<Runtime>;
}

/// New sr25519 keys in the benchmark's keystore, and their signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct RekeyBenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
const REKEY_BENCHMARK_KEYS: polkadot_sdk::sp_core::crypto::KeyTypeId =
	polkadot_sdk::sp_core::crypto::KeyTypeId(*b"tbrk");

#[cfg(feature = "runtime-benchmarks")]
impl pallet_timebank_registry::RekeyBenchmarkHelper<AccountId, crate::Signature>
	for RekeyBenchmarkKeys
{
	fn new_key() -> AccountId {
		let public = polkadot_sdk::sp_io::crypto::sr25519_generate(REKEY_BENCHMARK_KEYS, None);
		AccountId::from(public.0)
	}
	fn sign(new: &AccountId, message: &[u8]) -> crate::Signature {
		let raw: &[u8; 32] = new.as_ref();
		let public = polkadot_sdk::sp_core::sr25519::Public::from_raw(*raw);
		polkadot_sdk::sp_io::crypto::sr25519_sign(REKEY_BENCHMARK_KEYS, &public, message)
			.map(crate::Signature::Sr25519)
			.expect("the benchmark's keystore holds the key it generated")
	}
}

impl pallet_timebank_ledger::Config for Runtime {
	type Membership = Registry;
	type Reviews = Audits;
	// 1,000 hours: no branch's mutual-credit limit may exceed it.
	type MaxCreditLimit = ConstU64<{ 1_000 * 60 }>;
	type MaxBeneficiaries = ConstU32<5>;
	type MaxEntriesPerOperation = ConstU32<24>;
	// 8 hours, the longest service (`MaxServiceMinutes` below): whatever a branch sets, one whole
	// service between members of any two branches can always clear (review findings L7, M3).
	type MinClearingLimit = ConstU64<{ 8 * 60 }>;
	// A family proxy proposes a handful of gifts or donations at a time; 16 waiting is generous
	// and bounds what one proxy keeps in state (review finding M5).
	type MaxProposalsPerProxy = ConstU32<16>;
	// Years of policy changes at any realistic pace; the bound stops a fee-free loop of
	// `set_policy` from growing state without end (review finding M5).
	type MaxPolicyHistory = ConstU32<100>;
	type WeightInfo = pallet_timebank_ledger::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}

parameter_types! {
	/// Unconfirmed, undisputed services settle by themselves after 3 days (DOMAIN.md rule 5).
	pub const DefaultConfirmWindow: BlockNumber = 3 * DAYS;
	pub const DefaultListingLifetime: BlockNumber = 30 * DAYS;
	pub const MaxPolicyWindow: BlockNumber = 90 * DAYS;
}

impl pallet_timebank_activities::Config for Runtime {
	type Membership = Registry;
	type Ledger = Ledger;
	type Certification = Training;
	type Reviews = Audits;
	type UnixTime = Timestamp;
	type MillisecsPerBlock = ConstU64<MILLISECS_PER_BLOCK>;
	type MaxParticipants = ConstU32<20>;
	type MaxApplications = ConstU32<50>;
	// A working day.
	type MaxServiceMinutes = ConstU64<{ 8 * 60 }>;
	type DefaultConfirmWindow = DefaultConfirmWindow;
	type DefaultListingLifetime = DefaultListingLifetime;
	type MaxPolicyWindow = MaxPolicyWindow;
	type MaxDueTasksPerBlock = ConstU32<32>;
	type WeightInfo = pallet_timebank_activities::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ActivitiesBenchmarkHelper;
	// Far more than a member needs at once (staff publishing for elders count against each
	// elder), few enough that one member's listings stay a bounded share of state (M5).
	type MaxOpenListingsPerOwner = ConstU32<50>;
	// Each open listing's places (up to 20 a request) waiting for their slot; one member's
	// share of the timed-task queue stays bounded (M4): 200 tasks are about six blocks' work.
	type MaxPendingTasksPerAccount = ConstU32<200>;
}

/// Branches, members and credits for the activities benchmarks, through the registry and the
/// ledger.
#[cfg(feature = "runtime-benchmarks")]
pub struct ActivitiesBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_timebank_activities::benchmarking::BenchmarkHelper<AccountId>
	for ActivitiesBenchmarkHelper
{
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn officer(
		branch: timebank_primitives::BranchId,
		who: &AccountId,
		role: timebank_primitives::OfficerRole,
	) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::officer(branch, who, role)
	}
	fn member(who: &AccountId, branch: timebank_primitives::BranchId) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::member(who, branch)
	}
	fn proxy(
		member: &AccountId,
		proxy: &AccountId,
		permissions: timebank_primitives::ProxyPermissions,
	) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::proxy(
			member,
			proxy,
			permissions,
		)
	}
	fn credits(admin: &AccountId, who: &AccountId, minutes: timebank_primitives::Minutes) {
		Ledger::grant(
			crate::RuntimeOrigin::signed(admin.clone()),
			who.clone(),
			minutes,
			Default::default(),
		)
		.expect("benchmark setup: the branch admin grants");
	}
	fn redemption_eligible(admin: &AccountId, who: &AccountId) {
		Registry::set_redemption_eligibility(
			crate::RuntimeOrigin::signed(admin.clone()),
			who.clone(),
			true,
			Default::default(),
		)
		.expect("benchmark setup: the branch admin makes the member eligible");
	}
	fn review_grants(admin: &AccountId, branch: timebank_primitives::BranchId) {
		let policy = pallet_timebank_audits::ReviewPolicy {
			grant_approvals: 1,
			large_grant_from: 1,
			..Default::default()
		};
		Audits::set_review_policy(crate::RuntimeOrigin::signed(admin.clone()), branch, policy)
			.expect("benchmark setup: the branch admin sets the review policy");
	}
}

parameter_types! {
	/// Auditors' flags are counted per day.
	pub const FlagWindow: BlockNumber = DAYS;
}

impl pallet_timebank_audits::Config for Runtime {
	type Membership = Registry;
	type Outcomes = ReviewRouter;
	// The council that registers branches also sets a branch's review policy alone (a branch
	// with a single admin cannot find a second one; review finding M11).
	type CouncilOrigin = BranchOrigin;
	type FlagWindow = FlagWindow;
	// A regulator's day of flags; far above honest use, it bounds how fast one auditor's
	// fee-free flags grow the audit log (review finding M5).
	type MaxFlagsPerWindow = ConstU32<100>;
	type WeightInfo = pallet_timebank_audits::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuditsBenchmarkHelper;
}

/// Sends each review decision to the pallet that owns the subject: listings (also grant-funded
/// ones) and disputes to activities, applications to the registry, waiting grants, reversals and
/// policy changes to the ledger, course reward budgets to training.
pub struct ReviewRouter;

impl ReviewRouter {
	fn owner(subject: &ReviewSubject<AccountId>) -> Owner {
		match subject {
			ReviewSubject::Listing(_)
			| ReviewSubject::FundedListing(_)
			| ReviewSubject::Dispute(_) => Owner::Activities,
			ReviewSubject::CourseRewards(_) => Owner::Training,
			ReviewSubject::Application(_) => Owner::Registry,
			ReviewSubject::Grant(_)
			| ReviewSubject::Reversal(_)
			| ReviewSubject::PolicyChange(_) => Owner::Ledger,
		}
	}
}

enum Owner {
	Activities,
	Registry,
	Ledger,
	Training,
}

impl ReviewOutcome<AccountId> for ReviewRouter {
	fn accepts(subject: &ReviewSubject<AccountId>, decision: &Decision) -> bool {
		match Self::owner(subject) {
			Owner::Activities => Activities::accepts(subject, decision),
			Owner::Registry => Registry::accepts(subject, decision),
			Owner::Ledger => Ledger::accepts(subject, decision),
			Owner::Training => Training::accepts(subject, decision),
		}
	}
	fn is_party(subject: &ReviewSubject<AccountId>, who: &AccountId) -> bool {
		match Self::owner(subject) {
			Owner::Activities => Activities::is_party(subject, who),
			Owner::Registry => Registry::is_party(subject, who),
			Owner::Ledger => Ledger::is_party(subject, who),
			Owner::Training => Training::is_party(subject, who),
		}
	}
	fn execute(
		subject: &ReviewSubject<AccountId>,
		decision: &Decision,
		actor: &AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		match Self::owner(subject) {
			Owner::Activities => Activities::execute(subject, decision, actor),
			Owner::Registry => Registry::execute(subject, decision, actor),
			Owner::Ledger => Ledger::execute(subject, decision, actor),
			Owner::Training => Training::execute(subject, decision, actor),
		}
	}
}

impl pallet_timebank_training::Config for Runtime {
	type Membership = Registry;
	type Ledger = Ledger;
	// Reward budgets are reviewed like grants, under each branch's review policy.
	type Reviews = Audits;
	type UnixTime = Timestamp;
	type MaxUriLen = ConstU32<256>;
	type MaxSessionCapacity = ConstU32<100>;
	// Ten years.
	type MaxValidityDays = ConstU32<3_650>;
	// Ten hours of credit for one course at most.
	type MaxReward = ConstU64<{ 10 * 60 }>;
	// A large cohort (ten full sessions); a bigger budget needs a new course. With `MaxReward`
	// the largest budget is 600,000 minutes, which the branch's grant review policy sees whole.
	type MaxRewardedCompletions = ConstU32<1_000>;
	// Far more partner branches than a branch has; the list is one read when a provider applies.
	type MaxTrustedIssuers = ConstU32<16>;
	// Valid certificates kept per member and skill: refresher courses and a few issuers; expired
	// and revoked ones drop out, so this is never reached in ordinary use.
	type MaxHeldCertificates = ConstU32<8>;
	type WeightInfo = pallet_timebank_training::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TrainingBenchmarkHelper;
}

/// Branches and members through the registry, a grant review policy through the audits pallet
/// and the clock through the timestamp pallet, for the training benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct TrainingBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl timebank_primitives::MembershipFixtures<AccountId> for TrainingBenchmarkHelper {
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn member(who: &AccountId, branch: timebank_primitives::BranchId) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::member(who, branch)
	}
	fn officer(
		branch: timebank_primitives::BranchId,
		who: &AccountId,
		role: timebank_primitives::OfficerRole,
	) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::officer(branch, who, role)
	}
	fn relatives(a: &AccountId, b: &AccountId) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::relatives(a, b)
	}
	fn proxy(
		member: &AccountId,
		proxy: &AccountId,
		permissions: timebank_primitives::ProxyPermissions,
	) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::proxy(
			member,
			proxy,
			permissions,
		)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_timebank_training::benchmarking::BenchmarkHelper<AccountId>
	for TrainingBenchmarkHelper
{
	fn review_grants_from(
		branch: timebank_primitives::BranchId,
		admin: &AccountId,
		amount: timebank_primitives::Minutes,
	) {
		let policy = pallet_timebank_audits::ReviewPolicy {
			grant_approvals: 1,
			large_grant_from: amount,
			..Default::default()
		};
		Audits::set_review_policy(crate::RuntimeOrigin::signed(admin.clone()), branch, policy)
			.expect("benchmark setup: the branch admin sets the review policy");
	}
	fn set_time(ms: u64) {
		// Straight into storage: `set_timestamp` would also move Aura's slot.
		polkadot_sdk::pallet_timestamp::Now::<Runtime>::put(ms);
	}
}

/// The audits benchmarks' dearest subject: a full group service by a provider of another
/// branch, disputed by one of its receivers; paying the provider settles every hold.
#[cfg(feature = "runtime-benchmarks")]
pub struct AuditsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_timebank_audits::benchmarking::BenchmarkHelper<AccountId> for AuditsBenchmarkHelper {
	fn branch(admin: &AccountId) -> timebank_primitives::BranchId {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::branch(admin)
	}
	fn officer(
		branch: timebank_primitives::BranchId,
		who: &AccountId,
		role: timebank_primitives::OfficerRole,
	) {
		<Registry as timebank_primitives::MembershipFixtures<AccountId>>::officer(branch, who, role)
	}
	fn auditor(who: &AccountId) {
		Registry::set_auditor(crate::RuntimeOrigin::root(), who.clone(), true)
			.expect("benchmark setup: root appoints auditors");
	}
	fn subject(
		branch: timebank_primitives::BranchId,
		requester: &AccountId,
	) -> (timebank_primitives::ReviewSubject<AccountId>, timebank_primitives::Decision) {
		pallet_timebank_activities::benchmarking::disputed_group_service::<Runtime>(
			branch, requester,
		)
	}
}
