//! The second admin (review M11): an admin alone cannot choose the officers who co-sign their
//! decisions. Appointments and the removal of a co-admin that an admin proposes wait in
//! `PendingOfficerChanges` until another admin of the branch, or the council, confirms; a branch
//! with one admin asks the council. The council's own appointments apply at once.
//!
//! Also the limit on new accounts (review H4): every account officers register or appoint gets
//! its own fee-free quota, so `Registrations` counts them per branch and quota window.

use crate::{pallet::*, OfficerChange, PendingOfficerChange};
use polkadot_sdk::{
	frame_support::{ensure, traits::EnsureOrigin},
	frame_system::{self, ensure_signed, pallet_prelude::OriginFor},
	sp_runtime::{
		traits::{Get, UniqueSaturatedInto},
		DispatchError, DispatchResult,
	},
};
use timebank_primitives::{BranchId, OfficerRole};

impl<T: Config> Pallet<T> {
	/// `None` for the council (after checking that `branch` exists), `Some(admin)` for a signed
	/// admin of `branch`.
	pub(crate) fn council_or_admin(
		origin: OriginFor<T>,
		branch: BranchId,
	) -> Result<Option<T::AccountId>, DispatchError> {
		if T::BranchOrigin::try_origin(origin.clone()).is_ok() {
			ensure!(Branches::<T>::contains_key(branch), Error::<T>::UnknownBranch);
			return Ok(None);
		}
		let who = ensure_signed(origin)?;
		Self::ensure_branch_officer(branch, &who, OfficerRole::Admin)?;
		Ok(Some(who))
	}

	/// `by`, an admin of `branch`, proposes `change` for `who`; another admin must confirm.
	pub(crate) fn propose_officer_change(
		branch: BranchId,
		who: T::AccountId,
		change: OfficerChange,
		by: T::AccountId,
	) -> DispatchResult {
		Self::ensure_branch_active(branch)?;
		ensure!(AdminCount::<T>::get(branch) >= 2, Error::<T>::NeedsSecondAdmin);
		match change {
			OfficerChange::Appoint(_) => ensure!(
				!BranchOfficers::<T>::contains_key(branch, &who),
				Error::<T>::AlreadyOfficer
			),
			OfficerChange::Remove => ensure!(
				BranchOfficers::<T>::get(branch, &who) == Some(OfficerRole::Admin),
				Error::<T>::NotOfficer
			),
		}
		ensure!(!PendingOfficerChanges::<T>::contains_key(branch, &who), Error::<T>::ChangePending);
		let waiting = PendingOfficerChangeCount::<T>::get(branch);
		ensure!(waiting < T::MaxPendingOfficerChanges::get(), Error::<T>::TooManyPendingChanges);
		PendingOfficerChangeCount::<T>::insert(branch, waiting.saturating_add(1));
		let proposed_at = frame_system::Pallet::<T>::block_number();
		PendingOfficerChanges::<T>::insert(
			branch,
			&who,
			PendingOfficerChange { change, proposed_by: by.clone(), proposed_at },
		);
		Self::deposit_event(Event::OfficerChangeProposed { branch, who, change, by });
		Ok(())
	}

	/// Apply the change waiting for `who` at `branch`: confirmed by `by`, an admin other than
	/// the proposer, or by the council (`None`).
	pub(crate) fn do_confirm_officer_change(
		branch: BranchId,
		who: T::AccountId,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		let pending = Self::take_officer_change(branch, &who)?;
		if let Some(by) = &by {
			ensure!(*by != pending.proposed_by, Error::<T>::SameAdmin);
		}
		match pending.change {
			OfficerChange::Appoint(role) => {
				if by.is_some() {
					Self::count_registration(branch)?;
				}
				Self::do_appoint_officer(branch, who, role)
			}
			OfficerChange::Remove => Self::do_remove_officer(branch, who),
		}
	}

	/// Drop the change waiting for `who` at `branch`: any admin of the branch (`Some`) or the
	/// council (`None`).
	pub(crate) fn do_cancel_officer_change(
		branch: BranchId,
		who: T::AccountId,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		Self::take_officer_change(branch, &who)?;
		Self::deposit_event(Event::OfficerChangeCancelled { branch, who, by });
		Ok(())
	}

	/// Remove and return the change waiting for `who` at `branch`, keeping the count in step.
	fn take_officer_change(
		branch: BranchId,
		who: &T::AccountId,
	) -> Result<
		PendingOfficerChange<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>,
		DispatchError,
	> {
		let pending =
			PendingOfficerChanges::<T>::take(branch, who).ok_or(Error::<T>::NoPendingChange)?;
		PendingOfficerChangeCount::<T>::mutate(branch, |c| *c = c.saturating_sub(1));
		Ok(pending)
	}

	/// Count one more account `branch`'s officers registered or appointed in this quota window;
	/// refused (`RegistrationLimitReached`) beyond `RegistrationsPerWindow`.
	pub(crate) fn count_registration(branch: BranchId) -> DispatchResult {
		let usage = Registrations::<T>::get(branch)
			.unwrap_or_default()
			.with(Self::quota_window_index(), 1, T::RegistrationsPerWindow::get())
			.ok_or(Error::<T>::RegistrationLimitReached)?;
		Registrations::<T>::insert(branch, usage);
		Ok(())
	}

	/// The current quota window: `block_number / QuotaWindow`, the index per-window counts
	/// (`Registrations`, `Imports`) are kept under.
	pub(crate) fn quota_window_index() -> u32 {
		let now: u32 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		let length: u32 = T::QuotaWindow::get().unique_saturated_into();
		// `QuotaWindow` is at least one block (`integrity_test`); `max(1)` keeps the division
		// defined whatever the runtime says.
		now / length.max(1)
	}
}
