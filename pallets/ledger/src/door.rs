//! The one door: all writes to `CreditBalances`, `Entries`, `Statements`, `StatementLength`,
//! `NextEntryId` and `Operations` MUST go through this file.
//!
//! An action opens an [`OperationDraft`] with `begin`, posts its entries through `post_entry`
//! (directly, or through `move_between` and `credit_member`, which only decide which entries to
//! post), and stores it with `commit`. `post_entry` checks everything before its first write, so
//! a refused entry leaves nothing behind even outside an extrinsic's storage layer; a refused
//! operation is rolled back by the storage layer of the extrinsic (or of the `Ledger` trait
//! method) around it. `HomeSpendable` is kept in step here too, and on the registry's
//! home-branch changes ([`HomeBranchChanges`]).

use crate::{
	AccountingModel, Config, CreditBalances, DebitRule, Entries, Entry, Error, Event,
	HeldForMember, HomeSpendable, NextEntryId, NextOperationId, Operation, Operations,
	OverflowRule, Pallet, SoftLimitFlags, StatementLength, Statements, WeightInfo,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	BalanceClass, BranchId, EntryId, EntryKind, HomeBranchChanges, LedgerAccount, Membership,
	Minutes, OperationId, SignedMinutes,
};

/// One side of a movement: an account and the branch it counts for. A movement between accounts
/// of different branches passes through the two branches' clearing accounts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Leg<AccountId> {
	/// The ledger account debited or credited.
	pub(crate) account: LedgerAccount<AccountId>,
	/// The branch it belongs to (a member's home branch, a pool's or grant account's branch).
	pub(crate) branch: BranchId,
}

impl<AccountId> Leg<AccountId> {
	/// `account`, counted for `branch`.
	pub(crate) fn new(account: LedgerAccount<AccountId>, branch: BranchId) -> Self {
		Self { account, branch }
	}
}

/// An operation being built: entries are posted through it and it is stored on commit. Its
/// fields are private so that no entry list is ever written except by `post_entry`.
pub(crate) struct OperationDraft<T: Config> {
	/// The id the operation gets if it is stored; `commit` takes it from `NextOperationId`.
	id: OperationId,
	record: Operation<T::AccountId, T::MaxEntriesPerOperation>,
}

impl<T: Config> OperationDraft<T> {
	/// Name the off-chain document that justifies the operation (grants, reversals).
	pub(crate) fn with_memo(mut self, memo: H256) -> Self {
		self.record.memo = Some(memo);
		self
	}

	/// Make the operation the reversal of `original`; `commit` links both ways.
	pub(crate) fn reversing(mut self, original: OperationId) -> Self {
		self.record.reverses = Some(original);
		self
	}

	/// The kind of the operation.
	pub(crate) fn kind(&self) -> EntryKind {
		self.record.kind
	}

	/// The entries posted so far.
	#[cfg(test)]
	pub(crate) fn entries(&self) -> &[EntryId] {
		&self.record.entries
	}
}

impl<T: Config> Pallet<T> {
	/// Start an operation. Ids are taken at commit, so a failed call leaves no gap.
	pub(crate) fn begin(
		kind: EntryKind,
		branch: BranchId,
		actor: &T::AccountId,
		on_behalf_of: Option<T::AccountId>,
	) -> OperationDraft<T> {
		OperationDraft {
			id: NextOperationId::<T>::get(),
			record: Operation {
				kind,
				branch,
				actor: actor.clone(),
				on_behalf_of,
				entries: BoundedVec::new(),
				memo: None,
				reverses: None,
				reversed_by: None,
			},
		}
	}

	/// Store the operation, link a reversal to what it reverses, and announce it with its one
	/// operation-level event (decision 0008). An operation that posted nothing is not stored and
	/// gets no id: `None`.
	pub(crate) fn commit(op: OperationDraft<T>) -> Result<Option<OperationId>, DispatchError> {
		// Paired with `begin`: no other draft was committed while this one was open, so the id
		// it took is still the next one.
		debug_assert_eq!(NextOperationId::<T>::get(), op.id, "two drafts were open at once");
		if op.record.entries.is_empty() {
			return Ok(None);
		}
		let id = op.id;
		NextOperationId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		if let Some(original) = op.record.reverses {
			Operations::<T>::mutate(original, |stored| {
				if let Some(stored) = stored {
					stored.reversed_by = Some(id);
				}
			});
		}
		Self::deposit_event(Event::OperationRecorded {
			operation: id,
			kind: op.record.kind,
			branch: op.record.branch,
			actor: op.record.actor.clone(),
			on_behalf_of: op.record.on_behalf_of.clone(),
			memo: op.record.memo,
		});
		Operations::<T>::insert(id, op.record);
		Ok(Some(id))
	}

	/// Store an operation that must have moved credits, for callers that hand its id on.
	/// Refused with `ZeroAmount` if it moved nothing (every such caller posts at least one
	/// entry of a non-zero amount, so this does not happen).
	pub(crate) fn commit_posted(op: OperationDraft<T>) -> Result<OperationId, DispatchError> {
		Self::commit(op)?.ok_or_else(|| Error::<T>::ZeroAmount.into())
	}

	/// The one door: every movement of credits is posted here, and only here.
	///
	/// INVARIANT: the sum of all balances is zero, because each entry adds `amount` to one
	/// balance and subtracts it from another. The floors checked here are what `try_state`
	/// verifies.
	pub(crate) fn post_entry(
		op: &mut OperationDraft<T>,
		debit: LedgerAccount<T::AccountId>,
		credit: LedgerAccount<T::AccountId>,
		amount: Minutes,
		kind: EntryKind,
		rule: DebitRule,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(debit != credit, Error::<T>::SameAccount);
		let signed_amount = SignedMinutes::try_from(amount).map_err(|_| Error::<T>::Overflow)?;
		let debit_before = CreditBalances::<T>::get(&debit);
		let credit_before = CreditBalances::<T>::get(&credit);
		let debit_after = debit_before.checked_sub(signed_amount).ok_or(Error::<T>::Overflow)?;
		let credit_after = credit_before.checked_add(signed_amount).ok_or(Error::<T>::Overflow)?;
		debug_assert_eq!(
			i128::from(debit_after) + i128::from(credit_after),
			i128::from(debit_before) + i128::from(credit_before),
			"an entry moves credits, it never makes or destroys them"
		);
		Self::check_floor(&debit, debit_after, rule)?;

		// Every check comes before the first write: callers outside an extrinsic's storage
		// layer must not see half an entry.
		let entry = NextEntryId::<T>::get();
		let next_entry = entry.checked_add(1).ok_or(Error::<T>::Overflow)?;
		op.record.entries.try_push(entry).map_err(|_| Error::<T>::TooManyEntries)?;
		NextEntryId::<T>::put(next_entry);
		CreditBalances::<T>::insert(&debit, debit_after);
		CreditBalances::<T>::insert(&credit, credit_after);
		Self::add_to_home_total(&debit, -signed_amount);
		Self::add_to_home_total(&credit, signed_amount);
		if let LedgerAccount::Member { who, class: BalanceClass::Spendable } = &credit {
			Self::clear_soft_limit_flag(who, credit_after);
		}
		Entries::<T>::insert(
			entry,
			Entry {
				operation: op.id,
				debit: debit.clone(),
				credit: credit.clone(),
				amount,
				kind,
				block_number: frame_system::Pallet::<T>::block_number(),
				extrinsic_index: frame_system::Pallet::<T>::extrinsic_index().unwrap_or_default(),
			},
		);
		let debit_owner = Self::owner(&debit);
		if let Some(who) = debit_owner {
			Self::append_statement(who, entry);
		}
		if let Some(who) = Self::owner(&credit) {
			if Some(who) != debit_owner {
				Self::append_statement(who, entry);
			}
		}
		Self::deposit_event(Event::EntryPosted {
			entry,
			operation: op.id,
			debit,
			credit,
			amount,
			kind,
		});
		Ok(())
	}

	/// Refuse a debit that takes `account` below what it may hold; flag soft-limit breaches.
	fn check_floor(
		account: &LedgerAccount<T::AccountId>,
		after: SignedMinutes,
		rule: DebitRule,
	) -> DispatchResult {
		match account {
			_ if rule == DebitRule::SameMember => Ok(()),
			LedgerAccount::Grant(_) => Ok(()),
			LedgerAccount::Clearing { branch, counterparty } => {
				let limit = Self::policy(*branch)
					.clearing_limit
					.min(Self::policy(*counterparty).clearing_limit);
				ensure!(
					after.unsigned_abs() <= limit || after >= 0,
					Error::<T>::ClearingLimitExceeded
				);
				Ok(())
			}
			LedgerAccount::Member { who, class: BalanceClass::Spendable }
				if after < 0 && rule == DebitRule::PolicyLimit =>
			{
				Self::check_overdraft(who, after)
			}
			_ => {
				ensure!(after >= 0, Error::<T>::InsufficientCredits);
				Ok(())
			}
		}
	}

	/// A spendable balance going below zero to `after`: allowed within the home branch's
	/// mutual-credit limit; beyond a soft limit (never beyond `MaxCreditLimit`) allowed and
	/// flagged.
	fn check_overdraft(who: &T::AccountId, after: SignedMinutes) -> DispatchResult {
		let home = Self::home_branch(who)?;
		let AccountingModel::MutualCredit { limit, hard } = Self::policy(home).accounting else {
			return Err(Error::<T>::InsufficientCredits.into());
		};
		let debt = after.unsigned_abs();
		if debt <= limit {
			return Ok(());
		}
		ensure!(!hard, Error::<T>::CreditLimitExceeded);
		ensure!(debt <= T::MaxCreditLimit::get(), Error::<T>::CreditLimitExceeded);
		SoftLimitFlags::<T>::insert(who, after);
		Self::deposit_event(Event::SoftLimitExceeded { who: who.clone(), balance: after, limit });
		Ok(())
	}

	/// L7: a flagged member whose spendable balance came back within the home branch's soft
	/// limit (or to zero or above, where the branch no longer allows overdrafts) is unflagged.
	fn clear_soft_limit_flag(who: &T::AccountId, balance: SignedMinutes) {
		if !SoftLimitFlags::<T>::contains_key(who) {
			return;
		}
		let allowed_debt =
			Self::home_branch(who).map_or(0, |home| match Self::policy(home).accounting {
				AccountingModel::MutualCredit { limit, .. } => limit,
				AccountingModel::Prepaid => 0,
			});
		if balance >= 0 || balance.unsigned_abs() <= allowed_debt {
			SoftLimitFlags::<T>::remove(who);
			Self::deposit_event(Event::SoftLimitCleared { who: who.clone(), balance });
		}
	}

	/// Move credits from `from` to `to`; between branches the movement passes through both
	/// clearing accounts in the same operation.
	pub(crate) fn move_between(
		op: &mut OperationDraft<T>,
		from: Leg<T::AccountId>,
		to: Leg<T::AccountId>,
		amount: Minutes,
		kind: EntryKind,
		rule: DebitRule,
	) -> DispatchResult {
		if from.branch == to.branch {
			return Self::post_entry(op, from.account, to.account, amount, kind, rule);
		}
		let outbound = LedgerAccount::Clearing { branch: from.branch, counterparty: to.branch };
		let inbound = LedgerAccount::Clearing { branch: to.branch, counterparty: from.branch };
		Self::post_entry(op, from.account, outbound, amount, kind, rule)?;
		Self::post_entry(
			op,
			inbound,
			to.account,
			amount,
			EntryKind::Clearing,
			DebitRule::PolicyLimit,
		)
	}

	/// Credit a member's spendable class up to the storage cap of the member's home branch;
	/// the overflow goes where the policy says, or to `overflow_to` when given.
	pub(crate) fn credit_member(
		op: &mut OperationDraft<T>,
		source: Leg<T::AccountId>,
		who: &T::AccountId,
		amount: Minutes,
		kind: EntryKind,
		overflow_to: Option<LedgerAccount<T::AccountId>>,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let home = Self::home_branch(who)?;
		let policy = Self::policy(home);
		let room = match policy.storage_cap {
			None => amount,
			Some(cap) => {
				let cap = SignedMinutes::try_from(cap).map_err(|_| Error::<T>::Overflow)?;
				let current = Self::member_balance(who, BalanceClass::Spendable);
				cap.saturating_sub(current).max(0).unsigned_abs().min(amount)
			}
		};
		let overflow = amount - room;
		// Grant accounts have no floor; escrow, pools and members give only what they hold.
		let rule = DebitRule::OwnCredits;
		if room > 0 {
			let to = Leg::new(Self::spendable(who), home);
			Self::move_between(op, source.clone(), to, room, kind, rule)?;
		}
		if overflow > 0 {
			let to = Self::overflow_leg(who, home, policy.overflow, overflow_to)?;
			Self::move_between(op, source, to, overflow, EntryKind::CapOverflow, rule)?;
		}
		Ok(())
	}

	/// Where credit above `who`'s storage cap goes: to `overflow_to` when the caller names it,
	/// else where the home branch's policy says.
	fn overflow_leg(
		who: &T::AccountId,
		home: BranchId,
		rule: OverflowRule,
		overflow_to: Option<LedgerAccount<T::AccountId>>,
	) -> Result<Leg<T::AccountId>, DispatchError> {
		let member_class = |class| LedgerAccount::Member { who: who.clone(), class };
		Ok(match overflow_to {
			Some(LedgerAccount::Pool(branch)) => Leg::new(LedgerAccount::Pool(branch), branch),
			Some(other) => Leg::new(other, home),
			None => match rule {
				OverflowRule::ToDonationOnly => {
					Leg::new(member_class(BalanceClass::DonationOnly), home)
				}
				OverflowRule::ToHonorary => Leg::new(member_class(BalanceClass::Honorary), home),
				OverflowRule::Refuse => return Err(Error::<T>::StorageCapExceeded.into()),
			},
		})
	}

	/// Move all of a member's positive balance in `class` to `to` (same branch accounts), as an
	/// entry of the operation's own kind.
	pub(crate) fn empty_class_into(
		op: &mut OperationDraft<T>,
		who: &T::AccountId,
		class: BalanceClass,
		to: &LedgerAccount<T::AccountId>,
	) -> DispatchResult {
		let balance = Self::member_balance(who, class);
		if balance > 0 {
			let kind = op.kind();
			Self::post_entry(
				op,
				LedgerAccount::Member { who: who.clone(), class },
				to.clone(),
				balance.unsigned_abs(),
				kind,
				DebitRule::OwnCredits,
			)?;
		}
		Ok(())
	}

	/// Move every balance of `old` to `new`, two keys of one member (decision 0013): one entry
	/// per non-zero class, old to new for credits and new to old for a debt, so the books stay
	/// double-entry and both statements show the move. The member's home total does not change:
	/// the registry moves the record to `new` right after, so `HomeSpendable` is put back to
	/// what it was (posting counted the debit against `old` and the credit for nobody).
	pub(crate) fn move_balances_to_new_key(
		op: &mut OperationDraft<T>,
		old: &T::AccountId,
		new: &T::AccountId,
	) -> DispatchResult {
		let home = Self::home_branch(old)?;
		let home_total = HomeSpendable::<T>::get(home);
		let flag = SoftLimitFlags::<T>::take(old);
		for class in [BalanceClass::Spendable, BalanceClass::DonationOnly, BalanceClass::Honorary] {
			let from = LedgerAccount::Member { who: old.clone(), class };
			let to = LedgerAccount::Member { who: new.clone(), class };
			let balance = CreditBalances::<T>::get(&from);
			let (debit, credit) = if balance >= 0 { (from, to) } else { (to, from) };
			if balance != 0 {
				let amount = balance.unsigned_abs();
				Self::post_entry(
					op,
					debit,
					credit,
					amount,
					EntryKind::Rekey,
					DebitRule::SameMember,
				)?;
			}
		}
		HomeSpendable::<T>::insert(home, home_total);
		if let Some(flag) = flag {
			SoftLimitFlags::<T>::insert(new, flag);
		}
		Ok(())
	}

	fn append_statement(who: &T::AccountId, entry: EntryId) {
		let position = StatementLength::<T>::get(who);
		Statements::<T>::insert(who, position, entry);
		StatementLength::<T>::insert(who, position.saturating_add(1));
	}

	fn owner(account: &LedgerAccount<T::AccountId>) -> Option<&T::AccountId> {
		match account {
			LedgerAccount::Member { who, .. } => Some(who),
			_ => None,
		}
	}

	/// Keep the home branch's total of spendable balances in step with one balance change.
	/// Saturating: the total of balances each bounded by the storage cap and the credit
	/// floor stays far inside `i64`; `try_state` would show a drift.
	fn add_to_home_total(account: &LedgerAccount<T::AccountId>, change: SignedMinutes) {
		if let LedgerAccount::Member { who, class: BalanceClass::Spendable } = account {
			if let Some(member) = T::Membership::member(who) {
				HomeSpendable::<T>::mutate(member.home_branch, |total| {
					*total = total.saturating_add(change)
				});
			}
		}
	}

	/// The member's home branch, or `NotMember`.
	pub(crate) fn home_branch(who: &T::AccountId) -> Result<BranchId, DispatchError> {
		T::Membership::member(who).map(|m| m.home_branch).ok_or(Error::<T>::NotMember.into())
	}
}

/// The registry moved an account's home branch: its spendable balance now counts for the new
/// branch's total.
impl<T: Config> HomeBranchChanges<T::AccountId> for Pallet<T> {
	fn home_branch_changed(who: &T::AccountId, from: Option<BranchId>, to: Option<BranchId>) {
		let balance = CreditBalances::<T>::get(Self::spendable(who));
		if balance == 0 || from == to {
			return;
		}
		if let Some(from) = from {
			HomeSpendable::<T>::mutate(from, |total| *total = total.saturating_sub(balance));
		}
		if let Some(to) = to {
			HomeSpendable::<T>::mutate(to, |total| *total = total.saturating_add(balance));
		}
	}

	/// The member's spendable balance, and both branches' totals.
	fn weight() -> Weight {
		T::DbWeight::get().reads_writes(3, 2)
	}

	/// An imported member's opening balance: a grant (`transfers.rs`).
	fn credit_opening_balance(
		who: &T::AccountId,
		branch: BranchId,
		amount: Minutes,
		import_file: H256,
		by: &T::AccountId,
	) -> DispatchResult {
		Self::grant_opening_balance(who, branch, amount, import_file, by)
	}

	fn credit_opening_balance_weight() -> Weight {
		T::WeightInfo::grant()
	}

	/// A move takes no debt and no open hold along (the origin's policy and escrow stay where
	/// they were agreed). Positive balances cross through clearing like any payment between
	/// branches, so the per-pair limit and net positions see them (rule 11): the spendable
	/// balance up to the destination's storage cap, what is above it where the destination's
	/// overflow rule sends it (or the move is refused when that rule refuses), and donation-only
	/// credits as they are. Honorary credits stay with the member: they are never spent, gifted
	/// or donated, so no branch owes anything for them.
	fn prepare_move(who: &T::AccountId, from: BranchId, to: BranchId) -> DispatchResult {
		ensure!(HeldForMember::<T>::get(who) == 0, Error::<T>::OpenHolds);
		let spendable = CreditBalances::<T>::get(Self::spendable(who));
		ensure!(spendable >= 0, Error::<T>::OutstandingDebt);
		let donation_only = Self::member_balance(who, BalanceClass::DonationOnly).max(0);
		if (spendable == 0 && donation_only == 0) || from == to {
			return Ok(());
		}
		let destination = Self::policy(to);
		let spendable = spendable.unsigned_abs();
		let room = match destination.storage_cap {
			None => spendable,
			Some(cap) => cap.min(spendable),
		};
		let mut op = Self::begin(EntryKind::Clearing, to, who, None);
		let rule = DebitRule::OwnCredits;
		let here = Leg::new(Self::spendable(who), from);
		if room > 0 {
			let there = Leg::new(Self::spendable(who), to);
			Self::move_between(&mut op, here.clone(), there, room, EntryKind::Clearing, rule)?;
		}
		let overflow = spendable - room;
		if overflow > 0 {
			let there = Self::overflow_leg(who, to, destination.overflow, None)?;
			Self::move_between(&mut op, here, there, overflow, EntryKind::CapOverflow, rule)?;
		}
		if donation_only > 0 {
			let account =
				LedgerAccount::Member { who: who.clone(), class: BalanceClass::DonationOnly };
			let (here, there) = (Leg::new(account.clone(), from), Leg::new(account, to));
			let amount = donation_only.unsigned_abs();
			Self::move_between(&mut op, here, there, amount, EntryKind::Clearing, rule)?;
		}
		Self::commit(op).map(|_| ())
	}

	/// The worst move: the spendable balance split at the destination's cap and the donation-only
	/// credits, each crossing through clearing (two entries each), like three gifts between
	/// branches.
	fn prepare_move_weight() -> Weight {
		T::WeightInfo::gift().saturating_mul(3)
	}
}
