//! Test harness: starts real `timebank-node` processes on loopback ports in temporary
//! directories and talks to them over JSON-RPC.
//!
//! Each node's output goes to `<base path>/node.log`; a failing test prints its tail. JSON-RPC
//! goes through the load generator's client (`timebank_bench::rpc`), one connection per call: a
//! test's calls are few, and a call never outlives a node that a test kills and restarts.

pub mod chain;

use serde_json::{json, Value};
use std::{
	fs,
	io::Read,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Output, Stdio},
	sync::{RwLock, RwLockReadGuard, RwLockWriteGuard},
	thread,
	time::{Duration, Instant},
};
use timebank_bench::rpc::Rpc;
use timebank_runtime::signing::SigningContext;

/// The node binary cargo built for these tests (same profile as `scripts/run-dev`).
pub const NODE_BINARY: &str = env!("CARGO_BIN_EXE_timebank-node");

/// The development keys of the four branch validators of `local-4`.
pub const BRANCH_KEYS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// How long a JSON-RPC call may wait for its answer.
const RPC_TIMEOUT: Duration = Duration::from_secs(10);

/// Turns for the tests that start nodes. All tests share one binary and run two at a time, but
/// two cores cannot run a network of four or five validators beside anything else without
/// disturbing the timings it asserts (slot gaps, finality stalls).
static NODE_TURNS: RwLock<()> = RwLock::new(());

/// A test that starts a network of validators holds this while it runs: it runs alone.
pub fn one_network_at_a_time() -> RwLockWriteGuard<'static, ()> {
	NODE_TURNS.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A test that starts single nodes holds this while it runs: beside other such tests, never
/// beside a network.
pub fn no_network_meanwhile() -> RwLockReadGuard<'static, ()> {
	NODE_TURNS.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A JSON-RPC connection to the node on `127.0.0.1:port`.
pub fn connect(port: u16) -> Result<Rpc, String> {
	Rpc::connect_with_timeout(&format!("127.0.0.1:{port}"), RPC_TIMEOUT)
}

/// A loopback TCP port that was free a moment ago.
pub fn free_port() -> u16 {
	let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
	listener.local_addr().expect("local address").port()
}

/// Runs the node binary to completion with `args` and returns its output.
pub fn run_to_completion(args: &[&str], timeout: Duration) -> Output {
	let mut child = Command::new(NODE_BINARY)
		.args(args)
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("spawn timebank-node");
	// Drain both pipes while waiting: a chain spec is megabytes, far beyond a pipe's buffer.
	let drain = |mut pipe: Box<dyn Read + Send>| {
		thread::spawn(move || {
			let mut bytes = Vec::new();
			let _ = pipe.read_to_end(&mut bytes);
			bytes
		})
	};
	let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
	let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
	let Some(status) = exit_within(&mut child, timeout) else {
		let stderr = stderr.join().unwrap_or_default();
		panic!(
			"timebank-node {args:?} did not exit within {timeout:?}; stderr:\n{}",
			String::from_utf8_lossy(&stderr)
		);
	};
	Output {
		status,
		stdout: stdout.join().unwrap_or_default(),
		stderr: stderr.join().unwrap_or_default(),
	}
}

/// Waits up to `timeout` for `child` to exit and returns its status; `None`: it was still running
/// and has been killed.
fn exit_within(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(status) = child.try_wait().expect("poll child") {
			return Some(status);
		}
		if Instant::now() > deadline {
			let _ = child.kill();
			let _ = child.wait();
			return None;
		}
		thread::sleep(Duration::from_millis(100));
	}
}

/// Asserts that a failed command said something useful and did not panic.
pub fn assert_clean_failure(output: &Output, expected_message: &str) {
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(!output.status.success(), "expected a non-zero exit; stderr:\n{stderr}");
	assert!(
		!stderr.contains("panicked") && !stderr.contains("This is a bug"),
		"the node panicked instead of reporting an error:\n{stderr}"
	);
	assert!(
		stderr.contains(expected_message),
		"stderr does not contain {expected_message:?}:\n{stderr}"
	);
}

/// How to start one node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// `--dev`: the dev chain with Alice's keys, forced authoring and a generated node key,
	/// exactly as `scripts/run-dev` starts it.
	pub dev: bool,
	pub chain: String,
	/// Development key name (`alice`, `bob`, …) whose session keys the node signs with.
	pub validator_key: Option<String>,
	pub base_path: PathBuf,
	pub node_key_file: Option<PathBuf>,
	pub reserved_nodes: Vec<String>,
	pub bootnodes: Vec<String>,
	pub reserved_only: bool,
	/// More command-line arguments, appended last.
	pub extra_args: Vec<String>,
	pub p2p_port: u16,
	pub rpc_port: u16,
}

impl NodeConfig {
	pub fn new(chain: &str, base_path: &Path) -> Self {
		Self {
			dev: false,
			chain: chain.into(),
			validator_key: None,
			base_path: base_path.to_path_buf(),
			node_key_file: None,
			reserved_nodes: Vec::new(),
			bootnodes: Vec::new(),
			reserved_only: false,
			extra_args: Vec::new(),
			p2p_port: free_port(),
			rpc_port: free_port(),
		}
	}

	pub fn dev(base_path: &Path) -> Self {
		Self { dev: true, ..Self::new("dev", base_path) }
	}

	pub fn validator(mut self, key: &str) -> Self {
		self.validator_key = Some(key.into());
		self
	}

	fn args(&self) -> Vec<String> {
		let mut args: Vec<String> = if self.dev {
			vec!["--dev".into()]
		} else {
			vec!["--chain".into(), self.chain.clone()]
		};
		args.extend([
			"--base-path".into(),
			self.base_path.display().to_string(),
			"--rpc-port".into(),
			self.rpc_port.to_string(),
			"--no-prometheus".into(),
			"--no-telemetry".into(),
			"--no-mdns".into(),
			"--listen-addr".into(),
			format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port),
		]);
		if let Some(key) = &self.validator_key {
			args.push(format!("--{key}"));
		}
		if let Some(file) = &self.node_key_file {
			args.push("--node-key-file".into());
			args.push(file.display().to_string());
		}
		for node in &self.reserved_nodes {
			args.push("--reserved-nodes".into());
			args.push(node.clone());
		}
		for node in &self.bootnodes {
			args.push("--bootnodes".into());
			args.push(node.clone());
		}
		if self.reserved_only {
			args.push("--reserved-only".into());
		}
		args.extend(self.extra_args.iter().cloned());
		args
	}
}

/// A running node; killed when dropped.
pub struct Node {
	pub config: NodeConfig,
	child: Option<Child>,
}

impl Node {
	pub fn start(config: NodeConfig) -> Self {
		fs::create_dir_all(&config.base_path).expect("create base path");
		let log = fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(config.base_path.join("node.log"))
			.expect("open node log");
		let child = Command::new(NODE_BINARY)
			.args(config.args())
			.env("RUST_LOG", "info")
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("clone log handle"))
			.stderr(log)
			.spawn()
			.expect("spawn timebank-node");
		let mut node = Self { config, child: Some(child) };
		node.wait_for_rpc(Duration::from_secs(60));
		node
	}

	/// Hard-kills the process, as a power cut or OOM kill would.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Asks the process to stop (SIGTERM) and waits for it, as an operator's `systemctl stop`.
	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
			let deadline = Instant::now() + Duration::from_secs(30);
			while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
				thread::sleep(Duration::from_millis(100));
			}
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts a node that is expected to refuse to run: waits for the process to exit and returns
	/// whether it failed and its log.
	pub fn start_expecting_exit(config: NodeConfig, timeout: Duration) -> (bool, String) {
		fs::create_dir_all(&config.base_path).expect("create base path");
		let log_path = config.base_path.join("node.log");
		let log = fs::File::create(&log_path).expect("create node log");
		let mut child = Command::new(NODE_BINARY)
			.args(config.args())
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("clone log handle"))
			.stderr(log)
			.spawn()
			.expect("spawn timebank-node");
		let Some(status) = exit_within(&mut child, timeout) else {
			panic!("the node kept running for {timeout:?} although it should have refused");
		};
		(!status.success(), fs::read_to_string(log_path).unwrap_or_default())
	}

	pub fn restart(&mut self) {
		self.kill();
		let config = self.config.clone();
		*self = Node::start(config);
	}

	pub fn log_tail(&self, lines: usize) -> String {
		let log = fs::read_to_string(self.config.base_path.join("node.log")).unwrap_or_default();
		let all: Vec<&str> = log.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// Calls a JSON-RPC method; `Err` carries a transport or JSON-RPC error as text.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		connect(self.config.rpc_port)?.call(method, params)
	}

	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params).unwrap_or_else(|error| {
			panic!("{method} failed: {error}\nnode log:\n{}", self.log_tail(40))
		})
	}

	fn wait_for_rpc(&mut self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			if self.try_rpc("system_health", json!([])).is_ok() {
				return;
			}
			if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
				panic!(
					"node exited with {status} before its RPC came up\nnode log:\n{}",
					self.log_tail(60)
				);
			}
			thread::sleep(Duration::from_millis(200));
		}
		panic!("node RPC did not come up within {timeout:?}\nnode log:\n{}", self.log_tail(60));
	}

	/// Panics with the node's log when `result` is an error.
	fn answered<T>(&self, what: &str, result: Result<T, String>) -> T {
		result.unwrap_or_else(|error| {
			panic!("{what} failed: {error}\nnode log:\n{}", self.log_tail(40))
		})
	}

	pub fn best_number(&self) -> u64 {
		let number = connect(self.config.rpc_port).and_then(|mut rpc| rpc.best_number());
		self.answered("the best block's number", number)
	}

	pub fn finalized_number(&self) -> u64 {
		let number = connect(self.config.rpc_port).and_then(|mut rpc| rpc.finalised_number());
		self.answered("the finalised head's number", number)
	}

	/// The bytes stored under `key` in the state of block `at` (`None`: the best block).
	pub fn storage(&self, key: &[u8], at: Option<&Value>) -> Option<Vec<u8>> {
		let value = connect(self.config.rpc_port).and_then(|mut rpc| rpc.storage(key, at));
		self.answered("state_getStorage", value)
	}

	/// What a transaction signed now commits to, for the runtime the node runs now (which may
	/// be older or newer than the one these tests were built with: runtime-upgrade tests).
	pub fn signing_context(&self) -> SigningContext {
		let context = connect(self.config.rpc_port).and_then(|mut rpc| rpc.signing_context());
		self.answered("the signing context", context)
	}

	pub fn block_hash(&self, number: u64) -> Value {
		self.rpc("chain_getBlockHash", json!([number]))
	}

	pub fn peers(&self) -> u64 {
		self.rpc("system_health", json!([]))["peers"].as_u64().expect("peers is a number")
	}

	/// Waits until this node has finalised block `number`; panics with the log otherwise.
	pub fn wait_for_finalized(&self, number: u64, timeout: Duration) -> u64 {
		let deadline = Instant::now() + timeout;
		loop {
			let finalized = self.finalized_number();
			if finalized >= number {
				return finalized;
			}
			if Instant::now() > deadline {
				panic!(
					"node on rpc port {} finalised only #{finalized} of #{number} within {timeout:?}\nnode log:\n{}",
					self.config.rpc_port,
					self.log_tail(60)
				);
			}
			thread::sleep(Duration::from_millis(500));
		}
	}

	pub fn wait_for_peers(&self, peers: u64, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while self.peers() < peers {
			if Instant::now() > deadline {
				panic!(
					"node on rpc port {} has {} of {peers} peers after {timeout:?}\nnode log:\n{}",
					self.config.rpc_port,
					self.peers(),
					self.log_tail(60)
				);
			}
			thread::sleep(Duration::from_millis(500));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// Waits until every node of `nodes` has finalised block `number`.
pub fn wait_all_finalized(nodes: &[&Node], number: u64, timeout: Duration) {
	for node in nodes {
		node.wait_for_finalized(number, timeout);
	}
}

/// Generates a node key file and returns the node's libp2p peer id.
pub fn generate_node_key(file: &Path) -> String {
	let output = run_to_completion(
		&["key", "generate-node-key", "--file", &file.display().to_string()],
		Duration::from_secs(30),
	);
	assert!(output.status.success(), "generate-node-key failed: {output:?}");
	String::from_utf8_lossy(&output.stderr)
		.lines()
		.map(str::trim)
		.rfind(|line| line.starts_with("12D3") || line.starts_with("Qm"))
		.expect("generate-node-key prints the peer id")
		.to_string()
}

/// Starts one validator node per development key (`alice`, `bob`, …) on `chain` (a built-in name
/// or a chain spec file), each accepting only the others as peers.
pub fn start_network(root: &Path, chain: &str, keys: &[&str]) -> Vec<Node> {
	let configs: Vec<(NodeConfig, String)> = keys
		.iter()
		.map(|key| {
			let base = root.join(key);
			fs::create_dir_all(&base).expect("create base path");
			let node_key = base.join("node-key");
			let peer_id = generate_node_key(&node_key);
			let mut config = NodeConfig::new(chain, &base).validator(key);
			config.node_key_file = Some(node_key);
			config.reserved_only = true;
			(config, peer_id)
		})
		.collect();
	let addresses: Vec<String> = configs
		.iter()
		.map(|(config, peer_id)| format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", config.p2p_port))
		.collect();
	configs
		.into_iter()
		.enumerate()
		.map(|(index, (mut config, _))| {
			config.reserved_nodes = addresses
				.iter()
				.enumerate()
				.filter(|(i, _)| *i != index)
				.map(|(_, a)| a.clone())
				.collect();
			Node::start(config)
		})
		.collect()
}

/// The chain spec of a built-in chain as JSON, genesis not yet built (`runtimeGenesis` with the
/// runtime code and the preset's patch), for tests that change the genesis.
pub fn plain_chain_spec(chain: &str) -> Value {
	let output =
		run_to_completion(&["export-chain-spec", "--chain", chain], Duration::from_secs(60));
	assert!(output.status.success(), "export-chain-spec failed: {output:?}");
	serde_json::from_slice(&output.stdout).expect("export-chain-spec prints JSON")
}

/// Copies a directory tree (a node's base path, for backups).
pub fn copy_dir(from: &Path, to: &Path) {
	fs::create_dir_all(to).expect("create backup directory");
	for entry in fs::read_dir(from).expect("read directory") {
		let entry = entry.expect("directory entry");
		let target = to.join(entry.file_name());
		if entry.file_type().expect("file type").is_dir() {
			copy_dir(&entry.path(), &target);
		} else {
			fs::copy(entry.path(), &target).expect("copy file");
		}
	}
}
