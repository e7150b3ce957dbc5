//! The gateway's one configuration: flags, then `TIMEBANK_*` environment variables, then a TOML
//! file (`--config`), then development defaults that work with `scripts/run-dev` out of the box.
//! It is checked whole before anything starts; an error names the setting and where it came from.

use crate::store::Location;
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use std::{net::SocketAddr, path::PathBuf};

/// `timebank-gateway`: signs for members, keeps personal data off chain, sends through an outbox.
#[derive(Debug, Parser)]
#[command(name = "timebank-gateway", version, about)]
pub struct Cli {
	/// What to do (default: run).
	#[command(subcommand)]
	pub command: Option<Command>,
	/// The settings.
	#[command(flatten)]
	pub settings: Settings,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Run the gateway: outbox, watcher and HTTP endpoints (the default).
	Run,
	/// Check the configuration and print it (no secrets), then exit.
	CheckConfig,
	/// Apply the databases' migrations, then exit.
	Migrate,
	/// Compare the index with the node's answers; list differences, exit 1 if any.
	Reconcile,
	/// Print the HTTP API's OpenAPI document (JSON), as served at /api/openapi.json, then exit.
	Openapi,
	/// Rewrap every member key under a new key-encryption key, then exit. Resumable; keep the
	/// old KEK file until it reports every key rewrapped.
	RotateKek {
		/// The new KEK file (32 bytes, owner-only); created if missing.
		#[arg(long)]
		new_kek_file: PathBuf,
		/// The new KEK's id (different from the current one).
		#[arg(long)]
		new_kek_id: u32,
	},
	/// Show a member's 12 words for self-custody (a wallet imports them), after the officer at
	/// the counter checked the member's identity document: its number is read from standard
	/// input, never from a flag (so it stays out of shell history). Audited; five refused
	/// attempts a day at most.
	ExportKey {
		/// The member's account (SS58 or 0x-hex).
		#[arg(long)]
		account: String,
		/// The checking officer's account (SS58 or 0x-hex), staff of the member's home branch.
		#[arg(long)]
		officer: String,
	},
}

/// Settings as given by flags or environment; `None` falls back to the file, then the default.
#[derive(Debug, Default, Args, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
	/// A TOML file with any of these settings (keys as the flags, without `--`).
	#[arg(long, env = "TIMEBANK_CONFIG", global = true)]
	#[serde(skip)]
	pub config: Option<PathBuf>,
	/// The node's WebSocket RPC address [default: ws://127.0.0.1:9944].
	#[arg(long, env = "TIMEBANK_NODE_URL", global = true)]
	pub node_url: Option<String>,
	/// Where the SQLite databases and the development KEK live [default: ./data/gateway].
	#[arg(long, env = "TIMEBANK_DATA_DIR", global = true)]
	pub data_dir: Option<PathBuf>,
	/// A PostgreSQL connection string (`host=/run/postgresql user=gateway dbname=timebank`);
	/// without it, SQLite files in the data directory.
	#[arg(long, env = "TIMEBANK_DATABASE_URL", global = true)]
	pub database_url: Option<String>,
	/// The key-encryption key file (32 bytes, owner-only) [default: <data-dir>/kek].
	#[arg(long, env = "TIMEBANK_KEK_FILE", global = true)]
	pub kek_file: Option<PathBuf>,
	/// The KEK's id, stored with every key it wraps [default: 1].
	#[arg(long, env = "TIMEBANK_KEK_ID", global = true)]
	pub kek_id: Option<u32>,
	/// Where `/health` and `/metrics` listen [default: 127.0.0.1:8070].
	#[arg(long, env = "TIMEBANK_LISTEN", global = true)]
	pub listen: Option<String>,
	/// Blocks a signed transaction stays valid, a power of two [default: 64].
	#[arg(long, env = "TIMEBANK_ERA_PERIOD", global = true)]
	pub era_period: Option<u64>,
	/// Log filter, e.g. `info` or `timebank_gateway=debug` [default: info].
	#[arg(long, env = "TIMEBANK_LOG", global = true)]
	pub log: Option<String>,
	/// Sign-in attempts allowed per client address a minute; raise it when many people sign in
	/// from one address (a counter's network behind one router, a load test) [default: 30].
	#[arg(long, env = "TIMEBANK_SIGN_IN_PER_MINUTE_PER_ADDRESS", global = true)]
	pub sign_in_per_minute_per_address: Option<u32>,
	/// At start, set up a demo branch with staff and members who can sign in (the development
	/// chain only; `scripts/run-dev` does) [default: false].
	#[arg(long, env = "TIMEBANK_DEMO", global = true, num_args = 0..=1, default_missing_value = "true")]
	pub demo: Option<bool>,
}

/// The checked configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
	/// The node's RPC address.
	pub node_url: String,
	/// The data directory.
	pub data_dir: PathBuf,
	/// Where the databases are.
	pub database: Location,
	/// The KEK file.
	pub kek_file: PathBuf,
	/// The KEK's id.
	pub kek_id: u32,
	/// The HTTP address.
	pub listen: SocketAddr,
	/// Mortality of signed transactions, in blocks.
	pub era_period: u64,
	/// The log filter.
	pub log: String,
	/// Sign-in attempts per client address a minute.
	pub sign_in_per_minute_per_address: u32,
	/// Set up the demo branch at start.
	pub demo: bool,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	/// The file could not be read.
	#[error("cannot read the configuration file {path}: {reason}")]
	Unreadable {
		/// The file.
		path: String,
		/// Why.
		reason: String,
	},
	/// The file is not valid TOML or has an unknown key.
	#[error("the configuration file {path} is not valid: {reason}")]
	Malformed {
		/// The file.
		path: String,
		/// What is wrong, with its line.
		reason: String,
	},
	/// One setting has a value that cannot be used.
	#[error("setting `{key}` ({source_name}): {reason}")]
	Invalid {
		/// The setting.
		key: &'static str,
		/// Where its value came from.
		source_name: &'static str,
		/// Why it cannot be used.
		reason: String,
	},
}

impl Settings {
	/// The settings a TOML file gives (unknown keys are refused, with their line).
	fn from_file(path: &std::path::Path) -> Result<Self, ConfigError> {
		let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
			path: path.display().to_string(),
			reason: e.to_string(),
		})?;
		toml::from_str::<Settings>(&text).map_err(|e| ConfigError::Malformed {
			path: path.display().to_string(),
			reason: e.to_string(),
		})
	}

	/// Merge with the file (if any) and the defaults, and check every value.
	pub fn resolve(self) -> Result<Config, ConfigError> {
		let file = match &self.config {
			Some(path) => Self::from_file(path)?,
			None => Settings::default(),
		};
		// Which source a value came from, for the error message.
		fn pick<T>(flag: Option<T>, file: Option<T>) -> (Option<T>, &'static str) {
			match (flag, file) {
				(Some(v), _) => (Some(v), "flag or environment"),
				(None, Some(v)) => (Some(v), "configuration file"),
				(None, None) => (None, "default"),
			}
		}
		let (node_url, node_src) = pick(self.node_url, file.node_url);
		let node_url = node_url.unwrap_or_else(|| "ws://127.0.0.1:9944".into());
		if !(node_url.starts_with("ws://") || node_url.starts_with("wss://")) {
			return Err(ConfigError::Invalid {
				key: "node-url",
				source_name: node_src,
				reason: format!("`{node_url}` is not a ws:// or wss:// address"),
			});
		}
		let data_dir =
			pick(self.data_dir, file.data_dir).0.unwrap_or_else(|| "data/gateway".into());
		let (database_url, db_src) = pick(self.database_url, file.database_url);
		let database = match database_url {
			None => Location::SqliteDir(data_dir.clone()),
			Some(url) if url.trim().is_empty() => {
				return Err(ConfigError::Invalid {
					key: "database-url",
					source_name: db_src,
					reason: "empty; leave it unset for SQLite".into(),
				})
			}
			Some(url) => Location::Postgres(url),
		};
		let kek_file = pick(self.kek_file, file.kek_file).0.unwrap_or_else(|| data_dir.join("kek"));
		let (kek_id, _) = pick(self.kek_id, file.kek_id);
		let (listen, listen_src) = pick(self.listen, file.listen);
		let listen = listen.unwrap_or_else(|| "127.0.0.1:8070".into());
		let listen = listen.parse().map_err(|_| ConfigError::Invalid {
			key: "listen",
			source_name: listen_src,
			reason: format!("`{listen}` is not an address like 127.0.0.1:8070"),
		})?;
		let (era_period, era_src) = pick(self.era_period, file.era_period);
		let era_period = checked_era_period(era_period.unwrap_or(64), era_src)?;
		let (sign_in_limit, sign_in_src) =
			pick(self.sign_in_per_minute_per_address, file.sign_in_per_minute_per_address);
		let sign_in_per_minute_per_address = sign_in_limit.unwrap_or(30);
		if sign_in_per_minute_per_address == 0 {
			return Err(ConfigError::Invalid {
				key: "sign-in-per-minute-per-address",
				source_name: sign_in_src,
				reason: "0 would refuse every sign-in; give at least 1".into(),
			});
		}
		Ok(Config {
			node_url,
			data_dir,
			database,
			kek_file,
			kek_id: kek_id.unwrap_or(1),
			listen,
			era_period,
			log: pick(self.log, file.log).0.unwrap_or_else(|| "info".into()),
			sign_in_per_minute_per_address,
			demo: pick(self.demo, file.demo).0.unwrap_or(false),
		})
	}
}

/// The chain's mortal eras are powers of two; another value would be rounded up, and the outbox
/// would think a transaction dead while it can still be included.
fn checked_era_period(era_period: u64, source_name: &'static str) -> Result<u64, ConfigError> {
	if (4..=65_536).contains(&era_period) && era_period.is_power_of_two() {
		Ok(era_period)
	} else {
		Err(ConfigError::Invalid {
			key: "era-period",
			source_name,
			reason: format!("{era_period} is not a power of two from 4 to 65536 blocks"),
		})
	}
}

impl Config {
	/// The configuration as lines for `check-config` (a database password is not shown).
	pub fn describe(&self) -> String {
		let database = match &self.database {
			Location::SqliteDir(dir) => format!("SQLite in {}", dir.display()),
			Location::Postgres(url) => format!("PostgreSQL ({})", redact_password(url)),
		};
		format!(
			"node-url   {}\ndata-dir   {}\ndatabase   {}\nkek-file   {} (id {})\nlisten     {}\nera-period {} blocks\nlog        {}\nsign-in    {} attempts a minute per address\ndemo       {}",
			self.node_url,
			self.data_dir.display(),
			database,
			self.kek_file.display(),
			self.kek_id,
			self.listen,
			self.era_period,
			self.log,
			self.sign_in_per_minute_per_address,
			if self.demo { "on (development chain only)" } else { "off" }
		)
	}
}

fn redact_password(url: &str) -> String {
	url.split_whitespace()
		.map(|part| if part.starts_with("password=") { "password=…" } else { part })
		.collect::<Vec<_>>()
		.join(" ")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn defaults_work_without_anything_given() {
		let config = Settings::default().resolve().expect("defaults are valid");
		assert_eq!(config.node_url, "ws://127.0.0.1:9944");
		assert_eq!(config.database, Location::SqliteDir("data/gateway".into()));
		assert_eq!(config.kek_file, PathBuf::from("data/gateway/kek"));
		assert_eq!(config.era_period, 64);
	}

	#[test]
	fn a_flag_beats_the_file_and_errors_name_the_setting_and_source() {
		let dir = tempfile::tempdir().expect("temp dir");
		let file = dir.path().join("gateway.toml");
		std::fs::write(&file, "node-url = \"ws://10.0.0.1:9944\"\nera-period = 2\n")
			.expect("write");
		let settings =
			Settings { config: Some(file.clone()), era_period: Some(32), ..Default::default() };
		let config = settings.resolve().expect("valid");
		assert_eq!(config.node_url, "ws://10.0.0.1:9944");
		assert_eq!(config.era_period, 32);

		let err =
			Settings { config: Some(file.clone()), ..Default::default() }.resolve().unwrap_err();
		assert_eq!(err.to_string(), "setting `era-period` (configuration file): 2 is not a power of two from 4 to 65536 blocks");

		std::fs::write(&file, "node-ulr = \"ws://x\"\n").expect("write");
		let err = Settings { config: Some(file), ..Default::default() }.resolve().unwrap_err();
		assert!(err.to_string().contains("unknown field `node-ulr`"), "{err}");

		let err = Settings { listen: Some("localhost".into()), ..Default::default() }
			.resolve()
			.unwrap_err();
		assert!(err.to_string().starts_with("setting `listen` (flag or environment)"), "{err}");
	}

	#[test]
	fn check_config_hides_the_database_password() {
		let settings = Settings {
			database_url: Some("host=/tmp user=gateway password=hunter2".into()),
			..Default::default()
		};
		let text = settings.resolve().expect("valid").describe();
		assert!(!text.contains("hunter2"), "{text}");
	}
}
