//! Moving home (review H2): the member asks, staff of the destination accept, the ledger may
//! refuse, and a request can be withdrawn or declined.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	frame_system,
	sp_core::H256,
	sp_runtime::DispatchError,
};
use timebank_primitives::{BranchId, MemberStatus, Membership};
use timebank_test_support::RecordedHomeBranchChanges;

type R = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	frame_system::Pallet::<Test>::events().pop().expect("an event was emitted").event
}

fn home(who: AccountId) -> Option<BranchId> {
	R::member(&who).map(|m| m.home_branch)
}

/// Branch 1 (admin 5) and branch 2 (admin 6), beside branch 0.
fn two_more_branches() {
	assert_ok!(R::register_branch(RuntimeOrigin::root(), None, 5, H256::zero()));
	assert_ok!(R::register_branch(RuntimeOrigin::root(), None, 6, H256::zero()));
}

// H2: a member alone moved into any branch (and under its credit policy) at once; now the move
// waits, with nothing changed, until staff of the destination accept.
#[test]
fn h2_a_member_alone_cannot_move_into_another_branch() {
	run(|| {
		two_more_branches();
		RecordedHomeBranchChanges::take();
		assert_ok!(R::move_home_branch(signed(ALICE), ALICE, 1));
		assert_eq!(home(ALICE), Some(0));
		assert!(RecordedHomeBranchChanges::take().is_empty());
		assert_eq!(
			last_event(),
			Event::HomeMoveRequested { who: ALICE, from: 0, to: 1, by: ALICE }.into()
		);
		// Only staff of the branch asked for accept.
		assert_noop!(R::accept_home_move(signed(ALICE), ALICE), E::NotBranchOfficer);
		assert_noop!(R::accept_home_move(signed(STAFF), ALICE), E::NotBranchOfficer);
		assert_noop!(R::accept_home_move(signed(6), ALICE), E::NotBranchOfficer);
		assert_ok!(R::accept_home_move(signed(5), ALICE));
		assert_eq!(home(ALICE), Some(1));
		assert!(!PendingMoves::<Test>::contains_key(ALICE));
		assert_eq!(RecordedHomeBranchChanges::take(), vec![(ALICE, Some(0), Some(1))]);
		assert_eq!(MemberCountsByBranch::<Test>::get(1).active, 1);
		assert_eq!(
			last_event(),
			Event::HomeBranchMoved { who: ALICE, from: 0, to: 1, by: 5 }.into()
		);
	});
}

// H2: the ledger refuses a member with open holds or a debt; the request then stays, and
// nothing moves.
#[test]
fn a_move_the_ledger_refuses_changes_nothing() {
	run(|| {
		two_more_branches();
		assert_ok!(R::move_home_branch(signed(STAFF), ALICE, 1));
		RecordedHomeBranchChanges::take();
		MockLedger::refuse_moves(Some("OpenHolds"));
		assert_noop!(R::accept_home_move(signed(5), ALICE), DispatchError::Other("OpenHolds"));
		assert_eq!(home(ALICE), Some(0));
		assert!(PendingMoves::<Test>::contains_key(ALICE));
		MockLedger::refuse_moves(None);
		assert_ok!(R::accept_home_move(signed(5), ALICE));
		assert_eq!(home(ALICE), Some(1));
	});
}

#[test]
fn move_requests_are_withdrawn_declined_and_checked() {
	run(|| {
		two_more_branches();
		assert_noop!(R::accept_home_move(signed(5), ALICE), E::NoPendingMove);
		assert_noop!(R::cancel_home_move(signed(ALICE), ALICE), E::NoPendingMove);
		assert_ok!(R::move_home_branch(signed(ALICE), ALICE, 1));
		assert_noop!(R::move_home_branch(signed(ALICE), ALICE, 2), E::MovePending);
		assert_noop!(R::cancel_home_move(signed(BOB), ALICE), E::NotAllowed);
		// Staff of a branch the request does not concern cannot end it.
		assert_noop!(R::cancel_home_move(signed(6), ALICE), E::NotAllowed);
		// The member withdraws.
		assert_ok!(R::cancel_home_move(signed(ALICE), ALICE));
		assert_eq!(last_event(), Event::HomeMoveCancelled { who: ALICE, to: 1, by: ALICE }.into());
		// Home staff withdraw; the destination's staff decline.
		assert_ok!(R::move_home_branch(signed(STAFF), ALICE, 1));
		assert_ok!(R::cancel_home_move(signed(STAFF), ALICE));
		assert_ok!(R::move_home_branch(signed(ALICE), ALICE, 1));
		assert_ok!(R::cancel_home_move(signed(5), ALICE));
		assert!(!PendingMoves::<Test>::contains_key(ALICE));
		// A destination suspended meanwhile takes nobody.
		assert_ok!(R::move_home_branch(signed(ALICE), ALICE, 1));
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 1, BranchStatus::Suspended));
		assert_noop!(R::accept_home_move(signed(5), ALICE), E::BranchNotActive);
		// A member who leaves moves nowhere: the request goes with the departure.
		assert_ok!(R::record_departure(&ALICE, MemberStatus::Left));
		assert!(!PendingMoves::<Test>::contains_key(ALICE));
		assert_eq!(home(ALICE), Some(0));
	});
}
