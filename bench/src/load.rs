//! One load run, whatever the workload: the watcher and the sending threads start, sending stops
//! after the time or the ledger size asked for, the chain is given up to a minute to finalise
//! what is still in the pool, and the run's report is made.

use crate::{
	activities::{self, Lifecycles},
	chain::next_entry_id,
	cli::{Args, Until, Workload},
	donations::Donor,
	report,
	watch::{self, BlockSeen, Timings},
};
use polkadot_sdk::sp_core::sr25519;
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	thread::{self, JoinHandle},
	time::{Duration, Instant},
};
use timebank_bench::rpc::Rpc;
use timebank_runtime::signing::SigningContext;

/// Refused submissions by kind (`chain::count_refusal`).
pub type Rejections = Arc<Mutex<BTreeMap<String, u64>>>;

/// What the sending threads of one run share with it.
#[derive(Clone)]
pub struct RunState {
	/// When the run began: sending is paced from here, and reports count seconds from here.
	pub start: Instant,
	pub context: SigningContext,
	pub timings: Timings,
	pub rejected: Rejections,
	/// Transactions sent, accepted or not.
	pub submitted: Arc<AtomicU64>,
	/// Set when the senders are to stop.
	pub stop: Arc<AtomicBool>,
}

/// Runs the load at `rate` until `until` and returns the run's report.
pub fn load(
	args: &Args,
	context: &SigningContext,
	members: &Arc<Vec<sr25519::Pair>>,
	rate: u32,
	until: Until,
) -> Result<Value, String> {
	let run = RunState {
		start: Instant::now(),
		context: *context,
		timings: Timings::default(),
		rejected: Rejections::default(),
		submitted: Arc::new(AtomicU64::new(0)),
		stop: Arc::new(AtomicBool::new(false)),
	};
	let stop_watching = Arc::new(AtomicBool::new(false));
	let watcher = {
		let (timings, stop, address) =
			(run.timings.clone(), stop_watching.clone(), args.rpc[0].clone());
		let outcomes = args.workload == Workload::Activities;
		thread::spawn(move || watch::watch(&address, timings, stop, outcomes))
	};
	let lifecycles = Arc::new(Mutex::new(Lifecycles::default()));
	let senders = spawn_senders(args, members, rate, &run, &lifecycles);
	let stopped_at = send_until(args, &run, &senders, until)?;
	for sender in senders {
		sender.join().map_err(|_| "a sending thread panicked".to_string())??;
	}
	// The submit window ends when sending stops, not when the activities workload has wound
	// down: its last steps are in the finalisation time instead.
	let submit_window = stopped_at.unwrap_or_else(Instant::now).duration_since(run.start);
	drain(&run);
	stop_watching.store(true, Ordering::SeqCst);
	let blocks = watcher.join().map_err(|_| "the watcher panicked".to_string())??;
	run_report(args, &run, submit_window, &blocks, rate, &lifecycles)
}

/// One sending thread per `--threads`, each on its share of the members and of the rate, their
/// connections spread over the `--rpc` nodes.
fn spawn_senders(
	args: &Args,
	members: &Arc<Vec<sr25519::Pair>>,
	rate: u32,
	run: &RunState,
	lifecycles: &Arc<Mutex<Lifecycles>>,
) -> Vec<JoinHandle<Result<(), String>>> {
	let threads = args.threads as usize;
	let per_thread_rate = f64::from(rate) / f64::from(args.threads);
	(0..threads)
		.map(|t| {
			let address = args.rpc[t % args.rpc.len()].clone();
			match args.workload {
				Workload::Activities => {
					let in_flight = args.lifecycles.unwrap_or(rate.saturating_mul(2)) as usize;
					let sender = activities::Sender {
						address,
						members: members.clone(),
						pairs: (0..members.len() / 2)
							.skip(t)
							.step_by(threads)
							.map(|p| 2 * p)
							.collect(),
						in_flight: in_flight.div_ceil(threads),
						per_thread_rate,
						run: run.clone(),
						lifecycles: lifecycles.clone(),
					};
					thread::spawn(move || sender.run())
				}
				Workload::Donations => {
					let donor = Donor {
						address,
						members: members.clone(),
						thread: t,
						threads,
						per_thread_rate,
						run: run.clone(),
					};
					thread::spawn(move || donor.run())
				}
			}
		})
		.collect()
}

/// Reports progress every second while the senders run, and tells them to stop once `until`
/// is reached; returns when that was (`None`: the senders ended before, e.g. on an error).
fn send_until(
	args: &Args,
	run: &RunState,
	senders: &[JoinHandle<Result<(), String>>],
	until: Until,
) -> Result<Option<Instant>, String> {
	let mut rpc = Rpc::connect(&args.rpc[0])?;
	let mut last_report = Instant::now();
	let entries_at_start = match until {
		Until::Entries(_) => next_entry_id(&mut rpc)?,
		Until::Seconds(_) => 0,
	};
	let mut stopped_at: Option<Instant> = None;
	while senders.iter().any(|s| !s.is_finished()) {
		thread::sleep(Duration::from_millis(100));
		if last_report.elapsed() < Duration::from_secs(1) {
			continue;
		}
		last_report = Instant::now();
		watch::progress(&run.timings, &run.submitted, run.start);
		let done = match until {
			Until::Seconds(seconds) => run.start.elapsed() >= Duration::from_secs(seconds),
			Until::Entries(target) => {
				let entries = next_entry_id(&mut rpc)?;
				let rate = (entries - entries_at_start) as f64 / run.start.elapsed().as_secs_f64();
				eprintln!(
					"         ledger entries {entries} of {target} ({:.0} a second, about {:.0} s to go)",
					rate,
					target.saturating_sub(entries) as f64 / rate.max(1.0)
				);
				entries >= target
			}
		};
		if done && stopped_at.is_none() {
			stopped_at = Some(Instant::now());
			run.stop.store(true, Ordering::SeqCst);
		}
	}
	Ok(stopped_at)
}

/// Lets the chain finalise what is in the pool, up to 60 s.
fn drain(run: &RunState) {
	let drain_deadline = Instant::now() + Duration::from_secs(60);
	while Instant::now() < drain_deadline {
		let pending = run
			.timings
			.lock()
			.map(|m| m.values().filter(|t| t.finalised.is_none()).count())
			.unwrap_or(0);
		if pending == 0 {
			break;
		}
		watch::progress(&run.timings, &run.submitted, run.start);
		thread::sleep(Duration::from_secs(1));
	}
}

fn run_report(
	args: &Args,
	run: &RunState,
	submit_window: Duration,
	blocks: &[BlockSeen],
	rate: u32,
	lifecycles: &Mutex<Lifecycles>,
) -> Result<Value, String> {
	let timings: HashMap<_, _> = run.timings.lock().map_err(|_| "timings poisoned")?.clone();
	let rejected = run.rejected.lock().map_err(|_| "rejections poisoned")?.clone();
	let mut report = report::summarise(args, submit_window, run.start, &timings, &rejected, blocks);
	report["targetRate"] = json!(rate);
	if args.workload == Workload::Activities {
		let lifecycles = lifecycles.lock().map_err(|_| "lifecycles poisoned")?;
		report["lifecycles"] = activities::summarise(&lifecycles, &timings);
	}
	Ok(report)
}
