//! The four-branch local network: finality, tolerance of one failed validator, catch-up after
//! restart, and permissioned peering.

use crate::common::{
	one_network_at_a_time, start_network, wait_all_finalized, Node, NodeConfig, BRANCH_KEYS,
};
use std::{
	path::Path,
	thread,
	time::{Duration, Instant},
};

/// Starts the four branch validators, each accepting only the other three.
fn start_four_branches(root: &Path) -> Vec<Node> {
	start_network(root, "local-4", &BRANCH_KEYS)
}

/// A node that knows Alice's address and peer id, but is not on the allow-list, gets no
/// connection and no blocks.
fn assert_outsider_is_refused(branches: &[Node], base_path: &Path) {
	let alice = &branches[0];
	let alice_peer_id = alice.rpc("system_localPeerId", serde_json::json!([]));
	let alice_address = format!(
		"/ip4/127.0.0.1/tcp/{}/p2p/{}",
		alice.config.p2p_port,
		alice_peer_id.as_str().expect("peer id string")
	);
	let mut outsider_config = NodeConfig::new("local-4", base_path);
	outsider_config.bootnodes = vec![alice_address];
	let mut outsider = Node::start(outsider_config);

	thread::sleep(Duration::from_secs(10));
	assert_eq!(outsider.peers(), 0, "the outsider connected:\n{}", outsider.log_tail(30));
	assert_eq!(outsider.best_number(), 0, "the outsider synced blocks");
	for node in branches {
		assert_eq!(node.peers(), 3, "a branch node accepted a peer outside its allow-list");
	}
	outsider.kill();
}

fn min_finalized(nodes: &[&Node]) -> u64 {
	nodes.iter().map(|n| n.finalized_number()).min().unwrap_or(0)
}

#[test]
fn four_branches_finalise_refuse_outsiders_survive_one_failure_and_catch_up() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let mut nodes = start_four_branches(dir.path());

	for node in &nodes {
		node.wait_for_peers(3, Duration::from_secs(60));
	}
	let all: Vec<&Node> = nodes.iter().collect();
	wait_all_finalized(&all, 3, Duration::from_secs(90));

	assert_outsider_is_refused(&nodes, &dir.path().join("outsider"));

	// Kill one validator: three of four is still more than two thirds, so finality continues.
	nodes[3].kill();
	let survivors: Vec<&Node> = nodes[..3].iter().collect();
	let finalized_at_kill = min_finalized(&survivors);
	wait_all_finalized(&survivors, finalized_at_kill + 5, Duration::from_secs(90));

	// Restart it on its own base path: it catches up to the others' finalised head.
	nodes[3].restart();
	let target = min_finalized(&nodes[..3].iter().collect::<Vec<_>>());
	nodes[3].wait_for_finalized(target, Duration::from_secs(90));
	let deadline = Instant::now() + Duration::from_secs(60);
	loop {
		let others_best = nodes[..3].iter().map(|n| n.best_number()).max().unwrap_or(0);
		let restarted_best = nodes[3].best_number();
		if restarted_best + 2 >= others_best {
			break;
		}
		assert!(
			Instant::now() < deadline,
			"restarted validator stays behind: best #{restarted_best} vs #{others_best}\n{}",
			nodes[3].log_tail(40)
		);
		thread::sleep(Duration::from_millis(500));
	}
	// All four agree on the finalised chain.
	let agreed = min_finalized(&nodes.iter().collect::<Vec<_>>());
	let hash = nodes[0].block_hash(agreed);
	for node in &nodes[1..] {
		assert_eq!(node.block_hash(agreed), hash, "nodes disagree on finalised block #{agreed}");
	}
}
