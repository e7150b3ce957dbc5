//! Property tests: random sequences of ledger operations, valid and invalid, from random actors,
//! under random policy changes. After every step the ledger's invariants (`do_try_state`) must
//! hold, a refused operation must leave storage untouched, and a model of the grant accounts
//! (what was granted minus what was taken back) must agree with the chain.
//!
//! The runner, the tally and `PROPTEST_CASES` (default 10,000 sequences) are
//! `timebank_test_support::property`'s, shared with the activities pallet.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{storage::with_storage_layer, BoundedVec},
	sp_runtime::{DispatchError, Percent},
};
use proptest::prelude::*;
use timebank_primitives::{BalanceClass, Ledger as _};
use timebank_test_support::property::{apply_step, run_sequences, Tally};

type L = Pallet<Test>;

const OFFICERS: [AccountId; 4] = [ADMIN0, STAFF0, STAFF0B, ADMIN1];

#[derive(Clone, Debug)]
enum Op {
	SetPolicy {
		branch: BranchId,
		mutual: Option<(Minutes, bool)>,
		cap: Option<Minutes>,
		overflow: u8,
	},
	/// `by_home_admin`: signed by the admin of the member's home branch, else by `by`.
	Grant {
		by_home_admin: bool,
		by: usize,
		to: usize,
		amount: Minutes,
	},
	Gift {
		from: usize,
		to: usize,
		amount: Minutes,
	},
	DonateToPool {
		from: usize,
		branch: BranchId,
		donation_only: bool,
		amount: Minutes,
	},
	DonateToMember {
		from: usize,
		to: usize,
		amount: Minutes,
	},
	ProposeAndApprove {
		to: usize,
		amount: Minutes,
		approver: usize,
	},
	Hold {
		payer: usize,
		amount: Minutes,
	},
	/// A branch pays for an eligible elder's service from its pool or its grant account.
	HoldFromBranch {
		branch: BranchId,
		from_grant: bool,
		amount: Minutes,
	},
	/// Holds and operations are picked counting back from the newest, so most picks exist.
	Settle {
		hold_back: u64,
		payee: usize,
		amount: Minutes,
	},
	Release {
		hold_back: u64,
	},
	Reverse {
		by: usize,
		operation_back: u64,
	},
	SetWill {
		member: usize,
		heir: usize,
		share: u8,
	},
	Leave {
		member: usize,
		choice: u8,
		relative: usize,
	},
	Estate {
		member: usize,
		opener: usize,
		approver: usize,
	},
}

fn amount() -> impl Strategy<Value = Minutes> {
	prop_oneof![8 => 1..120u64, 1 => 0..2_000u64]
}

/// Pairs of verified relatives in the mock (index into `MEMBERS`), then any pair.
fn relatives() -> impl Strategy<Value = (usize, usize)> {
	prop_oneof![
		4 => prop_oneof![Just((0, 1)), Just((1, 0)), Just((0, 3)), Just((3, 0))],
		1 => (0..MEMBERS.len(), 0..MEMBERS.len()),
	]
}

fn op() -> impl Strategy<Value = Op> {
	let who = || 0..MEMBERS.len();
	let officer = || 0..OFFICERS.len();
	prop_oneof![
		3 => (0..2u32, proptest::option::of((0..1_200u64, any::<bool>())), proptest::option::of(1..500u64), 0..3u8)
			.prop_map(|(branch, mutual, cap, overflow)| Op::SetPolicy { branch, mutual, cap, overflow }),
		20 => (proptest::bool::weighted(0.9), officer(), who(), amount())
			.prop_map(|(by_home_admin, by, to, amount)| Op::Grant { by_home_admin, by, to, amount }),
		10 => (relatives(), amount()).prop_map(|((from, to), amount)| Op::Gift { from, to, amount }),
		6 => (who(), 0..3u32, proptest::bool::weighted(0.3), amount()).prop_map(|(from, branch, donation_only, amount)| {
			Op::DonateToPool { from, branch, donation_only, amount }
		}),
		6 => (who(), who(), amount()).prop_map(|(from, to, amount)| Op::DonateToMember { from, to, amount }),
		4 => (prop_oneof![Just(1usize), Just(3usize), 0..MEMBERS.len()], amount(), prop_oneof![3 => 0..2usize, 1 => Just(2usize)])
			.prop_map(|(to, amount, approver)| Op::ProposeAndApprove { to, amount, approver }),
		10 => (who(), amount()).prop_map(|(payer, amount)| Op::Hold { payer, amount }),
		3 => (0..2u32, any::<bool>(), amount())
			.prop_map(|(branch, from_grant, amount)| Op::HoldFromBranch { branch, from_grant, amount }),
		8 => (0..3u64, who(), prop_oneof![3 => 1..60u64, 1 => amount()]).prop_map(|(hold_back, payee, amount)| Op::Settle { hold_back, payee, amount }),
		4 => (0..3u64).prop_map(|hold_back| Op::Release { hold_back }),
		5 => (prop_oneof![3 => Just(0usize), 1 => officer()], 0..6u64)
			.prop_map(|(by, operation_back)| Op::Reverse { by, operation_back }),
		2 => (who(), who(), 0..120u8).prop_map(|(member, heir, share)| Op::SetWill { member, heir, share }),
		1 => (who(), 0..3u8, who()).prop_map(|(member, choice, relative)| Op::Leave { member, choice, relative }),
		1 => (who(), officer(), officer()).prop_map(|(member, opener, approver)| Op::Estate { member, opener, approver }),
	]
}

fn home_admin(who: AccountId) -> AccountId {
	if MockRegistry::member(&who).map(|m| m.home_branch) == Some(1) {
		ADMIN1
	} else {
		ADMIN0
	}
}

fn back_from(next: u64, back: u64) -> u64 {
	next.saturating_sub(1 + back)
}

/// Apply one operation the way its extrinsic (or, for escrow, the activities pallet's extrinsic)
/// would: inside a storage layer, so a failure rolls back.
///
// Longer than 70 lines: one short arm per kind of operation, a table best read in one place.
#[allow(clippy::too_many_lines)]
fn apply(op: &Op) -> Result<(), DispatchError> {
	let s = |i: usize| RuntimeOrigin::signed(MEMBERS[i]);
	match op.clone() {
		Op::SetPolicy { branch, mutual, cap, overflow } => {
			let policy = LedgerPolicy {
				accounting: match mutual {
					None => AccountingModel::Prepaid,
					Some((limit, hard)) => AccountingModel::MutualCredit { limit, hard },
				},
				storage_cap: cap,
				overflow: match overflow {
					0 => OverflowRule::ToDonationOnly,
					1 => OverflowRule::ToHonorary,
					_ => OverflowRule::Refuse,
				},
				clearing_limit: 150,
				..Default::default()
			};
			let admin = if branch == 0 { ADMIN0 } else { ADMIN1 };
			L::set_policy(RuntimeOrigin::signed(admin), branch, policy)
		}
		Op::Grant { by_home_admin, by, to, amount } => {
			let signer = if by_home_admin { home_admin(MEMBERS[to]) } else { OFFICERS[by] };
			L::grant(RuntimeOrigin::signed(signer), MEMBERS[to], amount, H256::zero())
		}
		Op::Gift { from, to, amount } => L::gift(s(from), MEMBERS[to], amount),
		Op::DonateToPool { from, branch, donation_only, amount } => {
			let class =
				if donation_only { BalanceClass::DonationOnly } else { BalanceClass::Spendable };
			L::donate(s(from), TransferTarget::DonationToPool { branch, class }, amount)
		}
		Op::DonateToMember { from, to, amount } => L::donate(
			s(from),
			TransferTarget::DonationToMember { to: MEMBERS[to], class: BalanceClass::Spendable },
			amount,
		),
		Op::ProposeAndApprove { to, amount, approver } => with_storage_layer(|| {
			L::propose_transfer(
				RuntimeOrigin::signed(CAROL),
				ALICE,
				TransferTarget::Gift { to: MEMBERS[to] },
				amount,
			)?;
			let proposal = NextProposalId::<Test>::get() - 1;
			let by = [ALICE, STAFF0, CAROL][approver];
			L::approve_transfer(RuntimeOrigin::signed(by), proposal)
		}),
		Op::Hold { payer, amount } => with_storage_layer(|| {
			let who = MEMBERS[payer];
			let branch = MockRegistry::member(&who).map_or(0, |m| m.home_branch);
			L::hold(branch, L::spendable(&who), amount, &who).map(|_| ())
		}),
		Op::HoldFromBranch { branch, from_grant, amount } => with_storage_layer(|| {
			let payer =
				if from_grant { LedgerAccount::Grant(branch) } else { LedgerAccount::Pool(branch) };
			L::hold(branch, payer, amount, &STAFF0).map(|_| ())
		}),
		Op::Settle { hold_back, payee, amount } => with_storage_layer(|| {
			let hold = back_from(NextHoldId::<Test>::get(), hold_back);
			L::settle(hold, &MEMBERS[payee], amount, &STAFF0).map(|_| ())
		}),
		Op::Release { hold_back } => with_storage_layer(|| {
			L::release(back_from(NextHoldId::<Test>::get(), hold_back), &STAFF0)
		}),
		Op::Reverse { by, operation_back } => L::reverse(
			RuntimeOrigin::signed(OFFICERS[by]),
			back_from(NextOperationId::<Test>::get(), operation_back),
			ReversalReason::EnteredInError,
			H256::zero(),
		),
		Op::SetWill { member, heir, share } => {
			let will: BoundedVec<_, _> = vec![(MEMBERS[heir], Percent::from_percent(share))]
				.try_into()
				.expect("one beneficiary fits");
			L::set_time_will(s(member), will)
		}
		Op::Leave { member, choice, relative } => {
			let choice = match choice {
				0 => ExitChoice::GiftTo(MEMBERS[relative]),
				1 => ExitChoice::DonateToPool,
				_ => ExitChoice::Dormant,
			};
			L::leave(s(member), choice)
		}
		Op::Estate { member, opener, approver } => with_storage_layer(|| {
			L::open_estate(RuntimeOrigin::signed(OFFICERS[opener]), MEMBERS[member], H256::zero())?;
			L::approve_estate(RuntimeOrigin::signed(OFFICERS[approver]), MEMBERS[member])
		}),
	}
}

/// What the grant accounts must show: minus everything granted (or written off) and not reversed.
fn liability_from_operations() -> i128 {
	Entries::<Test>::iter()
		.map(|(_, e)| {
			let out = matches!(e.debit, LedgerAccount::Grant(_)) as i128;
			let back = matches!(e.credit, LedgerAccount::Grant(_)) as i128;
			(back - out) * i128::from(e.amount)
		})
		.sum()
}

fn kind(op: &Op) -> &'static str {
	match op {
		Op::SetPolicy { .. } => "set_policy",
		Op::Grant { .. } => "grant",
		Op::Gift { .. } => "gift",
		Op::DonateToPool { .. } => "donate_to_pool",
		Op::DonateToMember { .. } => "donate_to_member",
		Op::ProposeAndApprove { .. } => "propose_and_approve",
		Op::Hold { .. } => "hold",
		Op::HoldFromBranch { .. } => "hold_from_branch",
		Op::Settle { .. } => "settle",
		Op::Release { .. } => "release",
		Op::Reverse { .. } => "reverse",
		Op::SetWill { .. } => "set_time_will",
		Op::Leave { .. } => "leave",
		Op::Estate { .. } => "estate",
	}
}

fn run_sequence(ops: &[Op], tally: &Tally) -> Result<(), TestCaseError> {
	new_test_ext().execute_with(|| {
		for (step, op) in ops.iter().enumerate() {
			let entries_before = NextEntryId::<Test>::get();
			if apply_step(step, op, kind(op), tally, apply)?.is_err() {
				prop_assert_eq!(entries_before, NextEntryId::<Test>::get());
			}
			if let Err(e) = L::do_try_state() {
				return Err(TestCaseError::fail(format!("step {step} {op:?} broke: {e:?}")));
			}
			let grants: i128 = CreditBalances::<Test>::iter()
				.filter(|(a, _)| matches!(a, LedgerAccount::Grant(_)))
				.map(|(_, b)| i128::from(b))
				.sum();
			prop_assert_eq!(grants, liability_from_operations());
		}
		Ok(())
	})
}

#[test]
fn random_operation_sequences_keep_the_ledger_invariants() {
	run_sequences(op(), run_sequence);
}
