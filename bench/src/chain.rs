//! What the load generator asks of the chain besides the load itself: accounts and nonces,
//! submission, the sudo key, the ledger's entry count, and the members it sends for.

use codec::{Decode, Encode};
use polkadot_sdk::{
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_io::hashing::blake2_256,
	sp_runtime::MultiAddress,
};
use serde_json::json;
use std::{
	collections::BTreeMap,
	sync::Mutex,
	thread,
	time::{Duration, Instant},
};
use timebank_bench::rpc::{from_hex, to_hex, Rpc};
use timebank_primitives::MemberRoles;
use timebank_runtime::{
	signing::{signed_extrinsic, SigningContext},
	AccountId, Runtime, RuntimeCall,
};

/// Members registered per chunk of Alice's transactions.
const SETUP_CHUNK: usize = 100;

pub fn account(pair: &sr25519::Pair) -> AccountId {
	AccountId::from(pair.public())
}

pub fn submit(rpc: &mut Rpc, bytes: &[u8]) -> Result<(), String> {
	rpc.call("author_submitExtrinsic", json!([to_hex(bytes)])).map(|_| ())
}

/// The signer's nonce in the best block's state (the pool not counted).
pub fn chain_nonce(rpc: &mut Rpc, who: &AccountId) -> Result<u32, String> {
	let params = json!(["AccountNonceApi_account_nonce", to_hex(&who.encode())]);
	// On a forking network the best block can be retracted and its state pruned between the
	// node picking it and reading it ("State already discarded"); the next best block answers.
	let mut attempts = 0;
	let result = loop {
		match rpc.call("state_call", params.clone()) {
			Err(error) if error.contains("State already discarded") && attempts < 5 => {
				attempts += 1;
				thread::sleep(Duration::from_millis(200));
			}
			other => break other?,
		}
	};
	let bytes = from_hex(result.as_str().ok_or("state_call returned no bytes")?)?;
	u32::decode(&mut &bytes[..]).map_err(|e| format!("nonce: {e}"))
}

/// The dev chains' sudo key, and its account.
pub fn alice() -> Result<(sr25519::Pair, AccountId), String> {
	let alice = sr25519::Pair::from_string("//Alice", None).map_err(|e| format!("{e:?}"))?;
	let alice_id = account(&alice);
	Ok((alice, alice_id))
}

pub fn ensure_alice_is_sudo(rpc: &mut Rpc, alice_id: &AccountId) -> Result<(), String> {
	let sudo = rpc.storage(&polkadot_sdk::pallet_sudo::Key::<Runtime>::hashed_key(), None)?;
	if sudo.as_deref() != Some(&alice_id.encode()[..]) {
		return Err(
			"the chain's sudo key is not Alice's: run against a dev chain (scripts/load-test)"
				.into(),
		);
	}
	Ok(())
}

/// How many ledger entries the chain has posted (`Ledger::NextEntryId` at the best block).
pub fn next_entry_id(rpc: &mut Rpc) -> Result<u64, String> {
	let key = pallet_timebank_ledger::NextEntryId::<Runtime>::hashed_key();
	match rpc.storage(&key, None)? {
		Some(raw) => u64::decode(&mut &raw[..]).map_err(|e| format!("NextEntryId: {e}")),
		None => Ok(0),
	}
}

/// Counts a refused submission under its message without the varying data (digits): one count
/// per kind of refusal.
pub fn count_refusal(rejected: &Mutex<BTreeMap<String, u64>>, error: &str) {
	let kind: String = error.chars().filter(|c| !c.is_ascii_digit()).take(120).collect();
	if let Ok(mut counts) = rejected.lock() {
		*counts.entry(kind).or_default() += 1;
	}
}

/// Registers the missing members on branch 0 and grants each 600 minutes, as Alice through the
/// sudo key, keeping at most a few thousand of her transactions in the pool.
pub fn set_up_members(
	rpc: &mut Rpc,
	context: &SigningContext,
	members: &[sr25519::Pair],
) -> Result<(), String> {
	let (alice, alice_id) = alice()?;
	ensure_alice_is_sudo(rpc, &alice_id)?;
	let mut missing = Vec::new();
	for pair in members {
		let who = account(pair);
		if rpc.call("timebank_member", json!([who.to_ss58check()]))?.is_null() {
			missing.push(who);
		}
	}
	if missing.is_empty() {
		eprintln!("setup: all {} members exist", members.len());
		return Ok(());
	}
	let started = Instant::now();
	// In chunks from Alice's nonce on chain: the pool does not always keep a long run of one
	// sender's transactions (seen: 1,166 of 2,000 vanished), so a chunk that stalls is sent again.
	let mut done = 0;
	while done < missing.len() {
		let chunk = &missing[done..(done + SETUP_CHUNK).min(missing.len())];
		if !register_chunk(rpc, context, &alice, chunk)? {
			eprintln!(
				"setup: a chunk stalled at Alice's nonce {}; sending it again",
				chain_nonce(rpc, &alice_id)?
			);
			continue;
		}
		done += chunk.len();
		if done % 1000 == 0 || done == missing.len() {
			eprintln!(
				"setup: {done} of {} members registered ({:.0} s)",
				missing.len(),
				started.elapsed().as_secs_f64()
			);
		}
	}
	eprintln!(
		"setup: {} members registered and granted in {:.0} s",
		missing.len(),
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// Sends the register and grant calls of `chunk` from Alice's nonce on chain, waits up to 8 s
/// for them to be in blocks, and says whether the chunk's last member now exists.
fn register_chunk(
	rpc: &mut Rpc,
	context: &SigningContext,
	alice: &sr25519::Pair,
	chunk: &[AccountId],
) -> Result<bool, String> {
	let alice_id = account(alice);
	let mut nonce = chain_nonce(rpc, &alice_id)?;
	for who in chunk {
		for call in member_calls(&alice_id, who) {
			match submit(rpc, &signed_extrinsic(context, alice, nonce, call).encode()) {
				// A resent chunk meets the transactions that did stay in the pool (1013:
				// already imported, 1014: same nonce already pending) or on chain (stale).
				Err(error)
					if ["\"code\":1013", "\"code\":1014", "Stale"]
						.iter()
						.any(|known| error.contains(known)) => {}
				other => other?,
			}
			nonce += 1;
		}
	}
	let deadline = Instant::now() + Duration::from_secs(8);
	while chain_nonce(rpc, &alice_id)? < nonce && Instant::now() < deadline {
		thread::sleep(Duration::from_millis(100));
	}
	let last = chunk.last().map(|who| who.to_ss58check()).unwrap_or_default();
	Ok(!rpc.call("timebank_member", json!([last]))?.is_null())
}

/// Registering `who` on branch 0 through the sudo key (the council's origin, which registers
/// without the per-window limit on staff registrations), and granting 600 minutes as Alice,
/// branch 0's admin, through it.
fn member_calls(alice_id: &AccountId, who: &AccountId) -> [RuntimeCall; 2] {
	let as_alice = |call: RuntimeCall| {
		RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo_as {
			who: MultiAddress::Id(alice_id.clone()),
			call: Box::new(call),
		})
	};
	let as_council = |call: RuntimeCall| {
		RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo { call: Box::new(call) })
	};
	let register =
		as_council(RuntimeCall::Registry(pallet_timebank_registry::Call::register_member {
			who: who.clone(),
			branch: 0,
			identity_commitment: H256(blake2_256(&who.encode())),
			roles: MemberRoles { volunteer: true, recipient: true, ..Default::default() },
		}));
	let grant = as_alice(RuntimeCall::Ledger(pallet_timebank_ledger::Call::grant {
		to: who.clone(),
		amount: 600,
		memo: H256::repeat_byte(0x10),
	}));
	[register, grant]
}
