//! The second admin (review M11), the limit on new accounts per branch and window (H4), and the
//! bounded application queue (L10).

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	frame_system,
	sp_core::H256,
	sp_runtime::DispatchError,
};
use timebank_primitives::{Membership, OfficerRole};

type R = Pallet<Test>;
type E = Error<Test>;

/// A second admin of branch 0, appointed by the council.
const ADMIN2: AccountId = 3;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	frame_system::Pallet::<Test>::events().pop().expect("an event was emitted").event
}

fn second_admin() {
	assert_ok!(R::appoint_officer(RuntimeOrigin::root(), 0, ADMIN2, OfficerRole::Admin));
}

fn register(who: AccountId) -> polkadot_sdk::sp_runtime::DispatchResult {
	R::register_member(signed(STAFF), who, 0, commitment(who as u8), Default::default())
}

// M11: the review's scenario starts with a lone admin appointing sock staff S1 and S2, who then
// co-sign an estate or a review. A lone admin's appointments now go to the council.
#[test]
fn m11_a_lone_admin_cannot_appoint_officers() {
	run(|| {
		for (sock, role) in [(30, OfficerRole::Staff), (31, OfficerRole::Admin)] {
			assert_noop!(R::appoint_officer(signed(ADMIN), 0, sock, role), E::NeedsSecondAdmin);
			assert!(!R::is_officer(0, &sock, OfficerRole::Staff));
		}
		assert_ok!(R::appoint_officer(RuntimeOrigin::root(), 0, 30, OfficerRole::Staff));
		assert!(R::is_officer(0, &30, OfficerRole::Staff));
	});
}

// M11: with two admins, one proposes and the other confirms; neither acts alone. The block an
// officer took office is exposed, so audits can refuse deciders appointed after a case opened.
#[test]
fn m11_appointments_and_co_admin_removals_need_a_second_admin() {
	run(|| {
		second_admin();
		frame_system::Pallet::<Test>::set_block_number(5);
		assert_ok!(R::appoint_officer(signed(ADMIN), 0, 30, OfficerRole::Staff));
		assert!(!R::is_officer(0, &30, OfficerRole::Staff));
		let change = OfficerChange::Appoint(OfficerRole::Staff);
		assert_eq!(
			last_event(),
			Event::OfficerChangeProposed { branch: 0, who: 30, change, by: ADMIN }.into()
		);
		assert_noop!(R::confirm_officer_change(signed(ADMIN), 0, 30), E::SameAdmin);
		assert_noop!(R::confirm_officer_change(signed(STAFF), 0, 30), E::NotBranchOfficer);
		assert_ok!(R::confirm_officer_change(signed(ADMIN2), 0, 30));
		assert!(R::is_officer(0, &30, OfficerRole::Staff));
		assert_eq!(<R as Membership<AccountId>>::officer_since(0, &30), Some(5));
		assert_eq!(<R as Membership<AccountId>>::officer_since(0, &STAFF), Some(1));
		assert_eq!(<R as Membership<AccountId>>::officer_since(0, &ALICE), None);

		// Removing a co-admin waits too; the council may confirm.
		assert_ok!(R::remove_officer(signed(ADMIN2), 0, ADMIN));
		assert!(R::is_officer(0, &ADMIN, OfficerRole::Admin));
		assert_ok!(R::confirm_officer_change(RuntimeOrigin::root(), 0, ADMIN));
		assert!(!R::is_officer(0, &ADMIN, OfficerRole::Staff));
		assert_eq!(<R as Membership<AccountId>>::officer_since(0, &ADMIN), None);
		// Staff are removed by one admin at once.
		assert_ok!(R::remove_officer(signed(ADMIN2), 0, 30));
		assert!(!R::is_officer(0, &30, OfficerRole::Staff));
	});
}

#[test]
fn officer_change_errors_and_cancellation() {
	run(|| {
		second_admin();
		assert_noop!(
			R::appoint_officer(signed(ADMIN), 0, STAFF, OfficerRole::Staff),
			E::AlreadyOfficer
		);
		assert_ok!(R::appoint_officer(signed(ADMIN), 0, 30, OfficerRole::Staff));
		assert_noop!(
			R::appoint_officer(signed(ADMIN2), 0, 30, OfficerRole::Admin),
			E::ChangePending
		);
		assert_ok!(R::appoint_officer(signed(ADMIN), 0, 31, OfficerRole::Staff));
		assert_noop!(
			R::appoint_officer(signed(ADMIN), 0, 32, OfficerRole::Staff),
			E::TooManyPendingChanges
		);
		assert_noop!(R::confirm_officer_change(signed(ADMIN2), 0, 32), E::NoPendingChange);
		assert_noop!(R::cancel_officer_change(signed(ADMIN2), 0, 32), E::NoPendingChange);
		assert_noop!(R::cancel_officer_change(signed(STAFF), 0, 30), E::NotBranchOfficer);
		assert_noop!(R::confirm_officer_change(RuntimeOrigin::root(), 9, 30), E::UnknownBranch);
		// Any admin, or the council, cancels.
		assert_ok!(R::cancel_officer_change(signed(ADMIN), 0, 30));
		assert_eq!(
			last_event(),
			Event::OfficerChangeCancelled { branch: 0, who: 30, by: Some(ADMIN) }.into()
		);
		assert_ok!(R::cancel_officer_change(RuntimeOrigin::root(), 0, 31));
		assert_eq!(
			last_event(),
			Event::OfficerChangeCancelled { branch: 0, who: 31, by: None }.into()
		);
		assert_eq!(PendingOfficerChangeCount::<Test>::get(0), 0);
	});
}

// H4: one staff key registered accounts without limit, each with its own fee-free quota.
#[test]
fn h4_registrations_per_branch_are_limited_per_window() {
	run(|| {
		// The mock registered ALICE and BOB in this window (block 1, windows of 10 blocks).
		for who in 30..34 {
			assert_ok!(register(who));
		}
		assert_noop!(register(34), E::RegistrationLimitReached);
		// Appointments confirmed by admins count too; the council's do not.
		second_admin();
		assert_ok!(R::appoint_officer(signed(ADMIN), 0, 40, OfficerRole::Staff));
		assert_noop!(R::confirm_officer_change(signed(ADMIN2), 0, 40), E::RegistrationLimitReached);
		// Another branch counts for itself.
		assert_ok!(R::register_branch(RuntimeOrigin::root(), None, 5, H256::zero()));
		assert_ok!(R::register_member(signed(5), 35, 1, commitment(35), Default::default()));
		// The next window opens.
		frame_system::Pallet::<Test>::set_block_number(10);
		assert_ok!(register(34));
		assert_ok!(R::confirm_officer_change(signed(ADMIN2), 0, 40));
	});
}

// H4: the council (here root) registers members beyond the staff's limit, e.g. a branch that
// joins with the members it already has; the event names no staff member.
#[test]
fn the_council_registers_members_without_the_staff_limit() {
	run(|| {
		for who in 30..34 {
			assert_ok!(register(who));
		}
		assert_noop!(register(34), E::RegistrationLimitReached);
		for who in 34..44u64 {
			assert_ok!(R::register_member(
				RuntimeOrigin::root(),
				who,
				0,
				commitment(who as u8),
				Default::default()
			));
		}
		assert!(R::is_active_member(&43));
		assert!(frame_system::Pallet::<Test>::events().iter().any(|r| r.event
			== RuntimeEvent::Registry(Event::MemberRegistered { who: 43, branch: 0, by: None })));
		// Neither an unsigned origin nor a non-officer passes for the council.
		assert_noop!(
			R::register_member(RuntimeOrigin::none(), 50, 0, commitment(50), Default::default()),
			DispatchError::BadOrigin
		);
	});
}

// L10: applying is free for any account that exists; a branch's queue is bounded.
#[test]
fn l10_pending_applications_per_branch_are_bounded() {
	run(|| {
		for who in 30..33 {
			assert_ok!(R::apply_for_membership(signed(who), 0, commitment(who as u8)));
		}
		assert_noop!(
			R::apply_for_membership(signed(33), 0, commitment(33)),
			E::TooManyApplications
		);
		assert_ok!(R::reject_application(signed(STAFF), 30, H256::repeat_byte(1)));
		assert_ok!(R::apply_for_membership(signed(33), 0, commitment(33)));
	});
}
