//! Officers and auditors: appointments, and the checks of who may act for a branch.
//!
//! The base fact is [`Pallet::is_officer_at`], read from `BranchOfficers`; the registry's
//! `Membership::is_officer` answers with it, and every other check here goes through
//! [`timebank_primitives::Authority`], the same rules every other pallet uses.

use crate::pallet::*;
use polkadot_sdk::{frame_support::ensure, frame_system, sp_runtime::DispatchResult};
use timebank_primitives::{Authority, BranchId, OfficerRole};

impl<T: Config> Pallet<T> {
	/// Make `who` an officer of `branch` with `role`. The caller checked who may appoint.
	pub(crate) fn do_appoint_officer(
		branch: BranchId,
		who: T::AccountId,
		role: OfficerRole,
	) -> DispatchResult {
		Self::ensure_branch_active(branch)?;
		ensure!(!BranchOfficers::<T>::contains_key(branch, &who), Error::<T>::AlreadyOfficer);
		Self::ensure_not_retired(&who)?;
		Self::insert_officer(branch, &who, role);
		Self::deposit_event(Event::OfficerAppointed { branch, who, role });
		Ok(())
	}

	/// Remove `who`'s role at `branch`, unless they are its last admin. The caller checked who
	/// may remove.
	pub(crate) fn do_remove_officer(branch: BranchId, who: T::AccountId) -> DispatchResult {
		let role = BranchOfficers::<T>::get(branch, &who).ok_or(Error::<T>::NotOfficer)?;
		if role == OfficerRole::Admin {
			let admins = AdminCount::<T>::get(branch);
			ensure!(admins > 1, Error::<T>::LastAdmin);
			AdminCount::<T>::insert(branch, admins - 1);
		}
		BranchOfficers::<T>::remove(branch, &who);
		OfficerSince::<T>::remove(branch, &who);
		OfficerRoleCount::<T>::mutate(&who, |c| *c = c.saturating_sub(1));
		Self::deposit_event(Event::OfficerRemoved { branch, who });
		Ok(())
	}

	/// Give or take the auditor role. The caller checked the council's origin.
	pub(crate) fn do_set_auditor(who: T::AccountId, enabled: bool) -> DispatchResult {
		if enabled {
			Self::ensure_not_retired(&who)?;
			Auditors::<T>::insert(&who, ());
			Self::ensure_provider(&who);
		} else {
			Auditors::<T>::remove(&who);
		}
		Self::deposit_event(Event::AuditorSet { who, enabled });
		Ok(())
	}

	/// Record `who` as an officer of `branch`, keeping `OfficerRoleCount` and `AdminCount` in
	/// step. The only writer of new `BranchOfficers` entries.
	pub(crate) fn insert_officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) {
		BranchOfficers::<T>::insert(branch, who, role);
		OfficerSince::<T>::insert(branch, who, frame_system::Pallet::<T>::block_number());
		OfficerRoleCount::<T>::mutate(who, |c| *c = c.saturating_add(1));
		if role == OfficerRole::Admin {
			AdminCount::<T>::mutate(branch, |c| *c = c.saturating_add(1));
		}
		Self::ensure_provider(who);
	}

	/// Whether `who` holds `role`, or a higher one, at `branch`: the fact every authority check
	/// starts from.
	pub(crate) fn is_officer_at(branch: BranchId, who: &T::AccountId, role: OfficerRole) -> bool {
		BranchOfficers::<T>::get(branch, who).is_some_and(|held| held >= role)
	}

	/// `Ok` when `branch` exists (else `UnknownBranch`) and `who` holds `role` there (else
	/// `NotBranchOfficer`).
	pub(crate) fn ensure_branch_officer(
		branch: BranchId,
		who: &T::AccountId,
		role: OfficerRole,
	) -> DispatchResult {
		ensure!(Branches::<T>::contains_key(branch), Error::<T>::UnknownBranch);
		<Self as Authority<T::AccountId>>::ensure_officer(branch, who, role)
			.map_err(Error::<T>::from)?;
		Ok(())
	}
}
