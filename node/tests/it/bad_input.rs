//! Bad input to the node: each is a clear error and a non-zero exit, never a panic.

use crate::common::{
	assert_clean_failure, free_port, no_network_meanwhile, run_to_completion, Node, NodeConfig,
};
use serde_json::Value;
use std::{fs, path::Path, time::Duration};

const TIMEOUT: Duration = Duration::from_secs(120);

fn base_path_args(base_path: &Path) -> Vec<String> {
	vec!["--base-path".into(), base_path.display().to_string(), "--no-prometheus".into()]
}

fn run_node(chain: &str, base_path: &Path) -> std::process::Output {
	let mut args: Vec<String> = vec!["--chain".into(), chain.into()];
	args.extend(base_path_args(base_path));
	args.extend(["--rpc-port".into(), free_port().to_string()]);
	args.extend(["--port".into(), free_port().to_string()]);
	let args: Vec<&str> = args.iter().map(String::as_str).collect();
	run_to_completion(&args, TIMEOUT)
}

#[test]
fn unknown_chain_is_refused() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let output = run_node("no-such-chain", dir.path());
	assert_clean_failure(&output, "unknown chain `no-such-chain`");
	assert_clean_failure(&output, "dev, local-4");
}

#[test]
fn malformed_chain_spec_is_refused() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let spec = dir.path().join("broken.json");
	fs::write(&spec, r#"{"name": "broken", "id": "#).expect("write spec");
	let output = run_node(&spec.display().to_string(), &dir.path().join("base"));
	assert_clean_failure(&output, "is not a valid chain spec");
}

/// Starts a dev node on `base_path` until it has written its database, then kills it.
fn initialise_dev_database(base_path: &Path) {
	let mut node = Node::start(NodeConfig::dev(base_path));
	node.wait_for_finalized(1, Duration::from_secs(60));
	node.kill();
}

#[test]
fn base_path_of_another_chain_is_refused() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let base_path = dir.path().join("base");
	initialise_dev_database(&base_path);

	// Another chain with the same id "dev" but a different genesis state.
	let exported = run_to_completion(&["export-chain-spec", "--chain", "dev", "--raw"], TIMEOUT);
	assert!(exported.status.success(), "export-chain-spec failed: {exported:?}");
	let mut spec: Value = serde_json::from_slice(&exported.stdout).expect("exported spec is JSON");
	spec["genesis"]["raw"]["top"]["0x74696d6562616e6b2d6f74686572"] = Value::from("0x01");
	let other_spec = dir.path().join("other-dev.json");
	fs::write(&other_spec, spec.to_string()).expect("write spec");

	let output = run_node(&other_spec.display().to_string(), &base_path);
	assert_clean_failure(&output, "belongs to another chain");
}

#[test]
fn corrupt_database_is_refused() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let base_path = dir.path().join("base");
	initialise_dev_database(&base_path);

	let db = base_path.join("chains/dev/paritydb/full");
	assert!(db.is_dir(), "expected a ParityDB database at {}", db.display());
	fs::write(db.join("metadata"), b"this is not parity-db metadata").expect("corrupt metadata");

	let output = run_node("dev", &base_path);
	assert_clean_failure(&output, "cannot open the chain database");
	assert_clean_failure(&output, "Corruption");
}
