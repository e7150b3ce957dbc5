//! Figures from what the watcher and the senders noted: percentiles, a run's report, the table
//! printed for it, and min/median/max over repeated runs.

use crate::{
	cli::{Args, Workload},
	watch::{BlockSeen, Timing},
};
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	time::{Duration, Instant},
};

/// p50, p95, p99, min, max and count of `samples`; `null` when there are none.
pub fn percentiles(mut samples: Vec<f64>) -> Value {
	if samples.is_empty() {
		return Value::Null;
	}
	samples.sort_by(|a, b| a.total_cmp(b));
	let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
	json!({
		"p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
		"min": samples[0], "max": samples[samples.len() - 1], "count": samples.len(),
	})
}

fn seconds(from: Instant, to: Instant) -> f64 {
	to.duration_since(from).as_secs_f64()
}

/// The report of one load run: counts, rates, latencies, blocks, and a per-second series.
pub fn summarise(
	args: &Args,
	window: Duration,
	start: Instant,
	timings: &HashMap<[u8; 32], Timing>,
	rejected: &BTreeMap<String, u64>,
	blocks: &[BlockSeen],
) -> Value {
	let in_block: Vec<f64> =
		timings.values().filter_map(|t| Some(seconds(t.submitted?, t.in_block?.0))).collect();
	let finalised: Vec<f64> =
		timings.values().filter_map(|t| Some(seconds(t.submitted?, t.finalised?))).collect();
	let finalised_count = finalised.len();
	// Activities workload: the finalised transactions whose call succeeded (a failed call is
	// finalised too, and counted above).
	let succeeded = timings
		.values()
		.filter(|t| t.finalised.is_some() && t.outcome.as_ref().is_some_and(|o| o.ok))
		.count();
	let with_outcomes = args.workload == Workload::Activities;
	let finalising_seconds =
		timings.values().filter_map(|t| t.finalised).max().map_or(0.0, |last| seconds(start, last));
	json!({
		"conditions": conditions(args),
		"submitted": timings.len() as u64 + rejected.values().sum::<u64>(),
		"accepted": timings.len(),
		"rejected": rejected,
		"inBlock": in_block.len(),
		"finalised": finalised_count,
		"neverIncluded": timings.len() - in_block.len(),
		"submitWindowSeconds": window.as_secs_f64(),
		// Over the time from the first submission to the last finalisation, so that a backlog
		// finalised after the submit window does not inflate the rate.
		"finalisedTps": finalised_count as f64 / finalising_seconds.max(window.as_secs_f64()),
		"finalisedSucceeded": with_outcomes.then_some(succeeded),
		"succeededTps": with_outcomes
			.then(|| succeeded as f64 / finalising_seconds.max(window.as_secs_f64())),
		"finalisingSeconds": finalising_seconds,
		"submitToInBlockSeconds": percentiles(in_block),
		"submitToFinalisedSeconds": percentiles(finalised),
		"blocks": block_summary(blocks),
		"perSecond": per_second(start, timings),
	})
}

/// Per second of the run: transactions submitted, finalised, and the median latency of those
/// finalised in that second.
fn per_second(start: Instant, timings: &HashMap<[u8; 32], Timing>) -> Vec<Value> {
	let mut series: BTreeMap<u64, (u64, u64, Vec<f64>)> = BTreeMap::new();
	for t in timings.values() {
		if let Some(s) = t.submitted {
			series.entry(s.duration_since(start).as_secs()).or_default().0 += 1;
		}
		if let (Some(s), Some(f)) = (t.submitted, t.finalised) {
			let entry = series.entry(f.duration_since(start).as_secs()).or_default();
			entry.1 += 1;
			entry.2.push(seconds(s, f));
		}
	}
	series
		.iter()
		.map(|(second, (submitted, finalised, latencies))| {
			let mut l = latencies.clone();
			l.sort_by(|a, b| a.total_cmp(b));
			json!({
				"second": second, "submitted": submitted, "finalised": finalised,
				"finalisedLatencyP50": l.get(l.len() / 2).copied(),
			})
		})
		.collect()
}

/// The blocks that carried load (more than the timestamp), how full they were, and the range
/// the watcher saw.
fn block_summary(blocks: &[BlockSeen]) -> Value {
	let load_blocks: Vec<&BlockSeen> = blocks.iter().filter(|b| b.extrinsics > 1).collect();
	let fullness: Vec<f64> = load_blocks.iter().filter_map(|b| b.fullness).collect();
	let per_block: Vec<f64> = load_blocks.iter().map(|b| (b.extrinsics - 1) as f64).collect();
	json!({
		"withLoad": load_blocks.len(),
		"transactionsPerBlock": percentiles(per_block),
		"normalWeightFullness": percentiles(fullness),
		"firstNumber": blocks.first().map(|b| b.number),
		"lastNumber": blocks.last().map(|b| b.number),
		"maxBytes": blocks.iter().map(|b| b.bytes).max(),
	})
}

/// The table printed after a run.
pub fn table(report: &Value) -> String {
	let row = |name: &str, v: &Value| table_row(name, v) + "\n";
	let mut out = String::new();
	out.push_str(&format!(
		"submitted {}  accepted {}  in a block {}  finalised {}  never included {}\n",
		report["submitted"],
		report["accepted"],
		report["inBlock"],
		report["finalised"],
		report["neverIncluded"]
	));
	out.push_str(&format!(
		"finalised TPS from the first submission to the last finalisation ({:.0} s): {:.1} (target rate {})\n",
		report["finalisingSeconds"].as_f64().unwrap_or(0.0),
		report["finalisedTps"].as_f64().unwrap_or(0.0),
		report["targetRate"]
	));
	if let Some(tps) = report["succeededTps"].as_f64() {
		out.push_str(&format!(
			"of them with the call succeeding: {} finalised, {tps:.1} TPS\n",
			report["finalisedSucceeded"]
		));
	}
	out.push_str(&(table_header("seconds") + "\n"));
	out.push_str(&row("submit -> in block", &report["submitToInBlockSeconds"]));
	out.push_str(&row("submit -> finalised", &report["submitToFinalisedSeconds"]));
	out.push_str(&row("transactions per block", &report["blocks"]["transactionsPerBlock"]));
	out.push_str(&row("block weight used (normal)", &report["blocks"]["normalWeightFullness"]));
	if report["propagation"].is_object() {
		out.push_str(&row("block propagation", &report["propagation"]["seconds"]));
	}
	if let Some(lifecycles) = report.get("lifecycles") {
		out.push_str(&row(
			"publish -> settled, final",
			&lifecycles["publishToSettlementFinalisedSeconds"],
		));
		out.push_str(&format!(
			"lifecycles: started {}  settled {}  completed with the vote {}  cut at the end {}\n",
			lifecycles["started"],
			lifecycles["settled"],
			lifecycles["completedWithVote"],
			lifecycles["cutAtEnd"]
		));
		if let Some(ended) = lifecycles["endedEarly"].as_object().filter(|e| !e.is_empty()) {
			out.push_str("lifecycles ended early:\n");
			for (reason, count) in ended {
				out.push_str(&format!("  {count} x {reason}\n"));
			}
		}
	}
	if let Some(rejected) = report["rejected"].as_object().filter(|r| !r.is_empty()) {
		out.push_str("refused at submission:\n");
		for (kind, count) in rejected {
			out.push_str(&format!("  {count} x {kind}\n"));
		}
	}
	out
}

/// The options a run was made with, as its report states them.
pub fn conditions(args: &Args) -> Value {
	json!({
		"rpc": args.rpc, "members": args.members, "targetRates": args.rate,
		"seconds": args.seconds, "threads": args.threads, "repeat": args.repeat,
		"fillEntries": args.fill_entries,
		"workload": format!("{:?}", args.workload).to_lowercase(),
		"lifecycles": args.lifecycles,
		"call": match args.workload {
			Workload::Donations => "ledger.donate(DonationToPool { branch: 0 }, 1 minute)",
			Workload::Activities => "activities: publish, apply, accept, check_in, check_out, \
									 confirm; election: vote or unvote",
		},
	})
}

/// The heading over [`table_row`]s: `name  p50  p95  p99  max`.
pub fn table_header(name: &str) -> String {
	format!("{name:<28} {:>8} {:>8} {:>8} {:>8}", "p50", "p95", "p99", "max")
}

/// `name  p50  p95  p99  max` of a `percentiles` object.
pub fn table_row(name: &str, figures: &Value) -> String {
	let p =
		|k: &str| figures.get(k).and_then(Value::as_f64).map_or("-".into(), |x| format!("{x:.3}"));
	format!("{name:<28} {:>8} {:>8} {:>8} {:>8}", p("p50"), p("p95"), p("p99"), p("max"))
}

/// The figures that matter, as min/median/max over the runs.
const ACROSS_RUNS: [(&str, &str); 15] = [
	("finalisedTps", "/finalisedTps"),
	("succeededTps", "/succeededTps"),
	("submitToInBlockP50", "/submitToInBlockSeconds/p50"),
	("submitToInBlockP99", "/submitToInBlockSeconds/p99"),
	("submitToFinalisedP50", "/submitToFinalisedSeconds/p50"),
	("submitToFinalisedP99", "/submitToFinalisedSeconds/p99"),
	("transactionsPerBlockMedian", "/blocks/transactionsPerBlock/p50"),
	("transactionsPerBlockMax", "/blocks/transactionsPerBlock/max"),
	("normalWeightFullnessMedian", "/blocks/normalWeightFullness/p50"),
	("propagationP50", "/propagation/seconds/p50"),
	("propagationP99", "/propagation/seconds/p99"),
	("propagationMax", "/propagation/seconds/max"),
	("lifecyclesSettled", "/lifecycles/settled"),
	("lifecycleP50", "/lifecycles/publishToSettlementFinalisedSeconds/p50"),
	("lifecycleP99", "/lifecycles/publishToSettlementFinalisedSeconds/p99"),
];

/// Min, median and max of each figure of [`ACROSS_RUNS`] over `runs`, and all refusals.
pub fn across_runs(runs: &[Value]) -> Value {
	let mut summary = serde_json::Map::new();
	for (name, pointer) in ACROSS_RUNS {
		let mut values: Vec<f64> =
			runs.iter().filter_map(|r| r.pointer(pointer)?.as_f64()).collect();
		if values.is_empty() {
			continue;
		}
		values.sort_by(|a, b| a.total_cmp(b));
		let middle = values.len() / 2;
		let median = if values.len().is_multiple_of(2) {
			(values[middle - 1] + values[middle]) / 2.0
		} else {
			values[middle]
		};
		summary.insert(
			name.to_string(),
			json!({ "min": values[0], "median": median, "max": values[values.len() - 1], "runs": values.len() }),
		);
	}
	let refused: u64 = runs
		.iter()
		.filter_map(|r| r["rejected"].as_object())
		.flat_map(|r| r.values().filter_map(Value::as_u64))
		.sum();
	summary.insert("refusedAtSubmission".into(), json!(refused));
	Value::Object(summary)
}

/// The table printed after the runs at one rate.
pub fn summary_table(summary: &Value, runs: usize) -> String {
	let mut out =
		format!("over {runs} run(s):\n{:<28} {:>10} {:>10} {:>10}\n", "", "min", "median", "max");
	for (name, _) in ACROSS_RUNS {
		if let Some(f) = summary.get(name) {
			let v = |k: &str| f[k].as_f64().map_or("-".into(), |x| format!("{x:.3}"));
			out.push_str(&format!(
				"{name:<28} {:>10} {:>10} {:>10}\n",
				v("min"),
				v("median"),
				v("max")
			));
		}
	}
	out.push_str(&format!("refused at submission, all runs: {}", summary["refusedAtSubmission"]));
	out
}
