//! Signed extrinsics for the development chain, built in Rust and submitted over JSON-RPC, and
//! polling helpers for the state they produce.

use super::Node;
use codec::Encode;
use polkadot_sdk::sp_core::{sr25519, Pair};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use timebank_bench::rpc::to_hex;
use timebank_runtime::{signing::signed_extrinsic, AccountId, RuntimeCall};

/// A development account that signs: its key pair and its account id.
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
	let extrinsic = signed_extrinsic(&node.signing_context(), &signer.pair, nonce, call);
	node.try_rpc("author_submitExtrinsic", json!([to_hex(&extrinsic.encode())]))
}

/// [`submit`], panicking with the node's log if the node refuses the transaction.
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
