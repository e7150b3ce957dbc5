//! Unit tests: each call's success path and every error, escrow through the `Ledger` trait, and the
//! invariants after every scenario (`run` calls `do_try_state`). One file per topic, mirroring the
//! pallet's modules; the helpers every file uses are here.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	frame_system,
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{BalanceClass, HomeBranchChanges, Ledger as _, MemberStatus};

mod branch_totals;
mod door;
mod escrow;
mod events;
mod exits_and_estates;
mod gifts_and_donations;
mod grants;
mod home_moves;
mod invariants;
mod migrations;
mod policies;
mod proxies;
mod rekeying;
mod reversals;
mod review;
mod views;

type L = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn memo() -> H256 {
	H256::repeat_byte(1)
}

fn spendable(who: AccountId) -> SignedMinutes {
	L::member_balance(&who, BalanceClass::Spendable)
}

fn class(who: AccountId, class: BalanceClass) -> SignedMinutes {
	L::member_balance(&who, class)
}

/// The ledger's events so far in this block, oldest first.
fn events() -> Vec<Event<Test>> {
	frame_system::Pallet::<Test>::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Ledger(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn mutual_credit(limit: Minutes, hard: bool) -> LedgerPolicy {
	LedgerPolicy { accounting: AccountingModel::MutualCredit { limit, hard }, ..Default::default() }
}

fn set_policy(branch: BranchId, policy: LedgerPolicy) {
	let admin = if branch == 0 { ADMIN0 } else { ADMIN1 };
	assert_ok!(L::set_policy(signed(admin), branch, policy));
}

fn grant(to: AccountId, amount: Minutes) {
	let admin =
		if MockRegistry::member(&to).map(|m| m.home_branch) == Some(1) { ADMIN1 } else { ADMIN0 };
	assert_ok!(L::grant(signed(admin), to, amount, memo()));
}

fn last_operation() -> OperationId {
	NextOperationId::<Test>::get() - 1
}

fn branch_summary(branch: BranchId) -> timebank_primitives::BranchSummary {
	let mut summary = timebank_primitives::BranchSummary {
		branch,
		parent: None,
		active: true,
		pending_members: 0,
		active_members: 0,
		redemption_liability: 0,
		outstanding_spendable: 0,
		pool_balance: 0,
		clearing_positions: vec![],
		policy_version: 0,
	};
	L::fill_branch_summary(&mut summary, 0..BRANCHES);
	summary
}
