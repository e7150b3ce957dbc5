//! Floor 2: who belongs to the time bank, in which role, and who may act for whom.
//!
//! The registry pallet owns these facts and implements [`Membership`] (and, for benchmarks,
//! [`MembershipFixtures`]); every other pallet reads them through that trait. The authority
//! checks built on these facts are [`crate::Authority`], in `authority.rs`.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{frame_support::weights::Weight, sp_runtime::DispatchResult};
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::ids::BranchId;

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

/// A member's record as other pallets see it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MemberFacts {
	/// The branch that registered the member; its staff act for the member.
	pub home_branch: BranchId,
	/// Where the member stands.
	pub status: MemberStatus,
	/// What the member does.
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

	/// The key `who`'s account moved to, if `who` is a retired key (decision 0013). Actions that
	/// someone else prepared under the old key and that run later (an approved grant, an estate's
	/// heir, a certificate's revocation) go to the member's current key. The default: none.
	fn rekeyed_to(_who: &AccountId) -> Option<AccountId> {
		None
	}

	/// The member's earlier keys, if `who` is a key a member moved to (at most the registry's
	/// `MaxKeyHistory`): a reward paid once per member checks them too. The default: none.
	fn previous_keys(_who: &AccountId) -> Vec<AccountId> {
		Vec::new()
	}

	/// Whether `who` is an active member.
	fn is_active_member(who: &AccountId) -> bool {
		Self::member(who).is_some_and(|m| m.status == MemberStatus::Active)
	}

	/// The block in which `who` took office at `branch`, if they hold an office there; `0` when
	/// the registry does not know (appointed before it kept the date). Audits use it to refuse
	/// deciders appointed after a case was opened. The default knows no dates.
	fn officer_since(branch: BranchId, who: &AccountId) -> Option<u64> {
		Self::is_officer(branch, who, OfficerRole::Staff).then_some(0)
	}
}

/// Told by the registry whenever an account's home branch changes: it became a member (`from`
/// is `None`), moved (`Some` to `Some`), or its record was removed (`to` is `None`). The ledger
/// keeps each branch's total of its home members' spendable balances with it, so the branch
/// summary reads one value instead of every balance.
pub trait HomeBranchChanges<AccountId> {
	/// `who`'s home branch changed from `from` to `to`.
	fn home_branch_changed(who: &AccountId, from: Option<BranchId>, to: Option<BranchId>);
	/// The most one call may cost, added to the weight of the registry's calls that make it
	/// (their benchmarks cannot give the member a balance, so they measure the cheapest path).
	fn weight() -> Weight;

	/// Called once the destination branch's staff accepted `who`'s move from `from` to `to`, just
	/// before the registry changes the home branch; an error refuses the move. The ledger refuses
	/// while `who` has credits in open holds or owes credits, and carries a positive spendable
	/// balance across through the two branches' clearing accounts, within their clearing limit
	/// (DOMAIN.md rule 11). The default refuses nothing and moves nothing.
	fn prepare_move(_who: &AccountId, _from: BranchId, _to: BranchId) -> DispatchResult {
		Ok(())
	}

	/// The most [`Self::prepare_move`] may cost.
	fn prepare_move_weight() -> Weight {
		Weight::zero()
	}

	/// Credit `amount` to `who`, a member `branch` just imported from its paper records, as a
	/// grant from the branch's grant account whose memo is the hash of the import file; `by` is
	/// the officer who confirmed the import. An error refuses this member's import (the
	/// registry undoes the member's record and names them in an event). The default credits
	/// nothing (a runtime without a ledger).
	fn credit_opening_balance(
		_who: &AccountId,
		_branch: BranchId,
		_amount: crate::Minutes,
		_import_file: polkadot_sdk::sp_core::H256,
		_by: &AccountId,
	) -> DispatchResult {
		Ok(())
	}

	/// The most [`Self::credit_opening_balance`] may cost.
	fn credit_opening_balance_weight() -> Weight {
		Weight::zero()
	}
}

/// Nobody listens: for runtimes and mocks without a ledger.
impl<AccountId> HomeBranchChanges<AccountId> for () {
	fn home_branch_changed(_: &AccountId, _: Option<BranchId>, _: Option<BranchId>) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Registry state for the other pallets' benchmarks, set up through whichever registry the
/// runtime uses (the registry pallet in the runtime, an in-memory one in the pallets' mocks).
///
/// Not behind `runtime-benchmarks`: every pallet that names the trait would need the feature.
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
