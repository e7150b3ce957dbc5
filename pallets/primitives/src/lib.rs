//! The types, traits and runtime API that the Time Bank Chain pallets, runtime and node share.
//!
//! Pallets never import each other (docs/ARCHITECTURE.md): the registry implements [`Membership`],
//! the ledger implements [`Ledger`], and the runtime wires each pallet's associated types to the
//! other. The node reads pallet state only through [`TimebankApi`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult, Percent},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

mod authority;
pub use authority::{Authority, NotOfficer, ProxyPermission};

/// Time credits, in whole minutes. One hour of service earns 60 by default (DOMAIN.md).
pub type Minutes = u64;
/// A ledger balance in minutes; negative for grant accounts and mutual-credit overdrafts.
pub type SignedMinutes = i64;
/// A branch institution, numbered from 0 in registration order.
pub type BranchId = u32;
/// One ledger entry (one debit and one credit), numbered from 0; entries are never deleted.
pub type EntryId = u64;
/// One operation: the entries a single grant, gift, settlement or reversal posted together.
pub type OperationId = u64;
/// An escrow hold opened by the activities pallet.
pub type HoldId = u64;
/// Salted hash of a member's identity documents, computed off chain; the only identity on chain.
pub type IdentityCommitment = H256;
/// A request or offer published in the activities pallet.
pub type ListingId = u64;
/// One service between a provider and the member(s) receiving it, from acceptance to settlement.
pub type EngagementId = u64;
/// A service category in a branch's catalogue (meals, medical escort, bathing…).
pub type CategoryId = u16;
/// A skill that training certifies and risky service categories require.
pub type SkillId = u32;
/// How far a member is trusted, 0 (new) to [`MAX_TRUST_LEVEL`]; derived from completed services
/// and ratings.
pub type TrustLevel = u8;
/// The highest trust level.
pub const MAX_TRUST_LEVEL: TrustLevel = 5;
/// A training certificate, numbered from 0.
pub type CertificateId = u64;
/// A review in the audits pallet, numbered from 0.
pub type ReviewId = u64;
/// A ledger action (a large grant, a reversal, a policy change) waiting for review.
pub type PendingActionId = u64;
/// A proposal by a family proxy to move a member's credits (a gift or a donation), waiting for
/// the member's or branch staff's co-signature; numbered from 0.
pub type ProposalId = u64;
/// A training course published by a branch, numbered from 0.
pub type CourseId = u32;
/// A session of `pallet-session`, numbered from 0 at genesis.
pub type SessionIndex = u32;
/// An era: the sessions between two validator elections, numbered from 0 at genesis.
pub type EraIndex = u32;

/// How risky a service category is; the branch's activity policy decides from which level
/// listings are reviewed before publication.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum RiskLevel {
	/// Companionship, errands, smart-device help.
	Low,
	/// Cleaning, meals, escorting outside the home.
	Medium,
	/// Bathing, medical escort, emergencies.
	High,
}

/// Where a member stands with the time bank.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum MemberStatus {
	/// Applied; waiting for branch staff to approve.
	Pending,
	/// May give and receive services.
	Active,
	/// Blocked by branch staff; history and balances are kept.
	Suspended,
	/// Left the time bank after choosing what happens to the balance.
	Left,
	/// Death documented and the estate settled by two approvers; personal data anonymised.
	Deceased,
}

/// What a member does in the time bank. Branch staff, admins and auditors are officers, not member
/// roles: see [`OfficerRole`].
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct MemberRoles {
	/// Gives services.
	pub volunteer: bool,
	/// Receives services (typically an elder).
	pub recipient: bool,
	/// Acts for another member (亲情代理) under a scoped authorisation.
	pub family_proxy: bool,
}

/// A branch officer's role. Admins can do everything staff can.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum OfficerRole {
	/// Registers and approves members, records facts (relations, eligibility), co-signs.
	Staff,
	/// Also appoints staff, grants credits, sets branch policy and reverses entries.
	Admin,
}

/// What a family proxy may do for the member who authorised it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ProxyPermissions {
	/// Publish service requests for the member.
	pub request_services: bool,
	/// Confirm a service's duration for the member.
	pub confirm_services: bool,
	/// Propose gifts and donations from the member's credits; each needs the member's or branch
	/// staff's co-signature before credits move.
	pub propose_transfers: bool,
}

/// The kinds of credit a member holds (DOMAIN.md rule 7).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum BalanceClass {
	/// Can pay for services, be gifted or donated.
	Spendable,
	/// Can only be donated (e.g. hours from group volunteering, or overflow above the cap).
	DonationOnly,
	/// Recognition only: never spent, gifted or donated.
	Honorary,
}

/// An account of the double-entry ledger. Every entry debits one and credits another, so the sum
/// of all balances is always zero.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum LedgerAccount<AccountId> {
	/// One balance class of a member.
	Member { who: AccountId, class: BalanceClass },
	/// A branch's community fund: receives donations and cap overflow; never negative.
	Pool(BranchId),
	/// A branch's issuer account: the only source of new credits; its negative balance is the
	/// branch's redemption liability (DOMAIN.md rule 2).
	Grant(BranchId),
	/// Credits held for open activities; equals the sum of open holds.
	Escrow,
	/// `branch`'s clearing account towards `counterparty` for cross-branch movements; the two
	/// directions of a pair always sum to zero, and each side's net position is limited by policy.
	Clearing { branch: BranchId, counterparty: BranchId },
}

/// Why an entry was posted.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum EntryKind {
	Grant,
	Gift,
	Donation,
	/// Credit above the storage cap moved to the class the policy names.
	CapOverflow,
	/// One leg of a cross-branch movement through clearing accounts.
	Clearing,
	EscrowHold,
	EscrowRelease,
	Settlement,
	Reversal,
	/// Balance moved when a member leaves.
	Exit,
	/// Balance distributed by a deceased member's time will or to the pool.
	Estate,
}

/// Why a correction was made; the reason text itself stays off chain, linked by hash.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ReversalReason {
	/// Posted by mistake (wrong amount, wrong member).
	EnteredInError,
	/// Duplicate of another entry.
	Duplicate,
	/// The service or gift was found to be fraudulent.
	Fraud,
	/// Ordered by an arbitration or audit decision.
	AuditDecision,
	/// Anything else; the off-chain reason document explains.
	Other,
}

/// A member's record as other pallets see it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MemberFacts {
	pub home_branch: BranchId,
	pub status: MemberStatus,
	pub roles: MemberRoles,
	/// Branch staff attested that the member meets the age threshold or hardship rule for
	/// redemption (DOMAIN.md rule 8); the facts behind it stay off chain.
	pub redemption_eligible: bool,
}

/// Read and update access to the member registry, for the other pallets.
pub trait Membership<AccountId> {
	/// The member's record, whatever its status.
	fn member(who: &AccountId) -> Option<MemberFacts>;
	/// Whether `branch` is registered and active.
	fn branch_is_active(branch: BranchId) -> bool;
	/// Whether `who` holds `role` (or a higher one) at `branch`.
	fn is_officer(branch: BranchId, who: &AccountId, role: OfficerRole) -> bool;
	/// Whether branch staff verified that `a` and `b` are relatives (needed for gifts).
	fn is_verified_relation(a: &AccountId, b: &AccountId) -> bool;
	/// What `proxy` may do for `member`, if it is an authorised proxy.
	fn proxy_permissions(member: &AccountId, proxy: &AccountId) -> Option<ProxyPermissions>;
	/// Whether `who` is an auditor (regulator): reads everything, may flag, decides nothing.
	fn is_auditor(who: &AccountId) -> bool;
	/// Record that a member left or died. Only the ledger's exit and estate paths call this, after
	/// the balance has been dealt with; `Deceased` also anonymises the identity commitment.
	fn record_departure(who: &AccountId, status: MemberStatus) -> DispatchResult;

	/// Whether `who` is an active member.
	fn is_active_member(who: &AccountId) -> bool {
		Self::member(who).is_some_and(|m| m.status == MemberStatus::Active)
	}
}

/// Told by the registry whenever an account's home branch changes: it became a member (`from`
/// is `None`), moved (`Some` to `Some`), or its record was removed (`to` is `None`). The ledger
/// keeps each branch's total of its home members' spendable balances with it, so the branch
/// summary reads one value instead of every balance.
pub trait HomeBranchChanges<AccountId> {
	fn home_branch_changed(who: &AccountId, from: Option<BranchId>, to: Option<BranchId>);
	/// The most one call may cost, added to the weight of the registry's calls that make it
	/// (their benchmarks cannot give the member a balance, so they measure the cheapest path).
	fn weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl<AccountId> HomeBranchChanges<AccountId> for () {
	fn home_branch_changed(_: &AccountId, _: Option<BranchId>, _: Option<BranchId>) {}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

/// The ledger operations other pallets (activities, audits, training) use. Every movement passes
/// through the ledger's one door; callers never write ledger storage.
pub trait Ledger<AccountId> {
	/// Current balance of a ledger account.
	fn balance(account: &LedgerAccount<AccountId>) -> SignedMinutes;
	/// Move `amount` from `payer` into escrow for `branch`'s activity; `payer` must be able to pay
	/// under its policy.
	fn hold(
		branch: BranchId,
		payer: LedgerAccount<AccountId>,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<HoldId, DispatchError>;
	/// Return all that an open hold still holds to its payer and close it.
	fn release(hold: HoldId, actor: &AccountId) -> DispatchResult;
	/// Pay `amount` of an open hold to `payee` (routing through clearing accounts when the payee's
	/// home branch differs from the hold's branch); the hold stays open with what remains.
	fn settle(
		hold: HoldId,
		payee: &AccountId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
	/// Pay `amount` of an open hold to the pool of the hold's branch (the remainder of a group
	/// service's split, DOMAIN.md rule 6); the hold stays open with what remains.
	fn settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
	/// What an open hold still holds, or `None` if it is closed or unknown.
	fn held(hold: HoldId) -> Option<Minutes>;
	/// `branch`'s rounding step for settled durations, in minutes (never 0).
	fn rounding_step(branch: BranchId) -> Minutes;
	/// Credit `amount` from `branch`'s grant account to `to` (a training reward, by branch
	/// policy); `to` must be an active member.
	fn reward(
		branch: BranchId,
		to: &AccountId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
}

/// Round a measured duration to the nearest multiple of `step`, halves up (DOMAIN.md rule 4:
/// applied once, at confirmation). A `step` of 0 leaves the duration as it is.
pub fn round_duration(minutes: Minutes, step: Minutes) -> Minutes {
	if step == 0 {
		return minutes;
	}
	let remainder = minutes % step;
	let down = minutes - remainder;
	if remainder.saturating_mul(2) >= step {
		down.saturating_add(step)
	} else {
		down
	}
}

/// Which members hold a valid certificate for a skill; the training pallet implements it.
pub trait Certification<AccountId> {
	/// Whether `who` holds an unexpired, unrevoked certificate for `skill`.
	fn is_certified(who: &AccountId, skill: SkillId) -> bool;
}

/// No training records: nobody is certified, so categories that require a skill cannot be served.
impl<AccountId> Certification<AccountId> for () {
	fn is_certified(_: &AccountId, _: SkillId) -> bool {
		false
	}
}

/// Membership as `timebank_member` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct MemberView {
	pub identity_commitment: IdentityCommitment,
	pub home_branch: BranchId,
	pub extra_branches: Vec<BranchId>,
	pub status: MemberStatus,
	pub roles: MemberRoles,
	pub redemption_eligible: bool,
	pub joined_at: u32,
}

/// A member's balances by class, as `timebank_balances` returns them.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Default, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct MemberBalances {
	pub spendable: SignedMinutes,
	pub donation_only: SignedMinutes,
	pub honorary: SignedMinutes,
	/// Credits of this member currently held in escrow for open activities.
	pub in_escrow: Minutes,
}

/// One ledger entry as a statement line.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct StatementLine<AccountId> {
	pub entry: EntryId,
	pub operation: OperationId,
	pub kind: EntryKind,
	pub debit: LedgerAccount<AccountId>,
	pub credit: LedgerAccount<AccountId>,
	pub amount: Minutes,
	/// Who signed the call that posted the entry.
	pub actor: AccountId,
	/// The member a proxy or staff acted for, when not the actor.
	pub on_behalf_of: Option<AccountId>,
	pub block_number: u32,
	pub extrinsic_index: u32,
	/// For a reversal: the operation it reverses.
	pub reverses: Option<OperationId>,
}

/// A page of a member's statement, oldest first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct StatementPage<AccountId> {
	pub lines: Vec<StatementLine<AccountId>>,
	/// Total number of lines in the member's statement.
	pub total: u32,
	/// Where the next page starts, if there is one.
	pub next: Option<u32>,
}

/// A branch's position, as `timebank_branchSummary` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct BranchSummary {
	pub branch: BranchId,
	pub parent: Option<BranchId>,
	pub active: bool,
	/// Members whose home branch this is, by status `Pending` and `Active`.
	pub pending_members: u32,
	pub active_members: u32,
	/// Credits the branch has issued and not taken back: minus its grant account's balance.
	pub redemption_liability: Minutes,
	/// The sum of the spendable balances of the branch's home members (negative overdrafts
	/// included).
	pub outstanding_spendable: SignedMinutes,
	pub pool_balance: SignedMinutes,
	/// Net position of the branch's clearing account towards each counterparty branch.
	pub clearing_positions: Vec<(BranchId, SignedMinutes)>,
	/// Version number of the branch's current ledger policy.
	pub policy_version: u32,
}

#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ListingKind {
	/// The owner needs a service; volunteers apply and are paid by the owner's side.
	Request,
	/// The owner provides a service; receivers apply and share the cost of the provider's time.
	Offer,
}

#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ListingStatus {
	/// Waiting for staff review.
	InReview,
	/// Takes applications.
	Open,
	/// Takes no more applications; its engagements run to their end.
	Closed,
	Rejected,
	Cancelled,
	Expired,
}

#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum EngagementState {
	Accepted,
	CheckedIn,
	CheckedOut,
	/// Holds frozen until arbitration.
	Disputed,
	Settled,
	Cancelled,
}

/// What a settlement paid; measured and rounded durations are both kept (DOMAIN.md rule 4).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct Payout {
	pub rounded_minutes: Minutes,
	pub to_provider: Minutes,
	pub to_pool: Minutes,
	pub refunded: Minutes,
}

/// A listing as `timebank_listing` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ListingView<AccountId> {
	pub kind: ListingKind,
	pub branch: BranchId,
	pub category: CategoryId,
	/// Milliseconds since the Unix epoch.
	pub slot_start: u64,
	pub slot_end: u64,
	pub area: u32,
	pub estimated_minutes: Minutes,
	pub min_trust: TrustLevel,
	pub max_participants: u32,
	pub owner: AccountId,
	pub published_by: AccountId,
	pub status: ListingStatus,
	pub accepted: u32,
	pub applications: u32,
	pub expires_at: u32,
}

/// An engagement as `timebank_engagement` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct EngagementView<AccountId> {
	pub listing: ListingId,
	pub provider: AccountId,
	/// The members receiving the service, with the credits each one's hold still holds.
	pub receivers: Vec<(AccountId, Minutes)>,
	pub state: EngagementState,
	/// Chain time, milliseconds since the Unix epoch.
	pub checked_in_at: Option<u64>,
	pub checked_out_at: Option<u64>,
	pub measured_minutes: Minutes,
	/// The block in which it settles by itself if nobody confirms or disputes.
	pub confirm_due: Option<u32>,
	pub payout: Option<Payout>,
}

/// The longest statement page `timebank_statement` returns.
pub const MAX_STATEMENT_PAGE: u32 = 100;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// What the node's `timebank_*` RPC methods read from the runtime.
	pub trait TimebankApi<AccountId> where AccountId: codec::Codec {
		/// The member's registry record.
		fn member(who: AccountId) -> Option<MemberView>;
		/// The member's balances by class (zero for unknown accounts).
		fn balances(who: AccountId) -> MemberBalances;
		/// Up to `limit` (at most [`MAX_STATEMENT_PAGE`]) statement lines from position `from`.
		fn statement(who: AccountId, from: u32, limit: u32) -> StatementPage<AccountId>;
		/// The branch's members, liability, pool and clearing positions.
		fn branch_summary(branch: BranchId) -> Option<BranchSummary>;
		/// A training certificate and the storage key it is stored under, so a node can prove
		/// it against a block's state root.
		fn certificate(id: CertificateId) -> Option<(Certificate<AccountId, u32>, Vec<u8>)>;
		/// Up to `limit` (at most [`MAX_STATEMENT_PAGE`]) audit-log entries of `subject` from
		/// position `from`, and the log's length.
		fn audit_log(
			subject: AuditSubject<AccountId>,
			from: u32,
			limit: u32,
		) -> (Vec<AuditEntry<AccountId, u32>>, u32);
		/// Run every pallet's invariant checks (the `try_state` checks) on this block's state:
		/// the failure, if one does not hold. Reads all state: for audits, not for hot paths.
		fn check_invariants() -> Result<(), alloc::string::String>;
		/// A listing of the activities pallet.
		fn listing(id: ListingId) -> Option<ListingView<AccountId>>;
		/// An engagement of the activities pallet.
		fn engagement(id: EngagementId) -> Option<EngagementView<AccountId>>;
		/// The validator set, its liveness, the candidates, their votes and the next election's
		/// projected result.
		fn validators() -> ElectionView<AccountId>;
	}
}

/// Registry state for the ledger's benchmarks, set up through whichever registry the runtime
/// uses (the registry pallet in the runtime, an in-memory one in the ledger's mock).
pub trait MembershipFixtures<AccountId> {
	/// Register a root branch with `admin` as its admin.
	fn branch(admin: &AccountId) -> BranchId;
	/// Register `who` as an active member of `branch` who receives services (so donations to
	/// them are allowed) and volunteers.
	fn member(who: &AccountId, branch: BranchId);
	/// Appoint `who` at `branch`.
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole);
	/// Record `a` and `b` as verified relatives.
	fn relatives(a: &AccountId, b: &AccountId);
	/// Authorise `proxy` for `member`.
	fn proxy(member: &AccountId, proxy: &AccountId, permissions: ProxyPermissions);
}

/// A training certificate, as the training pallet stores it and `timebank_certificate` returns it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct Certificate<AccountId, BlockNumber> {
	pub holder: AccountId,
	pub skill: SkillId,
	pub course: u32,
	/// The branch that issued it; its staff may revoke it.
	pub branch: BranchId,
	/// Hash of the course material taught.
	pub content: H256,
	/// Milliseconds since the Unix epoch.
	pub issued_at: u64,
	/// `None` for certificates that do not expire.
	pub expires_at: Option<u64>,
	pub issued_in_block: BlockNumber,
	pub revoked: bool,
}

/// What an arbitration decides for a disputed service (DOMAIN.md rule 5); each outcome is new
/// ledger entries.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ArbitrationOutcome {
	/// The dispute is unfounded: settle the measured duration as a confirmation would.
	Reject,
	/// Pay the provider everything the holds still hold.
	PayProvider,
	/// Return everything the holds still hold to the receivers' side.
	RefundReceivers,
	/// Pay the provider this share of what the holds hold; return the rest.
	Split(Percent),
}

/// What can be put under review in the audits pallet.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ReviewSubject<AccountId> {
	/// A listing its branch reviews before publication.
	Listing(ListingId),
	/// A disputed engagement, for arbitration.
	Dispute(EngagementId),
	/// A membership application, by the applicant's account.
	Application(AccountId),
	/// A grant at or above the branch's threshold, waiting in the ledger.
	Grant(PendingActionId),
	/// A reversal waiting in the ledger.
	Reversal(PendingActionId),
	/// A ledger policy change waiting in the ledger.
	PolicyChange(PendingActionId),
}

/// The kinds of review a branch's review policy sets rules for.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ReviewKind {
	Listing,
	Dispute,
	Application,
	Grant,
	Reversal,
	PolicyChange,
}

impl<AccountId> ReviewSubject<AccountId> {
	pub fn kind(&self) -> ReviewKind {
		match self {
			Self::Listing(_) => ReviewKind::Listing,
			Self::Dispute(_) => ReviewKind::Dispute,
			Self::Application(_) => ReviewKind::Application,
			Self::Grant(_) => ReviewKind::Grant,
			Self::Reversal(_) => ReviewKind::Reversal,
			Self::PolicyChange(_) => ReviewKind::PolicyChange,
		}
	}
}

/// A reviewer's decision.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum Decision {
	Approve,
	Reject,
	Arbitrate(ArbitrationOutcome),
}

/// What an audit log is kept for.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum AuditSubject<AccountId> {
	Member(AccountId),
	Branch(BranchId),
	Listing(ListingId),
	Engagement(EngagementId),
	Operation(OperationId),
	Certificate(CertificateId),
	/// A grant, reversal or policy change while it waits for review.
	LedgerAction(PendingActionId),
}

impl<AccountId> From<ReviewSubject<AccountId>> for AuditSubject<AccountId> {
	fn from(subject: ReviewSubject<AccountId>) -> Self {
		match subject {
			ReviewSubject::Listing(id) => Self::Listing(id),
			ReviewSubject::Dispute(id) => Self::Engagement(id),
			ReviewSubject::Application(who) => Self::Member(who),
			ReviewSubject::Grant(id)
			| ReviewSubject::Reversal(id)
			| ReviewSubject::PolicyChange(id) => Self::LedgerAction(id),
		}
	}
}

/// One step recorded in an audit log.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum AuditAction {
	ReviewOpened {
		review: ReviewId,
	},
	Voted {
		review: ReviewId,
		decision: Decision,
		reason: H256,
	},
	Decided {
		review: ReviewId,
		decision: Decision,
	},
	/// An auditor flagged the subject; `reason` is the hash of the written note.
	Flagged {
		reason: H256,
	},
}

/// An audit log entry; never changed or removed.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct AuditEntry<AccountId, BlockNumber> {
	pub actor: AccountId,
	pub action: AuditAction,
	pub block: BlockNumber,
}

/// Puts subjects under review; the audits pallet implements it.
pub trait ReviewQueue<AccountId> {
	/// Whether `branch`'s review policy sends this kind of action to review; `amount` is what a
	/// grant would issue (ignored for other kinds). Listings and disputes always go when their
	/// owning pallet sends them.
	fn needs_review(branch: BranchId, kind: ReviewKind, amount: Minutes) -> bool;
	/// Open a review of `subject` in `branch`, asked for by `requester`.
	fn open(
		branch: BranchId,
		subject: ReviewSubject<AccountId>,
		requester: &AccountId,
	) -> DispatchResult;
}

/// No review queue: nothing is ever sent to review.
impl<AccountId> ReviewQueue<AccountId> for () {
	fn needs_review(_: BranchId, _: ReviewKind, _: Minutes) -> bool {
		false
	}
	fn open(_: BranchId, _: ReviewSubject<AccountId>, _: &AccountId) -> DispatchResult {
		Ok(())
	}
}

/// Carries out review decisions on the subjects a pallet owns: the activities pallet for listings
/// and disputes, the registry for applications, the ledger for its waiting actions; the runtime
/// routes each subject to its owner.
pub trait ReviewOutcome<AccountId> {
	/// Whether `decision` fits `subject` (arbitration outcomes fit disputes only).
	fn accepts(subject: &ReviewSubject<AccountId>, decision: &Decision) -> bool;
	/// Whether `who` is a party to `subject` (and so may not decide it).
	fn is_party(subject: &ReviewSubject<AccountId>, who: &AccountId) -> bool;
	/// Carry out `decision`, which enough reviewers agreed on; `actor` cast the deciding vote.
	fn execute(
		subject: &ReviewSubject<AccountId>,
		decision: &Decision,
		actor: &AccountId,
	) -> DispatchResult;
}

/// How validators are elected and judged; set at genesis and changed by the council.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElectionParameters {
	/// Blocks per session. Authority-set changes and liveness verdicts happen at session ends.
	pub session_blocks: u32,
	/// Sessions per era; an election runs at the start of every era.
	pub sessions_per_era: u32,
	/// The validator set never shrinks below this many validators.
	pub min_validators: u32,
	/// Most validators an election chooses.
	pub max_validators: u32,
	/// A validator that authored less than this share of its expected blocks in a session
	/// (blocks in the session divided by validators) was offline in that session.
	pub offline_threshold: Percent,
	/// Consecutive offline sessions after which the next election leaves the validator out.
	pub max_offline_sessions: u32,
}

impl Default for ElectionParameters {
	/// Ten-minute sessions, hourly elections, at least four validators (the smallest set in
	/// which GRANDPA survives one failure: it needs more than two thirds) and at most 21; a
	/// validator offline for two sessions in a row (about twenty minutes) loses its seat at the
	/// next election, unless that would leave fewer than four.
	fn default() -> Self {
		Self {
			session_blocks: 600,
			sessions_per_era: 6,
			min_validators: 4,
			max_validators: 21,
			offline_threshold: Percent::from_percent(50),
			max_offline_sessions: 2,
		}
	}
}

/// A branch's candidacy for a validator seat, as `timebank_validators` shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct CandidateView<AccountId> {
	pub branch: BranchId,
	/// The account whose session keys the branch's node signs with.
	pub validator: AccountId,
	/// The council approved the candidacy; only approved candidates are elected.
	pub approved: bool,
	/// Members who delegated their vote to this candidate.
	pub votes: u32,
	/// The validator registered session keys (`session.setKeys`).
	pub keys_registered: bool,
	/// Offline for too many sessions: left out of elections until its branch declares the node
	/// online again.
	pub excluded: bool,
}

/// A validator of the current session and its liveness, as `timebank_validators` shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ValidatorView<AccountId> {
	pub account: AccountId,
	/// The branch whose candidate it is; `None` once the candidacy was withdrawn.
	pub branch: Option<BranchId>,
	/// Blocks it authored in the current session so far.
	pub authored_this_session: u32,
	/// Consecutive sessions it was judged offline, the last one included.
	pub offline_sessions: u32,
	pub excluded: bool,
}

/// The validator election's state, as `timebank_validators` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ElectionView<AccountId> {
	pub session: SessionIndex,
	/// The era of the last election; 0 until the first.
	pub era: EraIndex,
	/// The session whose start will plan the next election's set, which takes effect one
	/// session later.
	pub next_election_session: SessionIndex,
	pub parameters: ElectionParameters,
	pub validators: Vec<ValidatorView<AccountId>>,
	pub candidates: Vec<CandidateView<AccountId>>,
	/// The set an election held now would choose, in rank order.
	pub projected: Vec<AccountId>,
}
