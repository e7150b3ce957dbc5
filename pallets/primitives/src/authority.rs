//! Floor 3: who may act, the one place where the chain's authority rules are written.
//!
//! Every pallet asks these questions ("is this account an officer of that branch", "is it staff
//! of the member's home branch", "may this proxy do that for the member", "does this account speak
//! for the member") through [`Authority`], which every [`Membership`] provider gets for free. A
//! rule changed here changes for every call of every pallet at once; a pallet that writes its own
//! variant of one of these checks is a defect to report.

use crate::{
	ids::BranchId,
	membership::{Membership, OfficerRole, ProxyPermissions},
};

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

#[cfg(test)]
mod tests {
	use super::{Authority, NotOfficer, ProxyPermission};
	use crate::{
		ids::BranchId,
		membership::{
			MemberFacts, MemberRoles, MemberStatus, Membership, OfficerRole, ProxyPermissions,
		},
	};
	use polkadot_sdk::sp_runtime::DispatchResult;

	const HOME: BranchId = 1;
	const OTHER: BranchId = 2;
	/// An active member of `HOME`.
	const MEMBER: u64 = 1;
	/// Staff of `HOME`.
	const STAFF: u64 = 10;
	/// Admin of `HOME`.
	const ADMIN: u64 = 11;
	/// Staff of `OTHER`, not of `HOME`.
	const OTHER_STAFF: u64 = 12;
	/// `MEMBER`'s proxy, allowed to request services only.
	const PROXY: u64 = 20;
	/// Nobody in particular: no record, no role.
	const STRANGER: u64 = 99;

	/// A registry with the fixed cast above; the facts the authority checks are built on.
	struct Registry;

	impl Membership<u64> for Registry {
		fn member(who: &u64) -> Option<MemberFacts> {
			(*who == MEMBER).then(|| MemberFacts {
				home_branch: HOME,
				status: MemberStatus::Active,
				roles: MemberRoles::default(),
				redemption_eligible: false,
			})
		}
		fn branch_is_active(_: BranchId) -> bool {
			true
		}
		fn is_officer(branch: BranchId, who: &u64, role: OfficerRole) -> bool {
			let held = match (branch, *who) {
				(HOME, STAFF) | (OTHER, OTHER_STAFF) => OfficerRole::Staff,
				(HOME, ADMIN) => OfficerRole::Admin,
				_ => return false,
			};
			held >= role
		}
		fn is_verified_relation(_: &u64, _: &u64) -> bool {
			false
		}
		fn proxy_permissions(member: &u64, proxy: &u64) -> Option<ProxyPermissions> {
			(*member == MEMBER && *proxy == PROXY)
				.then_some(ProxyPermissions { request_services: true, ..Default::default() })
		}
		fn is_auditor(_: &u64) -> bool {
			false
		}
		fn record_departure(_: &u64, _: MemberStatus) -> DispatchResult {
			Ok(())
		}
	}

	const ALL_PERMISSIONS: [ProxyPermission; 3] = [
		ProxyPermission::RequestServices,
		ProxyPermission::ConfirmServices,
		ProxyPermission::ProposeTransfers,
	];

	#[test]
	fn proxy_permissions_allow_exactly_what_was_granted() {
		let only = |permission| match permission {
			ProxyPermission::RequestServices => {
				ProxyPermissions { request_services: true, ..Default::default() }
			}
			ProxyPermission::ConfirmServices => {
				ProxyPermissions { confirm_services: true, ..Default::default() }
			}
			ProxyPermission::ProposeTransfers => {
				ProxyPermissions { propose_transfers: true, ..Default::default() }
			}
		};
		for granted in ALL_PERMISSIONS {
			for asked in ALL_PERMISSIONS {
				assert_eq!(only(granted).allows(asked), granted == asked, "{granted:?} {asked:?}");
			}
		}
		let everything = ProxyPermissions {
			request_services: true,
			confirm_services: true,
			propose_transfers: true,
		};
		assert!(ALL_PERMISSIONS.iter().all(|p| everything.allows(*p)));
		assert!(!ALL_PERMISSIONS.iter().any(|p| ProxyPermissions::default().allows(*p)));
	}

	#[test]
	fn an_officer_role_covers_the_roles_below_it_at_its_own_branch_only() {
		assert_eq!(Registry::ensure_officer(HOME, &STAFF, OfficerRole::Staff), Ok(()));
		assert_eq!(Registry::ensure_officer(HOME, &STAFF, OfficerRole::Admin), Err(NotOfficer));
		assert_eq!(Registry::ensure_officer(HOME, &ADMIN, OfficerRole::Staff), Ok(()));
		assert_eq!(Registry::ensure_officer(HOME, &ADMIN, OfficerRole::Admin), Ok(()));
		assert_eq!(
			Registry::ensure_officer(HOME, &OTHER_STAFF, OfficerRole::Staff),
			Err(NotOfficer)
		);
		assert_eq!(Registry::ensure_officer(HOME, &MEMBER, OfficerRole::Staff), Err(NotOfficer));

		assert!(Registry::is_staff(HOME, &STAFF));
		assert!(Registry::is_staff(HOME, &ADMIN), "admins can do everything staff can");
		assert!(!Registry::is_staff(HOME, &OTHER_STAFF));
		assert!(Registry::is_staff(OTHER, &OTHER_STAFF));
	}

	#[test]
	fn home_officers_are_those_of_the_members_home_branch() {
		assert!(Registry::is_home_staff(&MEMBER, &STAFF));
		assert!(Registry::is_home_staff(&MEMBER, &ADMIN));
		assert!(!Registry::is_home_staff(&MEMBER, &OTHER_STAFF));
		assert!(!Registry::is_home_officer(&MEMBER, &STAFF, OfficerRole::Admin));
		assert!(Registry::is_home_officer(&MEMBER, &ADMIN, OfficerRole::Admin));
		assert!(!Registry::is_home_staff(&STRANGER, &STAFF), "no record, no home branch");
	}

	#[test]
	fn a_proxy_acts_only_for_its_member_and_within_its_permissions() {
		assert!(Registry::is_proxy_with(&MEMBER, &PROXY, ProxyPermission::RequestServices));
		assert!(!Registry::is_proxy_with(&MEMBER, &PROXY, ProxyPermission::ConfirmServices));
		assert!(!Registry::is_proxy_with(&MEMBER, &PROXY, ProxyPermission::ProposeTransfers));
		assert!(Registry::is_any_proxy(&MEMBER, &PROXY));
		assert!(!Registry::is_any_proxy(&PROXY, &MEMBER), "authorisation has a direction");
		assert!(!Registry::is_any_proxy(&MEMBER, &STRANGER));
		assert!(!Registry::is_any_proxy(&MEMBER, &STAFF), "staff are not proxies");
	}

	#[test]
	fn the_member_home_staff_and_a_permitted_proxy_speak_for_a_member() {
		for permission in ALL_PERMISSIONS {
			assert!(Registry::speaks_for(&MEMBER, &MEMBER, permission));
			assert!(Registry::speaks_for(&STAFF, &MEMBER, permission));
			assert!(Registry::speaks_for(&ADMIN, &MEMBER, permission));
			assert!(!Registry::speaks_for(&OTHER_STAFF, &MEMBER, permission));
			assert!(!Registry::speaks_for(&STRANGER, &MEMBER, permission));
			assert_eq!(
				Registry::speaks_for(&PROXY, &MEMBER, permission),
				permission == ProxyPermission::RequestServices,
				"{permission:?}"
			);
		}
		assert!(Registry::speaks_for(&STRANGER, &STRANGER, ProxyPermission::ConfirmServices));
	}
}
