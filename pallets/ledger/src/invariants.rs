//! The ledger's invariants as code (DOMAIN.md rules 1–3 and 7).
//!
//! `do_try_state` is compiled in every build, not only under `try-runtime`: it answers
//! `timebank_checkInvariants` for auditors, and runs after every unit test and after every step
//! of the property tests.

use crate::{
	Config, CreditBalances, Entries, HeldForMember, Holds, HomeSpendable, Operations, Pallet,
	ProposalsByProxy, ProposedTransfers,
};
use alloc::collections::BTreeMap;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_runtime::TryRuntimeError,
};
use timebank_primitives::{
	BalanceClass, BranchId, LedgerAccount, Membership, Minutes, SignedMinutes,
};

impl<T: Config> Pallet<T> {
	/// Check every invariant of the ledger; the first one broken is named in the error.
	///
	/// # Invariants
	///
	/// - `CreditBalances` and `Entries` ([`Self::check_balances_match_entries`]):
	///   - all balances sum to zero, and each equals the sum of its entries;
	///   - donation-only, honorary, pool and escrow balances are never negative, grant accounts
	///     never positive, spendable balances never below `-MaxCreditLimit`;
	///   - the two clearing accounts of a branch pair sum to zero.
	/// - `Holds` and `HeldForMember` ([`Self::check_escrow_matches_holds`]): no open hold is
	///   empty; the escrow balance equals the sum of open holds; each member's held total equals
	///   the sum of that member's open holds.
	/// - `Operations` ([`Self::check_reversal_links`]): a reversed operation names its reversal,
	///   and the reversal names it back.
	/// - `HomeSpendable` ([`Self::check_home_totals`]): each branch's total is the sum of its home
	///   members' spendable balances.
	/// - `ProposalsByProxy` ([`Self::check_proposal_counts`]): no proxy counts more than
	///   `MaxProposalsPerProxy`, nor more proposals than it has waiting.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_balances_match_entries()?;
		Self::check_escrow_matches_holds()?;
		Self::check_reversal_links()?;
		Self::check_home_totals()?;
		Self::check_proposal_counts()
	}

	/// Each proxy's count is within the cap and no more than its waiting proposals. (Not equal:
	/// proposals kept before the count existed were never counted.)
	pub fn check_proposal_counts() -> Result<(), TryRuntimeError> {
		let mut waiting: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, proposal) in ProposedTransfers::<T>::iter() {
			let count = waiting.entry(proposal.proxy).or_default();
			*count = count.saturating_add(1);
		}
		for (proxy, count) in ProposalsByProxy::<T>::iter() {
			ensure!(count <= T::MaxProposalsPerProxy::get(), "a proxy is over its proposal cap");
			ensure!(
				count <= waiting.get(&proxy).copied().unwrap_or_default(),
				"a proxy's proposal count exceeds its waiting proposals"
			);
		}
		Ok(())
	}

	/// Balances sum to zero, each equals the sum of its entries and stays within what its
	/// account may hold, and each pair of clearing accounts nets out.
	pub fn check_balances_match_entries() -> Result<(), TryRuntimeError> {
		let mut recomputed: BTreeMap<LedgerAccount<T::AccountId>, i128> = BTreeMap::new();
		for (_, entry) in Entries::<T>::iter() {
			*recomputed.entry(entry.debit).or_default() -= i128::from(entry.amount);
			*recomputed.entry(entry.credit).or_default() += i128::from(entry.amount);
		}
		let floor = -i128::from(T::MaxCreditLimit::get());
		let mut sum: i128 = 0;
		for (account, balance) in CreditBalances::<T>::iter() {
			let balance = i128::from(balance);
			sum += balance;
			ensure!(
				recomputed.remove(&account).unwrap_or_default() == balance,
				"a balance differs from the sum of its entries"
			);
			let within_bounds = match &account {
				LedgerAccount::Grant(_) => balance <= 0,
				LedgerAccount::Member { class: BalanceClass::Spendable, .. } => balance >= floor,
				LedgerAccount::Clearing { branch, counterparty } => {
					let other = CreditBalances::<T>::get(LedgerAccount::Clearing {
						branch: *counterparty,
						counterparty: *branch,
					});
					balance + i128::from(other) == 0
				}
				_ => balance >= 0,
			};
			ensure!(within_bounds, "a balance is beyond what its account may hold");
		}
		ensure!(sum == 0, "balances do not sum to zero");
		ensure!(
			recomputed.values().all(|v| *v == 0),
			"entries moved credits into an account with no balance"
		);
		Ok(())
	}

	/// The escrow balance is what the open holds hold, and each member's held total is what
	/// that member's open holds hold.
	pub fn check_escrow_matches_holds() -> Result<(), TryRuntimeError> {
		let mut held: i128 = 0;
		let mut by_member: BTreeMap<T::AccountId, Minutes> = BTreeMap::new();
		for (_, hold) in Holds::<T>::iter() {
			ensure!(hold.remaining > 0, "an empty hold is still open");
			held += i128::from(hold.remaining);
			if let LedgerAccount::Member { who, .. } = hold.payer {
				*by_member.entry(who).or_default() += hold.remaining;
			}
		}
		ensure!(
			i128::from(CreditBalances::<T>::get(LedgerAccount::Escrow)) == held,
			"escrow differs from the sum of open holds"
		);
		for (who, amount) in HeldForMember::<T>::iter() {
			ensure!(
				by_member.remove(&who).unwrap_or_default() == amount,
				"a member's held credits disagree with the open holds"
			);
		}
		ensure!(by_member.is_empty(), "an open hold is missing from its member's total");
		Ok(())
	}

	/// A reversed operation and its reversal name each other.
	pub fn check_reversal_links() -> Result<(), TryRuntimeError> {
		for (id, operation) in Operations::<T>::iter() {
			if let Some(reversal) = operation.reversed_by {
				let back = Operations::<T>::get(reversal).and_then(|r| r.reverses);
				ensure!(back == Some(id), "a reversal does not name what it reverses");
			}
		}
		Ok(())
	}

	/// Each branch's `HomeSpendable` is the sum of its home members' spendable balances.
	pub fn check_home_totals() -> Result<(), TryRuntimeError> {
		let (mut home_totals, _) = Self::recompute_home_spendable();
		for (branch, total) in HomeSpendable::<T>::iter() {
			ensure!(
				home_totals.remove(&branch).unwrap_or_default() == total,
				"a branch's total of spendable balances differs from its members' balances"
			);
		}
		ensure!(
			home_totals.values().all(|v| *v == 0),
			"a branch's members hold spendable balances its total does not count"
		);
		Ok(())
	}

	/// Each branch's total of its home members' spendable balances, recomputed from every
	/// balance: what `HomeSpendable` must hold (`do_try_state`, the v1 migration).
	/// Also says how many member records it read.
	pub(crate) fn recompute_home_spendable() -> (BTreeMap<BranchId, SignedMinutes>, u64) {
		let mut totals = BTreeMap::new();
		let mut members_read = 0;
		for (account, balance) in CreditBalances::<T>::iter() {
			if let LedgerAccount::Member { who, class: BalanceClass::Spendable } = account {
				members_read += 1;
				if let Some(member) = T::Membership::member(&who) {
					let total: &mut SignedMinutes = totals.entry(member.home_branch).or_default();
					*total = total.saturating_add(balance);
				}
			}
		}
		(totals, members_read)
	}
}
