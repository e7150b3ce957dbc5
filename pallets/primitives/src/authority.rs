//! Who may act: the one place where the chain's authority rules are written.
//!
//! Every pallet asks these questions ("is this account an officer of that branch", "is it staff
//! of the member's home branch", "may this proxy do that for the member", "does this account speak
//! for the member") through [`Authority`], which every [`Membership`] provider gets for free. A
//! rule changed here changes for every call of every pallet at once; a pallet that writes its own
//! variant of one of these checks is a defect to report.

use crate::{BranchId, Membership, OfficerRole, ProxyPermissions};

/// One thing a family proxy may be allowed to do for a member (one field of
/// [`ProxyPermissions`]), named so that each call states which one it needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProxyPermission {
	/// Publish service requests for the member and choose their volunteer.
	RequestServices,
	/// Confirm a service's duration (and rate it) for the member.
	ConfirmServices,
	/// Propose gifts and donations from the member's credits (co-signed before credits move).
	ProposeTransfers,
}

impl ProxyPermissions {
	/// Whether these permissions include `permission`.
	pub fn allows(&self, permission: ProxyPermission) -> bool {
		match permission {
			ProxyPermission::RequestServices => self.request_services,
			ProxyPermission::ConfirmServices => self.confirm_services,
			ProxyPermission::ProposeTransfers => self.propose_transfers,
		}
	}
}

/// The account does not hold the officer role a call needs at the branch it names. Each pallet
/// turns it into its own `NotBranchOfficer` error with one `From` impl.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NotOfficer;

/// The authority checks, written once on top of [`Membership`]'s facts.
///
/// Implemented for every [`Membership`] provider (the registry in the runtime, the test-support
/// mock in pallet tests), so a pallet writes `T::Membership::ensure_officer(..)` with
/// `use timebank_primitives::Authority` in scope.
pub trait Authority<AccountId: PartialEq>: Membership<AccountId> {
	/// `Ok` when `who` holds `role`, or a higher one, at `branch`.
	fn ensure_officer(
		branch: BranchId,
		who: &AccountId,
		role: OfficerRole,
	) -> Result<(), NotOfficer> {
		if Self::is_officer(branch, who, role) {
			Ok(())
		} else {
			Err(NotOfficer)
		}
	}

	/// Whether `who` is staff (or admin) of `branch`.
	fn is_staff(branch: BranchId, who: &AccountId) -> bool {
		Self::is_officer(branch, who, OfficerRole::Staff)
	}

	/// Whether `who` holds `role`, or a higher one, at the home branch of `member`. False when
	/// `member` has no record.
	fn is_home_officer(member: &AccountId, who: &AccountId, role: OfficerRole) -> bool {
		Self::member(member).is_some_and(|facts| Self::is_officer(facts.home_branch, who, role))
	}

	/// Whether `who` is staff (or admin) of `member`'s home branch.
	fn is_home_staff(member: &AccountId, who: &AccountId) -> bool {
		Self::is_home_officer(member, who, OfficerRole::Staff)
	}

	/// Whether `proxy` is an authorised proxy of `member` holding `permission`.
	fn is_proxy_with(member: &AccountId, proxy: &AccountId, permission: ProxyPermission) -> bool {
		Self::proxy_permissions(member, proxy).is_some_and(|granted| granted.allows(permission))
	}

	/// Whether `proxy` is an authorised proxy of `member`, whatever its permissions.
	fn is_any_proxy(member: &AccountId, proxy: &AccountId) -> bool {
		Self::proxy_permissions(member, proxy).is_some()
	}

	/// Whether `by` speaks for `member` in what `permission` covers: `by` is the member, a proxy
	/// of theirs holding `permission`, or staff of their home branch.
	fn speaks_for(by: &AccountId, member: &AccountId, permission: ProxyPermission) -> bool {
		by == member
			|| Self::is_home_staff(member, by)
			|| Self::is_proxy_with(member, by, permission)
	}
}

impl<AccountId: PartialEq, M: Membership<AccountId>> Authority<AccountId> for M {}
