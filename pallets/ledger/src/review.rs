//! Admin actions that wait for the branch's reviewers (decision 0006): a large grant, a reversal
//! or a policy change is kept in `PendingActions` and a review is opened in the audits pallet;
//! the reviewers' decision comes back through [`ReviewOutcome`] (routed by the runtime's
//! `ReviewRouter`), and an approved action is checked again and carried out in the name of the
//! admin who asked for it.

use crate::{
	Config, Entries, Error, Event, NextPendingActionId, Operations, Pallet, Pending, PendingAction,
	PendingActions,
};
use polkadot_sdk::{frame_support::ensure, sp_runtime::DispatchResult};
use timebank_primitives::{
	BranchId, Decision, LedgerAccount, Membership, OperationId, ReviewOutcome, ReviewQueue,
	ReviewSubject,
};

impl<T: Config> Pallet<T> {
	/// Keep an admin action until the branch's reviewers decide on it.
	pub(crate) fn defer(
		branch: BranchId,
		requester: T::AccountId,
		action: PendingAction<T::AccountId>,
	) -> DispatchResult {
		let pending = NextPendingActionId::<T>::get();
		NextPendingActionId::<T>::put(pending.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let subject = match action {
			PendingAction::Grant { .. } => ReviewSubject::Grant(pending),
			PendingAction::Reversal { .. } => ReviewSubject::Reversal(pending),
			PendingAction::PolicyChange { .. } => ReviewSubject::PolicyChange(pending),
		};
		PendingActions::<T>::insert(
			pending,
			Pending { branch, requester: requester.clone(), action },
		);
		T::Reviews::open(branch, subject, &requester)?;
		Self::deposit_event(Event::ActionDeferred { pending, branch, requester });
		Ok(())
	}

	/// Carry out an approved action: check it again (facts may have changed while it waited),
	/// then do it in the requester's name.
	fn carry_out(record: Pending<T::AccountId>) -> DispatchResult {
		match record.action {
			PendingAction::Grant { to, amount, memo } => {
				// A member whose account moved to a new key while the grant waited gets it there.
				let to = T::Membership::rekeyed_to(&to).unwrap_or(to);
				let branch = Self::check_grant(&record.requester, &to)?;
				Self::do_grant(&record.requester, branch, to, amount, memo)
			}
			PendingAction::Reversal { operation, reason, memo } => {
				let branch = Self::check_reversal(&record.requester, operation)?;
				Self::do_reverse(&record.requester, branch, operation, reason, memo)
			}
			PendingAction::PolicyChange { policy } => {
				Self::check_policy(&record.requester, record.branch, &policy)?;
				Self::do_set_policy(&record.requester, record.branch, policy)
			}
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `who` signed `operation`, was the member it acted for, or had credits moved by
	/// it. Reads at most `MaxEntriesPerOperation` entries.
	fn took_part_in(operation: OperationId, who: &T::AccountId) -> bool {
		let Some(original) = Operations::<T>::get(operation) else {
			return false;
		};
		if &original.actor == who || original.on_behalf_of.as_ref() == Some(who) {
			return true;
		}
		let holds = |account: &LedgerAccount<T::AccountId>| matches!(account, LedgerAccount::Member { who: owner, .. } if owner == who);
		original
			.entries
			.iter()
			.filter_map(Entries::<T>::get)
			.any(|entry| holds(&entry.debit) || holds(&entry.credit))
	}
}

/// Reviewers' decisions on waiting grants, reversals and policy changes.
impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		matches!(
			subject,
			ReviewSubject::Grant(_) | ReviewSubject::Reversal(_) | ReviewSubject::PolicyChange(_)
		) && matches!(decision, Decision::Approve | Decision::Reject)
	}

	/// The member a waiting grant would credit; for a waiting reversal (L2), everyone the
	/// operation to reverse involved: who signed it, the member it acted for, and every member
	/// whose credits it moved (payer and payee). The admin who asked is excluded by the audits
	/// pallet as the review's requester.
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		let Some(pending) = (match subject {
			ReviewSubject::Grant(id) | ReviewSubject::Reversal(id) => PendingActions::<T>::get(id),
			_ => None,
		}) else {
			return false;
		};
		match pending.action {
			PendingAction::Grant { ref to, .. } => to == who,
			PendingAction::Reversal { operation, .. } => Self::took_part_in(operation, who),
			PendingAction::PolicyChange { .. } => false,
		}
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		_actor: &T::AccountId,
	) -> DispatchResult {
		let pending = match subject {
			ReviewSubject::Grant(id)
			| ReviewSubject::Reversal(id)
			| ReviewSubject::PolicyChange(id) => *id,
			_ => return Err(Error::<T>::WrongDecision.into()),
		};
		ensure!(
			matches!(decision, Decision::Approve | Decision::Reject),
			Error::<T>::WrongDecision
		);
		let record = PendingActions::<T>::take(pending).ok_or(Error::<T>::UnknownPendingAction)?;
		match decision {
			Decision::Approve => Self::carry_out(record),
			Decision::Reject => {
				Self::deposit_event(Event::PendingActionRejected { pending });
				Ok(())
			}
			Decision::Arbitrate(_) => Err(Error::<T>::WrongDecision.into()),
		}
	}
}
