//! What the registry stores: branches, member records, per-branch member counts and quota usage.
//!
//! These types are encoded in storage: never reorder their fields or enum variants.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec},
	sp_core::H256,
};
use scale_info::TypeInfo;
use timebank_primitives::{BranchId, IdentityCommitment, MemberRoles, MemberStatus, OfficerRole};

/// The deepest branch hierarchy allowed: city → district → street → community, with room for
/// regional layers above a city.
pub const MAX_BRANCH_DEPTH: u8 = 8;

/// Whether a branch may serve members.
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
pub enum BranchStatus {
	/// Open: takes new members and ledger operations.
	Active,
	/// Temporarily closed: no new members or ledger operations; history stays.
	Suspended,
	/// Permanently closed.
	Closed,
}

/// A branch institution.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Branch<BlockNumber> {
	/// The branch above this one in the hierarchy; `None` for a root branch.
	pub parent: Option<BranchId>,
	/// 0 for a root branch, parent's depth + 1 otherwise.
	pub depth: u8,
	/// Whether the branch serves members.
	pub status: BranchStatus,
	/// Hash of the branch's public profile document (name, address, contact), kept off chain.
	pub profile_hash: H256,
	/// The block in which the branch was registered.
	pub registered_at: BlockNumber,
}

/// A member's on-chain record.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxExtra))]
pub struct Member<BlockNumber, MaxExtra: Get<u32>> {
	/// Salted hash of identity documents; zeroed when the member is deceased (anonymised).
	pub identity_commitment: IdentityCommitment,
	/// The branch that keeps the member's record, balance totals and statement.
	pub home_branch: BranchId,
	/// Other branches the member also belongs to.
	pub extra_branches: BoundedVec<BranchId, MaxExtra>,
	/// Pending, active, suspended, left or deceased.
	pub status: MemberStatus,
	/// What the member does: volunteer, recipient, family proxy.
	pub roles: MemberRoles,
	/// Staff attested that the member meets the branch's redemption rule (age or hardship).
	pub redemption_eligible: bool,
	/// The block in which the record was created (application or registration).
	pub joined_at: BlockNumber,
}

/// Members of a branch, by status; kept in step with every status change.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct MemberCounts {
	/// Applications waiting for a decision.
	pub pending: u32,
	/// Active members.
	pub active: u32,
	/// Suspended members.
	pub suspended: u32,
}

impl MemberCounts {
	/// Count one more member with `status`. Members who left or died are not counted.
	pub(crate) fn add(&mut self, status: MemberStatus) {
		if let Some(slot) = self.slot(status) {
			*slot = slot.saturating_add(1);
		}
	}

	/// Count one member with `status` less.
	pub(crate) fn remove(&mut self, status: MemberStatus) {
		if let Some(slot) = self.slot(status) {
			*slot = slot.saturating_sub(1);
		}
	}

	fn slot(&mut self, status: MemberStatus) -> Option<&mut u32> {
		match status {
			MemberStatus::Pending => Some(&mut self.pending),
			MemberStatus::Active => Some(&mut self.active),
			MemberStatus::Suspended => Some(&mut self.suspended),
			MemberStatus::Left | MemberStatus::Deceased => None,
		}
	}
}

/// How much of its fee-free allowance an account has used: a leaky bucket that drains at the
/// allowance's rate (all of it per quota window), so there is no window edge at which an account
/// could spend two allowances at once.
///
/// Encoded in storage: never reorder the fields. (Before spec 107 the first field was a window
/// index and the second a call count; read as a block number and microseconds, an old value
/// drains at once, which is harmless.)
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct QuotaUsage {
	/// The block at which `used` was last brought up to date.
	pub at: u32,
	/// Block execution time used, in microseconds of reference time, not yet drained.
	pub used: u32,
}

/// A member's request to move their home branch, waiting for the destination branch's staff.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingMove<AccountId, BlockNumber> {
	/// The branch the member asks to move to.
	pub to: BranchId,
	/// The member, or the staff member of the current home branch, who asked.
	pub requested_by: AccountId,
	/// The block in which the move was requested.
	pub requested_at: BlockNumber,
}

/// A change of a branch's officers that one admin proposed and a second admin (or the
/// council) must confirm.
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
pub enum OfficerChange {
	/// Appoint the account with this role.
	Appoint(OfficerRole),
	/// Remove the account, an admin of the branch.
	Remove,
}

/// An officer change waiting for its second admin.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingOfficerChange<AccountId, BlockNumber> {
	/// What is to change.
	pub change: OfficerChange,
	/// The admin who proposed it; another admin must confirm.
	pub proposed_by: AccountId,
	/// The block in which it was proposed.
	pub proposed_at: BlockNumber,
}

/// Accounts a branch's officers registered or appointed in one quota window (security review
/// H4: officers cannot mint quota holders faster than this).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct RegistrationCount {
	/// `block_number / QuotaWindow` when the count started.
	pub window: u32,
	/// Accounts registered or appointed in that window.
	pub registered: u32,
}

impl RegistrationCount {
	/// The count with `more` accounts added in `window` (a count of an earlier window starts
	/// again from zero), or `None` if that would pass `limit`.
	pub fn with(self, window: u32, more: u32, limit: u32) -> Option<Self> {
		let before = if self.window == window { self.registered } else { 0 };
		let registered = before.checked_add(more).filter(|&after| after <= limit)?;
		Some(Self { window, registered })
	}
}

/// The most bytes of a branch's gateway address (a URL such as `https://tb.example.org`).
pub const MAX_GATEWAY_ADDRESS: u32 = 128;

/// A branch gateway's address: printable ASCII starting with `https://` or `http://`.
pub type GatewayAddress =
	BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<MAX_GATEWAY_ADDRESS>>;

/// The latest root of a branch gateway's audit log that an officer recorded on chain: the log is
/// hash-chained off chain, and this anchor makes any later rewrite of its first `entries`
/// entries detectable.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct LogAnchor<AccountId, BlockNumber> {
	/// The head (root) of the log after `entries` entries.
	pub root: H256,
	/// How many entries the log had; each anchor of a branch must count more than the last.
	pub entries: u64,
	/// The officer who recorded it.
	pub by: AccountId,
	/// The block it was recorded in.
	pub at: BlockNumber,
}

/// A family proxy that staff of the member's home branch recorded for a member without a
/// smartphone; it takes effect when a second officer of that branch, or the member at the
/// counter, confirms it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingProxy<AccountId, BlockNumber> {
	/// The family proxy to authorise.
	pub proxy: AccountId,
	/// What the proxy may do.
	pub permissions: timebank_primitives::ProxyPermissions,
	/// Hash of the evidence staff checked (the member's signed consent form, the relation).
	pub evidence: H256,
	/// The officer who recorded it; another must confirm.
	pub recorded_by: AccountId,
	/// The block it was recorded in.
	pub recorded_at: BlockNumber,
}

/// A branch as the `branches` view function shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BranchView {
	/// The branch's number.
	pub id: BranchId,
	/// The branch above it; `None` for a root branch.
	pub parent: Option<BranchId>,
	/// 0 for a root branch.
	pub depth: u8,
	/// Whether it serves members.
	pub status: BranchStatus,
	/// Hash of its public profile document, kept off chain.
	pub profile_hash: H256,
	/// Where its gateway answers, if its admins published it.
	pub gateway: Option<Vec<u8>>,
	/// Its pending, active and suspended members.
	pub members: MemberCounts,
}

/// An account's fee-free allowance as the `quota` view function shows it, in microseconds of
/// block execution time.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct QuotaView {
	/// What the account may still use now.
	pub remaining: u32,
	/// The whole allowance, which refills over one quota window.
	pub allowance: u32,
}

/// One member of a branch's paper records, as staff import it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ImportedMember<AccountId> {
	/// The member's new (custodial) account.
	pub who: AccountId,
	/// Salted hash of the member's identity documents, computed off chain.
	pub identity_commitment: IdentityCommitment,
	/// Volunteer, recipient, family proxy.
	pub roles: MemberRoles,
	/// The balance the paper records show, in minutes, credited as a grant whose memo is the
	/// import file's hash (0: none).
	pub opening_balance: timebank_primitives::Minutes,
}

/// A batch of imported members one officer proposed; an admin of the branch other than the
/// proposer confirms it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxBatch))]
pub struct PendingImport<AccountId, BlockNumber, MaxBatch: Get<u32>> {
	/// The members to register, at most `MaxImportBatch`.
	pub members: BoundedVec<ImportedMember<AccountId>, MaxBatch>,
	/// Hash of the import file (the scanned or exported paper records) the batch comes from.
	pub import_file: H256,
	/// The officer who proposed it.
	pub proposed_by: AccountId,
	/// The block it was proposed in.
	pub proposed_at: BlockNumber,
}

/// A request to move a member's account to a new key (decision 0013), waiting for an officer of
/// the member's home branch to approve it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingRekey<AccountId, BlockNumber> {
	/// The key the account moves to; it signed the request's proof.
	pub new: AccountId,
	/// The member (their own request, with the old key) or the staff member who asked.
	pub requested_by: AccountId,
	/// Whether staff asked (the member's key lost): then it waits `RekeyDelay` before approval.
	pub by_staff: bool,
	/// Hash of the off-chain record of the request (identity check, signed form); zero when the
	/// member asked with their own key.
	pub evidence: H256,
	/// The block it was requested in.
	pub requested_at: BlockNumber,
}

/// A member's keys as the `keys` view function shows them (decision 0013).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct KeysView<AccountId, BlockNumber> {
	/// A re-key of this account waiting for approval.
	pub pending: Option<PendingRekey<AccountId, BlockNumber>>,
	/// The member's current key, if this key was retired.
	pub rekeyed_to: Option<AccountId>,
	/// The member's earlier keys, oldest first, if this is their current key.
	pub previous_keys: Vec<AccountId>,
}
