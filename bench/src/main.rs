//! `timebank-loadgen`: puts a sustained stream of members' ledger transactions on a node or a
//! network and reports what the chain made of it.
//!
//! 1. Members: creates `--members` member accounts on branch 0 and grants each 600 minutes,
//!    through the chain's sudo key (Alice: `dev`, or the benchmark copy of `local-4` that
//!    `scripts/load-test --network` makes; members' own fee-free calls are limited by a quota of
//!    block time, about sixty ordinary calls per ten minutes each, so setup goes through
//!    sudo-dispatched admin calls). Members that already exist are
//!    kept, so a second run on the same chain skips this (`chain.rs`).
//! 2. Load: for `--seconds`, at `--rate` transactions per second spread over `--threads`
//!    connections, the connections spread over the `--rpc` nodes (`load.rs`). `--workload
//!    donations` (default): members in turn each donate one minute to the branch pool
//!    (`donations.rs`). `--workload activities`: pairs of members go through whole service
//!    lifecycles, publish to settlement, and a vote (`activities.rs`). `--repeat N` runs the load
//!    N times on the same chain and reports min/median/max over the runs.
//! 3. A watcher follows the best and the finalised chain of the first node and notes when each
//!    transaction was first seen in a block and when that block was finalised (`watch.rs`). With
//!    `--node-logs`, block propagation comes from the nodes' logs (`propagation.rs`).
//!
//! State-scale mode (`--fill-entries N`, `state_scale.rs`): the load runs until the ledger holds
//! N entries (a donation to the member's own branch pool posts one), then the `timebank_*`
//! queries are timed one by one, and the database size under `--db-path` is reported.
//!
//! `--upgrade-runtime <wasm>` first upgrades the chain's runtime through the sudo key
//! (`upgrade.rs`), so a chain kept from an earlier run is measured with new code.
//!
//! `--watch` sends nothing: it watches the first node for `--seconds` and reports the interval
//! between new best blocks and the lag from best to finalised, on any chain.
//!
//! Output: progress on stderr every second; a table on stdout; all figures and a per-second
//! series in the `--out` JSON file (`bench/plot.py` draws it; `report.rs`).
//!
//! Timing resolution: the watcher polls every 50 ms, so latencies are rounded up to the next
//! poll; submission is HTTP JSON-RPC (`author_submitExtrinsic`) through the client this package's
//! library shares with the node's tests (`timebank_bench::rpc`).

mod activities;
mod chain;
mod cli;
mod donations;
mod load;
mod propagation;
mod report;
mod state_scale;
mod upgrade;
mod watch;

use clap::Parser;
use cli::{Args, Until, Workload};
use polkadot_sdk::sp_core::{sr25519, Pair};
use serde_json::{json, Value};
use std::{sync::Arc, thread, time::Duration};
use timebank_bench::rpc::Rpc;
use timebank_runtime::signing::SigningContext;

fn main() {
	let args = Args::parse();
	if let Err(error) = run(&args) {
		eprintln!("error: {error}");
		std::process::exit(1);
	}
}

fn run(args: &Args) -> Result<(), String> {
	cli::check_args(args)?;
	let report = if args.watch { watch::block_times(args)? } else { measure(args)? };
	if let Some(dir) = args.out.parent() {
		std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
	}
	let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
	std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
	eprintln!("figures written to {}", args.out.display());
	Ok(())
}

/// Upgrades the runtime if asked, sets up the members, and runs the load or state-scale mode.
fn measure(args: &Args) -> Result<Value, String> {
	let mut rpc = Rpc::connect(&args.rpc[0])?;
	let upgrade = match &args.upgrade_runtime {
		Some(wasm) => Some(upgrade::upgrade_runtime(&mut rpc, wasm)?),
		None => None,
	};
	let context = rpc.signing_context()?;
	let members: Vec<sr25519::Pair> = (0..args.members)
		.map(|i| sr25519::Pair::from_string(&format!("//loadgen//{i}"), None))
		.collect::<Result<_, _>>()
		.map_err(|e| format!("member key: {e:?}"))?;
	chain::set_up_members(&mut rpc, &context, &members)?;
	if args.workload == Workload::Activities {
		activities::set_up(&mut rpc, &context)?;
	}
	let members = Arc::new(members);
	let mut report = match args.fill_entries {
		Some(target) => state_scale::state_scale(args, &context, &members, target)?,
		None => repeated_load(args, &context, &members)?,
	};
	if let Some(upgrade) = upgrade {
		report["runtimeUpgrade"] = upgrade;
	}
	Ok(report)
}

/// Each `--rate` `--repeat` times, with `--pause` between runs; prints each run's table and
/// each rate's min/median/max.
fn repeated_load(
	args: &Args,
	context: &SigningContext,
	members: &Arc<Vec<sr25519::Pair>>,
) -> Result<Value, String> {
	let mut runs = Vec::new();
	let mut summaries = Vec::new();
	for &rate in &args.rate {
		let mut at_rate = Vec::new();
		for run in 1..=args.repeat {
			if !runs.is_empty() || !at_rate.is_empty() {
				eprintln!("resting {} s before the next run", args.pause);
				thread::sleep(Duration::from_secs(args.pause));
			}
			eprintln!("{rate} tx/s, run {run} of {}", args.repeat);
			let mut report =
				load::load(args, context, members, rate, Until::Seconds(args.seconds))?;
			if !args.node_logs.is_empty() {
				let blocks = &report["blocks"];
				if let (Some(first), Some(last)) =
					(blocks["firstNumber"].as_u64(), blocks["lastNumber"].as_u64())
				{
					report["propagation"] = propagation::measure(&args.node_logs, first, last)?;
				}
			}
			println!("{rate} tx/s, run {run} of {}:\n{}", args.repeat, report::table(&report));
			at_rate.push(report);
		}
		let summary = report::across_runs(&at_rate);
		println!("{rate} tx/s, {}", report::summary_table(&summary, at_rate.len()));
		summaries.push(json!({ "targetRate": rate, "summary": summary }));
		runs.extend(at_rate);
	}
	Ok(json!({ "conditions": report::conditions(args), "summaries": summaries, "runs": runs }))
}
