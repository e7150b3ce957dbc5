//! The harness itself: blocks advance with their hooks, a signed transfer pays a fee, a fee-free
//! call of a member pays none, and raw-signed call bytes validate like the runtime's own encoding.

use super::{
	harness::Harness,
	raw,
	setup::{account, pair},
};
use codec::Encode;
use polkadot_sdk::{
	pallet_balances,
	sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError},
};
use timebank_runtime::{RuntimeCall, UncheckedExtrinsic, UNIT};

#[test]
fn blocks_advance_and_signed_transactions_pay_fees() {
	let mut chain = Harness::dev();
	chain.advance(3);
	assert_eq!(chain.block_number(), 3);
	chain.assert_invariants("three empty blocks");

	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(&pair("Bob")).into(),
		value: UNIT,
	});
	let xt = chain.sign(&pair("Alice"), transfer);
	assert!(chain.validate(&xt).is_ok());
	assert_eq!(chain.apply(&xt), Ok(Ok(())));
	assert!(chain.last_fee() > 0, "a transfer pays a fee");
	// The same nonce again is stale.
	assert_eq!(chain.apply(&xt), Err(TransactionValidityError::Invalid(InvalidTransaction::Stale)));

	let member = pair("SelfCheckMember");
	chain.register_member(&pair("Alice"), &account(&member), 0);
	assert_eq!(chain.last_fee(), 0, "staff's registration of a member is fee-free");
	chain.finish_block();
	assert!(chain.last_block_stats().size > 0);
	assert!(chain.last_block_stats().normal_ref_time() > 0);
	assert!(!chain.take_events().is_empty());
	chain.assert_invariants("a transfer and a registration");
}

#[test]
fn raw_signed_call_bytes_validate_like_the_runtime_encoding() {
	let mut chain = Harness::dev();
	let alice = pair("Alice");
	let call =
		RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![1, 2, 3] });
	let bytes = raw::signed_bytes(&chain, &alice, 0, &call.encode());
	let xt: UncheckedExtrinsic =
		codec::Decode::decode(&mut &bytes[..]).expect("raw bytes decode as an extrinsic");
	assert_eq!(xt.function, call);
	assert!(chain.validate(&xt).is_ok(), "the raw signature verifies");
	// A payload over 256 bytes is signed by its hash.
	let long =
		RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![7; 600] });
	let bytes = raw::signed_bytes(&chain, &alice, 0, &long.encode());
	let xt: UncheckedExtrinsic = codec::Decode::decode(&mut &bytes[..]).expect("decodes");
	assert!(chain.validate(&xt).is_ok(), "the hashed payload's signature verifies");
}

#[test]
fn changed_keys_list_what_a_transaction_wrote() {
	let mut chain = Harness::dev();
	chain.start_block();
	chain.commit();
	chain.register_member(&pair("Alice"), &account(&pair("ChangedKeysMember")), 0);
	let registry = polkadot_sdk::sp_io::hashing::twox_128(b"Registry");
	let changed = chain.changed_keys();
	assert!(
		changed.iter().any(|key| key.starts_with(&registry)),
		"a registration writes the registry"
	);
	chain.commit();
	assert!(chain.changed_keys().is_empty(), "nothing changed since the commit");
}
