//! What other pallets ask of the ledger, through [`timebank_primitives::Ledger`]: escrow for
//! activities (hold, release, settle, settle to a pool) and training rewards. Each posts through
//! the door (`door.rs`).
//!
//! A reward is posted as a grant (`EntryKind::Grant`): new credits from the branch's grant
//! account, reversible by its admins like any grant (decision 0009).

use crate::{
	door::Leg, Config, CreditBalances, DebitRule, Error, Event, HeldForMember, Hold, Holds,
	NextHoldId, Pallet, RedemptionRule,
};
use polkadot_sdk::{
	frame_support::{ensure, storage::with_storage_layer},
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	BalanceClass, BranchId, EntryKind, HoldId, LedgerAccount, MemberStatus, Membership, Minutes,
	OperationId, SignedMinutes,
};

/// Callers may run outside an extrinsic (hooks), so each method that writes runs in its own
/// storage layer: all or nothing.
impl<T: Config> timebank_primitives::Ledger<T::AccountId> for Pallet<T> {
	fn balance(account: &LedgerAccount<T::AccountId>) -> SignedMinutes {
		CreditBalances::<T>::get(account)
	}

	fn hold(
		branch: BranchId,
		payer: LedgerAccount<T::AccountId>,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<HoldId, DispatchError> {
		with_storage_layer(|| Self::do_hold(branch, payer, amount, actor))
	}

	fn release(hold: HoldId, actor: &T::AccountId) -> DispatchResult {
		with_storage_layer(|| Self::do_release(hold, actor))
	}

	fn settle(
		hold: HoldId,
		payee: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		with_storage_layer(|| Self::do_settle(hold, payee, amount, actor))
	}

	fn settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		with_storage_layer(|| Self::do_settle_to_pool(hold, amount, actor))
	}

	fn held(hold: HoldId) -> Option<Minutes> {
		Holds::<T>::get(hold).map(|h| h.remaining)
	}

	fn rounding_step(branch: BranchId) -> Minutes {
		Self::policy(branch).rounding_step.max(1)
	}

	fn reward(
		branch: BranchId,
		to: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		with_storage_layer(|| Self::do_reward(branch, to, amount, actor))
	}
}

impl<T: Config> Pallet<T> {
	/// Move `amount` from `payer` into escrow for an activity of `branch`.
	fn do_hold(
		branch: BranchId,
		payer: LedgerAccount<T::AccountId>,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<HoldId, DispatchError> {
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		let payer_branch = Self::payer_branch(&payer)?;
		let hold = NextHoldId::<T>::get();
		let mut op =
			Self::begin(EntryKind::EscrowHold, payer_branch, actor, principal(&payer, actor));
		Self::post_entry(
			&mut op,
			payer.clone(),
			LedgerAccount::Escrow,
			amount,
			EntryKind::EscrowHold,
			DebitRule::PolicyLimit,
		)?;
		Self::commit(op)?;
		NextHoldId::<T>::put(hold.checked_add(1).ok_or(Error::<T>::Overflow)?);
		if let LedgerAccount::Member { who, .. } = &payer {
			HeldForMember::<T>::mutate(who, |h| *h = h.saturating_add(amount));
		}
		Holds::<T>::insert(
			hold,
			Hold { branch: payer_branch, payer: payer.clone(), remaining: amount },
		);
		Self::deposit_event(Event::HoldOpened { hold, payer, amount });
		Ok(hold)
	}

	/// The branch a hold's payer belongs to: an active member (eligible, where the home branch
	/// restricts redemption) spending spendable credits, or a branch's pool or grant account.
	fn payer_branch(payer: &LedgerAccount<T::AccountId>) -> Result<BranchId, DispatchError> {
		match payer {
			LedgerAccount::Member { who, class: BalanceClass::Spendable } => {
				let member = T::Membership::member(who).ok_or(Error::<T>::NotMember)?;
				ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
				if let RedemptionRule::EligibleOnly { .. } =
					Self::policy(member.home_branch).redemption
				{
					ensure!(member.redemption_eligible, Error::<T>::NotEligibleForRedemption);
				}
				Ok(member.home_branch)
			}
			LedgerAccount::Pool(branch) | LedgerAccount::Grant(branch) => Ok(*branch),
			_ => Err(Error::<T>::NotSpendable.into()),
		}
	}

	/// Return all a hold still holds to its payer and close it.
	fn do_release(hold: HoldId, actor: &T::AccountId) -> DispatchResult {
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		let mut op = Self::begin(
			EntryKind::EscrowRelease,
			record.branch,
			actor,
			principal(&record.payer, actor),
		);
		Self::post_entry(
			&mut op,
			LedgerAccount::Escrow,
			record.payer.clone(),
			record.remaining,
			EntryKind::EscrowRelease,
			DebitRule::OwnCredits,
		)?;
		Self::commit(op)?;
		Self::reduce_hold(hold, &record, record.remaining);
		Self::deposit_event(Event::HoldReleased { hold, amount: record.remaining });
		Ok(())
	}

	/// Pay `amount` of a hold to an active member, within the payee's storage cap.
	fn do_settle(
		hold: HoldId,
		payee: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		ensure!(amount <= record.remaining, Error::<T>::ExceedsHold);
		ensure!(T::Membership::is_active_member(payee), Error::<T>::PayeeNotActive);
		let mut op = Self::begin(
			EntryKind::Settlement,
			record.branch,
			actor,
			principal(&record.payer, actor),
		);
		let source = Leg::new(LedgerAccount::Escrow, record.branch);
		Self::credit_member(&mut op, source, payee, amount, EntryKind::Settlement, None)?;
		let operation = Self::commit_posted(op)?;
		Self::reduce_hold(hold, &record, amount);
		Self::deposit_event(Event::HoldSettled {
			hold,
			payee: payee.clone(),
			amount,
			remaining: record.remaining - amount,
		});
		Ok(operation)
	}

	/// Credit a training reward from `branch`'s grant account to an active member.
	fn do_reward(
		branch: BranchId,
		to: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		ensure!(T::Membership::is_active_member(to), Error::<T>::PayeeNotActive);
		let mut op = Self::begin(EntryKind::Grant, branch, actor, None);
		let source = Leg::new(LedgerAccount::Grant(branch), branch);
		Self::credit_member(&mut op, source, to, amount, EntryKind::Grant, None)?;
		Self::commit_posted(op)
	}

	/// Pay `amount` of a hold to its branch's pool (the remainder of a group service's split).
	fn do_settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, DispatchError> {
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		ensure!(amount <= record.remaining, Error::<T>::ExceedsHold);
		let mut op = Self::begin(
			EntryKind::Settlement,
			record.branch,
			actor,
			principal(&record.payer, actor),
		);
		Self::post_entry(
			&mut op,
			LedgerAccount::Escrow,
			LedgerAccount::Pool(record.branch),
			amount,
			EntryKind::Settlement,
			DebitRule::OwnCredits,
		)?;
		let operation = Self::commit_posted(op)?;
		Self::reduce_hold(hold, &record, amount);
		Self::deposit_event(Event::HoldSettledToPool {
			hold,
			branch: record.branch,
			amount,
			remaining: record.remaining - amount,
		});
		Ok(operation)
	}

	/// Take `amount` off an open hold and its member's total; an emptied hold closes.
	fn reduce_hold(hold: HoldId, record: &Hold<T::AccountId>, amount: Minutes) {
		let remaining = record.remaining.saturating_sub(amount);
		if remaining == 0 {
			Holds::<T>::remove(hold);
		} else {
			Holds::<T>::insert(hold, Hold { remaining, ..record.clone() });
		}
		if let LedgerAccount::Member { who, .. } = &record.payer {
			HeldForMember::<T>::mutate_exists(who, |h| {
				let left = h.unwrap_or_default().saturating_sub(amount);
				*h = (left > 0).then_some(left);
			});
		}
	}
}

/// The member whose credits an escrow operation moves, when someone else (staff, a proxy, the
/// provider settling) acts: recorded as the operation's `on_behalf_of`, so the member's
/// statement says on whose authority their credits were held, returned or paid out. `None` for
/// a branch's pool or grant account, and when the member acts in person.
fn principal<AccountId: PartialEq + Clone>(
	payer: &LedgerAccount<AccountId>,
	actor: &AccountId,
) -> Option<AccountId> {
	match payer {
		LedgerAccount::Member { who, .. } if who != actor => Some(who.clone()),
		_ => None,
	}
}
