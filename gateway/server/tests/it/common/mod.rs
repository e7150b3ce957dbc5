//! Test harness: a real development node on loopback ports in a temporary directory, the
//! gateway's library or binary beside it, and (see `pg`) a real PostgreSQL server.

pub mod http;
pub mod pg;

use polkadot_sdk::sp_core::{sr25519, Pair as _};
use serde_json::Value;
use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::rpcs::{rpc_params, RpcClient};
use timebank_gateway::{chain::Chain, config::Config, store::Location};

/// A loopback TCP port that was free a moment ago.
pub fn free_port() -> u16 {
	let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
	listener.local_addr().expect("local address").port()
}

/// The node binary: `TIMEBANK_NODE_BINARY`, else the one built beside this test in the same
/// target directory and profile (`scripts/test` builds it first).
pub fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("TIMEBANK_NODE_BINARY") {
		return path.into();
	}
	let exe = std::env::current_exe().expect("test executable");
	let release = exe.parent().and_then(Path::parent).expect("target/release/deps");
	let node = release.join("timebank-node");
	assert!(
		node.exists(),
		"{} is missing: build the node first (cargo build --release -p timebank-node)",
		node.display()
	);
	node
}

/// A development node (`--dev`, Alice's keys, instant finality by GRANDPA over one validator),
/// archive pruning, killed when dropped.
pub struct DevNode {
	child: Child,
	pub dir: tempfile::TempDir,
	pub rpc_port: u16,
	p2p_port: u16,
	extra_args: Vec<String>,
}

impl DevNode {
	pub fn start() -> Self {
		Self::start_with(&[])
	}

	/// A development node started with `extra_args` too (`--chain <file>` for another genesis).
	pub fn start_with(extra_args: &[&str]) -> Self {
		let dir = tempfile::tempdir().expect("temp dir");
		let mut node = Self {
			child: spawn_placeholder(),
			dir,
			rpc_port: free_port(),
			p2p_port: free_port(),
			extra_args: extra_args.iter().map(|a| (*a).to_owned()).collect(),
		};
		node.child = node.spawn();
		node
	}

	fn spawn(&self) -> Child {
		let log = std::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(self.dir.path().join("node.log"))
			.expect("node log");
		Command::new(node_binary())
			.arg("--dev")
			.arg("--base-path")
			.arg(self.dir.path().join("base"))
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.args(["--state-pruning", "archive", "--blocks-pruning", "archive"])
			.args(&self.extra_args)
			.stdin(Stdio::null())
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("spawn timebank-node")
	}

	/// Kill the node (SIGKILL) and start it again on the same base path and ports, with
	/// `extra_args` instead of the options it had.
	pub fn restart_with(&mut self, extra_args: &[&str]) {
		self.extra_args = extra_args.iter().map(|a| (*a).to_owned()).collect();
		self.restart();
	}

	/// Kill the node (SIGKILL) and start it again on the same base path and ports.
	pub fn restart(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		self.child = self.spawn();
	}

	pub fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The node's log so far (for failure messages).
	pub fn log_tail(&self, lines: usize) -> String {
		let log = std::fs::read_to_string(self.dir.path().join("node.log")).unwrap_or_default();
		let all: Vec<&str> = log.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// Wait until the node answers and has finalised block 1.
	pub async fn ready(&self) -> Chain {
		let deadline = Instant::now() + Duration::from_secs(90);
		loop {
			if let Ok(chain) = Chain::connect(&self.url()).await {
				if chain.finalized_head().await.is_ok_and(|(n, _)| n >= 1) {
					return chain;
				}
			}
			assert!(
				Instant::now() < deadline,
				"the node did not finalise block 1:\n{}",
				self.log_tail(30)
			);
			tokio::time::sleep(Duration::from_millis(300)).await;
		}
	}

	/// A `timebank_*` (or any safe) RPC answer.
	pub async fn rpc(&self, method: &str, params: Vec<Value>) -> Value {
		let client = RpcClient::from_insecure_url(self.url()).await.expect("connect");
		let mut p = rpc_params![];
		for param in params {
			p.push(param).expect("serialisable");
		}
		client.request(method, p).await.unwrap_or_else(|e| panic!("{method}: {e}"))
	}
}

fn spawn_placeholder() -> Child {
	Command::new("true").spawn().expect("spawn true")
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Alice's development key (sudo, admin of branch 0 on the dev chain).
pub fn alice() -> sr25519::Pair {
	sr25519::Pair::from_string("//Alice", None).expect("dev seed")
}

/// Sign `call` with a development key outside custody (test setup only) and wait until a
/// finalised block holds it, failing on any refusal.
pub async fn submit_as_dev(chain: &Chain, pair: &sr25519::Pair, call: &impl subxt::tx::Payload) {
	timebank_gateway::demo::submit_with_dev_key(chain, pair, call, "test setup")
		.await
		.unwrap_or_else(|e| panic!("setup call: {e}"));
}

/// A gateway configuration against `node` with its databases at `database`.
pub fn config(node: &DevNode, data_dir: &Path, database: Location) -> Config {
	Config {
		node_url: node.url(),
		data_dir: data_dir.to_owned(),
		database,
		kek_file: data_dir.join("kek"),
		kek_id: 1,
		listen: format!("127.0.0.1:{}", free_port()).parse().expect("address"),
		era_period: 64,
		log: "info".into(),
		sign_in_per_minute_per_address: 30,
		demo: false,
	}
}

/// Both databases the gateway supports, each with the PostgreSQL server it needs kept alive.
pub async fn each_database(name: &str) -> Vec<(Location, Option<pg::PgServer>, tempfile::TempDir)> {
	let sqlite_dir = tempfile::tempdir().expect("temp dir");
	let pg_dir = tempfile::tempdir().expect("temp dir");
	let server = pg::PgServer::start();
	let url = server.database(name).await;
	vec![
		(Location::SqliteDir(sqlite_dir.path().to_owned()), None, sqlite_dir),
		(Location::Postgres(url), Some(server), pg_dir),
	]
}

/// Make `account` (a key the gateway holds) staff of branch 0, through sudo.
pub async fn appoint_staff(chain: &Chain, account: [u8; 32]) {
	appoint_officer(chain, account, false).await;
}

/// Make `account` staff (or, with `admin`, an admin) of branch 0, through sudo: the council's
/// appointment takes effect at once.
pub async fn appoint_officer(chain: &Chain, account: [u8; 32], admin: bool) {
	use timebank_chain_api::timebank::{
		self,
		runtime_types::{
			pallet_timebank_registry::pallet::Call as RegistryCall,
			timebank_primitives::membership::OfficerRole, timebank_runtime::RuntimeCall,
		},
	};
	let appoint = RuntimeCall::Registry(RegistryCall::appoint_officer {
		branch: 0,
		who: subxt::utils::AccountId32(account),
		role: if admin { OfficerRole::Admin } else { OfficerRole::Staff },
	});
	submit_as_dev(chain, &alice(), &timebank::tx().sudo().sudo(appoint)).await;
}
