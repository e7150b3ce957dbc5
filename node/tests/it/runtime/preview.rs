//! The dry run clients try a transaction with before sending it (`TransactionPreview`, the
//! gateway's pipeline): it answers what the next block would answer, also right after a full
//! block, when `BlockBuilder_apply_extrinsic` on the finished block's state refuses everything.

use super::{
	harness::Harness,
	setup::{account, pair},
};
use polkadot_sdk::{
	pallet_balances,
	sp_core::sr25519,
	sp_runtime::{
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		ApplyExtrinsicResult,
	},
};
use timebank_runtime::{AccountId, RuntimeCall, UncheckedExtrinsic, UNIT};

/// The most transfers one block could take before it is full; a bound for the filling loop.
const MORE_THAN_A_BLOCK_HOLDS: u32 = 100_000;

fn transfer(to: &AccountId, value: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.clone().into(),
		value,
	})
}

/// Fills the open block with `from`'s transfers until the block refuses one, closes it and
/// returns the next unused nonce.
fn fill_a_block(chain: &mut Harness, from: &sr25519::Pair, to: &AccountId) -> u32 {
	let mut nonce = chain.nonce(&account(from));
	chain.start_block();
	for included in 0..MORE_THAN_A_BLOCK_HOLDS {
		let xt = chain.sign_with_nonce(from, nonce, transfer(to, UNIT));
		match chain.apply(&xt) {
			Ok(Ok(())) => nonce += 1,
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
				assert!(included > 0, "an empty block refused a transfer");
				chain.finish_block();
				return nonce;
			}
			other => panic!("transfer {included} answered {other:?}"),
		}
	}
	panic!("{MORE_THAN_A_BLOCK_HOLDS} transfers fitted in one block")
}

#[test]
fn after_a_full_block_the_preview_accepts_what_the_next_block_takes() {
	let mut chain = Harness::dev();
	let alice = pair("Alice");
	let bob = account(&pair("Bob"));
	let nonce = fill_a_block(&mut chain, &alice, &bob);

	let next = chain.sign_with_nonce(&alice, nonce, transfer(&bob, UNIT));
	// The old dry run: the finished block's state still counts that block's weight.
	let on_the_full_block: ApplyExtrinsicResult =
		chain.state_call("BlockBuilder_apply_extrinsic", &next);
	assert_eq!(
		on_the_full_block,
		Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources))
	);
	assert_eq!(chain.preview(&next), Ok(Ok(())));
	// Nothing of the preview is kept: the nonce is unused, and the next block takes it.
	assert_eq!(chain.nonce(&account(&alice)), nonce);
	assert_eq!(chain.apply(&next), Ok(Ok(())));
}

#[test]
fn the_preview_gives_the_answer_block_building_gives() {
	let mut chain = Harness::dev();
	let alice = pair("Alice");
	let bob = account(&pair("Bob"));
	assert_eq!(chain.submit(&alice, transfer(&bob, UNIT)), Ok(Ok(())));
	chain.finish_block();
	let nonce = chain.nonce(&account(&alice));
	let cases: Vec<(&str, UncheckedExtrinsic)> = vec![
		("a transfer that succeeds", chain.sign_with_nonce(&alice, nonce, transfer(&bob, UNIT))),
		(
			"a transfer of more than Alice holds (a failed dispatch)",
			chain.sign_with_nonce(&alice, nonce, transfer(&bob, u128::MAX)),
		),
		("a used nonce", chain.sign_with_nonce(&alice, nonce - 1, transfer(&bob, UNIT))),
		("a nonce ahead", chain.sign_with_nonce(&alice, nonce + 5, transfer(&bob, UNIT))),
		(
			"an account without funds (it cannot pay the fee)",
			chain.sign_with_nonce(&pair("Penniless"), 0, transfer(&bob, UNIT)),
		),
	];
	let mut answers = Vec::new();
	for (what, xt) in &cases {
		answers.push((what, chain.preview(xt)));
	}
	assert_eq!(answers[0].1, Ok(Ok(())));
	assert!(matches!(answers[1].1, Ok(Err(_))), "a failed dispatch: {:?}", answers[1].1);
	let invalid = |why| Err(TransactionValidityError::Invalid(why));
	assert_eq!(answers[2].1, invalid(InvalidTransaction::Stale));
	assert_eq!(answers[3].1, invalid(InvalidTransaction::Future));
	assert_eq!(answers[4].1, invalid(InvalidTransaction::Payment), "no fee, no transaction");
	// Each in a fresh block of its own, as the next block would take it.
	for ((what, preview), (_, xt)) in answers.iter().zip(&cases) {
		let snapshot = chain.snapshot();
		let mut next = Harness::from_storage(snapshot);
		assert_eq!(next.apply(xt), *preview, "{what}");
	}
}
