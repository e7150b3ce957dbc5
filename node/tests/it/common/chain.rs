//! Signed extrinsics for the development chain, built in Rust and submitted over JSON-RPC, and
//! polling helpers for the state they produce.

use super::Node;
use codec::Encode;
use polkadot_sdk::sp_core::{sr25519, Pair, H256};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use timebank_runtime::{
	signing::{signed_extrinsic, SigningContext},
	AccountId, RuntimeCall,
};

pub struct Signer {
	pub pair: sr25519::Pair,
	pub account: AccountId,
}

impl Signer {
	pub fn new(uri: &str) -> Self {
		let pair = sr25519::Pair::from_string(uri, None).expect("valid development key URI");
		let account = AccountId::from(pair.public());
		Self { pair, account }
	}

	pub fn address(&self) -> String {
		use polkadot_sdk::sp_core::crypto::Ss58Codec;
		self.account.to_ss58check()
	}
}

/// Signs `call` as `signer` with its next nonce (the pool included) and submits it; returns the
/// JSON-RPC result or error text.
pub fn submit(node: &Node, signer: &Signer, call: RuntimeCall) -> Result<Value, String> {
	let nonce = node.rpc("system_accountNextIndex", json!([signer.address()]));
	let nonce = nonce.as_u64().expect("nonce is a number") as u32;
	let genesis = node.rpc("chain_getBlockHash", json!([0]));
	let genesis: H256 = genesis.as_str().and_then(|h| h.parse().ok()).expect("genesis hash");
	// The versions of the runtime the node runs now, which may be older or newer than the one
	// these tests were built with (runtime-upgrade tests).
	let version = node.rpc("state_getRuntimeVersion", json!([]));
	let spec_version = version["specVersion"].as_u64().expect("specVersion") as u32;
	let transaction_version =
		version["transactionVersion"].as_u64().expect("transactionVersion") as u32;
	let context = SigningContext { genesis, spec_version, transaction_version };
	let extrinsic = signed_extrinsic(&context, &signer.pair, nonce, call);
	let hex = format!("0x{}", hex_encode(&extrinsic.encode()));
	node.try_rpc("author_submitExtrinsic", json!([hex]))
}

pub fn hex_encode(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a `0x…` hex string from an RPC answer.
pub fn hex_decode(hex: &str) -> Vec<u8> {
	let hex = hex.trim_start_matches("0x");
	(0..hex.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("the node answers valid hex"))
		.collect()
}

pub fn must_submit(node: &Node, signer: &Signer, call: RuntimeCall) {
	if let Err(error) = submit(node, signer, call) {
		panic!("submission refused: {error}\nnode log:\n{}", node.log_tail(30));
	}
}

/// Polls `method` until `done` accepts the result; the state a block must produce.
pub fn wait_until(
	node: &Node,
	method: &str,
	params: Value,
	done: impl Fn(&Value) -> bool,
) -> Value {
	let deadline = Instant::now() + Duration::from_secs(30);
	loop {
		let value = node.rpc(method, params.clone());
		if done(&value) {
			return value;
		}
		if Instant::now() > deadline {
			panic!(
				"{method}{params} never reached the expected state; last: {value}\nnode log:\n{}",
				node.log_tail(30)
			);
		}
		std::thread::sleep(Duration::from_millis(250));
	}
}
