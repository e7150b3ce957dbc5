//! Signed extrinsics around call bytes that need not decode as a `RuntimeCall`: what a hostile
//! client can send when a call's signature changes (e.g. an argument becomes bounded) and the old
//! encoding no longer fits.

use super::harness::Harness;
use codec::{Compact, Encode};
use polkadot_sdk::{
	sp_core::{sr25519, Pair},
	sp_io::hashing::blake2_256,
	sp_runtime::{generic::Preamble, MultiSignature},
};
use timebank_runtime::{RuntimeCall, SystemCall};

/// The encoding of a signed extrinsic carrying `call` (raw call bytes: pallet index, call index,
/// arguments), signed by `pair` with `nonce` and the runtime's real extension values.
pub fn signed_bytes(harness: &Harness, pair: &sr25519::Pair, nonce: u32, call: &[u8]) -> Vec<u8> {
	// The extension values and the address come from a genuine signed extrinsic of the same
	// signer and nonce; only the call and therefore the signature differ.
	let template = harness.sign_with_nonce(
		pair,
		nonce,
		RuntimeCall::System(SystemCall::remark { remark: Vec::new() }),
	);
	let Preamble::Signed(address, _, extension) = template.preamble else {
		panic!("a signed extrinsic has a signed preamble");
	};
	let context = harness.signing_context();
	// What `TxExtension`'s implicit data encodes to: spec and transaction versions, then the
	// genesis hash twice (CheckGenesis, and CheckEra for an immortal transaction).
	let implicit =
		(context.spec_version, context.transaction_version, context.genesis, context.genesis);
	let mut payload = call.to_vec();
	extension.encode_to(&mut payload);
	implicit.encode_to(&mut payload);
	let signature =
		if payload.len() > 256 { pair.sign(&blake2_256(&payload)) } else { pair.sign(&payload) };
	let preamble: Preamble<_, _, _> =
		Preamble::Signed(address, MultiSignature::Sr25519(signature), extension);
	let mut inner = preamble.encode();
	inner.extend_from_slice(call);
	let mut bytes = Compact(inner.len() as u32).encode();
	bytes.extend_from_slice(&inner);
	bytes
}
