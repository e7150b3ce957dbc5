//! Unit tests of what clients needed from the registry (issue 16): branch profiles and gateway
//! addresses, log anchors, staff-recorded proxies, the view functions, the v2 migration and the
//! first application of an account that holds nothing.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::GetDispatchInfo,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
};
use timebank_primitives::{MemberRoles, Membership, ProxyPermissions};

type R = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	frame_system::Pallet::<Test>::events().pop().expect("an event was emitted").event
}

fn gateway(address: &str) -> GatewayAddress {
	address.as_bytes().to_vec().try_into().expect("short enough")
}

fn confirm_only() -> ProxyPermissions {
	ProxyPermissions { confirm_services: true, ..Default::default() }
}

/// A second staff member at branch 0 and BOB as a family proxy.
fn with_second_staff_and_a_family_proxy() -> AccountId {
	let second = 3;
	assert_ok!(R::appoint_officer(RuntimeOrigin::root(), 0, second, OfficerRole::Staff));
	let proxy_role = MemberRoles { family_proxy: true, ..Default::default() };
	assert_ok!(R::set_member_roles(signed(STAFF), BOB, proxy_role));
	second
}

#[test]
fn admins_publish_and_rotate_the_branch_profile_and_gateway() {
	run(|| {
		let address = gateway("https://tb.example.org");
		assert_ok!(R::set_branch_profile(
			signed(ADMIN),
			0,
			H256::repeat_byte(7),
			Some(address.clone())
		));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::BranchProfileSet {
				branch: 0,
				profile_hash: H256::repeat_byte(7),
				gateway: Some(address.to_vec()),
				by: Some(ADMIN),
			})
		);
		let views = R::branches();
		assert_eq!(views.len(), 1);
		assert_eq!(views[0].profile_hash, H256::repeat_byte(7));
		assert_eq!(views[0].gateway.as_deref(), Some(b"https://tb.example.org".as_slice()));
		assert_eq!(views[0].members.active, 2);
		// Rotating replaces both; the council may do it too; `None` withdraws the address.
		assert_ok!(R::set_branch_profile(RuntimeOrigin::root(), 0, H256::repeat_byte(8), None));
		assert_eq!(R::branches()[0].gateway, None);
		assert_eq!(R::branches()[0].profile_hash, H256::repeat_byte(8));
	});
}

#[test]
fn set_branch_profile_errors() {
	run(|| {
		let good = Some(gateway("https://tb.example.org"));
		assert_noop!(
			R::set_branch_profile(signed(STAFF), 0, H256::zero(), good.clone()),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::set_branch_profile(signed(ADMIN), 5, H256::zero(), good.clone()),
			E::UnknownBranch
		);
		for bad in ["ftp://x", "https://", "https://a b", "tb.example.org"] {
			assert_noop!(
				R::set_branch_profile(signed(ADMIN), 0, H256::zero(), Some(gateway(bad))),
				E::InvalidGatewayAddress
			);
		}
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Closed));
		assert_noop!(R::set_branch_profile(signed(ADMIN), 0, H256::zero(), good), E::BranchClosed);
	});
}

#[test]
fn officers_anchor_a_growing_log() {
	run(|| {
		assert_ok!(R::anchor_log(signed(STAFF), 0, H256::repeat_byte(1), 10));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::LogAnchored {
				branch: 0,
				root: H256::repeat_byte(1),
				entries: 10,
				by: STAFF,
			})
		);
		assert_ok!(R::anchor_log(signed(ADMIN), 0, H256::repeat_byte(2), 11));
		let anchor = LogAnchors::<Test>::get(0).expect("anchored");
		assert_eq!((anchor.root, anchor.entries, anchor.by), (H256::repeat_byte(2), 11, ADMIN));
	});
}

#[test]
fn anchor_log_errors() {
	run(|| {
		assert_noop!(R::anchor_log(signed(ALICE), 0, H256::repeat_byte(1), 1), E::NotBranchOfficer);
		assert_noop!(R::anchor_log(signed(STAFF), 4, H256::repeat_byte(1), 1), E::UnknownBranch);
		assert_noop!(R::anchor_log(signed(STAFF), 0, H256::zero(), 1), E::EmptyLogRoot);
		assert_noop!(R::anchor_log(signed(STAFF), 0, H256::repeat_byte(1), 0), E::LogDidNotGrow);
		assert_ok!(R::anchor_log(signed(STAFF), 0, H256::repeat_byte(1), 5));
		// A log cut back (or not grown) is refused: the old anchor stays.
		assert_noop!(R::anchor_log(signed(STAFF), 0, H256::repeat_byte(2), 5), E::LogDidNotGrow);
		assert_noop!(R::anchor_log(signed(STAFF), 0, H256::repeat_byte(2), 4), E::LogDidNotGrow);
	});
}

#[test]
fn a_proxy_recorded_by_staff_takes_effect_when_a_second_officer_confirms() {
	run(|| {
		let second = with_second_staff_and_a_family_proxy();
		let evidence = H256::repeat_byte(9);
		assert_ok!(R::record_proxy(signed(STAFF), ALICE, BOB, confirm_only(), evidence));
		assert_eq!(R::proxy_permissions(&ALICE, &BOB), None, "not before confirmation");
		assert_eq!(R::pending_proxy(ALICE).map(|p| (p.proxy, p.recorded_by)), Some((BOB, STAFF)));
		assert_ok!(R::confirm_proxy(signed(second), ALICE));
		assert_eq!(R::proxy_permissions(&ALICE, &BOB), Some(confirm_only()));
		assert_eq!(R::pending_proxy(ALICE), None);
		let events: Vec<_> =
			frame_system::Pallet::<Test>::events().into_iter().map(|r| r.event).collect();
		assert!(events.contains(&RuntimeEvent::Registry(Event::ProxyConfirmed {
			member: ALICE,
			proxy: BOB,
			by: second
		})));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::ProxyAuthorised {
				member: ALICE,
				proxy: BOB,
				permissions: confirm_only()
			})
		);
		// Both directions are readable.
		assert_eq!(R::proxies_of(ALICE), vec![(BOB, confirm_only())]);
		assert_eq!(R::acting_for(BOB), vec![(ALICE, confirm_only())]);
		assert_ok!(R::revoke_proxy(signed(ALICE), ALICE, BOB));
		assert!(R::acting_for(BOB).is_empty(), "revoking clears the reverse index");
	});
}

#[test]
fn the_member_may_confirm_a_recorded_proxy_at_the_counter() {
	run(|| {
		with_second_staff_and_a_family_proxy();
		assert_ok!(R::record_proxy(
			signed(STAFF),
			ALICE,
			BOB,
			confirm_only(),
			H256::repeat_byte(9)
		));
		assert_ok!(R::confirm_proxy(signed(ALICE), ALICE));
		assert_eq!(R::proxy_permissions(&ALICE, &BOB), Some(confirm_only()));
	});
}

#[test]
fn recorded_proxy_errors() {
	run(|| {
		let second = with_second_staff_and_a_family_proxy();
		let evidence = H256::repeat_byte(9);
		assert_noop!(
			R::record_proxy(signed(ALICE), ALICE, BOB, confirm_only(), evidence),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::record_proxy(signed(STAFF), OUTSIDER, BOB, confirm_only(), evidence),
			E::NotMember
		);
		assert_noop!(
			R::record_proxy(signed(STAFF), ALICE, BOB, confirm_only(), H256::zero()),
			E::EmptyEvidence
		);
		assert_noop!(
			R::record_proxy(signed(STAFF), ALICE, ALICE, confirm_only(), evidence),
			E::SelfReference
		);
		assert_noop!(
			R::record_proxy(signed(STAFF), ALICE, BOB, Default::default(), evidence),
			E::EmptyPermissions
		);
		assert_noop!(
			R::record_proxy(signed(STAFF), BOB, ALICE, confirm_only(), evidence),
			E::NotAFamilyProxy
		);
		assert_noop!(R::confirm_proxy(signed(second), ALICE), E::NoPendingProxy);
		assert_noop!(R::cancel_proxy(signed(second), ALICE), E::NoPendingProxy);
		assert_ok!(R::record_proxy(signed(STAFF), ALICE, BOB, confirm_only(), evidence));
		assert_noop!(
			R::record_proxy(signed(second), ALICE, BOB, confirm_only(), evidence),
			E::ProxyPending
		);
		assert_noop!(R::confirm_proxy(signed(STAFF), ALICE), E::SameOfficer);
		assert_noop!(R::confirm_proxy(signed(BOB), ALICE), E::NotAllowed);
		assert_noop!(R::confirm_proxy(signed(ADMIN + 50), ALICE), E::NotAllowed);
		assert_noop!(R::cancel_proxy(signed(OUTSIDER), ALICE), E::NotAllowed);
		// The proxy may refuse it; then nothing waits.
		assert_ok!(R::cancel_proxy(signed(BOB), ALICE));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::ProxyRecordCancelled {
				member: ALICE,
				proxy: BOB,
				by: BOB
			})
		);
		assert_eq!(R::pending_proxy(ALICE), None);
		// A proxy who lost the role between recording and confirmation is refused then.
		assert_ok!(R::record_proxy(signed(STAFF), ALICE, BOB, confirm_only(), evidence));
		assert_ok!(R::set_member_roles(signed(STAFF), BOB, MemberRoles::default()));
		assert_noop!(R::confirm_proxy(signed(second), ALICE), E::NotAFamilyProxy);
	});
}

#[test]
fn view_functions_answer_quota_and_relations() {
	run(|| {
		let quota = R::quota(ALICE);
		assert_eq!(quota, QuotaView { remaining: 3_000, allowance: 3_000 });
		assert_eq!(R::quota(STAFF).allowance, 6_000, "officers get the larger allowance");
		assert_ok!(R::verify_relation(signed(STAFF), ALICE, BOB, H256::repeat_byte(4)));
		assert_eq!(R::relations_of(ALICE), vec![(BOB, H256::repeat_byte(4))]);
		assert_eq!(R::relations_of(BOB), vec![(ALICE, H256::repeat_byte(4))]);
		assert!(R::proxies_of(ALICE).is_empty());
	});
}

#[test]
fn migration_v2_indexes_the_proxies_already_authorised() {
	run(|| {
		with_second_staff_and_a_family_proxy();
		assert_ok!(R::authorise_proxy(signed(ALICE), BOB, confirm_only()));
		// Storage as version 1 had it: no reverse index.
		let _ = ActingFor::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Pallet<Test>>();
		assert!(R::do_try_state().is_err(), "the invariant sees the missing index");

		migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(R::acting_for(BOB), vec![(ALICE, confirm_only())]);
	});
}

/// Validates and prepares `call` from `who` with `nonce` through the onboarding extension.
fn first_transaction(
	who: AccountId,
	nonce: u32,
	call: &RuntimeCall,
) -> Result<(), TransactionValidityError> {
	CheckNonceOrFirstApplication::<Test>::from(nonce)
		.validate_and_prepare(signed(who), call, &call.get_dispatch_info(), 0, 0)
		.map(|_| ())
}

fn apply(branch: BranchId, n: u8) -> RuntimeCall {
	RuntimeCall::Registry(Call::apply_for_membership { branch, identity_commitment: commitment(n) })
}

#[test]
fn an_account_with_nothing_may_send_one_application_as_its_first_transaction() {
	run(|| {
		let newcomer = 500;
		assert_eq!(frame_system::Pallet::<Test>::providers(&newcomer), 0);
		assert_ok!(first_transaction(newcomer, 0, &apply(0, 50)));
		// Prepared: the account exists now, with its nonce stored.
		assert_eq!(frame_system::Pallet::<Test>::providers(&newcomer), 1);
		assert_eq!(frame_system::Pallet::<Test>::account_nonce(newcomer), 1);
		assert_ok!(R::apply_for_membership(signed(newcomer), 0, commitment(50)));
		// Approval gives no second provider reference.
		assert_ok!(R::approve_application(signed(STAFF), newcomer));
		assert_eq!(frame_system::Pallet::<Test>::providers(&newcomer), 1);
	});
}

#[test]
fn the_first_transaction_exception_is_for_applications_with_room_only() {
	run(|| {
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let member_call = RuntimeCall::Registry(Call::revoke_proxy { member: ALICE, proxy: BOB });
		let payment: TransactionValidityError = InvalidTransaction::Payment.into();
		let not_taken: TransactionValidityError =
			InvalidTransaction::Custom(APPLICATION_NOT_TAKEN).into();
		// Any other call from an account with nothing is `CheckNonce`'s refusal, as before.
		assert_eq!(first_transaction(500, 0, &remark), Err(payment));
		assert_eq!(first_transaction(500, 0, &member_call), Err(payment));
		// Only the first transaction: a future nonce is refused.
		assert_eq!(first_transaction(500, 1, &apply(0, 50)), Err(payment));
		// An unknown or inactive branch, or a full queue, cannot take it; nor can an empty
		// commitment, which the dispatch would refuse after the account was created.
		assert_eq!(first_transaction(500, 0, &apply(9, 50)), Err(not_taken));
		assert_eq!(first_transaction(500, 0, &apply(0, 0)), Err(not_taken));
		assert_eq!(frame_system::Pallet::<Test>::providers(&500), 0, "nothing was written");
		for (who, n) in [(501, 51), (502, 52), (503, 53)] {
			assert_ok!(first_transaction(who, 0, &apply(0, n)));
			assert_ok!(R::apply_for_membership(signed(who), 0, commitment(n)));
		}
		assert_eq!(first_transaction(504, 0, &apply(0, 54)), Err(not_taken), "queue of 3 is full");
		assert_eq!(frame_system::Pallet::<Test>::providers(&504), 0, "nothing was written");
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Suspended));
		assert_eq!(first_transaction(505, 0, &apply(0, 55)), Err(not_taken));
		// Validation alone (the pool's check) refuses it the same way.
		assert_eq!(
			CheckNonceOrFirstApplication::<Test>::from(0)
				.validate_only(
					signed(505),
					&apply(0, 55),
					&apply(0, 55).get_dispatch_info(),
					0,
					TransactionSource::External,
					0
				)
				.map(|_| ()),
			Err(not_taken)
		);
		// Accounts that exist go through `CheckNonce` unchanged.
		assert_ok!(first_transaction(ALICE, 0, &remark));
		assert_eq!(
			first_transaction(ALICE, 0, &remark),
			Err(InvalidTransaction::Stale.into()),
			"the nonce moved on"
		);
	});
}
