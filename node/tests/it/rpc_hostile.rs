//! Hostile input to a running node (TARGETS R7, security review): random bytes and mutations
//! of a valid signed transaction submitted as extrinsics, and random parameters sent to every
//! `timebank_*` method. Every request gets an answer (a JSON-RPC error where the input is bad),
//! nothing bad enters the pool, and the node keeps producing blocks and accepting valid
//! transactions.
//!
//! `TIMEBANK_R7_RPC_REQUESTS` (default 3,000) sets the number of hostile requests and
//! `TIMEBANK_R7_SEED` (default 15) the seed; a failure names the request, so it replays.

use crate::{
	common::{no_network_meanwhile, Node, NodeConfig},
	runtime::rng::Rng,
};
use codec::Encode;
use polkadot_sdk::{
	sp_core::{sr25519, Pair},
	sp_io::hashing::blake2_256,
};
use serde_json::{json, Value};
use std::{collections::BTreeMap, time::Duration};
use timebank_bench::rpc::to_hex;
use timebank_runtime::{signing::signed_extrinsic, RuntimeCall};

fn env_u64(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What the node answered one request.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Answer {
	/// A result.
	Result,
	/// A JSON-RPC error object: the node understood the request was bad and said so.
	Error,
}

/// Sends one request; a transport failure (no answer, a closed connection, a timeout) fails the
/// test with the request that caused it, since every request must be answered.
fn ask(node: &Node, what: &str, method: &str, params: Value) -> (Answer, String) {
	match node.try_rpc(method, params.clone()) {
		Ok(result) => (Answer::Result, result.to_string()),
		// The client hands back a JSON-RPC error as its JSON text, a transport error as prose.
		Err(text)
			if serde_json::from_str::<Value>(&text).is_ok_and(|e| e.get("code").is_some()) =>
		{
			(Answer::Error, text)
		}
		Err(text) => panic!(
			"{what}: {method}({params}) got no answer: {text}\nnode log:\n{}",
			node.log_tail(40)
		),
	}
}

/// A random JSON value of the kinds clients send, and the kinds they should not: numbers at and
/// beyond every integer width, hex of random bytes, text, nesting.
fn random_value(rng: &mut Rng, depth: u32) -> Value {
	let kinds = if depth == 0 { 9 } else { 11 };
	match rng.below(kinds) {
		0 => Value::Null,
		1 => Value::Bool(rng.chance(50)),
		2 => json!(rng.below(20)),
		3 => json!(*rng.pick(&[u64::MAX, u64::from(u32::MAX), u64::from(u32::MAX) + 1, 1 << 53])),
		4 => json!(-(rng.below(1 << 40) as i64) - 1),
		5 => json!(rng.below(1000) as f64 / 7.0),
		6 => {
			let len = rng.index(80);
			Value::String(to_hex(&rng.bytes(len)))
		}
		7 => {
			let len = rng.index(40);
			Value::String((0..len).map(|_| char::from(32 + rng.below(95) as u8)).collect())
		}
		// An SS58 address, valid (Alice) or with one character changed.
		8 => {
			let mut address = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".to_string();
			if rng.chance(50) {
				let at = rng.index(address.len());
				address.replace_range(at..at + 1, "0");
			}
			Value::String(address)
		}
		9 => Value::Array((0..rng.index(5)).map(|_| random_value(rng, depth - 1)).collect()),
		_ => {
			let mut object = serde_json::Map::new();
			for i in 0..rng.index(4) {
				object.insert(format!("k{i}"), random_value(rng, depth - 1));
			}
			Value::Object(object)
		}
	}
}

/// Parameters for a method: mostly positional arrays of zero to four values, sometimes a bare
/// value or an object (named parameters).
fn random_params(rng: &mut Rng) -> Value {
	match rng.below(10) {
		0 => random_value(rng, 2),
		1 => {
			let mut object = serde_json::Map::new();
			object.insert("branch".into(), random_value(rng, 1));
			object.insert("who".into(), random_value(rng, 1));
			Value::Object(object)
		}
		_ => Value::Array((0..rng.index(5)).map(|_| random_value(rng, 2)).collect()),
	}
}

/// A mutation of `valid` that differs from it: bytes flipped, cut short, lengthened, or a run
/// duplicated.
fn mutate(rng: &mut Rng, valid: &[u8]) -> Vec<u8> {
	loop {
		let mut bytes = valid.to_vec();
		match rng.below(4) {
			0 => {
				for _ in 0..1 + rng.index(4) {
					let at = rng.index(bytes.len());
					bytes[at] ^= 1 << rng.below(8);
				}
			}
			1 => bytes.truncate(rng.index(bytes.len())),
			2 => {
				let len = 1 + rng.index(64);
				bytes.extend(rng.bytes(len));
			}
			_ => {
				let at = rng.index(bytes.len());
				let run = bytes[at..(at + 1 + rng.index(16)).min(bytes.len())].to_vec();
				bytes.splice(at..at, run);
			}
		}
		if bytes != valid {
			return bytes;
		}
	}
}

#[test]
fn r7_hostile_rpc_input_is_answered_and_the_node_keeps_going() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let node = Node::start(NodeConfig::dev(dir.path()));
	node.wait_for_finalized(1, Duration::from_secs(60));

	let methods = node.rpc("rpc_methods", json!([]));
	let timebank: Vec<String> = methods["methods"]
		.as_array()
		.expect("rpc_methods lists methods")
		.iter()
		.filter_map(Value::as_str)
		.filter(|m| m.starts_with("timebank_"))
		.map(str::to_owned)
		.collect();
	assert!(timebank.len() >= 5, "the node serves the timebank_* methods: {timebank:?}");

	// A valid transfer of native tokens from Alice: the original every mutation starts from.
	let alice = sr25519::Pair::from_string("//Alice", None).expect("dev key");
	let bob = sr25519::Pair::from_string("//Bob", None).expect("dev key");
	let call = RuntimeCall::Balances(polkadot_sdk::pallet_balances::Call::transfer_keep_alive {
		dest: timebank_runtime::AccountId::from(bob.public()).into(),
		value: 1_000,
	});
	let valid = signed_extrinsic(&node.signing_context(), &alice, 0, call).encode();

	let requests = env_u64("TIMEBANK_R7_RPC_REQUESTS", 3_000);
	let seed = env_u64("TIMEBANK_R7_SEED", 15);
	let mut rng = Rng::new(seed);
	let mut tally: BTreeMap<(String, Answer), u64> = BTreeMap::new();
	let valid_hash = json!(to_hex(&blake2_256(&valid))).to_string();
	let mut original_submitted = false;
	let started_at = node.best_number();
	for request in 0..requests {
		let what = format!("request {request} (seed {seed})");
		let (method, params, kind) = match rng.below(4) {
			0 => {
				let len = rng.index(300);
				let bytes = rng.bytes(len);
				("author_submitExtrinsic".to_owned(), json!([to_hex(&bytes)]), "random bytes")
			}
			1 => {
				let bytes = mutate(&mut rng, &valid);
				("author_submitExtrinsic".to_owned(), json!([to_hex(&bytes)]), "mutated")
			}
			_ => (rng.pick(&timebank).clone(), random_params(&mut rng), "timebank"),
		};
		let (answer, text) = ask(&node, &what, &method, params.clone());
		if method == "author_submitExtrinsic" && answer == Answer::Result {
			// The node decodes one extrinsic from the front of the bytes and ignores what
			// follows (sc-rpc's `author_submitExtrinsic`), so the valid original with bytes
			// appended goes in as itself: the same signed transaction, the same hash.
			let submitted = params[0].as_str().unwrap_or_default();
			assert!(
				kind == "mutated" && submitted.starts_with(&to_hex(&valid)) && text == valid_hash,
				"{what}: a {kind} extrinsic {params} was accepted: {text}"
			);
			original_submitted = true;
		}
		*tally.entry((format!("{method} ({kind})"), answer)).or_default() += 1;
	}
	for ((method, answer), count) in &tally {
		println!("R7 RPC: {method}: {count} × {answer:?}");
	}

	// Nothing hostile waits in the pool (at most the original); the chain went on; a valid
	// transaction still goes in.
	let pending = node.rpc("author_pendingExtrinsics", json!([]));
	let pending = pending.as_array().cloned().unwrap_or_default();
	assert!(
		pending.iter().all(|xt| xt == &json!(to_hex(&valid))),
		"a hostile extrinsic entered the pool: {pending:?}"
	);
	node.wait_for_finalized(started_at + 2, Duration::from_secs(60));
	if !original_submitted {
		let accepted = node.try_rpc("author_submitExtrinsic", json!([to_hex(&valid)]));
		assert!(accepted.is_ok(), "the valid original was refused after the storm: {accepted:?}");
	}
	let alice_address = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let deadline = std::time::Instant::now() + Duration::from_secs(30);
	while node.rpc("system_accountNextIndex", json!([alice_address])) != json!(1) {
		assert!(std::time::Instant::now() < deadline, "the valid transfer was not included");
		std::thread::sleep(Duration::from_millis(500));
	}
	println!(
		"R7 RPC: {requests} hostile requests (seed {seed}) over {} timebank_* methods; the node \
		 went from block {started_at} to {}",
		timebank.len(),
		node.best_number()
	);
}
