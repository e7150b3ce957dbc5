//! Member records: applications and their decisions, registration by staff, roles, status,
//! extra memberships, and redemption eligibility (moving home is in `moves.rs`).
//!
//! `MemberCountsByBranch` and the ledger's per-branch totals (`T::HomeBranchChanges`) follow
//! every record: a record is created only by [`Pallet::insert_member`], removed only by
//! [`Pallet::do_reject_application`], its status changed only by [`Pallet::change_status`], and
//! its home branch moved only by [`Pallet::do_accept_home_move`].

use crate::{pallet::*, Member};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BranchId, HomeBranchChanges, IdentityCommitment, MemberRoles, MemberStatus,
	OfficerRole, ReviewKind, ReviewQueue, ReviewSubject,
};

impl<T: Config> Pallet<T> {
	/// A pending record for `who` at `branch`, under review where the branch reviews
	/// applications.
	pub(crate) fn do_apply_for_membership(
		who: T::AccountId,
		branch: BranchId,
		identity_commitment: IdentityCommitment,
	) -> DispatchResult {
		Self::ensure_branch_active(branch)?;
		ensure!(identity_commitment != H256::zero(), Error::<T>::EmptyCommitment);
		ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadyMember);
		Self::ensure_not_retired(&who)?;
		// L10: applying is free for any account that exists, so a branch's queue is bounded.
		ensure!(
			MemberCountsByBranch::<T>::get(branch).pending < T::MaxPendingApplications::get(),
			Error::<T>::TooManyApplications
		);
		Self::insert_member(
			&who,
			branch,
			identity_commitment,
			MemberRoles::default(),
			MemberStatus::Pending,
		);
		if T::Reviews::needs_review(branch, ReviewKind::Application, 0) {
			ApplicationsUnderReview::<T>::insert(&who, ());
			T::Reviews::open(branch, ReviewSubject::Application(who.clone()), &who)?;
		}
		Self::deposit_event(Event::MembershipApplied { who, branch });
		Ok(())
	}

	/// Approve `applicant`'s pending record: staff of its branch, by call or by review.
	pub(crate) fn do_approve_application(
		by: &T::AccountId,
		applicant: T::AccountId,
	) -> DispatchResult {
		let member = Members::<T>::get(&applicant).ok_or(Error::<T>::NotMember)?;
		ensure!(member.status == MemberStatus::Pending, Error::<T>::NotPending);
		Self::ensure_branch_officer(member.home_branch, by, OfficerRole::Staff)?;
		Self::ensure_branch_active(member.home_branch)?;
		Self::change_status(&applicant, MemberStatus::Active)?;
		Self::ensure_provider(&applicant);
		Self::deposit_event(Event::ApplicationApproved {
			who: applicant,
			branch: member.home_branch,
			by: by.clone(),
		});
		Ok(())
	}

	/// Reject `applicant`'s pending record and remove it: staff of its branch, by call or by
	/// review.
	pub(crate) fn do_reject_application(
		by: &T::AccountId,
		applicant: T::AccountId,
		reason: H256,
	) -> DispatchResult {
		let member = Members::<T>::get(&applicant).ok_or(Error::<T>::NotMember)?;
		ensure!(member.status == MemberStatus::Pending, Error::<T>::NotPending);
		Self::ensure_branch_officer(member.home_branch, by, OfficerRole::Staff)?;
		MemberCountsByBranch::<T>::mutate(member.home_branch, |c| c.remove(MemberStatus::Pending));
		Members::<T>::remove(&applicant);
		T::HomeBranchChanges::home_branch_changed(&applicant, Some(member.home_branch), None);
		Self::deposit_event(Event::ApplicationRejected {
			who: applicant,
			branch: member.home_branch,
			by: by.clone(),
			reason,
		});
		Ok(())
	}

	/// Staff of `branch` register `who`: active at once, or pending review where the branch
	/// reviews applications.
	/// `by` is the registering staff member, or `None` for the council.
	pub(crate) fn do_register_member(
		by: Option<T::AccountId>,
		who: T::AccountId,
		branch: BranchId,
		identity_commitment: IdentityCommitment,
		roles: MemberRoles,
	) -> DispatchResult {
		if let Some(by) = &by {
			Self::ensure_branch_officer(branch, by, OfficerRole::Staff)?;
		}
		Self::ensure_branch_active(branch)?;
		ensure!(identity_commitment != H256::zero(), Error::<T>::EmptyCommitment);
		ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadyMember);
		Self::ensure_not_retired(&who)?;
		if let Some(staff) = &by {
			// H4: every registered account gets its own fee-free quota, so officers register a
			// bounded number per window; the council's registrations are decided by motion.
			Self::count_registration(branch)?;
			// Where applications are reviewed, a registration by one officer is reviewed too.
			if T::Reviews::needs_review(branch, ReviewKind::Application, 0) {
				Self::insert_member(
					&who,
					branch,
					identity_commitment,
					roles,
					MemberStatus::Pending,
				);
				ApplicationsUnderReview::<T>::insert(&who, ());
				T::Reviews::open(branch, ReviewSubject::Application(who.clone()), staff)?;
				Self::deposit_event(Event::MemberRegistered { who, branch, by });
				return Ok(());
			}
		}
		Self::insert_member(&who, branch, identity_commitment, roles, MemberStatus::Active);
		Self::ensure_provider(&who);
		Self::deposit_event(Event::MemberRegistered { who, branch, by });
		Ok(())
	}

	/// Staff of `who`'s home branch set `who`'s roles.
	pub(crate) fn do_set_member_roles(
		by: T::AccountId,
		who: T::AccountId,
		roles: MemberRoles,
	) -> DispatchResult {
		Members::<T>::try_mutate(&who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			Self::ensure_branch_officer(member.home_branch, &by, OfficerRole::Staff)?;
			member.roles = roles;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::MemberRolesChanged { who, roles, by });
		Ok(())
	}

	/// Staff of `who`'s home branch suspend or reactivate `who`.
	pub(crate) fn do_set_member_status(
		by: T::AccountId,
		who: T::AccountId,
		status: MemberStatus,
	) -> DispatchResult {
		ensure!(
			matches!(status, MemberStatus::Active | MemberStatus::Suspended),
			Error::<T>::StatusNotSettable
		);
		let member = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
		Self::ensure_branch_officer(member.home_branch, &by, OfficerRole::Staff)?;
		ensure!(
			matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
			Error::<T>::StatusNotSettable
		);
		ensure!(member.status != status, Error::<T>::StatusUnchanged);
		Self::change_status(&who, status)?;
		Self::deposit_event(Event::MemberStatusChanged { who, status, by: Some(by) });
		Ok(())
	}

	/// Staff of `branch` add it to `who`'s extra memberships.
	pub(crate) fn do_add_extra_membership(
		by: T::AccountId,
		who: T::AccountId,
		branch: BranchId,
	) -> DispatchResult {
		Self::ensure_branch_officer(branch, &by, OfficerRole::Staff)?;
		Self::ensure_branch_active(branch)?;
		Members::<T>::try_mutate(&who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
			ensure!(
				member.home_branch != branch && !member.extra_branches.contains(&branch),
				Error::<T>::AlreadyInBranch
			);
			member.extra_branches.try_push(branch).map_err(|_| Error::<T>::TooManyMemberships)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ExtraMembershipAdded { who, branch, by });
		Ok(())
	}

	/// `who`, or staff of `branch`, end `who`'s extra membership there.
	pub(crate) fn do_remove_extra_membership(
		by: T::AccountId,
		who: T::AccountId,
		branch: BranchId,
	) -> DispatchResult {
		ensure!(by == who || Self::is_staff(branch, &by), Error::<T>::NotAllowed);
		Members::<T>::try_mutate(&who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			let position = member
				.extra_branches
				.iter()
				.position(|b| *b == branch)
				.ok_or(Error::<T>::NotInBranch)?;
			member.extra_branches.remove(position);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ExtraMembershipRemoved { who, branch, by });
		Ok(())
	}

	/// Staff of `who`'s home branch attest (or withdraw) `who`'s redemption eligibility.
	pub(crate) fn do_set_redemption_eligibility(
		by: T::AccountId,
		who: T::AccountId,
		eligible: bool,
		evidence: H256,
	) -> DispatchResult {
		Members::<T>::try_mutate(&who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			Self::ensure_branch_officer(member.home_branch, &by, OfficerRole::Staff)?;
			member.redemption_eligible = eligible;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::RedemptionEligibilitySet { who, eligible, evidence, by });
		Ok(())
	}

	/// Create `who`'s record at `branch` with `status`, counting it and telling the ledger.
	pub(crate) fn insert_member(
		who: &T::AccountId,
		branch: BranchId,
		identity_commitment: IdentityCommitment,
		roles: MemberRoles,
		status: MemberStatus,
	) {
		Members::<T>::insert(
			who,
			Member {
				identity_commitment,
				home_branch: branch,
				extra_branches: BoundedVec::new(),
				status,
				roles,
				redemption_eligible: false,
				joined_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		MemberCountsByBranch::<T>::mutate(branch, |c| c.add(status));
		T::HomeBranchChanges::home_branch_changed(who, None, Some(branch));
	}

	/// Move a member between statuses, keeping the branch counts in step; `Deceased` also
	/// anonymises the identity commitment.
	pub(crate) fn change_status(who: &T::AccountId, status: MemberStatus) -> DispatchResult {
		Members::<T>::try_mutate(who, |maybe| {
			let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
			MemberCountsByBranch::<T>::mutate(member.home_branch, |c| {
				c.remove(member.status);
				c.add(status);
			});
			member.status = status;
			if status == MemberStatus::Deceased {
				member.identity_commitment = H256::zero();
			}
			Ok(())
		})
	}

	/// Give `who` a provider reference once, so the account can sign fee-free calls without
	/// holding a native balance.
	pub(crate) fn ensure_provider(who: &T::AccountId) {
		if !ProvidedAccounts::<T>::contains_key(who) {
			frame_system::Pallet::<T>::inc_providers(who);
			ProvidedAccounts::<T>::insert(who, ());
		}
	}

	/// `Ok` when `who` has a record (else `NotMember`) and is active (else `MemberNotActive`).
	pub(crate) fn ensure_active_member(who: &T::AccountId) -> DispatchResult {
		let member = Members::<T>::get(who).ok_or(Error::<T>::NotMember)?;
		ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		Ok(())
	}
}
