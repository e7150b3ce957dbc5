//! The ledger's data types: branch policies, entries and operations, holds, transfers, exits,
//! estates and the admin actions that wait for review.
//!
//! Most of them are stored: never reorder a struct's fields or an enum's variants (append new
//! variants last), or stored values stop decoding.

use polkadot_sdk::{frame_support::pallet_prelude::*, sp_core::H256};
use timebank_primitives::{
	BalanceClass, BranchId, EntryId, EntryKind, LedgerAccount, Minutes, OperationId, ReversalReason,
};

/// How a branch's members may spend (DOMAIN.md rule 3).
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
pub enum AccountingModel {
	/// No overdraft: members spend what they earned or were granted.
	Prepaid,
	/// Spendable balances may go down to `-limit`. A hard limit refuses the debit beyond it; a
	/// soft one allows it (down to the chain's `MaxCreditLimit`) and flags the account.
	MutualCredit {
		/// How far below zero a member's spendable balance may go, in minutes.
		limit: Minutes,
		/// Whether a debit beyond `limit` is refused (hard) or allowed and flagged (soft).
		hard: bool,
	},
}

/// What happens to credit that would lift a spendable balance above the storage cap.
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
pub enum OverflowRule {
	/// Goes to the member's donation-only class.
	ToDonationOnly,
	/// Goes to the member's honorary class.
	ToHonorary,
	/// The operation is refused.
	Refuse,
}

/// Who may spend spendable credits on services (DOMAIN.md rule 8), checked at redemption.
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
pub enum RedemptionRule {
	/// Every active member.
	AnyMember,
	/// Members whom staff attested meet the age threshold or the hardship rule.
	EligibleOnly {
		/// The age from which a member is eligible (the hardship rule applies at any age).
		min_age: u8,
	},
}

/// The coarsest rounding step a branch may set, in minutes: one hour, the unit a service is
/// counted in (1 hour of service = 60 minutes of credit). With a step of at most an hour, rounding
/// moves a settled duration by at most half an hour (DOMAIN.md rule 4 rounds to 15 or 30 minutes);
/// a coarser step would let the listing branch's admin round every short service to nothing, or
/// pay a whole long hold after half its time (review finding L7).
pub const MAX_ROUNDING_STEP: Minutes = 60;

/// A branch's ledger rules. Changes create a new version; old versions stay readable.
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
pub struct LedgerPolicy {
	/// Prepaid, or mutual credit with its limit.
	pub accounting: AccountingModel,
	/// Settled durations are rounded to a multiple of this many minutes (activities pallet):
	/// from 1 to [`MAX_ROUNDING_STEP`].
	pub rounding_step: Minutes,
	/// Most spendable credit a member may hold; `None` for no cap.
	pub storage_cap: Option<Minutes>,
	/// Where credit above the storage cap goes.
	pub overflow: OverflowRule,
	/// Largest single gift; 0 disables gifts.
	pub max_gift: Minutes,
	/// Who may spend spendable credits on services.
	pub redemption: RedemptionRule,
	/// Largest net position towards any one other branch through clearing; at least the
	/// chain's `MinClearingLimit`, so members of other branches can always be served.
	pub clearing_limit: Minutes,
	/// Credit expiry in days. Expiry is off by default (DOMAIN.md rule 9) and not yet
	/// supported: a policy that sets it is refused.
	pub expiry_days: Option<u32>,
}

impl Default for LedgerPolicy {
	fn default() -> Self {
		Self {
			accounting: AccountingModel::Prepaid,
			rounding_step: 15,
			// 1,500 hours, the cap Nanjing and Guangzhou use.
			storage_cap: Some(1_500 * 60),
			overflow: OverflowRule::ToDonationOnly,
			max_gift: 10 * 60,
			redemption: RedemptionRule::AnyMember,
			clearing_limit: 100 * 60,
			expiry_days: None,
		}
	}
}

/// A branch's current policy and its version number (1 for the first policy its admins set).
///
/// Encodes exactly as the `(u32, LedgerPolicy)` pair stored before it was named: the field
/// order is part of the storage format.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct VersionedPolicy {
	/// Counts the policies set for the branch; 0 means the default (never set).
	pub version: u32,
	/// The rules in force.
	pub policy: LedgerPolicy,
}

/// One version of a branch's policy in the audit trail: what was set, by whom, when.
///
/// Encodes exactly as the `(LedgerPolicy, AccountId, BlockNumber)` triple stored before it was
/// named: the field order is part of the storage format.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PolicyRecord<AccountId, BlockNumber> {
	/// The policy of that version.
	pub policy: LedgerPolicy,
	/// The admin who set it (or whose request the reviewers approved).
	pub set_by: AccountId,
	/// The block in which it took effect.
	pub set_at: BlockNumber,
}

/// One ledger entry. Never modified after it is written.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Entry<AccountId, BlockNumber> {
	/// The operation that posted it.
	pub operation: OperationId,
	/// The account the credits left.
	pub debit: LedgerAccount<AccountId>,
	/// The account the credits reached.
	pub credit: LedgerAccount<AccountId>,
	/// How many minutes moved (always more than zero).
	pub amount: Minutes,
	/// Why they moved.
	pub kind: EntryKind,
	/// The block that posted it.
	pub block_number: BlockNumber,
	/// The extrinsic that posted it within that block (0 for hooks).
	pub extrinsic_index: u32,
}

/// The entries one action posted, who did it and for whom.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxEntries))]
pub struct Operation<AccountId, MaxEntries: Get<u32>> {
	/// What kind of action it was (the kind of its main entries).
	pub kind: EntryKind,
	/// The branch whose admins may reverse it.
	pub branch: BranchId,
	/// Who signed (or, through the `Ledger` trait, on whose action another pallet posted it).
	pub actor: AccountId,
	/// The member whose credits a proxy's approved proposal or an estate moved.
	pub on_behalf_of: Option<AccountId>,
	/// Its entries, in the order they were posted.
	pub entries: BoundedVec<EntryId, MaxEntries>,
	/// Hash of the off-chain document giving the reason (grant, reversal).
	pub memo: Option<H256>,
	/// The operation this one reverses.
	pub reverses: Option<OperationId>,
	/// The operation that reversed this one.
	pub reversed_by: Option<OperationId>,
}

/// Credits held for an open activity.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Hold<AccountId> {
	/// The branch of the payer, whose operations the hold's settlements are.
	pub branch: BranchId,
	/// The account the credits came from, and return to on release.
	pub payer: LedgerAccount<AccountId>,
	/// What is still held, in minutes (never zero: an emptied hold is removed).
	pub remaining: Minutes,
}

/// Where a gift or donation goes.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum TransferTarget<AccountId> {
	/// A gift (转赠) of spendable credits to a verified relative.
	Gift {
		/// The relative.
		to: AccountId,
	},
	/// A donation of spendable or donation-only credits to a branch's pool.
	DonationToPool {
		/// The branch whose pool receives it.
		branch: BranchId,
		/// Which of the giver's classes it comes from.
		class: BalanceClass,
	},
	/// A donation of spendable or donation-only credits to a named member.
	DonationToMember {
		/// The receiving member (a recipient, or a member attested eligible).
		to: AccountId,
		/// Which of the giver's classes it comes from.
		class: BalanceClass,
	},
}

/// A gift or donation a family proxy proposed; it moves nothing until co-signed.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ProposedTransfer<AccountId> {
	/// The member whose credits would move.
	pub member: AccountId,
	/// The proxy who proposed it.
	pub proxy: AccountId,
	/// Where the credits would go.
	pub target: TransferTarget<AccountId>,
	/// How many minutes.
	pub amount: Minutes,
}

/// What a leaving member does with the balance (DOMAIN.md rule 10).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum ExitChoice<AccountId> {
	/// Spendable credits to a verified relative; donation-only credits to the home pool.
	GiftTo(AccountId),
	/// Spendable and donation-only credits to the home pool.
	DonateToPool,
	/// Balances stay where they are.
	Dormant,
}

/// A documented death awaiting its second approver.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EstateCase<AccountId> {
	/// The officer who opened the case; the second approver must be someone else.
	pub opened_by: AccountId,
	/// Hash of the death documentation kept off chain.
	pub evidence: H256,
	/// The block the case was opened in: an officer who took office later cannot approve it
	/// (review M11: an admin cannot appoint the second approver of a case already under way).
	pub opened_at: u64,
}

/// Where a debit may take a balance.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DebitRule {
	/// Only what the account holds: gifts, donations, exits never create an overdraft.
	OwnCredits,
	/// Down to the policy's floor: spending on services and corrections.
	PolicyLimit,
	/// No floor: a balance moving between two keys of the same member (re-keying), whose net
	/// position, class and branch do not change.
	SameMember,
}

/// An admin action the branch's review policy holds until reviewers approve it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum PendingAction<AccountId> {
	/// A grant of `amount` minutes to `to`, justified by the document hashed in `memo`.
	Grant {
		/// The member to credit.
		to: AccountId,
		/// How many minutes.
		amount: Minutes,
		/// Hash of the document that justifies it.
		memo: H256,
	},
	/// The reversal of `operation`.
	Reversal {
		/// The operation to reverse.
		operation: OperationId,
		/// Why.
		reason: ReversalReason,
		/// Hash of the document giving the reason.
		memo: H256,
	},
	/// A new policy for the branch.
	PolicyChange {
		/// The policy to set.
		policy: LedgerPolicy,
	},
}

/// A waiting admin action, its branch and the admin who asked for it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Pending<AccountId> {
	/// The branch whose reviewers decide.
	pub branch: BranchId,
	/// The admin who asked; an approved action is carried out in this admin's name.
	pub requester: AccountId,
	/// What waits.
	pub action: PendingAction<AccountId>,
}
