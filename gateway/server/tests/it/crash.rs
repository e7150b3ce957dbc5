//! The `timebank-gateway` binary stopped at each step of a submission (an abort right after the
//! step commits, as SIGKILL would stop it), then started again: every operation ends exactly
//! once, with the nonce it took. Then the bad-input faults: each a clear sentence and exit 1.
//! Needs the binary built with `--features fault-injection` (scripts/test does).

use crate::common::{appoint_staff, config, free_port, DevNode};
use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};
use timebank_gateway::{
	members::{PersonalData, Roles},
	outbox::{OperationId, Outbox, State},
	store::{Database, Db, Location},
	Gateway,
};

const GATEWAY: &str = env!("CARGO_BIN_EXE_timebank-gateway");

/// The points a submission passes, in order (see `src/fault.rs`).
const CRASH_POINTS: [&str; 6] =
	["nonce_assigned", "signed", "checked", "sent", "submitted", "finalized"];

fn gateway_command(node: &DevNode, data_dir: &Path, listen: u16) -> Command {
	let mut command = Command::new(GATEWAY);
	command
		.arg("--node-url")
		.arg(node.url())
		.arg("--data-dir")
		.arg(data_dir)
		.arg("--listen")
		.arg(format!("127.0.0.1:{listen}"))
		.env_remove("TIMEBANK_GATEWAY_CRASH_AT")
		.stdin(Stdio::null())
		.stdout(Stdio::null());
	command
}

fn log_to(command: &mut Command, log: &Path) -> Child {
	let file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log file");
	command.stderr(file).spawn().expect("spawn timebank-gateway")
}

fn person(n: usize) -> PersonalData {
	PersonalData {
		name: format!("Crashname{n}"),
		phone: Some(format!("+86137{n:08}")),
		id_type: "resident-id".into(),
		id_number: format!("CRASHID{n:06}"),
		..Default::default()
	}
}

async fn wait_all_terminal(outbox: &Outbox, ids: &[OperationId], node: &DevNode, log: &Path) {
	let deadline = Instant::now() + Duration::from_secs(120);
	for id in ids {
		loop {
			let op = outbox.get(*id).await.expect("read");
			if op.state.is_terminal() {
				assert_eq!(op.state, State::FinalizedOk, "operation {id}: {:?}", op.outcome);
				break;
			}
			assert!(
				Instant::now() < deadline,
				"operation {id} stuck in {:?}\ngateway log:\n{}\nnode log:\n{}",
				op.state,
				std::fs::read_to_string(log).unwrap_or_default(),
				node.log_tail(20)
			);
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}
}

fn http_get(port: u16, path: &str) -> String {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
	stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
	write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
		.expect("send");
	let mut answer = String::new();
	stream.read_to_string(&mut answer).expect("read");
	answer
}

fn wait_http(port: u16) {
	let deadline = Instant::now() + Duration::from_secs(60);
	while TcpStream::connect(("127.0.0.1", port)).is_err() {
		assert!(Instant::now() < deadline, "the gateway did not listen");
		std::thread::sleep(Duration::from_millis(200));
	}
}

// Over 70 lines: one sequence of crashes on one chain, read top to bottom.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_every_step_the_gateway_loses_nothing_and_does_nothing_twice() {
	let node = DevNode::start();
	let chain = node.ready().await;
	let data = tempfile::tempdir().expect("temp dir");
	let log = data.path().join("gateway.log");
	let location = Location::SqliteDir(data.path().to_owned());

	let gateway = Gateway::open(config(&node, data.path(), location.clone())).await.expect("open");
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	appoint_staff(&chain, staff).await;
	let first_nonce = chain.next_index(staff).await.expect("nonce");

	let mut all = Vec::new();
	let mut members = Vec::new();
	for (round, point) in CRASH_POINTS.iter().enumerate() {
		// A registration waits in the outbox; the binary stops at `point` on it. (One per round:
		// a branch's officers may register 10 members per 10-minute window.)
		{
			let n = round;
			let registration = gateway
				.register_member(
					staff,
					0,
					Roles { recipient: true, ..Default::default() },
					&person(n),
					None,
				)
				.await
				.expect("enqueue");
			all.push(registration.operation);
			members.push(registration.account);
		}
		let port = free_port();
		let mut crashing = gateway_command(&node, data.path(), port);
		crashing.env("TIMEBANK_GATEWAY_CRASH_AT", format!("{point}:1"));
		let mut child = log_to(&mut crashing, &log);
		let deadline = Instant::now() + Duration::from_secs(90);
		let status = loop {
			if let Some(status) = child.try_wait().expect("poll") {
				break status;
			}
			if Instant::now() > deadline {
				let _ = child.kill();
				panic!(
					"the gateway did not stop at {point}: is it built with --features fault-injection?\n{}",
					std::fs::read_to_string(&log).unwrap_or_default()
				);
			}
			std::thread::sleep(Duration::from_millis(100));
		};
		assert!(!status.success(), "aborted, not exited");
		let logged = std::fs::read_to_string(&log).unwrap_or_default();
		assert!(logged.contains(&format!("fault injection: aborting at {point}")), "{logged}");

		// Started again, it finishes everything; then it is killed outright (SIGKILL) too.
		let port = free_port();
		let mut child = log_to(&mut gateway_command(&node, data.path(), port), &log);
		wait_http(port);
		wait_all_terminal(&gateway.outbox, &all, &node, &log).await;
		if round == 0 {
			let health = http_get(port, "/health");
			assert!(health.starts_with("HTTP/1.1 200"), "{health}");
			assert!(health.contains("\"status\":\"ok\""), "{health}");
			let metrics = http_get(port, "/metrics");
			assert!(
				metrics.contains(
					"timebank_gateway_operation_transitions_total{state=\"finalized_ok\"}"
				),
				"{metrics}"
			);
		}
		child.kill().expect("SIGKILL");
		let _ = child.wait();
	}

	// Each registration executed exactly once: one nonce each, and every member exists.
	let used = chain.next_index(staff).await.expect("nonce") - first_nonce;
	assert_eq!(used, all.len() as u64, "nonces used by the staff account");
	let mut nonces = Vec::new();
	for id in &all {
		nonces.push(gateway.outbox.get(*id).await.expect("op").nonce.expect("nonce"));
	}
	nonces.sort_unstable();
	assert_eq!(nonces, (first_nonce..first_nonce + all.len() as u64).collect::<Vec<_>>());
	for account in members {
		let record = node
			.rpc(
				"timebank_member",
				vec![serde_json::json!(polkadot_sdk::sp_core::crypto::Ss58Codec::to_ss58check(
					&polkadot_sdk::sp_core::crypto::AccountId32::from(account)
				))],
			)
			.await;
		assert!(!record.is_null(), "a registered member is missing");
	}
	// The index, written by six gateway runs that were each stopped, holds every block once,
	// in order, and agrees with the chain.
	let last = gateway
		.outbox
		.get(*all.last().expect("ops"))
		.await
		.expect("op")
		.block_number
		.expect("block");
	let port = free_port();
	let mut child = log_to(&mut gateway_command(&node, data.path(), port), &log);
	let deadline = Instant::now() + Duration::from_secs(60);
	while timebank_gateway::indexer::head(&gateway.index).await.expect("head").map_or(0, |h| h.0)
		< last
	{
		assert!(Instant::now() < deadline, "the indexer did not reach block {last}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	child.kill().expect("SIGKILL");
	let _ = child.wait();
	let head =
		timebank_gateway::indexer::head(&gateway.index).await.expect("head").expect("a head").0;
	let row = gateway
		.index
		.query_one("SELECT COUNT(*), MIN(number), MAX(number) FROM blocks", vec![])
		.await
		.expect("count")
		.expect("a row");
	let counts = (row.int(0).expect("count"), row.int(1).expect("min"), row.int(2).expect("max"));
	assert_eq!(counts, (head as i64, 1, head as i64), "every block once, none skipped");
	let differences =
		timebank_gateway::indexer::reconcile(&gateway.index, &chain).await.expect("reconcile");
	assert!(differences.is_empty(), "{differences:?}");

	// No personal value in the binary's log.
	let logged = std::fs::read_to_string(&log).unwrap_or_default();
	for n in 0..all.len() {
		assert!(
			!logged.contains(&format!("Crashname{n}"))
				&& !logged.contains(&format!("CRASHID{n:06}"))
		);
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_and_restarted_under_the_gateway_loses_nothing() {
	let mut node = DevNode::start();
	let chain = node.ready().await;
	let data = tempfile::tempdir().expect("temp dir");
	let location = Location::SqliteDir(data.path().to_owned());
	let gateway = Gateway::open(config(&node, data.path(), location)).await.expect("open");
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	appoint_staff(&chain, staff).await;
	let first_nonce = chain.next_index(staff).await.expect("nonce");
	let workers = gateway.spawn_workers();
	let mut ids = Vec::new();
	for n in 0..4 {
		let registration = gateway
			.register_member(
				staff,
				0,
				Roles { volunteer: true, ..Default::default() },
				&person(100 + n),
				None,
			)
			.await
			.expect("enqueue");
		ids.push(registration.operation);
	}
	// Let the first be sent, then kill the node: its pool is lost with it.
	let deadline = Instant::now() + Duration::from_secs(60);
	while gateway.outbox.get(ids[0]).await.expect("op").state != State::Submitted
		&& !gateway.outbox.get(ids[0]).await.expect("op").state.is_terminal()
	{
		assert!(Instant::now() < deadline, "the first operation was never sent");
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
	node.restart();
	let log = data.path().join("none.log");
	wait_all_terminal(&gateway.outbox, &ids, &node, &log).await;
	for worker in workers {
		worker.abort();
	}
	let chain = node.ready().await;
	assert_eq!(chain.next_index(staff).await.expect("nonce") - first_nonce, ids.len() as u64);
}

fn run_to_exit(command: &mut Command) -> Output {
	let output = command.stderr(Stdio::piped()).output().expect("run timebank-gateway");
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(!stderr.contains("panicked"), "a panic instead of an error:\n{stderr}");
	output
}

fn assert_fails_with(output: &Output, expected: &str) {
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert_eq!(output.status.code(), Some(1), "exit 1 expected:\n{stderr}");
	assert!(stderr.contains(expected), "stderr lacks {expected:?}:\n{stderr}");
}

#[tokio::test]
async fn bad_configuration_and_keys_are_refused_in_one_sentence() {
	use std::os::unix::fs::PermissionsExt;
	let dir = tempfile::tempdir().expect("temp dir");
	let file = dir.path().join("gateway.toml");
	std::fs::write(&file, "node-url = [1,\n").expect("write");
	let output = run_to_exit(Command::new(GATEWAY).arg("--config").arg(&file).arg("check-config"));
	assert_fails_with(&output, "is not valid");

	let output =
		run_to_exit(Command::new(GATEWAY).args(["--node-url", "http://x", "check-config"]));
	assert_fails_with(&output, "setting `node-url` (flag or environment)");

	// A key export for something that is not an account: refused before anything is opened.
	let export = ["export-key", "--account", "0x1234", "--officer", "0x1234"];
	let output = run_to_exit(Command::new(GATEWAY).arg("--data-dir").arg(dir.path()).args(export));
	assert_fails_with(&output, "0x1234 is not an account");

	// A KEK file others may read.
	let kek = dir.path().join("kek");
	std::fs::write(&kek, [7u8; 32]).expect("write");
	std::fs::set_permissions(&kek, std::fs::Permissions::from_mode(0o644)).expect("chmod");
	let output = run_to_exit(
		Command::new(GATEWAY)
			.arg("--data-dir")
			.arg(dir.path())
			.args(["--node-url", "ws://127.0.0.1:1"]),
	);
	assert_fails_with(&output, "chmod 600");

	// A KEK of the wrong length.
	std::fs::write(&kek, [7u8; 31]).expect("write");
	std::fs::set_permissions(&kek, std::fs::Permissions::from_mode(0o600)).expect("chmod");
	let output = run_to_exit(
		Command::new(GATEWAY)
			.arg("--data-dir")
			.arg(dir.path())
			.args(["--node-url", "ws://127.0.0.1:1"]),
	);
	assert_fails_with(&output, "holds 31 bytes");

	// The wrong KEK for a vault that holds keys: refused at start, before anything is signed.
	std::fs::write(&kek, [7u8; 32]).expect("write");
	let location = Location::SqliteDir(dir.path().to_owned());
	{
		let vault_db = Db::open(&location, Database::Vault).await.expect("vault");
		let custody = timebank_custody::Custody::new(timebank_custody::Kek::from_bytes(
			[9u8; 32],
			timebank_custody::KekId(1),
		));
		let vault = timebank_gateway::vault::Vault::new(vault_db, std::sync::Arc::new(custody));
		vault.create_key(None).await.expect("a key under another KEK");
	}
	let output = run_to_exit(
		Command::new(GATEWAY)
			.arg("--data-dir")
			.arg(dir.path())
			.args(["--node-url", "ws://127.0.0.1:1"]),
	);
	assert_fails_with(&output, "does not open");

	// The KEK file gone while the vault holds keys.
	std::fs::remove_file(&kek).expect("remove");
	let output = run_to_exit(
		Command::new(GATEWAY)
			.arg("--data-dir")
			.arg(dir.path())
			.args(["--node-url", "ws://127.0.0.1:1"]),
	);
	assert_fails_with(&output, "restore the file from its backup");
}

#[tokio::test]
async fn a_node_that_is_down_is_waited_for_not_a_crash() {
	let dir = tempfile::tempdir().expect("temp dir");
	let log = dir.path().join("gateway.log");
	let port = free_port();
	let mut child = log_to(
		Command::new(GATEWAY)
			.arg("--data-dir")
			.arg(dir.path())
			.args(["--node-url", &format!("ws://127.0.0.1:{}", free_port())])
			.args(["--listen", &format!("127.0.0.1:{port}")])
			.stdout(Stdio::null()),
		&log,
	);
	std::thread::sleep(Duration::from_secs(4));
	assert!(child.try_wait().expect("poll").is_none(), "it exited instead of waiting");
	child.kill().expect("kill");
	let _ = child.wait();
	let logged = std::fs::read_to_string(&log).unwrap_or_default();
	assert!(logged.contains("waiting for the node"), "{logged}");
	assert!(!logged.contains("panicked"), "{logged}");
}
