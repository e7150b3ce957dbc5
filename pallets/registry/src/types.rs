//! What the registry stores: branches, member records, per-branch member counts and quota usage.
//!
//! These types are encoded in storage: never reorder their fields or enum variants.

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
