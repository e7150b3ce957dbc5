//! The ledger's part of re-keying a member (decision 0013, `rekey.rs`): balances move by
//! `Rekey` entries, the will and the soft-limit flag follow, the branch total does not change,
//! and what is keyed by ids (holds, proposals, an estate) refuses the move.

use super::*;
use polkadot_sdk::sp_runtime::DispatchResult;
use timebank_primitives::{Rekeying, ReviewKind, ReviewOutcome, ReviewSubject};

/// The member's new key.
const NEW: AccountId = 50;

/// Re-key as the registry does: every check first, the ledger's part, then the registry's own,
/// in the storage layer of its call.
fn rekey(old: AccountId, new: AccountId) -> DispatchResult {
	polkadot_sdk::frame_support::storage::with_storage_layer(|| {
		<L as Rekeying<AccountId>>::can_rekey(&old, &new)?;
		<L as Rekeying<AccountId>>::rekey(&old, &new, &STAFF0, memo())?;
		MockRegistry::rekey(old, new);
		Ok(())
	})
}

fn statement_length(who: AccountId) -> u32 {
	StatementLength::<Test>::get(who)
}

#[test]
fn every_balance_moves_by_rekey_entries_and_the_branch_total_stays() {
	run(|| {
		// 50 granted under a cap of 30: 30 spendable, 20 donation-only.
		set_policy(0, LedgerPolicy { storage_cap: Some(30), ..Default::default() });
		grant(ALICE, 50);
		let will: BoundedVec<_, _> =
			vec![(BOB, Percent::from_percent(50))].try_into().expect("within bound");
		assert_ok!(L::set_time_will(signed(ALICE), will.clone()));
		let (spent, donation) = (spendable(ALICE), class(ALICE, BalanceClass::DonationOnly));
		assert!(spent > 0 && donation > 0);
		let total = HomeSpendable::<Test>::get(0);
		let lines = statement_length(ALICE);

		assert_ok!(rekey(ALICE, NEW));
		assert_eq!((spendable(NEW), class(NEW, BalanceClass::DonationOnly)), (spent, donation));
		assert_eq!((spendable(ALICE), class(ALICE, BalanceClass::DonationOnly)), (0, 0));
		assert_eq!(HomeSpendable::<Test>::get(0), total);
		// One operation, one entry per class, a line on both statements.
		let op = Operations::<Test>::get(last_operation()).expect("stored");
		assert_eq!(op.kind, EntryKind::Rekey);
		assert_eq!((op.actor, op.on_behalf_of, op.memo), (STAFF0, Some(ALICE), Some(memo())));
		assert_eq!(op.entries.len(), 2);
		assert_eq!(statement_length(ALICE), lines + 2);
		assert_eq!(statement_length(NEW), 2);
		assert_eq!(TimeWills::<Test>::get(NEW), Some(will));
		assert!(TimeWills::<Test>::get(ALICE).is_none());
		// Moving between a member's own keys is not a transfer an admin can undo.
		assert_noop!(
			L::reverse(signed(ADMIN0), last_operation(), ReversalReason::EnteredInError, memo()),
			E::NotReversible
		);
	});
}

#[test]
fn a_debt_moves_too_and_keeps_its_flag() {
	run(|| {
		set_policy(0, mutual_credit(100, true));
		let hold = L::hold(0, L::spendable(&BOB), 40, &BOB).expect("held on credit");
		assert_ok!(L::settle(hold, &ALICE, 40, &STAFF0));
		assert_eq!(spendable(BOB), -40);
		SoftLimitFlags::<Test>::insert(BOB, -40);
		let total = HomeSpendable::<Test>::get(0);
		assert_ok!(rekey(BOB, NEW));
		assert_eq!((spendable(NEW), spendable(BOB)), (-40, 0));
		assert_eq!(HomeSpendable::<Test>::get(0), total);
		assert_eq!(SoftLimitFlags::<Test>::get(NEW), Some(-40));
		assert!(SoftLimitFlags::<Test>::get(BOB).is_none());
	});
}

#[test]
fn a_member_with_nothing_moves_with_no_operation() {
	run(|| {
		let next = NextOperationId::<Test>::get();
		assert_ok!(rekey(CAROL, NEW));
		assert_eq!(NextOperationId::<Test>::get(), next);
	});
}

#[test]
fn what_is_keyed_by_ids_refuses_the_move() {
	run(|| {
		grant(ALICE, 100);
		let hold = L::hold(0, L::spendable(&ALICE), 5, &ALICE).expect("held");
		assert_noop!(rekey(ALICE, NEW), E::OpenHolds);
		assert_ok!(L::release(hold, &ALICE));
		// CAROL proposes for ALICE as her family proxy: CAROL's proposals wait.
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, TransferTarget::Gift { to: BOB }, 5));
		assert_noop!(rekey(CAROL, NEW), E::ProposalsWaiting);
		assert_ok!(L::open_estate(signed(STAFF0), ALICE, H256::zero()));
		assert_noop!(rekey(ALICE, NEW), E::EstateAlreadyOpen);
		assert_ok!(L::cancel_estate(signed(STAFF0), ALICE));
		// The new key must have no ledger history of its own.
		assert_noop!(rekey(BOB, ALICE), E::NewKeyHasHistory);
		assert_ok!(rekey(BOB, NEW));
	});
}

#[test]
fn an_heir_who_moved_to_a_new_key_inherits_there() {
	run(|| {
		grant(ALICE, 100);
		let will: BoundedVec<_, _> =
			vec![(BOB, Percent::from_percent(50))].try_into().expect("within bound");
		assert_ok!(L::set_time_will(signed(ALICE), will));
		assert_ok!(rekey(BOB, NEW));
		assert_ok!(L::open_estate(signed(STAFF0), ALICE, H256::zero()));
		assert_ok!(L::approve_estate(signed(STAFF0B), ALICE));
		assert_eq!(spendable(NEW), 50);
		assert_eq!(spendable(BOB), 0);
	});
}

#[test]
fn a_grant_approved_after_the_member_moved_is_paid_to_the_new_key() {
	run(|| {
		timebank_test_support::MockReviews::review(ReviewKind::Grant, 100);
		assert_ok!(L::grant(signed(ADMIN0), ALICE, 150, memo()));
		assert_ok!(rekey(ALICE, NEW));
		assert_ok!(<L as ReviewOutcome<AccountId>>::execute(
			&ReviewSubject::Grant(0),
			&timebank_primitives::Decision::Approve,
			&STAFF0
		));
		assert_eq!(spendable(NEW), 150);
		assert_eq!(spendable(ALICE), 0);
	});
}
