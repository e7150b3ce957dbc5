//! Re-keying (decision 0013): the member or home staff ask, the new key consents by signing,
//! another officer approves, the registry's state moves and the old key is retired.

use crate::{mock::*, *};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo},
	frame_system,
	sp_core::H256,
	sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		DispatchError, DispatchResult,
	},
};
use timebank_primitives::{MemberRoles, MemberStatus, Membership, OfficerRole, ProxyPermissions};

type R = Pallet<Test>;
type E = Error<Test>;

/// The member's new key in these tests.
const NEW: AccountId = 50;
/// A second staff member at branch 0, appointed in `second_staff`.
const STAFF2: AccountId = 3;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	frame_system::Pallet::<Test>::events().pop().expect("an event was emitted").event
}

fn evidence() -> H256 {
	H256::repeat_byte(7)
}

fn second_staff() {
	assert_ok!(R::appoint_officer(RuntimeOrigin::root(), 0, STAFF2, OfficerRole::Staff));
}

/// `old` asks to move to `new`, with `new`'s consent.
fn asks(old: AccountId, new: AccountId) -> DispatchResult {
	R::request_rekey(signed(old), new, rekey_proof(old, new))
}

/// STAFF asks to move ALICE, who lost her key, to NEW, with the evidence.
fn staff_ask_for_alice() -> DispatchResult {
	R::request_rekey_for(signed(STAFF), ALICE, NEW, rekey_proof(ALICE, NEW), evidence())
}

fn confirm_only() -> ProxyPermissions {
	ProxyPermissions { confirm_services: true, ..Default::default() }
}

#[test]
fn a_member_moves_to_a_new_key_and_the_old_one_is_retired() {
	run(|| {
		// BOB is ALICE's family proxy and verified relative; ALICE is BOB's proxy too.
		let proxy_role = MemberRoles { family_proxy: true, ..Default::default() };
		assert_ok!(R::set_member_roles(signed(STAFF), BOB, proxy_role));
		assert_ok!(R::set_member_roles(signed(STAFF), ALICE, proxy_role));
		assert_ok!(R::authorise_proxy(signed(ALICE), BOB, confirm_only()));
		assert_ok!(R::authorise_proxy(signed(BOB), ALICE, confirm_only()));
		assert_ok!(R::verify_relation(signed(STAFF), ALICE, BOB, H256::repeat_byte(4)));
		let record = Members::<Test>::get(ALICE).expect("ALICE is a member");

		assert_ok!(asks(ALICE, NEW));
		assert_eq!(
			last_event(),
			Event::RekeyRequested {
				member: ALICE,
				new: NEW,
				requested_by: ALICE,
				evidence: H256::zero()
			}
			.into()
		);
		assert!(R::keys_view(&ALICE).pending.is_some());
		// The member asked with their own key: one officer approves, at once.
		assert_ok!(R::approve_rekey(signed(STAFF), ALICE));
		assert_eq!(
			last_event(),
			Event::Rekeyed {
				old: ALICE,
				new: NEW,
				requested_by: ALICE,
				approved_by: STAFF,
				evidence: H256::zero()
			}
			.into()
		);
		assert_eq!(MockLedger::rekeys(), vec![(ALICE, NEW, STAFF, H256::zero())]);

		// The record, the proxies both ways and the relation are under the new key.
		assert_eq!(Members::<Test>::get(NEW).map(|m| m.encode()), Some(record.encode()));
		assert!(R::member(&ALICE).is_none());
		assert_eq!(R::proxy_permissions(&NEW, &BOB), Some(confirm_only()));
		assert_eq!(R::proxy_permissions(&BOB, &NEW), Some(confirm_only()));
		assert_eq!(R::proxy_permissions(&BOB, &ALICE), None);
		assert!(ActingFor::<Test>::contains_key(BOB, NEW));
		assert!(ActingFor::<Test>::contains_key(NEW, BOB));
		assert!(!ActingFor::<Test>::contains_key(BOB, ALICE));
		assert_eq!(ProxyCount::<Test>::get(NEW), 1);
		assert!(R::is_verified_relation(&NEW, &BOB) && R::is_verified_relation(&BOB, &NEW));
		assert!(!R::is_verified_relation(&ALICE, &BOB) && !R::is_verified_relation(&BOB, &ALICE));
		assert_eq!(MemberCountsByBranch::<Test>::get(0).active, 2);
		assert!(ProvidedAccounts::<Test>::contains_key(NEW));

		// The old key is retired and points at the new one.
		let keys = R::keys_view(&ALICE);
		assert_eq!((keys.pending, keys.rekeyed_to), (None, Some(NEW)));
		assert_eq!(R::keys_view(&NEW).previous_keys, vec![ALICE]);
		assert_eq!(R::rekeyed_to(&ALICE), Some(NEW));
	});
}

#[test]
fn staff_ask_for_a_member_who_lost_the_key_and_another_officer_approves_after_the_delay() {
	run(|| {
		second_staff();
		assert_ok!(staff_ask_for_alice());
		// The officer who asked cannot approve, and nobody can before the delay has passed.
		assert_noop!(R::approve_rekey(signed(STAFF), ALICE), E::SameOfficer);
		assert_noop!(R::approve_rekey(signed(STAFF2), ALICE), E::RekeyTooEarly);
		frame_system::Pallet::<Test>::set_block_number(1 + RekeyDelay::get());
		assert_ok!(R::approve_rekey(signed(STAFF2), ALICE));
		assert_eq!(MockLedger::rekeys(), vec![(ALICE, NEW, STAFF2, evidence())]);
		assert!(R::member(&NEW).is_some());
	});
}

#[test]
fn a_retired_key_can_send_nothing_and_never_comes_back() {
	run(|| {
		assert_ok!(asks(ALICE, NEW));
		assert_ok!(R::approve_rekey(signed(STAFF), ALICE));
		let retired =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(ACCOUNT_RETIRED));
		// A fee-free members' call and a call the extension does not count alike.
		for call in [
			RuntimeCall::Registry(Call::revoke_proxy { member: ALICE, proxy: BOB }),
			RuntimeCall::System(frame_system::Call::remark { remark: vec![1] }),
		] {
			let info = call.get_dispatch_info();
			let outcome = CheckMemberQuota::<Test>::new()
				.validate_and_prepare(signed(ALICE), &call, &info, 0, 0)
				.map(|_| ());
			assert_eq!(outcome, Err(retired));
		}
		// The new key is an ordinary member.
		let call = RuntimeCall::Registry(Call::revoke_proxy { member: NEW, proxy: BOB });
		let info = call.get_dispatch_info();
		assert!(CheckMemberQuota::<Test>::new()
			.validate_and_prepare(signed(NEW), &call, &info, 0, 0)
			.is_ok());
		// No path makes the old key a member, officer or auditor again.
		assert_noop!(R::apply_for_membership(signed(ALICE), 0, commitment(9)), E::AccountRetired);
		assert_noop!(
			R::register_member(signed(STAFF), ALICE, 0, commitment(9), Default::default()),
			E::AccountRetired
		);
		assert_noop!(
			R::appoint_officer(RuntimeOrigin::root(), 0, ALICE, OfficerRole::Staff),
			E::AccountRetired
		);
		assert_noop!(R::set_auditor(RuntimeOrigin::root(), ALICE, true), E::AccountRetired);
	});
}

#[test]
fn a_second_rekey_points_every_earlier_key_at_the_newest_until_the_history_is_full() {
	run(|| {
		let (second, third) = (51, 52);
		assert_ok!(asks(ALICE, NEW));
		assert_ok!(R::approve_rekey(signed(STAFF), ALICE));
		assert_ok!(asks(NEW, second));
		assert_ok!(R::approve_rekey(signed(STAFF), NEW));
		assert_eq!(R::rekeyed_to(&ALICE), Some(second));
		assert_eq!(R::rekeyed_to(&NEW), Some(second));
		assert_eq!(R::keys_view(&second).previous_keys, vec![ALICE, NEW]);
		// The mock allows two earlier keys.
		assert_noop!(asks(second, third), E::KeyHistoryFull);
	});
}

#[test]
fn the_new_key_must_consent_for_this_chain_and_these_two_keys() {
	run(|| {
		let wrong_signer = MockProof { signer: 51, ..rekey_proof(ALICE, NEW) };
		let other_member = rekey_proof(BOB, NEW);
		let other_chain = MockProof {
			message: (REKEY_TAG, H256::repeat_byte(1), ALICE, NEW).encode(),
			..rekey_proof(ALICE, NEW)
		};
		for proof in [wrong_signer, other_member, other_chain] {
			assert_noop!(R::request_rekey(signed(ALICE), NEW, proof), E::BadRekeyProof);
		}
	});
}

#[test]
fn request_errors() {
	run(|| {
		second_staff();
		let proof = || rekey_proof(ALICE, NEW);
		// Only the member, or staff of the home branch with evidence.
		assert_noop!(
			R::request_rekey_for(signed(BOB), ALICE, NEW, proof(), evidence()),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::request_rekey_for(signed(STAFF), ALICE, NEW, proof(), H256::zero()),
			E::EmptyEvidence
		);
		assert_noop!(
			R::request_rekey_for(
				signed(STAFF),
				OUTSIDER,
				NEW,
				rekey_proof(OUTSIDER, NEW),
				evidence()
			),
			E::NotMember
		);
		assert_noop!(asks(OUTSIDER, NEW), E::NotMember);
		// The new key must be unused.
		assert_noop!(asks(ALICE, BOB), E::NewKeyInUse);
		assert_noop!(asks(ALICE, ALICE), E::NewKeyInUse);
		assert_noop!(asks(ALICE, STAFF2), E::NewKeyInUse);
		// Officers change key by appointment.
		assert_ok!(R::register_member(signed(STAFF), STAFF2, 0, commitment(5), Default::default()));
		assert_noop!(asks(STAFF2, NEW), E::OfficersCannotRekey);
		// One request at a time.
		assert_ok!(R::request_rekey(signed(ALICE), NEW, proof()));
		assert_noop!(asks(ALICE, 51), E::RekeyPending);
	});
}

#[test]
fn what_cannot_move_refuses_the_rekey() {
	run(|| {
		// A waiting home move or recorded proxy.
		assert_ok!(R::register_branch(RuntimeOrigin::root(), None, 5, H256::zero()));
		assert_ok!(R::move_home_branch(signed(ALICE), ALICE, 1));
		assert_noop!(asks(ALICE, NEW), E::MovePending);
		assert_ok!(R::cancel_home_move(signed(ALICE), ALICE));
		// What the other pallets cannot move (here the mock ledger's refusal).
		MockLedger::refuse_moves(Some("OpenHolds"));
		assert_noop!(asks(ALICE, NEW), DispatchError::Other("OpenHolds"));
		MockLedger::refuse_moves(None);
		// Checked again at approval: something opened while the request waited.
		assert_ok!(asks(ALICE, NEW));
		MockLedger::refuse_moves(Some("OpenHolds"));
		assert_noop!(R::approve_rekey(signed(STAFF), ALICE), DispatchError::Other("OpenHolds"));
		assert!(MockLedger::rekeys().is_empty());
		// A member who left cannot move.
		MockLedger::refuse_moves(None);
		assert_ok!(R::record_departure(&ALICE, MemberStatus::Left));
		assert_noop!(R::approve_rekey(signed(STAFF), ALICE), E::MemberNotActive);
	});
}

#[test]
fn too_many_relatives_to_move_refuses_the_rekey() {
	run(|| {
		for n in 0..=MAX_LINKS_MOVED {
			let relative = 100 + u64::from(n);
			assert_ok!(R::register_member(
				RuntimeOrigin::root(),
				relative,
				0,
				commitment(3),
				Default::default()
			));
			VerifiedRelations::<Test>::insert(ALICE, relative, H256::repeat_byte(1));
			VerifiedRelations::<Test>::insert(relative, ALICE, H256::repeat_byte(1));
		}
		assert_noop!(asks(ALICE, NEW), E::TooManyToMove);
	});
}

#[test]
fn approve_errors() {
	run(|| {
		assert_noop!(R::approve_rekey(signed(STAFF), ALICE), E::NoPendingRekey);
		assert_ok!(asks(ALICE, NEW));
		// Officers of the member's home branch only.
		assert_noop!(R::approve_rekey(signed(BOB), ALICE), E::NotBranchOfficer);
		assert_ok!(R::register_branch(RuntimeOrigin::root(), None, 5, H256::zero()));
		assert_noop!(R::approve_rekey(signed(5), ALICE), E::NotBranchOfficer);
		// Appointed after the request: refused, as for estates.
		frame_system::Pallet::<Test>::set_block_number(3);
		second_staff();
		assert_noop!(R::approve_rekey(signed(STAFF2), ALICE), E::AppointedAfterRequest);
		// The new key was taken while the request waited.
		assert_ok!(R::register_member(signed(STAFF), NEW, 0, commitment(6), Default::default()));
		assert_noop!(R::approve_rekey(signed(STAFF), ALICE), E::NewKeyInUse);
	});
}

#[test]
fn the_member_whoever_asked_or_home_staff_cancel_a_request() {
	run(|| {
		second_staff();
		assert_noop!(R::cancel_rekey(signed(ALICE), ALICE), E::NoPendingRekey);
		for canceller in [ALICE, STAFF, STAFF2] {
			assert_ok!(staff_ask_for_alice());
			assert_noop!(R::cancel_rekey(signed(BOB), ALICE), E::NotAllowed);
			assert_noop!(R::cancel_rekey(signed(NEW), ALICE), E::NotAllowed);
			assert_ok!(R::cancel_rekey(signed(canceller), ALICE));
			assert_eq!(last_event(), Event::RekeyCancelled { member: ALICE, by: canceller }.into());
			assert!(!PendingRekeys::<Test>::contains_key(ALICE));
		}
		assert!(MockLedger::rekeys().is_empty());
	});
}
