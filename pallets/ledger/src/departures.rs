//! Members who leave or die (DOMAIN.md rule 10): time wills, exits and estates. Each moves the
//! balance through the door (`door.rs`), then records the departure in the registry.

use crate::{
	door::{Leg, OperationDraft},
	Config, DebitRule, Error, EstateCase, Estates, Event, ExitChoice, HeldForMember, Pallet,
	TimeWills,
};
use polkadot_sdk::{
	frame_support::{ensure, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_runtime::{traits::UniqueSaturatedInto, DispatchResult, Percent},
};
use timebank_primitives::{
	Authority, BalanceClass, BranchId, EntryKind, LedgerAccount, MemberStatus, Membership,
	OfficerRole,
};

impl<T: Config> Pallet<T> {
	/// Keep `member`'s time will: distinct beneficiaries other than the member, shares adding
	/// up to at most 100%; an empty list clears it.
	pub(crate) fn do_set_time_will(
		member: T::AccountId,
		beneficiaries: BoundedVec<(T::AccountId, Percent), T::MaxBeneficiaries>,
	) -> DispatchResult {
		Self::ensure_active(&member)?;
		let mut total: u32 = 0;
		for (i, (who, share)) in beneficiaries.iter().enumerate() {
			ensure!(*who != member, Error::<T>::InvalidBeneficiary);
			ensure!(
				!beneficiaries.iter().skip(i + 1).any(|(other, _)| other == who),
				Error::<T>::InvalidBeneficiary
			);
			total = total.saturating_add(u32::from(share.deconstruct()));
		}
		ensure!(total <= 100, Error::<T>::SharesExceedWhole);
		let count = beneficiaries.len() as u32;
		if beneficiaries.is_empty() {
			TimeWills::<T>::remove(&member);
		} else {
			TimeWills::<T>::insert(&member, beneficiaries);
		}
		Self::deposit_event(Event::TimeWillSet { member, beneficiaries: count });
		Ok(())
	}

	/// `who` leaves: the balance goes as `choice` says, then the registry records the
	/// departure. Refused while credits are held or the spendable balance is a debt.
	pub(crate) fn do_leave(who: T::AccountId, choice: ExitChoice<T::AccountId>) -> DispatchResult {
		let member = T::Membership::member(&who).ok_or(Error::<T>::NotMember)?;
		ensure!(
			!matches!(member.status, MemberStatus::Left | MemberStatus::Deceased),
			Error::<T>::AlreadyDeparted
		);
		ensure!(member.status != MemberStatus::Pending, Error::<T>::MemberNotActive);
		ensure!(HeldForMember::<T>::get(&who) == 0, Error::<T>::OpenHolds);
		let spendable = Self::member_balance(&who, BalanceClass::Spendable);
		ensure!(spendable >= 0, Error::<T>::OutstandingDebt);
		let home = member.home_branch;
		let mut op = Self::begin(EntryKind::Exit, home, &who, None);
		let pool = LedgerAccount::Pool(home);
		match &choice {
			ExitChoice::Dormant => {}
			ExitChoice::DonateToPool => {
				Self::empty_class_into(&mut op, &who, BalanceClass::Spendable, &pool)?;
				Self::empty_class_into(&mut op, &who, BalanceClass::DonationOnly, &pool)?;
			}
			ExitChoice::GiftTo(relative) => {
				ensure!(
					T::Membership::is_verified_relation(&who, relative),
					Error::<T>::RelationNotVerified
				);
				Self::ensure_active(relative)?;
				let amount = spendable.unsigned_abs();
				if amount > 0 {
					// Within the relative's storage cap; what is above it goes to the pool.
					let source = Leg::new(Self::spendable(&who), home);
					let kind = EntryKind::Exit;
					Self::credit_member(
						&mut op,
						source,
						relative,
						amount,
						kind,
						Some(pool.clone()),
					)?;
				}
				Self::empty_class_into(&mut op, &who, BalanceClass::DonationOnly, &pool)?;
			}
		}
		// A dormant exit (or an empty balance) posts nothing: no operation is stored.
		Self::commit(op)?;
		T::Membership::record_departure(&who, MemberStatus::Left)?;
		Self::deposit_event(Event::MemberLeft { who, choice });
		Ok(())
	}

	/// Open `member`'s estate on documented death (`by`: staff of the home branch).
	pub(crate) fn do_open_estate(
		by: T::AccountId,
		member: T::AccountId,
		evidence: H256,
	) -> DispatchResult {
		let facts = T::Membership::member(&member).ok_or(Error::<T>::NotMember)?;
		T::Membership::ensure_officer(facts.home_branch, &by, OfficerRole::Staff)
			.map_err(Error::<T>::from)?;
		ensure!(facts.status != MemberStatus::Deceased, Error::<T>::AlreadyDeparted);
		ensure!(!Estates::<T>::contains_key(&member), Error::<T>::EstateAlreadyOpen);
		ensure!(HeldForMember::<T>::get(&member) == 0, Error::<T>::OpenHolds);
		let opened_at = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		Estates::<T>::insert(&member, EstateCase { opened_by: by.clone(), evidence, opened_at });
		Self::deposit_event(Event::EstateOpened { member, by, evidence });
		Ok(())
	}

	/// The second approval (`by`: another officer of the home branch): settle the estate, then
	/// record the member deceased.
	pub(crate) fn do_approve_estate(by: T::AccountId, member: T::AccountId) -> DispatchResult {
		let case = Estates::<T>::get(&member).ok_or(Error::<T>::NoEstateCase)?;
		let facts = T::Membership::member(&member).ok_or(Error::<T>::NotMember)?;
		let home = facts.home_branch;
		T::Membership::ensure_officer(home, &by, OfficerRole::Staff).map_err(Error::<T>::from)?;
		ensure!(by != case.opened_by, Error::<T>::SameApprover);
		let since = T::Membership::officer_since(home, &by);
		ensure!(
			since.is_some_and(|since| since <= case.opened_at),
			Error::<T>::AppointedAfterOpening
		);
		ensure!(HeldForMember::<T>::get(&member) == 0, Error::<T>::OpenHolds);
		let mut op = Self::begin(EntryKind::Estate, home, &by, Some(member.clone()));
		Self::distribute_estate(&mut op, &member, home)?;
		Self::commit(op)?;
		Estates::<T>::remove(&member);
		TimeWills::<T>::remove(&member);
		T::Membership::record_departure(&member, MemberStatus::Deceased)?;
		Self::deposit_event(Event::EstateSettled {
			member,
			first_approver: case.opened_by,
			second_approver: by,
		});
		Ok(())
	}

	/// Post an estate's entries: a debt is written off against the home grant account; a
	/// positive spendable balance goes to the time will's active beneficiaries within their
	/// storage caps, the rest to the home pool; donation-only credits go to the home pool.
	fn distribute_estate(
		op: &mut OperationDraft<T>,
		member: &T::AccountId,
		home: BranchId,
	) -> DispatchResult {
		let pool = LedgerAccount::Pool(home);
		let spendable = Self::member_balance(member, BalanceClass::Spendable);
		if spendable < 0 {
			Self::post_entry(
				op,
				LedgerAccount::Grant(home),
				Self::spendable(member),
				spendable.unsigned_abs(),
				EntryKind::Estate,
				DebitRule::PolicyLimit,
			)?;
		} else if spendable > 0 {
			let estate = spendable.unsigned_abs();
			for (beneficiary, share) in TimeWills::<T>::get(member).unwrap_or_default() {
				let amount = share.mul_floor(estate);
				// A beneficiary whose account moved to a new key inherits under that key.
				let beneficiary = T::Membership::rekeyed_to(&beneficiary).unwrap_or(beneficiary);
				let Some(heir) = T::Membership::member(&beneficiary) else { continue };
				if amount == 0 || heir.status != MemberStatus::Active {
					continue;
				}
				let source = Leg::new(Self::spendable(member), home);
				let kind = EntryKind::Estate;
				Self::credit_member(op, source, &beneficiary, amount, kind, Some(pool.clone()))?;
			}
			Self::empty_class_into(op, member, BalanceClass::Spendable, &pool)?;
		}
		Self::empty_class_into(op, member, BalanceClass::DonationOnly, &pool)
	}

	/// Close an estate case opened in error (`by`: staff of the home branch).
	pub(crate) fn do_cancel_estate(by: T::AccountId, member: T::AccountId) -> DispatchResult {
		ensure!(Estates::<T>::contains_key(&member), Error::<T>::NoEstateCase);
		let home = Self::home_branch(&member)?;
		T::Membership::ensure_officer(home, &by, OfficerRole::Staff).map_err(Error::<T>::from)?;
		Estates::<T>::remove(&member);
		Self::deposit_event(Event::EstateCancelled { member, by });
		Ok(())
	}
}
