//! Moving a member's home branch (review H2): the member (or staff of the current home branch)
//! asks, staff of the destination accept, and the ledger refuses a member with open holds or a
//! debt and carries a positive balance across through clearing
//! ([`timebank_primitives::HomeBranchChanges::prepare_move`]). Until staff accept, the member
//! stays under the current branch's policy.

use crate::{pallet::*, PendingMove};
use polkadot_sdk::{
	frame_support::ensure,
	frame_system,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{Authority, BranchId, HomeBranchChanges, MemberStatus, OfficerRole};

impl<T: Config> Pallet<T> {
	/// `who`, or staff of `who`'s home branch, ask to move `who`'s home to `to`.
	pub(crate) fn do_request_home_move(
		by: T::AccountId,
		who: T::AccountId,
		to: BranchId,
	) -> DispatchResult {
		let member = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
		ensure!(by == who || Self::is_home_staff(&who, &by), Error::<T>::NotAllowed);
		ensure!(
			matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
			Error::<T>::MemberNotActive
		);
		ensure!(member.home_branch != to, Error::<T>::AlreadyInBranch);
		Self::ensure_branch_active(to)?;
		ensure!(!PendingMoves::<T>::contains_key(&who), Error::<T>::MovePending);
		let requested_at = frame_system::Pallet::<T>::block_number();
		PendingMoves::<T>::insert(&who, PendingMove { to, requested_by: by.clone(), requested_at });
		Self::deposit_event(Event::HomeMoveRequested { who, from: member.home_branch, to, by });
		Ok(())
	}

	/// Staff of the branch `who` asked for accept: the ledger is asked, then the home branch,
	/// the counts of both branches and the ledger's totals change.
	pub(crate) fn do_accept_home_move(by: T::AccountId, who: T::AccountId) -> DispatchResult {
		let request = PendingMoves::<T>::get(&who).ok_or(Error::<T>::NoPendingMove)?;
		let to = request.to;
		Self::ensure_branch_officer(to, &by, OfficerRole::Staff)?;
		Self::ensure_branch_active(to)?;
		let member = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
		ensure!(
			matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
			Error::<T>::MemberNotActive
		);
		let from = member.home_branch;
		ensure!(from != to, Error::<T>::AlreadyInBranch);
		T::HomeBranchChanges::prepare_move(&who, from, to)?;
		PendingMoves::<T>::remove(&who);
		Members::<T>::try_mutate(&who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			member.extra_branches.retain(|b| *b != to);
			member.home_branch = to;
			MemberCountsByBranch::<T>::mutate(from, |c| c.remove(member.status));
			MemberCountsByBranch::<T>::mutate(to, |c| c.add(member.status));
			Ok::<_, DispatchError>(())
		})?;
		T::HomeBranchChanges::home_branch_changed(&who, Some(from), Some(to));
		Self::deposit_event(Event::HomeBranchMoved { who, from, to, by });
		Ok(())
	}

	/// `who`, staff of `who`'s home branch, or staff of the branch asked for (declining) end a
	/// request to move.
	pub(crate) fn do_cancel_home_move(by: T::AccountId, who: T::AccountId) -> DispatchResult {
		let request = PendingMoves::<T>::get(&who).ok_or(Error::<T>::NoPendingMove)?;
		ensure!(
			by == who || Self::is_home_staff(&who, &by) || Self::is_staff(request.to, &by),
			Error::<T>::NotAllowed
		);
		PendingMoves::<T>::remove(&who);
		Self::deposit_event(Event::HomeMoveCancelled { who, to: request.to, by });
		Ok(())
	}
}
