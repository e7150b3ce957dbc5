//! The registry as [`timebank_primitives::Membership`]: the facts about members, branches,
//! officers, proxies and relatives that the other pallets ask for, and the ledger's record of a
//! departure. [`timebank_primitives::Authority`]'s checks come with it.

use crate::{pallet::*, BranchStatus};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::ensure,
	sp_runtime::{traits::UniqueSaturatedInto, DispatchResult},
};
use timebank_primitives::{
	BranchId, MemberFacts, MemberStatus, Membership, OfficerRole, ProxyPermissions,
};

impl<T: Config> Membership<T::AccountId> for Pallet<T> {
	fn member(who: &T::AccountId) -> Option<MemberFacts> {
		Members::<T>::get(who).map(|m| MemberFacts {
			home_branch: m.home_branch,
			status: m.status,
			roles: m.roles,
			redemption_eligible: m.redemption_eligible,
		})
	}

	fn branch_is_active(branch: BranchId) -> bool {
		Branches::<T>::get(branch).is_some_and(|b| b.status == BranchStatus::Active)
	}

	fn is_officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) -> bool {
		Self::is_officer_at(branch, who, role)
	}

	fn is_verified_relation(a: &T::AccountId, b: &T::AccountId) -> bool {
		VerifiedRelations::<T>::contains_key(a, b)
	}

	fn proxy_permissions(member: &T::AccountId, proxy: &T::AccountId) -> Option<ProxyPermissions> {
		Proxies::<T>::get(member, proxy)
	}

	fn officer_since(branch: BranchId, who: &T::AccountId) -> Option<u64> {
		if !BranchOfficers::<T>::contains_key(branch, who) {
			return None;
		}
		Some(OfficerSince::<T>::get(branch, who).map_or(0, |block| block.unique_saturated_into()))
	}

	fn rekeyed_to(who: &T::AccountId) -> Option<T::AccountId> {
		Self::current_key(who)
	}

	fn previous_keys(who: &T::AccountId) -> Vec<T::AccountId> {
		PreviousKeys::<T>::get(who).map(|keys| keys.into_inner()).unwrap_or_default()
	}

	fn is_auditor(who: &T::AccountId) -> bool {
		Auditors::<T>::contains_key(who)
	}

	fn record_departure(who: &T::AccountId, status: MemberStatus) -> DispatchResult {
		ensure!(
			matches!(status, MemberStatus::Left | MemberStatus::Deceased),
			Error::<T>::StatusNotSettable
		);
		Self::change_status(who, status)?;
		// A member who left or died moves nowhere.
		PendingMoves::<T>::remove(who);
		Self::deposit_event(Event::MemberStatusChanged { who: who.clone(), status, by: None });
		Ok(())
	}
}
