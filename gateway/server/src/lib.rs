//! The Time Bank gateway (issue 17, decision 0014): members never handle keys, yet every action is
//! signed by the member's own account on the chain.
//!
//! - [`vault`]: members' keys and personal data, sealed by custody (`timebank-custody`);
//! - [`outbox`]: every operation written down before it is sent, one nonce for life, a dry run
//!   first, followed to finality;
//! - [`chain`]: the node, through subxt and safe RPC methods only;
//! - [`members`]: registration at the counter, with only a salted commitment on chain;
//! - [`keys`]: a member's words exported to self-custody, and re-keying on chain;
//! - [`store`]: SQLite or PostgreSQL behind one interface, three logical databases;
//! - [`auth`]: sign-in by phone and password, sessions, lockout;
//! - [`api`]: the HTTP API (OpenAPI at `/api/openapi.json`), `/health`, `/ready`, `/metrics`;
//! - [`config`]: flags, environment, file, defaults; [`demo`]: a demo branch on the
//!   development chain, for `scripts/run-dev`.
//!
//! Invariants (kept in `docs/ARCHITECTURE.md`): secrets exist in clear only inside custody; no
//! personal data reaches the chain, the `ops` or `index` databases or a log line; one
//! (account, nonce) per operation for life.

/// The process's allocator, for the binary, its benchmark and its tests alike: the indexer makes
/// and drops many small values on several threads at once, where glibc's allocator spent about a
/// tenth of a catch-up, part of it waiting on its arena locks (docs/BENCHMARKS.md, P10).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod api;
pub mod auth;
mod backoff;
pub mod chain;
pub mod config;
pub mod demo;
pub mod fault;
pub mod indexer;
pub mod keys;
pub mod members;
pub mod metrics;
pub mod outbox;
pub mod projection;
pub mod store;
pub mod vault;

use std::sync::Arc;
use timebank_custody::{Custody, CustodyError, Kek};

/// Why the gateway could not do what was asked. Each message says what to do; none carries a
/// secret or personal data.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
	/// A configuration setting.
	#[error(transparent)]
	Config(#[from] config::ConfigError),
	/// A database.
	#[error(transparent)]
	Store(#[from] store::StoreError),
	/// Custody (KEK file, sealed data).
	#[error(transparent)]
	Custody(#[from] CustodyError),
	/// The vault.
	#[error(transparent)]
	Vault(#[from] vault::VaultError),
	/// The outbox.
	#[error(transparent)]
	Outbox(#[from] outbox::OutboxError),
	/// The node.
	#[error(transparent)]
	Chain(#[from] chain::ChainError),
	/// The watcher (another chain).
	#[error(transparent)]
	Watch(#[from] outbox::WatchError),
	/// The indexer.
	#[error(transparent)]
	Index(#[from] indexer::IndexError),
	/// Input staff or a client gave.
	#[error(transparent)]
	Input(#[from] members::InputError),
	/// A key export or re-key was refused.
	#[error(transparent)]
	Key(#[from] keys::KeyError),
	/// Signing in or setting a password was refused.
	#[error(transparent)]
	Auth(#[from] auth::AuthError),
	/// The demo branch could not be set up.
	#[error(transparent)]
	Demo(#[from] demo::DemoError),
	/// The KEK file is missing while the vault holds keys sealed under it.
	#[error(
		"the key-encryption key file {0} is missing, but the vault holds member keys: restore the \
		 file from its backup (without it those keys cannot be opened)"
	)]
	KekMissing(String),
	/// Stored data does not have the shape the gateway wrote.
	#[error("stored {0} is malformed")]
	Corrupt(&'static str),
	/// The operating system gave no randomness.
	#[error("no randomness from the operating system: {0}")]
	NoRandomness(String),
	/// `reconcile` found differences between the index and the chain.
	#[error("the index differs from the chain in {0} places (listed above)")]
	Reconcile(usize),
	/// A command's output could not be made.
	#[error("cannot write the output: {0}")]
	Output(String),
	/// The HTTP address could not be bound.
	#[error("cannot listen on {addr}: {reason}")]
	Listen {
		/// The address.
		addr: String,
		/// Why.
		reason: String,
	},
}

/// A running gateway's parts.
#[derive(Clone)]
pub struct Gateway {
	/// The outbox.
	pub outbox: outbox::Outbox,
	/// The vault.
	pub vault: vault::Vault,
	/// The node.
	pub chain: chain::Chain,
	/// The metrics.
	pub metrics: metrics::Metrics,
	/// The `index` database.
	pub index: store::Db,
	/// The settings it runs with.
	pub config: config::Config,
	/// Password hashing, a few at a time.
	pub hasher: auth::Hasher,
}

/// Open the KEK: read the file, or create it when the vault is empty (nothing can be lost yet:
/// the development default); a missing file with keys in the vault is refused.
async fn open_custody(
	config: &config::Config,
	vault_db: &store::Db,
) -> Result<Custody, GatewayError> {
	let kek = if config.kek_file.exists() {
		Kek::from_file(&config.kek_file, timebank_custody::KekId(config.kek_id))?
	} else {
		let empty =
			vault_db.query_one("SELECT 1 FROM member_keys LIMIT 1", vec![]).await?.is_none();
		if !empty {
			return Err(GatewayError::KekMissing(config.kek_file.display().to_string()));
		}
		let kek = Kek::generate(timebank_custody::KekId(config.kek_id))?;
		kek.write_new_file(&config.kek_file)?;
		tracing::warn!(
			file = %config.kek_file.display(),
			"created a new key-encryption key; back it up: without it no member key opens"
		);
		kek
	};
	Ok(Custody::new(kek))
}

impl Gateway {
	/// Open the databases and custody, and connect to the node (waiting while it is down).
	pub async fn open(config: config::Config) -> Result<Self, GatewayError> {
		let ops = store::Db::open(&config.database, store::Database::Ops).await?;
		let vault_db = store::Db::open(&config.database, store::Database::Vault).await?;
		let index = store::Db::open(&config.database, store::Database::Index).await?;
		let custody = open_custody(&config, &vault_db).await?;
		let vault = vault::Vault::new(vault_db, Arc::new(custody));
		vault.check_kek().await?;
		let chain = chain::Chain::connect_patiently(&config.node_url).await;
		let metrics = metrics::Metrics::new();
		let gateway = Self {
			outbox: outbox::Outbox::new(ops),
			vault,
			chain,
			metrics,
			index,
			config,
			hasher: auth::Hasher::default(),
		};
		gateway.watcher().bind().await?;
		gateway.indexer().bind().await?;
		Ok(gateway)
	}

	fn watcher(&self) -> outbox::Watcher {
		outbox::Watcher::new(self.outbox.db().clone(), self.chain.clone(), self.metrics.clone())
	}

	fn indexer(&self) -> indexer::Indexer {
		indexer::Indexer::new(self.index.clone(), self.chain.clone(), self.metrics.clone())
	}

	/// Start the pipeline, the watcher, the indexer and the re-key settler in the background.
	pub fn spawn_workers(&self) -> Vec<tokio::task::JoinHandle<()>> {
		let pipeline = outbox::Pipeline::new(
			self.outbox.clone(),
			self.chain.clone(),
			self.vault.clone(),
			self.metrics.clone(),
			self.config.era_period,
		);
		vec![
			tokio::spawn(pipeline.run()),
			tokio::spawn(self.watcher().run()),
			tokio::spawn(self.indexer().run()),
			tokio::spawn(self.clone().settle_rekeys_forever()),
		]
	}
}
