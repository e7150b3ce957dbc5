//! Faults of the four-branch network and how a branch recovers (`../shared/TARGETS.md` R3, R4):
//! - two of four validators stop: blocks go on, finality waits, and resumes when they return,
//!   without touching the other two;
//! - a node's database is damaged: the node refuses to start with a clear error, and after the
//!   operator purges it (docs/OPERATORS.md), it resyncs from its peers;
//! - a branch node restored from a backup of its base path catches up with the others;
//! - a 2/2 partition (ignored here, run by `scripts/fault-suite`): nothing conflicting is
//!   finalised, and finality resumes when the network heals.
//!
//! Each test runs four nodes; they take turns.

mod common;

use common::{copy_dir, run_to_completion, start_network, Node, NodeConfig};
use std::{
	collections::HashMap,
	fs,
	net::{Shutdown, TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex, MutexGuard,
	},
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

/// A TCP forwarder from a local port to a node's P2P port that can be cut (every connection
/// through it closed, new ones refused) and healed: one direction of one link of a partition.
struct Link {
	port: u16,
	cut: Arc<AtomicBool>,
	open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Link {
	fn to(target: u16) -> Self {
		let listener = TcpListener::bind("127.0.0.1:0").expect("bind a link port");
		let port = listener.local_addr().expect("link address").port();
		let cut = Arc::new(AtomicBool::new(false));
		let open = Arc::new(Mutex::new(Vec::<TcpStream>::new()));
		let (is_cut, streams) = (cut.clone(), open.clone());
		thread::spawn(move || {
			for incoming in listener.incoming() {
				let Ok(inbound) = incoming else { continue };
				if is_cut.load(Ordering::SeqCst) {
					continue; // dropped: the connection closes at once
				}
				let Ok(outbound) = TcpStream::connect(("127.0.0.1", target)) else { continue };
				let pipe = |mut from: TcpStream, mut to: TcpStream| {
					thread::spawn(move || {
						let _ = std::io::copy(&mut from, &mut to);
						let _ = to.shutdown(Shutdown::Both);
					});
				};
				let (Ok(inbound2), Ok(outbound2)) = (inbound.try_clone(), outbound.try_clone())
				else {
					continue;
				};
				if let Ok(mut list) = streams.lock() {
					list.extend(inbound.try_clone().ok());
					list.extend(outbound.try_clone().ok());
				}
				pipe(inbound, outbound2);
				pipe(outbound, inbound2);
			}
		});
		Self { port, cut, open }
	}

	fn set_cut(&self, cut: bool) {
		self.cut.store(cut, Ordering::SeqCst);
		if cut {
			if let Ok(mut list) = self.open.lock() {
				for stream in list.drain(..) {
					let _ = stream.shutdown(Shutdown::Both);
				}
			}
		}
	}
}

/// The highest block number every node has finalised, and whether they agree on each finalised
/// block up to it.
fn finalised_chains_agree(nodes: &[Node]) -> bool {
	let lowest = nodes.iter().map(|n| n.finalized_number()).min().unwrap_or(0);
	(1..=lowest).all(|number| {
		let hash = nodes[0].block_hash(number);
		nodes[1..].iter().all(|n| n.block_hash(number) == hash)
	})
}

/// R2, a 2/2 partition. Not in `.ci/run` (reconnection after healing depends on the network
/// backend's redial timing); `scripts/fault-suite` runs it.
#[test]
#[ignore]
fn a_two_two_partition_finalises_nothing_conflicting_and_resumes_when_healed() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	// Every node reaches every other through its own link, so a side can be cut off.
	let mut configs = Vec::new();
	for key in BRANCH_KEYS {
		let base = dir.path().join(key);
		fs::create_dir_all(&base).expect("create base path");
		let node_key = base.join("node-key");
		let peer_id = common::generate_node_key(&node_key);
		let mut config = NodeConfig::new("local-4", &base).validator(key);
		config.node_key_file = Some(node_key);
		config.reserved_only = true;
		// Peers must only be reached through the links: `--no-private-ip` keeps the node from
		// dialling the real (loopback) addresses peers announce. With the default litep2p
		// backend the cut did not partition the nodes (finality went on, measured), so this
		// test runs libp2p.
		config.extra_args =
			vec!["--no-private-ip".into(), "--network-backend".into(), "libp2p".into()];
		configs.push((config, peer_id));
	}
	let targets: Vec<(u16, String)> =
		configs.iter().map(|(config, peer_id)| (config.p2p_port, peer_id.clone())).collect();
	let mut links = HashMap::new();
	for (i, (config, _)) in configs.iter_mut().enumerate() {
		for (j, (port, peer_id)) in targets.iter().enumerate() {
			if i != j {
				let link = Link::to(*port);
				config
					.reserved_nodes
					.push(format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", link.port));
				links.insert((i, j), link);
			}
		}
	}
	let nodes: Vec<Node> = configs.into_iter().map(|(config, _)| Node::start(config)).collect();
	for node in &nodes {
		node.wait_for_peers(3, Duration::from_secs(60));
		node.wait_for_finalized(3, Duration::from_secs(90));
	}

	// Alice and Bob on one side, Charlie and Dave on the other.
	let crosses = |(i, j): &(usize, usize)| (*i < 2) != (*j < 2);
	links.iter().filter(|(pair, _)| crosses(pair)).for_each(|(_, link)| link.set_cut(true));
	thread::sleep(Duration::from_secs(3));
	let peers: Vec<u64> = nodes.iter().map(|n| n.peers()).collect();
	assert!(peers.iter().all(|p| *p == 1), "the cut left peers {peers:?}, not two pairs");
	let finalised_at_cut: Vec<u64> = nodes.iter().map(|n| n.finalized_number()).collect();
	thread::sleep(Duration::from_secs(15));
	for (node, before) in nodes.iter().zip(&finalised_at_cut) {
		let after = node.finalized_number();
		assert!(after <= before + 1, "a half of the network finalised #{before} -> #{after}");
	}
	assert!(finalised_chains_agree(&nodes), "nodes finalised conflicting blocks while split");
	let best: Vec<u64> = nodes.iter().map(|n| n.best_number()).collect();

	links.values().for_each(|link| link.set_cut(false));
	let healed = Instant::now();
	let target = best.iter().copied().max().unwrap_or(0);
	for node in &nodes {
		node.wait_for_finalized(target, Duration::from_secs(120));
	}
	let resumed = healed.elapsed();
	assert!(finalised_chains_agree(&nodes), "nodes finalised conflicting blocks after healing");
	println!(
		"R2: while split, finality stood at {finalised_at_cut:?} and both halves kept authoring \
		 (best {best:?}); {:.1} s after healing every node finalised #{target}, one chain",
		resumed.as_secs_f64()
	);
}
