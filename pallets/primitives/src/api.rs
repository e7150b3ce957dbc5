//! Top floor: what the node reads from the runtime, the [`TimebankApi`] runtime API and the views
//! it returns, and the [`TransactionPreview`] runtime API clients try transactions with.
//!
//! These types are the `timebank_*` JSON that clients see (serde names in camelCase): a field
//! renamed or reordered here changes what every app receives. They are read-only copies built by
//! the runtime; no pallet stores them.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{traits::Block as BlockT, ApplyExtrinsicResult},
};
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::{
	activities::{EngagementState, ListingKind, ListingStatus, Payout, TrustLevel},
	election::{ElectionParameters, EraIndex, SessionIndex},
	ids::{
		BranchId, CategoryId, CertificateId, EngagementId, EntryId, IdentityCommitment, ListingId,
		Minutes, OperationId, SignedMinutes,
	},
	ledger::{EntryKind, LedgerAccount},
	membership::{MemberRoles, MemberStatus},
	review::{AuditEntry, AuditSubject},
	training::Certificate,
};

/// Membership as `timebank_member` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct MemberView {
	/// Salted hash of the member's identity documents; zero once the member is deceased.
	pub identity_commitment: IdentityCommitment,
	/// The branch that registered the member.
	pub home_branch: BranchId,
	/// Other branches whose staff added the member.
	pub extra_branches: Vec<BranchId>,
	/// Where the member stands.
	pub status: MemberStatus,
	/// What the member does.
	pub roles: MemberRoles,
	/// Branch staff attested that the member may redeem credits (DOMAIN.md rule 8).
	pub redemption_eligible: bool,
	/// The block in which the member was registered.
	pub joined_at: u32,
}

/// A member's balances by class, as `timebank_balances` returns them.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Default, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct MemberBalances {
	/// The [`BalanceClass::Spendable`](crate::BalanceClass::Spendable) balance; negative in a
	/// mutual-credit overdraft.
	pub spendable: SignedMinutes,
	/// The [`BalanceClass::DonationOnly`](crate::BalanceClass::DonationOnly) balance.
	pub donation_only: SignedMinutes,
	/// The [`BalanceClass::Honorary`](crate::BalanceClass::Honorary) balance.
	pub honorary: SignedMinutes,
	/// Credits of this member currently held in escrow for open activities.
	pub in_escrow: Minutes,
}

/// One ledger entry as a statement line.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct StatementLine<AccountId> {
	/// The entry.
	pub entry: EntryId,
	/// The operation the entry belongs to.
	pub operation: OperationId,
	/// Why the entry was posted.
	pub kind: EntryKind,
	/// The account the minutes left.
	pub debit: LedgerAccount<AccountId>,
	/// The account the minutes reached.
	pub credit: LedgerAccount<AccountId>,
	/// How many minutes moved.
	pub amount: Minutes,
	/// Who signed the call that posted the entry.
	pub actor: AccountId,
	/// The member a proxy or staff acted for, when not the actor.
	pub on_behalf_of: Option<AccountId>,
	/// The block the entry was posted in.
	pub block_number: u32,
	/// The position in that block of the extrinsic that posted it.
	pub extrinsic_index: u32,
	/// For a reversal: the operation it reverses.
	pub reverses: Option<OperationId>,
}

/// A page of a member's statement, oldest first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct StatementPage<AccountId> {
	/// The page's lines, oldest first.
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
	/// The branch.
	pub branch: BranchId,
	/// The branch above it in the hierarchy; `None` for a root branch.
	pub parent: Option<BranchId>,
	/// The branch is active: neither suspended nor closed.
	pub active: bool,
	/// Members whose home branch this is, by status `Pending` and `Active`.
	pub pending_members: u32,
	/// Active members whose home branch this is.
	pub active_members: u32,
	/// Credits the branch has issued and not taken back: minus its grant account's balance.
	pub redemption_liability: Minutes,
	/// The sum of the spendable balances of the branch's home members (negative overdrafts
	/// included).
	pub outstanding_spendable: SignedMinutes,
	/// The balance of the branch's community fund.
	pub pool_balance: SignedMinutes,
	/// Net position of the branch's clearing account towards each counterparty branch.
	pub clearing_positions: Vec<(BranchId, SignedMinutes)>,
	/// Version number of the branch's current ledger policy.
	pub policy_version: u32,
}

/// A listing as `timebank_listing` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ListingView<AccountId> {
	/// A request or an offer.
	pub kind: ListingKind,
	/// The branch it is published in.
	pub branch: BranchId,
	/// Its category in the branch's catalogue.
	pub category: CategoryId,
	/// Milliseconds since the Unix epoch.
	pub slot_start: u64,
	/// End of the time slot, milliseconds since the Unix epoch.
	pub slot_end: u64,
	/// A coarse place code (community or street), never an address.
	pub area: u32,
	/// The duration the owner expects.
	pub estimated_minutes: Minutes,
	/// Applicants need at least this trust level.
	pub min_trust: TrustLevel,
	/// Volunteers a request takes, or receivers an offer's group takes.
	pub max_participants: u32,
	/// Hash of the description kept off chain at the owner's branch; all zeros when none.
	pub details_hash: H256,
	/// The member the listing is for: the receiver of a request, the provider of an offer.
	pub owner: AccountId,
	/// Who signed the publication (the owner, a proxy or staff).
	pub published_by: AccountId,
	/// Where the listing is in its life.
	pub status: ListingStatus,
	/// Engagements (requests) or receivers (offers) accepted and not cancelled.
	pub accepted: u32,
	/// Applications waiting for the owner's answer.
	pub applications: u32,
	/// The block at which it stops taking applications.
	pub expires_at: u32,
}

/// An engagement as `timebank_engagement` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct EngagementView<AccountId> {
	/// The listing it was accepted from.
	pub listing: ListingId,
	/// The member giving the service.
	pub provider: AccountId,
	/// The members receiving the service, with the credits each one's hold still holds.
	pub receivers: Vec<(AccountId, Minutes)>,
	/// Where it is between acceptance and settlement.
	pub state: EngagementState,
	/// Chain time, milliseconds since the Unix epoch.
	pub checked_in_at: Option<u64>,
	/// Chain time of the check-out, milliseconds since the Unix epoch.
	pub checked_out_at: Option<u64>,
	/// The duration between check-in and check-out, before rounding.
	pub measured_minutes: Minutes,
	/// The block in which it settles by itself if nobody confirms or disputes.
	pub confirm_due: Option<u32>,
	/// What the settlement paid, once settled.
	pub payout: Option<Payout>,
}

/// A branch's candidacy for a validator seat, as `timebank_validators` shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct CandidateView<AccountId> {
	/// The branch standing.
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
	/// The validator's account.
	pub account: AccountId,
	/// The branch whose candidate it is; `None` once the candidacy was withdrawn.
	pub branch: Option<BranchId>,
	/// Blocks it authored in the current session so far.
	pub authored_this_session: u32,
	/// Consecutive sessions it was judged offline, the last one included.
	pub offline_sessions: u32,
	/// Offline for too many sessions: the next election leaves it out.
	pub excluded: bool,
}

/// The validator election's state, as `timebank_validators` returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct ElectionView<AccountId> {
	/// The current session.
	pub session: SessionIndex,
	/// The era of the last election; 0 until the first.
	pub era: EraIndex,
	/// The session whose start will plan the next election's set, which takes effect one
	/// session later.
	pub next_election_session: SessionIndex,
	/// How validators are elected and judged.
	pub parameters: ElectionParameters,
	/// The current session's validators.
	pub validators: Vec<ValidatorView<AccountId>>,
	/// The candidacies standing now.
	pub candidates: Vec<CandidateView<AccountId>>,
	/// The set an election held now would choose, in rank order.
	pub projected: Vec<AccountId>,
}

/// The longest page a paged `timebank_*` method returns (statements and audit logs).
pub const MAX_PAGE: u32 = 100;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// What the node's `timebank_*` RPC methods read from the runtime.
	///
	/// Version 2 dropped `check_invariants`: a whole-state scan open to anyone through
	/// `state_call`; the node now runs those checks natively behind an unsafe RPC method.
	#[api_version(2)]
	pub trait TimebankApi<AccountId> where AccountId: codec::Codec {
		/// The member's registry record.
		fn member(who: AccountId) -> Option<MemberView>;
		/// The member's balances by class (zero for unknown accounts).
		fn balances(who: AccountId) -> MemberBalances;
		/// Up to `limit` (at most [`MAX_PAGE`]) statement lines from position `from`.
		fn statement(who: AccountId, from: u32, limit: u32) -> StatementPage<AccountId>;
		/// The branch's members, liability, pool and clearing positions.
		fn branch_summary(branch: BranchId) -> Option<BranchSummary>;
		/// A training certificate and the storage key it is stored under, so a node can prove
		/// it against a block's state root.
		fn certificate(id: CertificateId) -> Option<(Certificate<AccountId, u32>, Vec<u8>)>;
		/// Up to `limit` (at most [`MAX_PAGE`]) audit-log entries of `subject` from
		/// position `from`, and the log's length.
		fn audit_log(
			subject: AuditSubject<AccountId>,
			from: u32,
			limit: u32,
		) -> (Vec<AuditEntry<AccountId, u32>>, u32);
		/// A listing of the activities pallet.
		fn listing(id: ListingId) -> Option<ListingView<AccountId>>;
		/// An engagement of the activities pallet.
		fn engagement(id: EngagementId) -> Option<EngagementView<AccountId>>;
		/// The validator set, its liveness, the candidates, their votes and the next election's
		/// projected result.
		fn validators() -> ElectionView<AccountId>;
	}

	/// A signed transaction tried before it is sent, so a client can tell its user why the
	/// chain would refuse it and spend nothing (the gateway's dry run).
	///
	/// `BlockBuilder_apply_extrinsic` called through `state_call` runs on a finished block's
	/// state, whose `frame_system::BlockWeight` still holds that block's weight: after a full
	/// block it refuses every transaction with `ExhaustsResources`, although the next block would
	/// take them. This API opens the next block first, as the pool's `validate_transaction` does.
	pub trait TransactionPreview {
		/// Apply `extrinsic` as the first transaction of a block built on `at`, which must be the
		/// hash of the block the call runs at (a runtime cannot know its own block's hash). The
		/// answer is the one block building would give; no change is kept, because `state_call`
		/// discards its changes.
		fn apply_in_next_block(
			at: <Block as BlockT>::Hash,
			extrinsic: <Block as BlockT>::Extrinsic,
		) -> ApplyExtrinsicResult;
	}
}
