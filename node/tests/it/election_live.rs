//! Validator elections and council governance on live multi-node networks:
//! - members' votes bring a candidate branch in at the next era and the lowest validator out,
//!   while finality keeps going;
//! - a validator killed for several sessions is removed at the following election and the rest
//!   keep finalising;
//! - a runtime upgrade proposed and enacted by the council on the running network: every node
//!   follows and the state is intact.
//!
//! Each test starts four or five nodes, too many to run side by side on two cores: they take
//! turns through [`one_network_at_a_time`]. The chain is `local-4` with ten-block sessions and an
//! election every session, so an era passes in seconds.

use crate::common::{
	chain::{must_submit, wait_until, Signer},
	connect, one_network_at_a_time, plain_chain_spec, start_network, wait_all_finalized, Node,
};
use codec::{Decode, Encode};
use pallet_timebank_registry::Call as RegistryCall;
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	frame_system,
	pallet_collective::{self, ProposalCount, Voting},
	pallet_session,
	sp_core::H256,
	sp_runtime::traits::{BlakeTwo256, Hash},
};
use serde_json::{json, Value};
use std::{
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	thread,
	time::{Duration, Instant},
};
use timebank_bench::{
	rpc::{from_hex, to_hex},
	system_storage,
};
use timebank_primitives::MemberRoles;
use timebank_runtime::{
	AccountId, CouncilInstance, Runtime, RuntimeCall, SessionKeys, VERSION, WASM_BINARY,
};

/// The runtime the upgrade test starts from: this runtime with the previous spec version
/// (`tests/fixtures/README.md` says how it is built).
const PREVIOUS_RUNTIME: &str = concat!(
	env!("CARGO_MANIFEST_DIR"),
	"/tests/fixtures/timebank-runtime-previous.compact.compressed.wasm"
);

/// `local-4` with ten-block sessions, an election every session, three to four validators and
/// removal after two offline sessions; with `code`, genesis runs that runtime instead.
fn fast_election_spec(dir: &Path, code: Option<&[u8]>) -> String {
	let mut spec = plain_chain_spec("local-4");
	let genesis = &mut spec["genesis"]["runtimeGenesis"];
	assert!(genesis["patch"]["election"].is_object(), "local-4 has an election genesis: {genesis}");
	genesis["patch"]["election"]["parameters"] = json!({
		"sessionBlocks": 10,
		"sessionsPerEra": 1,
		"minValidators": 3,
		"maxValidators": 4,
		"offlineThreshold": 50,
		"maxOfflineSessions": 2,
	});
	if let Some(code) = code {
		genesis["code"] = json!(to_hex(code));
	}
	let path: PathBuf = dir.join("local-4-fast-elections.json");
	std::fs::write(&path, spec.to_string()).expect("write chain spec");
	path.display().to_string()
}

fn validators_view(node: &Node) -> Value {
	node.rpc("timebank_validators", json!([]))
}

fn accounts(list: &Value) -> Vec<String> {
	list.as_array()
		.expect("a list")
		.iter()
		.map(|v| v["account"].as_str().or(v.as_str()).expect("an account").to_string())
		.collect()
}

/// The council's votes on the motion with this hash, encoded, while it is open.
fn council_votes(node: &Node, hash: &H256) -> Option<Vec<u8>> {
	node.storage(&Voting::<Runtime, CouncilInstance>::hashed_key_for(hash), None)
}

/// Passes `call` as a council motion: the first member proposes it, the three members vote aye
/// (three of the four: two thirds), and the proposer closes it, which runs it.
fn council_motion(node: &Node, members: &[&Signer], call: RuntimeCall) {
	let index = node
		.storage(&ProposalCount::<Runtime, CouncilInstance>::hashed_key(), None)
		.map(|bytes| u32::decode(&mut &bytes[..]).expect("proposal count"))
		.unwrap_or(0);
	let length_bound = call.encoded_size() as u32;
	// The runtime that runs the motion may be older than the one these tests are built with and
	// weigh the call differently (the upgrade test): bound it generously, at ten times this
	// runtime's weight plus a millisecond.
	let weight = call.get_dispatch_info().call_weight.saturating_mul(10).saturating_add(
		polkadot_sdk::frame_support::weights::Weight::from_parts(1_000_000_000, 100_000),
	);
	let hash = BlakeTwo256::hash_of(&call);
	let council = |call| RuntimeCall::Council(call);
	must_submit(
		node,
		members[0],
		council(pallet_collective::Call::propose {
			threshold: 3,
			proposal: Box::new(call),
			length_bound,
		}),
	);
	let ayes = || {
		council_votes(node, &hash).map_or(0, |votes| {
			// `Votes { index: u32, threshold: u32, ayes: Vec<AccountId>, .. }`
			Vec::<AccountId>::decode(&mut &votes[8..]).map_or(0, |ayes| ayes.len())
		})
	};
	let events = || format!("recent events:\n{}", recent_events(node, 10).join("\n"));
	wait_for_or(
		"the motion to be proposed",
		Duration::from_secs(30),
		|| council_votes(node, &hash).is_some(),
		events,
	);
	// The proposer votes like the others: proposing is not a vote.
	for member in &members[..3] {
		must_submit(
			node,
			member,
			council(pallet_collective::Call::vote { proposal: hash, index, approve: true }),
		);
	}
	wait_for("three ayes", Duration::from_secs(30), || ayes() == 3);
	must_submit(
		node,
		members[0],
		council(pallet_collective::Call::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: weight,
			length_bound,
		}),
	);
	wait_for_or(
		"the motion to close",
		Duration::from_secs(30),
		|| council_votes(node, &hash).is_none(),
		events,
	);
}

fn wait_for(what: &str, timeout: Duration, done: impl FnMut() -> bool) {
	wait_for_or(what, timeout, done, String::new);
}

/// [`wait_for`] whose failure message adds what `context` says.
fn wait_for_or(
	what: &str,
	timeout: Duration,
	mut done: impl FnMut() -> bool,
	context: impl Fn() -> String,
) {
	let deadline = Instant::now() + timeout;
	while !done() {
		assert!(Instant::now() < deadline, "timed out waiting for {what}\n{}", context());
		thread::sleep(Duration::from_millis(250));
	}
}

/// The events of the best block and the `blocks - 1` before it, decoded with this runtime's
/// types, for failure messages.
fn recent_events(node: &Node, blocks: u64) -> Vec<String> {
	let best = node.best_number();
	let mut lines = Vec::new();
	for number in best.saturating_sub(blocks - 1)..=best {
		let at = node.block_hash(number);
		let Some(bytes) = node.storage(&system_storage::Events::hashed_key(), Some(&at)) else {
			continue;
		};
		type Records = Vec<frame_system::EventRecord<timebank_runtime::RuntimeEvent, H256>>;
		match Records::decode(&mut &bytes[..]) {
			Ok(records) => {
				lines.extend(records.into_iter().map(|r| format!("#{number} {:?}", r.event)))
			}
			Err(error) => lines.push(format!("#{number} undecodable events: {error}")),
		}
	}
	lines
}

/// Polls a node's finalised head every 200 ms on its own thread, from creation to [`Self::stop`],
/// and keeps the longest time it stood still.
struct FinalityWatch {
	stop: Arc<AtomicBool>,
	thread: thread::JoinHandle<Duration>,
}

impl FinalityWatch {
	fn start(node: &Node) -> Self {
		let port = node.config.rpc_port;
		let stop = Arc::new(AtomicBool::new(false));
		let stopped = stop.clone();
		let thread = thread::spawn(move || {
			let finalized = || connect(port).and_then(|mut rpc| rpc.finalised_number()).ok();
			let (mut last, mut since, mut longest) = (0, Instant::now(), Duration::ZERO);
			while !stopped.load(Ordering::Relaxed) {
				if let Some(number) = finalized() {
					if number > last {
						(last, since) = (number, Instant::now());
					}
				}
				longest = longest.max(since.elapsed());
				thread::sleep(Duration::from_millis(200));
			}
			longest
		});
		Self { stop, thread }
	}

	/// The longest stall seen.
	fn stop(self) -> Duration {
		self.stop.store(true, Ordering::Relaxed);
		self.thread.join().expect("finality watch thread")
	}
}

/// Polls `timebank_validators` on `node` until `done` accepts it.
fn wait_for_view(
	node: &Node,
	what: &str,
	timeout: Duration,
	mut done: impl FnMut(&Value) -> bool,
) -> Value {
	let deadline = Instant::now() + timeout;
	loop {
		let view = validators_view(node);
		if done(&view) {
			return view;
		}
		assert!(
			Instant::now() < deadline,
			"timed out waiting for {what}; last view: {view}\nnode log:\n{}",
			node.log_tail(30)
		);
		thread::sleep(Duration::from_millis(500));
	}
}

fn register_member(node: &Node, admin: &Signer, who: &Signer, branch: u32, n: u8) {
	must_submit(
		node,
		admin,
		RuntimeCall::Registry(RegistryCall::register_member {
			who: who.account.clone(),
			branch,
			identity_commitment: H256::repeat_byte(n),
			roles: MemberRoles { volunteer: true, ..Default::default() },
		}),
	);
}

// Over 70 lines: one journey on one chain, each step starting from the state the step before
// left, so it reads top to bottom like the user guide it follows.
#[test]
fn votes_bring_a_candidate_in_and_the_lowest_validator_out_while_finality_continues() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let spec = fast_election_spec(dir.path(), None);
	let nodes = start_network(dir.path(), &spec, &["alice", "bob", "charlie", "dave", "eve"]);
	let [alice_node, .., eve_node] = &nodes[..] else { unreachable!("five nodes") };
	for node in &nodes {
		node.wait_for_peers(4, Duration::from_secs(60));
	}
	wait_all_finalized(&nodes.iter().collect::<Vec<_>>(), 2, Duration::from_secs(90));
	let watch = FinalityWatch::start(alice_node);

	let [alice, bob, charlie, dave, eve] =
		["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"].map(Signer::new);
	let council = [&alice, &bob, &charlie];

	// The council registers Eve's branch (branch 4); Eve proposes it as a candidate; the council
	// approves the candidacy.
	council_motion(
		alice_node,
		&council,
		RuntimeCall::Registry(RegistryCall::register_branch {
			parent: None,
			admin: eve.account.clone(),
			profile_hash: H256::repeat_byte(0xe5),
		}),
	);
	wait_until(alice_node, "timebank_branchSummary", json!([4]), |s| !s.is_null());
	must_submit(
		alice_node,
		&eve,
		RuntimeCall::Election(pallet_timebank_election::Call::propose_candidate {
			branch: 4,
			validator: eve.account.clone(),
		}),
	);
	wait_until(alice_node, "timebank_validators", json!([]), |v| {
		v["candidates"].as_array().is_some_and(|c| c.iter().any(|c| c["branch"] == 4))
	});
	council_motion(
		alice_node,
		&council,
		RuntimeCall::Election(pallet_timebank_election::Call::approve_candidate { branch: 4 }),
	);

	// Eve's node generates session keys and proves it holds them; Eve registers them.
	let generated =
		eve_node.rpc("author_rotateKeysWithOwner", json!([to_hex(&eve.account.encode())]));
	let bytes =
		|field: &str| from_hex(generated[field].as_str().expect("hex bytes")).expect("hex digits");
	let keys = SessionKeys::decode(&mut &bytes("keys")[..]).expect("session keys");
	must_submit(
		alice_node,
		&eve,
		RuntimeCall::Session(pallet_session::Call::set_keys { keys, proof: bytes("proof") }),
	);
	let view =
		wait_for_view(alice_node, "approved candidate with keys", Duration::from_secs(30), |v| {
			v["candidates"].as_array().is_some_and(|c| {
				c.iter().any(|c| {
					c["branch"] == 4 && c["approved"] == true && c["keysRegistered"] == true
				})
			})
		});
	// Ties go to incumbents: the set does not change until members vote.
	assert!(!accounts(&view["projected"]).contains(&eve.address()), "{view}");

	// Members vote: two for Eve's branch, one for Alice's; Dave's branch has none.
	let voters = ["//Voter1", "//Voter2", "//Voter3"].map(Signer::new);
	for (n, voter) in voters.iter().enumerate() {
		register_member(alice_node, &alice, voter, 0, n as u8 + 1);
	}
	wait_until(alice_node, "timebank_member", json!([voters[2].address()]), |m| !m.is_null());
	for (voter, branch) in voters.iter().zip([4, 4, 0]) {
		must_submit(
			alice_node,
			voter,
			RuntimeCall::Election(pallet_timebank_election::Call::vote { branch }),
		);
	}
	let view =
		wait_for_view(alice_node, "the projection to change", Duration::from_secs(30), |v| {
			accounts(&v["projected"]).contains(&eve.address())
		});
	assert!(!accounts(&view["projected"]).contains(&dave.address()), "{view}");

	// At the next era Eve validates and Dave does not.
	let view =
		wait_for_view(alice_node, "Eve in the validator set", Duration::from_secs(90), |v| {
			accounts(&v["validators"]).contains(&eve.address())
		});
	println!("timebank_validators once Eve validates: {view}");
	let set = accounts(&view["validators"]);
	assert_eq!(set.len(), 4, "{view}");
	assert!(!set.contains(&dave.address()), "{view}");
	wait_for_view(alice_node, "a block authored by Eve", Duration::from_secs(60), |v| {
		v["validators"].as_array().is_some_and(|list| {
			list.iter().any(|v| {
				v["account"] == eve.address() && v["authoredThisSession"].as_u64() > Some(0)
			})
		})
	});

	// Finality continues on every node, the new validator's and the former one's included.
	let target = alice_node.finalized_number() + 10;
	for node in &nodes {
		node.wait_for_finalized(target, Duration::from_secs(90));
	}
	let longest_stall = watch.stop();
	assert!(
		longest_stall < Duration::from_secs(10),
		"finality stood still for {longest_stall:?} during the change"
	);
	println!("election: Eve in, Dave out; longest finality stall: {longest_stall:?}");
}

#[test]
fn a_validator_down_for_several_sessions_is_removed_and_the_rest_keep_finalising() {
	let _turn = one_network_at_a_time();
	let dir = tempfile::tempdir().expect("temp dir");
	let spec = fast_election_spec(dir.path(), None);
	let mut nodes = start_network(dir.path(), &spec, &["alice", "bob", "charlie", "dave"]);
	for node in &nodes {
		node.wait_for_peers(3, Duration::from_secs(60));
	}
	wait_all_finalized(&nodes.iter().collect::<Vec<_>>(), 2, Duration::from_secs(90));
	let dave = Signer::new("//Dave");

	nodes[3].kill();
	let (alive, _) = nodes.split_at(3);
	let alice_node = &alive[0];
	let watch = FinalityWatch::start(alice_node);
	let mut most_offline_sessions = 0;
	let view = wait_for_view(alice_node, "Dave removed", Duration::from_secs(150), |v| {
		if let Some(entry) = v["validators"]
			.as_array()
			.and_then(|list| list.iter().find(|v| v["account"] == dave.address()))
		{
			most_offline_sessions =
				most_offline_sessions.max(entry["offlineSessions"].as_u64().unwrap_or(0));
		}
		!accounts(&v["validators"]).contains(&dave.address())
	});
	assert!(most_offline_sessions >= 1, "Dave was never reported offline before removal: {view}");
	assert_eq!(accounts(&view["validators"]).len(), 3, "{view}");
	let candidate = view["candidates"]
		.as_array()
		.and_then(|c| c.iter().find(|c| c["branch"] == 3))
		.expect("Dave's candidacy stays");
	assert_eq!(candidate["excluded"], true, "{view}");

	// Bad input: a malformed block hash, and one the node does not know.
	let malformed = alice_node.try_rpc("timebank_validators", json!(["0x00"]));
	assert!(malformed.is_err_and(|e| e.contains("-32602")), "malformed hash accepted");
	let unknown =
		alice_node.try_rpc("timebank_validators", json!([format!("0x{}", "ab".repeat(32))]));
	assert!(unknown.is_err_and(|e| e.contains("runtime call failed")), "unknown block accepted");

	let target = alice_node.finalized_number() + 10;
	for node in alive {
		node.wait_for_finalized(target, Duration::from_secs(90));
	}
	let longest_stall = watch.stop();
	assert!(
		longest_stall < Duration::from_secs(10),
		"finality stood still for {longest_stall:?} while Dave was down"
	);
	println!(
		"liveness: Dave removed after {most_offline_sessions} reported offline session(s); \
		 longest finality stall: {longest_stall:?}"
	);
}

// Over 70 lines: one journey on one chain, each step starting from the state the step before
// left, so it reads top to bottom like the user guide it follows.
#[test]
fn the_council_upgrades_the_runtime_of_a_running_network() {
	let _turn = one_network_at_a_time();
	let previous = std::fs::read(PREVIOUS_RUNTIME).unwrap_or_else(|e| {
		panic!("{PREVIOUS_RUNTIME}: {e}; build it with scripts/build-upgrade-fixture")
	});
	let next = WASM_BINARY.expect("the node tests are built with the Wasm runtime");
	let dir = tempfile::tempdir().expect("temp dir");
	let spec = fast_election_spec(dir.path(), Some(&previous));
	let nodes = start_network(dir.path(), &spec, &["alice", "bob", "charlie", "dave"]);
	for node in &nodes {
		node.wait_for_peers(3, Duration::from_secs(60));
	}
	let all: Vec<&Node> = nodes.iter().collect();
	wait_all_finalized(&all, 2, Duration::from_secs(90));
	// A node compiling the new runtime may not answer within the RPC timeout (four nodes share
	// two cores at the upgrade): while waiting, no answer counts as "not yet".
	let spec_version = |node: &Node| {
		node.try_rpc("state_getRuntimeVersion", json!([])).ok()?["specVersion"].as_u64()
	};
	let old_version = spec_version(&nodes[0]).expect("spec version");
	assert!(
		old_version < u64::from(VERSION.spec_version),
		"the fixture must be an older runtime: {old_version} vs {}",
		VERSION.spec_version
	);

	// A member with credits, read before the upgrade.
	let [alice, bob, charlie] = ["//Alice", "//Bob", "//Charlie"].map(Signer::new);
	let member = Signer::new("//Ursula");
	let node = &nodes[0];
	register_member(node, &alice, &member, 0, 7);
	wait_until(node, "timebank_member", json!([member.address()]), |m| !m.is_null());
	let grant = |minutes| {
		RuntimeCall::Ledger(pallet_timebank_ledger::Call::grant {
			to: member.account.clone(),
			amount: minutes,
			memo: H256::repeat_byte(0x90),
		})
	};
	must_submit(node, &alice, grant(90));
	let before = wait_until(node, "timebank_balances", json!([member.address()]), |b| {
		b["spendable"] == json!(90)
	});
	// The old runtime adds up the branch's balances on each call; the new one reads the totals
	// its migration (ledger storage version 1) filled in.
	let summary_before = node.rpc("timebank_branchSummary", json!([0]));

	// The council authorises the new code by its hash; anyone then applies it.
	council_motion(
		node,
		&[&alice, &bob, &charlie],
		RuntimeCall::Governance(pallet_timebank_governance::Call::authorize_upgrade {
			code_hash: BlakeTwo256::hash(next),
		}),
	);
	let authorised = node.storage(&system_storage::AuthorizedUpgrade::hashed_key(), None);
	assert!(authorised.is_some(), "no authorisation");
	must_submit(
		node,
		&bob,
		RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code: next.to_vec() }),
	);

	// Every node runs the new runtime, keeps finalising, and reads the same state.
	for node in &nodes {
		wait_for(
			&format!("node on rpc port {} to run the new runtime", node.config.rpc_port),
			Duration::from_secs(60),
			|| spec_version(node) == Some(u64::from(VERSION.spec_version)),
		);
	}
	let target = nodes[0].finalized_number() + 5;
	wait_all_finalized(&all, target, Duration::from_secs(90));
	for node in &nodes {
		assert_eq!(node.rpc("timebank_balances", json!([member.address()])), before);
		let report = node.rpc("timebank_checkInvariants", json!([]));
		assert_eq!(report["holds"], true, "{report}");
		assert_eq!(node.rpc("timebank_branchSummary", json!([0])), summary_before);
	}
	// The new runtime executes transactions, and keeps the branch's total in step.
	must_submit(node, &alice, grant(30));
	wait_until(node, "timebank_balances", json!([member.address()]), |b| {
		b["spendable"] == json!(120)
	});
	let outstanding = |summary: &Value| summary["outstandingSpendable"].as_i64();
	let summary_after = node.rpc("timebank_branchSummary", json!([0]));
	assert_eq!(
		outstanding(&summary_after),
		outstanding(&summary_before).map(|minutes| minutes + 30),
		"{summary_before} -> {summary_after}"
	);
	println!("upgrade: spec {old_version} -> {} on 4 nodes; balances intact", VERSION.spec_version);
}
