//! Faults of the four-branch network and how a branch recovers (`../shared/TARGETS.md` R3, R4):
//! - two of four validators stop: blocks go on, finality waits, and resumes when they return,
//!   without touching the other two;
//! - a node's database is damaged: the node refuses to start with a clear error, and after the
//!   operator purges it (docs/OPERATORS.md), it resyncs from its peers;
//! - a branch node restored from a backup of its base path catches up with the others.
//!
//! Each test runs four nodes; they take turns.

mod common;

use common::{copy_dir, run_to_completion, start_network, Node};
use std::{
	fs,
	sync::{Mutex, MutexGuard},
	thread,
	time::{Duration, Instant},
};

const BRANCH_KEYS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

static NETWORKS: Mutex<()> = Mutex::new(());

fn one_network_at_a_time() -> MutexGuard<'static, ()> {
	NETWORKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn started(root: &std::path::Path) -> Vec<Node> {
	let nodes = start_network(root, "local-4", &BRANCH_KEYS);
	for node in &nodes {
		node.wait_for_peers(3, Duration::from_secs(60));
	}
	for node in &nodes {
		node.wait_for_finalized(3, Duration::from_secs(90));
	}
	nodes
}

/// Every node has finalised at least `number`, and they agree on its hash.
fn assert_agree_at(nodes: &[Node], number: u64) {
	for node in nodes {
		node.wait_for_finalized(number, Duration::from_secs(120));
	}
	let hash = nodes[0].block_hash(number);
	for node in &nodes[1..] {
		assert_eq!(node.block_hash(number), hash, "nodes disagree on finalised block #{number}");
	}
}

#[test]
fn two_validators_stop_and_return_and_finality_resumes_without_touching_the_others() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut nodes = started(dir.path());

	nodes[2].stop();
	nodes[3].stop();
	// Two of four cannot finalise (GRANDPA needs more than two thirds); Aura still fills their
	// slots' neighbours, so blocks go on at half speed.
	thread::sleep(Duration::from_secs(3));
	let (best_before, finalized_before) = (nodes[0].best_number(), nodes[0].finalized_number());
	thread::sleep(Duration::from_secs(10));
	let (best_after, finalized_after) = (nodes[0].best_number(), nodes[0].finalized_number());
	assert!(best_after >= best_before + 3, "blocks stopped: #{best_before} -> #{best_after}");
	assert!(
		finalized_after <= finalized_before + 1,
		"two of four validators finalised #{finalized_before} -> #{finalized_after}"
	);

	let restarted = Instant::now();
	nodes[2].restart();
	nodes[3].restart();
	let target = nodes[0].best_number();
	assert_agree_at(&nodes, target);
	println!(
		"R3: finality stood at #{finalized_after} with two of four validators down; \
		 {:.1} s after restarting them all four finalised #{target}",
		restarted.elapsed().as_secs_f64()
	);
}

#[test]
fn a_corrupt_database_is_refused_and_the_node_resyncs_from_its_peers_after_a_purge() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut nodes = started(dir.path());
	let dave = nodes.pop().expect("four nodes");
	let dave_config = dave.config.clone();
	drop(dave);

	let db = dave_config.base_path.join("chains/local-4/paritydb/full");
	assert!(db.is_dir(), "expected a ParityDB database at {}", db.display());
	fs::write(db.join("metadata"), b"damaged").expect("damage the database");
	let (failed, log) = Node::start_expecting_exit(dave_config.clone(), Duration::from_secs(60));
	assert!(failed, "the node started on a damaged database:\n{log}");
	assert!(log.contains("cannot open the chain database"), "unclear error:\n{log}");
	assert!(!log.contains("panicked"), "the node panicked:\n{log}");

	// The operator's procedure: purge the chain data (keys stay), start again.
	let base = dave_config.base_path.display().to_string();
	let purge = run_to_completion(
		&["purge-chain", "--chain", "local-4", "--base-path", &base, "-y"],
		Duration::from_secs(60),
	);
	assert!(purge.status.success(), "purge-chain failed: {purge:?}");
	let resync_started = Instant::now();
	nodes.push(Node::start(dave_config));
	let target = nodes[0].finalized_number();
	assert_agree_at(&nodes, target);
	println!(
		"R4: damaged database refused; after purge-chain the node resynced {target} blocks in {:.1} s",
		resync_started.elapsed().as_secs_f64()
	);
}

#[test]
fn a_branch_node_restored_from_a_backup_catches_up() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut nodes = started(dir.path());

	// Backup: stop the node, copy its base path (database, node key, keystore), start it again.
	nodes[3].stop();
	let base = nodes[3].config.base_path.clone();
	let backup = dir.path().join("dave-backup");
	copy_dir(&base, &backup);
	nodes[3].restart();
	let backed_up_at = nodes[0].finalized_number();
	nodes[3].wait_for_finalized(backed_up_at + 10, Duration::from_secs(90));

	// Disaster: the node's disk is lost. Restore the backup to the same path and start it.
	nodes[3].kill();
	fs::remove_dir_all(&base).expect("wipe the base path");
	copy_dir(&backup, &base);
	let restored = Instant::now();
	nodes[3].restart();
	let target = nodes[0].finalized_number();
	assert_agree_at(&nodes, target);
	println!(
		"backup: restored node caught up to #{target} in {:.1} s",
		restored.elapsed().as_secs_f64()
	);
}
