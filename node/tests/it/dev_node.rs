//! A single development node: produces and finalises blocks, answers RPC, and keeps its chain
//! across a crash.

use crate::common::{no_network_meanwhile, Node, NodeConfig};
use codec::{Decode, Encode};
use serde_json::json;
use std::time::Duration;
use timebank_bench::rpc::{from_hex, to_hex};

fn dev_node(base_path: &std::path::Path) -> Node {
	Node::start(NodeConfig::dev(base_path))
}

#[test]
fn dev_node_produces_and_finalises_blocks() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let node = dev_node(dir.path());

	let finalized = node.wait_for_finalized(3, Duration::from_secs(60));
	assert!(finalized >= 3);
	assert!(node.best_number() >= finalized);

	let health = node.rpc("system_health", json!([]));
	assert_eq!(health["isSyncing"], json!(false), "health: {health}");
	let finalized_head = node.rpc("chain_getFinalizedHead", json!([]));
	let hash = finalized_head.as_str().expect("finalised head is a hex hash");
	assert!(hash.starts_with("0x") && hash.len() == 66, "unexpected hash {hash}");
	assert_eq!(node.rpc("system_chain", json!([])), json!("Time Bank Development"));

	// Metadata and runtime version, which polkadot.js and subxt fetch first, answer too.
	let version = node.rpc("state_getRuntimeVersion", json!([]));
	assert_eq!(version["specName"], json!("timebank"));
	let metadata = node.rpc("state_getMetadata", json!([]));
	assert!(metadata.as_str().is_some_and(|m| m.len() > 1000));
	// The version clients generate code from is the checked-in file, byte for byte.
	let (version, checked_in) = crate::metadata::checked_in();
	let served =
		node.rpc("state_call", json!(["Metadata_metadata_at_version", to_hex(&version.encode())]));
	let served = from_hex(served.as_str().expect("state_call answers hex")).expect("valid hex");
	let served = Option::<Vec<u8>>::decode(&mut &served[..]).expect("an Option of bytes");
	assert!(
		served.as_ref() == Some(&checked_in),
		"the node serves metadata v{version} other than metadata/timebank.scale: run \
		 scripts/export-metadata"
	);
}

#[test]
fn dev_node_restarted_on_the_same_base_path_keeps_its_chain() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut node = dev_node(dir.path());

	let finalized_before = node.wait_for_finalized(4, Duration::from_secs(60));
	let hash_before = node.block_hash(finalized_before);
	let genesis_before = node.block_hash(0);

	// A hard kill, as a power cut would do: finalised blocks must survive it.
	node.kill();
	node.restart();

	assert_eq!(node.block_hash(0), genesis_before, "genesis changed across restart");
	assert_eq!(
		node.block_hash(finalized_before),
		hash_before,
		"finalised block #{finalized_before} changed or was lost across restart"
	);
	assert!(node.finalized_number() >= finalized_before);
	// And the chain goes on from where it was, not from genesis.
	node.wait_for_finalized(finalized_before + 3, Duration::from_secs(60));
}

/// The whole-state invariant scan is for the node's operator only (security review M7): an
/// unsafe method, refused where RPC is safe-only, and not a runtime API anyone could reach
/// through `state_call`.
#[test]
fn invariant_checks_are_refused_to_the_public() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut config = NodeConfig::dev(dir.path());
	config.extra_args.extend(["--rpc-methods".into(), "safe".into()]);
	let node = Node::start(config);
	node.wait_for_finalized(1, Duration::from_secs(60));

	let refused = node.try_rpc("timebank_checkInvariants", json!([]));
	assert!(
		refused.as_ref().is_err_and(|e| e.contains("unsafe")),
		"a safe-only node answered timebank_checkInvariants: {refused:?}"
	);
	let through_state_call =
		node.try_rpc("state_call", json!(["TimebankApi_check_invariants", "0x"]));
	assert!(
		through_state_call.is_err(),
		"the runtime answered check_invariants through state_call: {through_state_call:?}"
	);
	// The public methods still answer on the same node; the operator (unsafe methods are
	// allowed on localhost by default) still gets the checks: activities_dev_node runs them.
	let summary = node.try_rpc("timebank_branchSummary", json!([0]));
	assert!(summary.is_ok(), "a safe method was refused: {summary:?}");
}
