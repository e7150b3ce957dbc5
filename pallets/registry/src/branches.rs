//! Branches: registration in the hierarchy and status.

use crate::{pallet::*, Branch, BranchStatus, MAX_BRANCH_DEPTH};
use polkadot_sdk::{
	frame_support::ensure,
	frame_system,
	sp_core::H256,
	sp_runtime::{ArithmeticError, DispatchError, DispatchResult},
};
use timebank_primitives::{BranchId, OfficerRole};

impl<T: Config> Pallet<T> {
	/// Register a branch under `parent` (or as a root) with `admin` as its first admin. Also
	/// builds the genesis branches.
	pub(crate) fn do_register_branch(
		parent: Option<BranchId>,
		admin: T::AccountId,
		profile_hash: H256,
	) -> Result<BranchId, DispatchError> {
		let depth = match parent {
			None => 0,
			Some(parent) => {
				let record = Branches::<T>::get(parent).ok_or(Error::<T>::UnknownBranch)?;
				ensure!(record.status == BranchStatus::Active, Error::<T>::BranchNotActive);
				ensure!(record.depth + 1 < MAX_BRANCH_DEPTH, Error::<T>::HierarchyTooDeep);
				record.depth + 1
			}
		};
		let branch = NextBranchId::<T>::get();
		let next = branch.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Branches::<T>::insert(
			branch,
			Branch {
				parent,
				depth,
				status: BranchStatus::Active,
				profile_hash,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextBranchId::<T>::put(next);
		Self::insert_officer(branch, &admin, OfficerRole::Admin);
		Self::deposit_event(Event::BranchRegistered { branch, parent, admin });
		Ok(branch)
	}

	/// Suspend, reactivate or close `branch`; a closed branch stays closed.
	pub(crate) fn do_set_branch_status(branch: BranchId, status: BranchStatus) -> DispatchResult {
		Branches::<T>::try_mutate(branch, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::UnknownBranch)?;
			ensure!(record.status != BranchStatus::Closed, Error::<T>::BranchClosed);
			record.status = status;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::BranchStatusChanged { branch, status });
		Ok(())
	}

	/// `Ok` when `branch` exists and is active.
	pub(crate) fn ensure_branch_active(branch: BranchId) -> DispatchResult {
		let record = Branches::<T>::get(branch).ok_or(Error::<T>::UnknownBranch)?;
		ensure!(record.status == BranchStatus::Active, Error::<T>::BranchNotActive);
		Ok(())
	}
}
