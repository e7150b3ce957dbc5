//! F11 (decision 0013) on the real runtime: home staff ask to move a member who lost their key,
//! a second officer approves after the delay, every pallet's part moves (credits, proxies,
//! relation, vote, trust record, audit log), and every call the old key signs is refused in
//! validation with `Custom(4)`.

use super::{
	call_types::CallTypes,
	harness::Harness,
	setup::{account, pair, VOLUNTEER_AND_RECIPIENT},
};
use pallet_timebank_registry::Call as R;
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::Get},
	sp_core::{sr25519, Pair as _, H256},
	sp_runtime::{
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		MultiSignature,
	},
};
use timebank_primitives::{AuditAction, AuditSubject, BalanceClass, Membership, OfficerRole};
use timebank_runtime::{AccountId, Runtime, RuntimeCall};

type Registry = pallet_timebank_registry::Pallet<Runtime>;
type Ledger = pallet_timebank_ledger::Pallet<Runtime>;
type RekeyDelay = <Runtime as pallet_timebank_registry::Config>::RekeyDelay;

fn proof(chain: &mut Harness, old: &AccountId, new: &sr25519::Pair) -> MultiSignature {
	let message = chain.with(|| Registry::rekey_message(old, &account(new)));
	MultiSignature::Sr25519(new.sign(&message))
}

#[test]
fn f11_staff_move_a_member_to_a_new_key_and_the_old_key_can_do_nothing() {
	let mut chain = Harness::dev();
	let (alice, charlie, dave) = (pair("Alice"), pair("Charlie"), pair("Dave"));
	for staff in [&charlie, &dave] {
		chain.appoint(0, &account(staff), OfficerRole::Staff);
	}
	let (elder, daughter, new) = (pair("RekeyElder"), pair("RekeyDaughter"), pair("RekeyNew"));
	let (old, new_id) = (account(&elder), account(&new));
	let family = timebank_primitives::MemberRoles { family_proxy: true, ..VOLUNTEER_AND_RECIPIENT };
	chain.register_member_as(&charlie, &old, 0, VOLUNTEER_AND_RECIPIENT);
	chain.register_member_as(&charlie, &account(&daughter), 0, family);
	chain.grant(&alice, &old, 90);
	chain.authorise_proxy(
		&elder,
		&account(&daughter),
		timebank_primitives::ProxyPermissions { request_services: true, ..Default::default() },
	);
	chain.must(
		&charlie,
		RuntimeCall::Registry(R::verify_relation {
			a: old.clone(),
			b: account(&daughter),
			evidence: H256::repeat_byte(4),
		}),
	);
	chain.must(&elder, RuntimeCall::Election(pallet_timebank_election::Call::vote { branch: 0 }));

	// The elder lost the phone: staff ask, with the new key's consent and the evidence.
	let evidence = H256::repeat_byte(0xe5);
	let request = RuntimeCall::Registry(R::request_rekey_for {
		member: old.clone(),
		new: new_id.clone(),
		proof: proof(&mut chain, &old, &new),
		evidence,
	});
	chain.must(&charlie, request);
	chain.finish_block();
	let approve = RuntimeCall::Registry(R::approve_rekey { member: old.clone() });
	let early = chain.submit(&dave, approve.clone());
	assert!(matches!(early, Ok(Err(_))), "approving before the delay is refused: {early:?}");
	chain.jump(<RekeyDelay as Get<u32>>::get());
	let declared = approve.get_dispatch_info().total_weight();
	let member_quota = <Runtime as pallet_timebank_registry::Config>::MemberQuota::get();
	println!(
		"F11: approve_rekey declares {:.2} ms (its bounds: 16 relatives, 16 principals, 32 skills, \
		 8 keys); a member's quota is {:.0} ms per window",
		declared.ref_time() as f64 / 1e9,
		member_quota.ref_time() as f64 / 1e9
	);
	chain.must(&dave, approve);

	// Everything moved.
	chain.with(|| {
		assert!(Registry::member(&old).is_none());
		assert!(Registry::is_active_member(&new_id));
		assert_eq!(Ledger::member_balance(&new_id, BalanceClass::Spendable), 90);
		assert_eq!(Ledger::member_balance(&old, BalanceClass::Spendable), 0);
		assert!(Registry::proxy_permissions(&new_id, &account(&daughter)).is_some());
		assert!(Registry::is_verified_relation(&account(&daughter), &new_id));
		assert_eq!(pallet_timebank_election::Votes::<Runtime>::get(&new_id), Some(0));
		assert_eq!(Registry::rekeyed_to(&old), Some(new_id.clone()));
		for key in [&old, &new_id] {
			let (log, _) = pallet_timebank_audits::Pallet::<Runtime>::audit_log(
				&AuditSubject::Member(key.clone()),
				0,
				10,
			);
			assert!(log.iter().any(|e| e.action == AuditAction::Rekeyed { evidence }));
		}
	});
	chain.assert_invariants("after re-keying");

	// The new key is an ordinary member: it signs a member call.
	chain.must(
		&new,
		RuntimeCall::Registry(R::revoke_proxy {
			member: new_id.clone(),
			proxy: account(&daughter),
		}),
	);

	// The old key can do nothing: every call of the runtime it signs is refused in validation
	// (inherents, which nobody may sign, are refused before the time bank's check runs).
	let types = CallTypes::new();
	let retired = TransactionValidityError::Invalid(InvalidTransaction::Custom(4));
	let inherent = TransactionValidityError::Invalid(InvalidTransaction::MandatoryValidation);
	let mut refused = 0;
	for call in types.calls() {
		let Some(decoded) = types.minimal_call(&call) else { continue };
		let xt = chain.sign(&elder, decoded);
		match chain.validate(&xt) {
			Err(error) if error == retired => refused += 1,
			Err(error) if error == inherent && call.pallet == "Timestamp" => {}
			other => panic!("{call} signed by a retired key: {other:?}"),
		}
	}
	println!("F11: all {refused} calls signed by the retired key are refused with Custom(4)");
	assert!(refused > 80, "the runtime's calls were found");
}
