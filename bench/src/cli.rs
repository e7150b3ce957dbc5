//! The command line: what to run, against which nodes, and the combinations that cannot run.

use clap::{Parser, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(about = "Sustained ledger load on a Time Bank Chain node, with TPS and latency figures")]
pub struct Args {
	/// The nodes' JSON-RPC addresses (host:port, comma-separated); setup and the watcher use the
	/// first, submitting connections take them in turn.
	#[arg(long, value_delimiter = ',', default_value = "127.0.0.1:9944")]
	pub rpc: Vec<String>,
	/// Members taking part; created through the sudo key if missing.
	#[arg(long, default_value_t = 10_000)]
	pub members: u32,
	/// Target submission rates, transactions per second (comma-separated: each rate is run
	/// `--repeat` times on the same chain, in the order given).
	#[arg(long, value_delimiter = ',', default_value = "200")]
	pub rate: Vec<u32>,
	/// How long to submit, in seconds (with `--watch`: how long to watch).
	#[arg(long, default_value_t = 60)]
	pub seconds: u64,
	/// Submitting connections (threads).
	#[arg(long, default_value_t = 4)]
	pub threads: u32,
	/// Where to write the JSON figures.
	#[arg(long, default_value = "bench-results/load.json")]
	pub out: PathBuf,
	/// Load runs on the same chain; figures are given per run and as min/median/max.
	#[arg(long, default_value_t = 1)]
	pub repeat: u32,
	/// Seconds of rest between runs, so that one run's backlog does not enter the next.
	#[arg(long, default_value_t = 15)]
	pub pause: u64,
	/// The nodes' log files (comma-separated), for block propagation times.
	#[arg(long, value_delimiter = ',')]
	pub node_logs: Vec<PathBuf>,
	/// State-scale mode: load until the ledger holds this many entries, then time the queries.
	#[arg(long)]
	pub fill_entries: Option<u64>,
	/// Calls of each `timebank_*` query timed in state-scale mode.
	#[arg(long, default_value_t = 1000)]
	pub queries: u32,
	/// The node's base path, whose size state-scale mode reports.
	#[arg(long)]
	pub db_path: Option<PathBuf>,
	/// What the members do.
	#[arg(long, value_enum, default_value_t = Workload::Donations)]
	pub workload: Workload,
	/// Before anything else, put this runtime (a `.compact.compressed.wasm`) on the chain with
	/// `sudo(system.set_code)` and wait until the node runs it.
	#[arg(long)]
	pub upgrade_runtime: Option<PathBuf>,
	/// Activities workload: lifecycles under way at once, all threads together (default: twice
	/// the rate, since each step waits for the block of the one before).
	#[arg(long)]
	pub lifecycles: Option<u32>,
	/// Only watch the first `--rpc` node for `--seconds`, sending nothing and needing no sudo
	/// key: the interval between new best blocks and the lag from best to finalised (any chain,
	/// e.g. a running `local-4`).
	#[arg(long, conflicts_with_all = ["fill_entries", "upgrade_runtime", "node_logs"])]
	pub watch: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Workload {
	/// Each transaction donates one minute to the branch pool.
	Donations,
	/// Service lifecycles: publish, apply, accept, check in, check out, confirm, vote.
	Activities,
}

/// When a load stops submitting.
#[derive(Clone, Copy)]
pub enum Until {
	Seconds(u64),
	/// The ledger's `NextEntryId` reaches this.
	Entries(u64),
}

/// Refuses option combinations that cannot run, before any node is contacted.
pub fn check_args(args: &Args) -> Result<(), String> {
	if args.watch {
		return match args.seconds {
			0 => Err("--seconds must be at least 1".into()),
			_ => Ok(()),
		};
	}
	if args.members == 0
		|| args.rate.is_empty()
		|| args.rate.contains(&0)
		|| args.threads == 0
		|| args.seconds == 0
	{
		return Err("--members, --rate, --threads and --seconds must be at least 1 (--watch \
		            watches blocks without sending)"
			.into());
	}
	if args.threads > args.members {
		return Err(
			"--threads must not exceed --members: each thread sends for its own members".into()
		);
	}
	if args.repeat == 0 || args.queries == 0 {
		return Err("--repeat and --queries must be at least 1".into());
	}
	if args.fill_entries.is_some() && args.rate.len() > 1 {
		return Err("--fill-entries loads at one rate: give --rate a single value".into());
	}
	if args.workload == Workload::Activities && args.members / 2 < args.threads * 2 {
		return Err("--workload activities takes members in pairs and keeps half the pairs \
		            idle: give --members at least four times --threads"
			.into());
	}
	if args.lifecycles == Some(0) {
		return Err("--lifecycles must be at least 1".into());
	}
	if let Some(wasm) = &args.upgrade_runtime {
		if !wasm.is_file() {
			return Err(format!(
				"--upgrade-runtime {}: no such file (the node build writes \
				 wbuild/timebank-runtime/timebank_runtime.compact.compressed.wasm)",
				wasm.display()
			));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn checked(options: &[&str]) -> Result<(), String> {
		let args = Args::try_parse_from(
			std::iter::once("timebank-loadgen").chain(options.iter().copied()),
		)
		.map_err(|e| e.to_string())?;
		check_args(&args)
	}

	#[test]
	fn option_combinations_that_cannot_run_are_refused_with_the_reason() {
		assert!(checked(&["--members", "100", "--threads", "4"]).is_ok());
		assert!(checked(&["--workload", "activities", "--members", "16", "--threads", "4"]).is_ok());
		let refused = |options: &[&str], reason: &str| {
			let error = checked(options).expect_err("refused");
			assert!(error.contains(reason), "{options:?}: {error}");
		};
		refused(&["--rate", "0"], "at least 1");
		refused(&["--members", "2", "--threads", "4"], "--threads must not exceed --members");
		refused(&["--fill-entries", "10", "--rate", "100,200"], "single value");
		refused(&["--workload", "activities", "--members", "15", "--threads", "4"], "four times");
		refused(&["--workload", "activities", "--lifecycles", "0"], "--lifecycles must be");
		refused(&["--workload", "gifts"], "invalid value 'gifts'");
		refused(&["--upgrade-runtime", "/nonexistent/runtime.wasm"], "no such file");
		let wasm = std::env::current_exe().expect("the test binary exists");
		let wasm = wasm.to_str().expect("a UTF-8 path");
		assert!(checked(&["--upgrade-runtime", wasm]).is_ok());
	}

	#[test]
	fn watching_needs_only_a_node_and_a_duration() {
		assert!(checked(&["--watch", "--rpc", "127.0.0.1:9950", "--seconds", "5"]).is_ok());
		// The load's own limits do not apply to a watch that sends nothing.
		assert!(checked(&["--watch", "--members", "0", "--threads", "9"]).is_ok());
		let refused = |options: &[&str], reason: &str| {
			let error = checked(options).expect_err("refused");
			assert!(error.contains(reason), "{options:?}: {error}");
		};
		refused(&["--watch", "--seconds", "0"], "at least 1");
		refused(&["--watch", "--fill-entries", "10"], "cannot be used with");
		refused(&["--watch", "--upgrade-runtime", "runtime.wasm"], "cannot be used with");
	}
}
