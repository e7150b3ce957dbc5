//! Reads: what the runtime API (`TimebankApi`) serves and the calls consult. Nothing here
//! writes storage.

use crate::{
	Config, CreditBalances, Entries, HeldForMember, HomeSpendable, LedgerPolicy, Operations,
	Pallet, Policies, StatementLength, Statements,
};
use polkadot_sdk::sp_runtime::traits::UniqueSaturatedInto;
use timebank_primitives::{
	BalanceClass, BranchId, BranchSummary, LedgerAccount, MemberBalances, SignedMinutes,
	StatementLine, StatementPage, MAX_PAGE,
};

impl<T: Config> Pallet<T> {
	/// A member's balance in one class.
	pub fn member_balance(who: &T::AccountId, class: BalanceClass) -> SignedMinutes {
		CreditBalances::<T>::get(LedgerAccount::Member { who: who.clone(), class })
	}

	/// A member's spendable-credits account.
	pub(crate) fn spendable(who: &T::AccountId) -> LedgerAccount<T::AccountId> {
		LedgerAccount::Member { who: who.clone(), class: BalanceClass::Spendable }
	}

	/// A branch's current policy (the default until its admins set one).
	pub fn policy(branch: BranchId) -> LedgerPolicy {
		Policies::<T>::get(branch).map(|current| current.policy).unwrap_or_default()
	}

	/// A branch's policy version: how many policies its admins have set (0: the default).
	pub fn policy_version(branch: BranchId) -> u32 {
		Policies::<T>::get(branch).map_or(0, |current| current.version)
	}

	/// A member's balances as `timebank_balances` shows them.
	pub fn balances_of(who: &T::AccountId) -> MemberBalances {
		MemberBalances {
			spendable: Self::member_balance(who, BalanceClass::Spendable),
			donation_only: Self::member_balance(who, BalanceClass::DonationOnly),
			honorary: Self::member_balance(who, BalanceClass::Honorary),
			in_escrow: HeldForMember::<T>::get(who),
		}
	}

	/// A page of a member's statement, at most [`MAX_PAGE`] lines.
	pub fn statement_page(
		who: &T::AccountId,
		from: u32,
		limit: u32,
	) -> StatementPage<T::AccountId> {
		let total = StatementLength::<T>::get(who);
		let limit = limit.min(MAX_PAGE);
		let end = from.saturating_add(limit).min(total);
		let lines = (from..end)
			.filter_map(|position| Statements::<T>::get(who, position))
			.filter_map(|id| {
				let entry = Entries::<T>::get(id)?;
				let operation = Operations::<T>::get(entry.operation)?;
				Some(StatementLine {
					entry: id,
					operation: entry.operation,
					kind: entry.kind,
					debit: entry.debit,
					credit: entry.credit,
					amount: entry.amount,
					actor: operation.actor,
					on_behalf_of: operation.on_behalf_of,
					block_number: entry.block_number.unique_saturated_into(),
					extrinsic_index: entry.extrinsic_index,
					reverses: operation.reverses,
				})
			})
			.collect();
		StatementPage { lines, total, next: (end < total).then_some(end) }
	}

	/// The ledger's half of `timebank_branchSummary`: a few reads per branch of the chain
	/// (`branches` lists them all), whatever the number of members and entries.
	pub fn fill_branch_summary(
		summary: &mut BranchSummary,
		branches: impl IntoIterator<Item = BranchId>,
	) {
		let branch = summary.branch;
		summary.redemption_liability =
			CreditBalances::<T>::get(LedgerAccount::Grant(branch)).min(0).unsigned_abs();
		summary.pool_balance = CreditBalances::<T>::get(LedgerAccount::Pool(branch));
		summary.policy_version = Self::policy_version(branch);
		summary.outstanding_spendable = HomeSpendable::<T>::get(branch);
		summary.clearing_positions = branches
			.into_iter()
			.filter(|counterparty| *counterparty != branch)
			.filter_map(|counterparty| {
				CreditBalances::<T>::try_get(LedgerAccount::Clearing { branch, counterparty })
					.ok()
					.map(|balance| (counterparty, balance))
			})
			.collect();
	}
}
