//! `--upgrade-runtime`: before the load, put a new runtime on the chain through the sudo key and
//! wait until the node runs it. A chain filled by an older runtime can then be measured after an
//! upgrade (its migrations included), without filling it again.

use crate::chain::{alice, chain_nonce, ensure_alice_is_sudo, submit};
use codec::Encode;
use serde_json::{json, Value};
use std::{
	path::Path,
	thread,
	time::{Duration, Instant},
};
use timebank_bench::rpc::{header_number, Rpc};
use timebank_runtime::{signing::signed_extrinsic, RuntimeCall};

/// How long the new version may take to appear: the upgrade block, then the next one that runs it.
const UPGRADE_TIMEOUT: Duration = Duration::from_secs(120);

/// Submits `sudo(system.set_code(wasm))` as Alice and waits for the runtime version to change.
/// Returns the versions before and after, the best block number where the new one was first
/// seen, and the seconds it took.
pub fn upgrade_runtime(rpc: &mut Rpc, wasm: &Path) -> Result<Value, String> {
	let code = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
	let kib = code.len() / 1024;
	let (alice, alice_id) = alice()?;
	ensure_alice_is_sudo(rpc, &alice_id)?;
	let context = rpc.signing_context()?;
	let before = context.spec_version;
	let call = RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::System(polkadot_sdk::frame_system::Call::set_code { code })),
	});
	let nonce = chain_nonce(rpc, &alice_id)?;
	let started = Instant::now();
	submit(rpc, &signed_extrinsic(&context, &alice, nonce, call).encode())?;
	eprintln!("upgrade: set_code submitted ({kib} KiB of Wasm), waiting for the new version");
	loop {
		let after = rpc.signing_context()?.spec_version;
		if after != before {
			let block = header_number(&rpc.call("chain_getHeader", json!([]))?);
			let seconds = started.elapsed().as_secs_f64();
			eprintln!("upgrade: spec {before} -> {after} in {seconds:.1} s (best block {block:?})");
			return Ok(json!({
				"fromSpec": before,
				"toSpec": after,
				"firstSeenAtBlock": block,
				"seconds": seconds,
			}));
		}
		if started.elapsed() > UPGRADE_TIMEOUT {
			return Err(format!(
				"the runtime version stayed {before} for {} s after set_code: is the new \
				 runtime's spec_version higher, and its spec_name the chain's? (the node's log \
				 says why the call failed)",
				UPGRADE_TIMEOUT.as_secs()
			));
		}
		thread::sleep(Duration::from_millis(200));
	}
}
