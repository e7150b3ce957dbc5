//! Property tests: random sequences of ledger operations, valid and invalid, from random actors,
//! under random policy changes. After every step the ledger's invariants (`do_try_state`) must
//! hold, a refused operation must leave storage untouched, and a model of the grant accounts
//! (what was granted minus what was taken back) must agree with the chain.
//!
//! `PROPTEST_CASES` overrides the number of sequences (default 10,000).

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{storage::with_storage_layer, BoundedVec},
	sp_core::H256,
	sp_io,
	sp_runtime::{DispatchError, Percent},
};
use proptest::prelude::*;
use timebank_primitives::Ledger as _;

type L = Pallet<Test>;

const OFFICERS: [AccountId; 4] = [ADMIN0, STAFF0, STAFF0B, ADMIN1];

#[derive(Clone, Debug)]
enum Op {
	SetPolicy { branch: BranchId, mutual: Option<(Minutes, bool)>, cap: Option<Minutes>, overflow: u8 },
	Grant { by: usize, to: usize, amount: Minutes },
	Gift { from: usize, to: usize, amount: Minutes },
	DonateToPool { from: usize, branch: BranchId, donation_only: bool, amount: Minutes },
	DonateToMember { from: usize, to: usize, amount: Minutes },
	ProposeAndApprove { to: usize, amount: Minutes, approver: usize },
	Hold { payer: usize, amount: Minutes },
	HoldFromPool { branch: BranchId, amount: Minutes },
	Settle { hold: HoldId, payee: usize, amount: Minutes },
	Release { hold: HoldId },
	Reverse { by: usize, operation: OperationId },
	SetWill { member: usize, heir: usize, share: u8 },
	Leave { member: usize, choice: u8, relative: usize },
	Estate { member: usize, opener: usize, approver: usize },
}

fn amount() -> impl Strategy<Value = Minutes> {
	prop_oneof![4 => 1..200u64, 1 => 0..2_000u64]
}

fn op() -> impl Strategy<Value = Op> {
	let who = || 0..MEMBERS.len();
	let officer = || 0..OFFICERS.len();
	prop_oneof![
		1 => (0..2u32, proptest::option::of((0..1_200u64, any::<bool>())), proptest::option::of(1..500u64), 0..3u8)
			.prop_map(|(branch, mutual, cap, overflow)| Op::SetPolicy { branch, mutual, cap, overflow }),
		4 => (officer(), who(), amount()).prop_map(|(by, to, amount)| Op::Grant { by, to, amount }),
		3 => (who(), who(), amount()).prop_map(|(from, to, amount)| Op::Gift { from, to, amount }),
		2 => (who(), 0..3u32, any::<bool>(), amount()).prop_map(|(from, branch, donation_only, amount)| {
			Op::DonateToPool { from, branch, donation_only, amount }
		}),
		2 => (who(), who(), amount()).prop_map(|(from, to, amount)| Op::DonateToMember { from, to, amount }),
		1 => (who(), amount(), 0..3usize).prop_map(|(to, amount, approver)| Op::ProposeAndApprove { to, amount, approver }),
		3 => (who(), amount()).prop_map(|(payer, amount)| Op::Hold { payer, amount }),
		1 => (0..2u32, amount()).prop_map(|(branch, amount)| Op::HoldFromPool { branch, amount }),
		3 => (0..8u64, who(), amount()).prop_map(|(hold, payee, amount)| Op::Settle { hold, payee, amount }),
		2 => (0..8u64).prop_map(|hold| Op::Release { hold }),
		2 => (officer(), 0..16u64).prop_map(|(by, operation)| Op::Reverse { by, operation }),
		1 => (who(), who(), 0..120u8).prop_map(|(member, heir, share)| Op::SetWill { member, heir, share }),
		1 => (who(), 0..3u8, who()).prop_map(|(member, choice, relative)| Op::Leave { member, choice, relative }),
		1 => (who(), officer(), officer()).prop_map(|(member, opener, approver)| Op::Estate { member, opener, approver }),
	]
}

/// Apply one operation the way its extrinsic (or, for escrow, the activities pallet's extrinsic)
/// would: inside a storage layer, so a failure rolls back.
fn apply(op: &Op) -> Result<(), DispatchError> {
	let s = |i: usize| RuntimeOrigin::signed(MEMBERS[i]);
	match op.clone() {
		Op::SetPolicy { branch, mutual, cap, overflow } => {
			let policy = BranchPolicy {
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
		},
		Op::Grant { by, to, amount } => {
			L::grant(RuntimeOrigin::signed(OFFICERS[by]), MEMBERS[to], amount, H256::zero())
		},
		Op::Gift { from, to, amount } => L::gift(s(from), MEMBERS[to], amount),
		Op::DonateToPool { from, branch, donation_only, amount } => {
			let class =
				if donation_only { BalanceClass::DonationOnly } else { BalanceClass::Spendable };
			L::donate(s(from), TransferTarget::DonationToPool { branch, class }, amount)
		},
		Op::DonateToMember { from, to, amount } => L::donate(
			s(from),
			TransferTarget::DonationToMember { to: MEMBERS[to], class: BalanceClass::Spendable },
			amount,
		),
		Op::ProposeAndApprove { to, amount, approver } => {
			with_storage_layer(|| {
				L::propose_transfer(
					RuntimeOrigin::signed(CAROL),
					ALICE,
					TransferTarget::Gift { to: MEMBERS[to] },
					amount,
				)?;
				let proposal = NextProposalId::<Test>::get() - 1;
				let by = [ALICE, STAFF0, CAROL][approver];
				L::approve_transfer(RuntimeOrigin::signed(by), proposal)
			})
		},
		Op::Hold { payer, amount } => with_storage_layer(|| {
			let who = MEMBERS[payer];
			let branch = MockRegistry::member(&who).map_or(0, |m| m.home_branch);
			L::hold(branch, L::spendable(&who), amount, &who).map(|_| ())
		}),
		Op::HoldFromPool { branch, amount } => with_storage_layer(|| {
			L::hold(branch, LedgerAccount::Pool(branch), amount, &STAFF0).map(|_| ())
		}),
		Op::Settle { hold, payee, amount } => {
			with_storage_layer(|| L::settle(hold, &MEMBERS[payee], amount, &STAFF0).map(|_| ()))
		},
		Op::Release { hold } => with_storage_layer(|| L::release(hold, &STAFF0)),
		Op::Reverse { by, operation } => L::reverse(
			RuntimeOrigin::signed(OFFICERS[by]),
			operation,
			ReversalReason::EnteredInError,
			H256::zero(),
		),
		Op::SetWill { member, heir, share } => {
			let will: BoundedVec<_, _> = vec![(MEMBERS[heir], Percent::from_percent(share))]
				.try_into()
				.expect("one beneficiary fits");
			L::set_time_will(s(member), will)
		},
		Op::Leave { member, choice, relative } => {
			let choice = match choice {
				0 => ExitChoice::GiftTo(MEMBERS[relative]),
				1 => ExitChoice::DonateToPool,
				_ => ExitChoice::Dormant,
			};
			L::leave(s(member), choice)
		},
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

fn run_sequence(ops: &[Op]) -> Result<(), TestCaseError> {
	new_test_ext().execute_with(|| {
		for (step, op) in ops.iter().enumerate() {
			let root_before = sp_io::storage::root(sp_io::StateVersion::V1);
			let entries_before = NextEntryId::<Test>::get();
			let result = apply(op);
			if result.is_err() {
				let root_after = sp_io::storage::root(sp_io::StateVersion::V1);
				prop_assert_eq!(root_before, root_after, "step {} {:?} failed but changed state", step, op);
				prop_assert_eq!(entries_before, NextEntryId::<Test>::get());
			}
			if let Err(e) = L::do_try_state() {
				return Err(TestCaseError::fail(format!("step {step} {op:?} broke: {e:?}")));
			}
			let grants: i128 = Balances::<Test>::iter()
				.filter(|(a, _)| matches!(a, LedgerAccount::Grant(_)))
				.map(|(_, b)| i128::from(b))
				.sum();
			prop_assert_eq!(grants, liability_from_operations());
		}
		Ok(())
	})
}

fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

	#[test]
	fn random_operation_sequences_keep_the_ledger_invariants(ops in proptest::collection::vec(op(), 1..40)) {
		run_sequence(&ops)?;
	}
}
