//! `timebank-loadgen`: puts a sustained stream of members' ledger transactions on a node or a
//! network and reports what the chain made of it.
//!
//! 1. Members: creates `--members` member accounts on branch 0 and grants each 600 minutes,
//!    through the chain's sudo key (Alice: `dev`, or the benchmark copy of `local-4` that
//!    `scripts/load-test --network` makes; members' own calls are limited to 120 per ten minutes
//!    each, so setup goes through sudo-dispatched admin calls). Members that already exist are
//!    kept, so a second run on the same chain skips this.
//! 2. Load: for `--seconds`, at `--rate` transactions per second spread over `--threads`
//!    connections, the connections spread over the `--rpc` nodes. `--workload donations`
//!    (default): members in turn each donate one minute to the branch pool. `--workload
//!    activities`: pairs of members go through whole service lifecycles, publish to settlement,
//!    and a vote (`activities.rs`). `--repeat N` runs the load N times on the same chain and
//!    reports min/median/max over the runs.
//! 3. A watcher follows the best and the finalised chain of the first node and notes when each
//!    transaction was first seen in a block and when that block was finalised. With
//!    `--node-logs`, block propagation comes from the nodes' logs (`propagation.rs`).
//!
//! State-scale mode (`--fill-entries N`): the load runs until the ledger holds N entries (a
//! donation to the member's own branch pool posts one), then the `timebank_*` queries are timed
//! one by one, and the database size under `--db-path` is reported.
//!
//! `--upgrade-runtime <wasm>` first upgrades the chain's runtime through the sudo key
//! (`upgrade.rs`), so a chain kept from an earlier run is measured with new code.
//!
//! Output: progress on stderr every second; a table on stdout; all figures and a per-second
//! series in the `--out` JSON file (`bench/plot.py` draws it).
//!
//! Timing resolution: the watcher polls every 50 ms, so latencies are rounded up to the next
//! poll; submission is HTTP JSON-RPC (`author_submitExtrinsic`).

mod activities;
mod propagation;
mod rpc;
mod upgrade;

use clap::{Parser, ValueEnum};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::dispatch::{DispatchClass, PerDispatchClass},
	frame_support::weights::Weight,
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_io::hashing::{blake2_256, twox_128},
	sp_runtime::MultiAddress,
};
use rpc::{hex, unhex, Rpc};
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	path::PathBuf,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant},
};
use timebank_primitives::{BalanceClass, MemberRoles};
use timebank_runtime::{
	signing::{signed_extrinsic, SigningContext},
	AccountId, RuntimeCall,
};

#[derive(Parser, Debug)]
#[command(about = "Sustained ledger load on a Time Bank Chain node, with TPS and latency figures")]
struct Args {
	/// The nodes' JSON-RPC addresses (host:port, comma-separated); setup and the watcher use the
	/// first, submitting connections take them in turn.
	#[arg(long, value_delimiter = ',', default_value = "127.0.0.1:9944")]
	rpc: Vec<String>,
	/// Members taking part; created through the sudo key if missing.
	#[arg(long, default_value_t = 10_000)]
	members: u32,
	/// Target submission rates, transactions per second (comma-separated: each rate is run
	/// `--repeat` times on the same chain, in the order given).
	#[arg(long, value_delimiter = ',', default_value = "200")]
	rate: Vec<u32>,
	/// How long to submit, in seconds.
	#[arg(long, default_value_t = 60)]
	seconds: u64,
	/// Submitting connections (threads).
	#[arg(long, default_value_t = 4)]
	threads: u32,
	/// Where to write the JSON figures.
	#[arg(long, default_value = "bench-results/load.json")]
	out: PathBuf,
	/// Load runs on the same chain; figures are given per run and as min/median/max.
	#[arg(long, default_value_t = 1)]
	repeat: u32,
	/// Seconds of rest between runs, so that one run's backlog does not enter the next.
	#[arg(long, default_value_t = 15)]
	pause: u64,
	/// The nodes' log files (comma-separated), for block propagation times.
	#[arg(long, value_delimiter = ',')]
	node_logs: Vec<PathBuf>,
	/// State-scale mode: load until the ledger holds this many entries, then time the queries.
	#[arg(long)]
	fill_entries: Option<u64>,
	/// Calls of each `timebank_*` query timed in state-scale mode.
	#[arg(long, default_value_t = 1000)]
	queries: u32,
	/// The node's base path, whose size state-scale mode reports.
	#[arg(long)]
	db_path: Option<PathBuf>,
	/// What the members do.
	#[arg(long, value_enum, default_value_t = Workload::Donations)]
	workload: Workload,
	/// Before anything else, put this runtime (a `.compact.compressed.wasm`) on the chain with
	/// `sudo(system.set_code)` and wait until the node runs it.
	#[arg(long)]
	upgrade_runtime: Option<PathBuf>,
	/// Activities workload: lifecycles under way at once, all threads together (default: twice
	/// the rate, since each step waits for the block of the one before).
	#[arg(long)]
	lifecycles: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Workload {
	/// Each transaction donates one minute to the branch pool.
	Donations,
	/// Service lifecycles: publish, apply, accept, check in, check out, confirm, vote.
	Activities,
}

/// When a load stops submitting.
#[derive(Clone, Copy)]
enum Until {
	Seconds(u64),
	/// The ledger's `NextEntryId` reaches this.
	Entries(u64),
}

/// When each transaction was submitted, first seen in a block, and finalised.
#[derive(Default, Clone)]
struct Timing {
	submitted: Option<Instant>,
	in_block: Option<(Instant, u64)>,
	finalised: Option<Instant>,
	/// Success or failure and the ids it created (activities workload only).
	outcome: Option<activities::Outcome>,
}

type Timings = Arc<Mutex<HashMap<[u8; 32], Timing>>>;

fn main() {
	let args = Args::parse();
	if let Err(error) = run(&args) {
		eprintln!("error: {error}");
		std::process::exit(1);
	}
}

fn run(args: &Args) -> Result<(), String> {
	check_args(args)?;
	let mut rpc = Rpc::connect(&args.rpc[0])?;
	let upgrade = match &args.upgrade_runtime {
		Some(wasm) => Some(upgrade::upgrade_runtime(&mut rpc, wasm)?),
		None => None,
	};
	let context = signing_context(&mut rpc)?;
	let members: Vec<sr25519::Pair> = (0..args.members)
		.map(|i| sr25519::Pair::from_string(&format!("//loadgen//{i}"), None))
		.collect::<Result<_, _>>()
		.map_err(|e| format!("member key: {e:?}"))?;
	set_up_members(&mut rpc, &context, &members)?;
	if args.workload == Workload::Activities {
		activities::set_up(&mut rpc, &context)?;
	}
	let members = Arc::new(members);
	let mut report = match args.fill_entries {
		Some(target) => state_scale(args, &context, &members, target)?,
		None => repeated_load(args, &context, &members)?,
	};
	if let Some(upgrade) = upgrade {
		report["runtimeUpgrade"] = upgrade;
	}
	if let Some(dir) = args.out.parent() {
		std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
	}
	let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
	std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
	eprintln!("figures written to {}", args.out.display());
	Ok(())
}

/// Refuses option combinations that cannot run, before any node is contacted.
fn check_args(args: &Args) -> Result<(), String> {
	if args.members == 0
		|| args.rate.is_empty()
		|| args.rate.contains(&0)
		|| args.threads == 0
		|| args.seconds == 0
	{
		return Err("--members, --rate, --threads and --seconds must be at least 1".into());
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
			let mut report = load(args, context, members, rate, Until::Seconds(args.seconds))?;
			if !args.node_logs.is_empty() {
				let blocks = &report["blocks"];
				if let (Some(first), Some(last)) =
					(blocks["firstNumber"].as_u64(), blocks["lastNumber"].as_u64())
				{
					report["propagation"] = propagation::measure(&args.node_logs, first, last)?;
				}
			}
			println!("{rate} tx/s, run {run} of {}:\n{}", args.repeat, table(&report));
			at_rate.push(report);
		}
		let summary = across_runs(&at_rate);
		println!("{rate} tx/s, {}", summary_table(&summary, at_rate.len()));
		summaries.push(json!({ "targetRate": rate, "summary": summary }));
		runs.extend(at_rate);
	}
	Ok(json!({ "conditions": conditions(args), "summaries": summaries, "runs": runs }))
}

fn signing_context(rpc: &mut Rpc) -> Result<SigningContext, String> {
	let genesis = rpc.call("chain_getBlockHash", json!([0]))?;
	let genesis: H256 =
		genesis.as_str().and_then(|h| h.parse().ok()).ok_or("the node returned no genesis hash")?;
	let version = rpc.call("state_getRuntimeVersion", json!([]))?;
	let number = |field: &str| {
		version[field].as_u64().map(|v| v as u32).ok_or(format!("runtime version lacks {field}"))
	};
	Ok(SigningContext {
		genesis,
		spec_version: number("specVersion")?,
		transaction_version: number("transactionVersion")?,
	})
}

fn account(pair: &sr25519::Pair) -> AccountId {
	AccountId::from(pair.public())
}

fn submit(rpc: &mut Rpc, bytes: &[u8]) -> Result<(), String> {
	rpc.call("author_submitExtrinsic", json!([hex(bytes)])).map(|_| ())
}

/// The signer's nonce in the best block's state (the pool not counted).
fn chain_nonce(rpc: &mut Rpc, who: &AccountId) -> Result<u32, String> {
	let params = json!(["AccountNonceApi_account_nonce", hex(&who.encode())]);
	// On a forking network the best block can be retracted and its state pruned between the
	// node picking it and reading it ("State already discarded"); the next best block answers.
	let mut attempts = 0;
	let result = loop {
		match rpc.call("state_call", params.clone()) {
			Err(error) if error.contains("State already discarded") && attempts < 5 => {
				attempts += 1;
				thread::sleep(Duration::from_millis(200));
			}
			other => break other?,
		}
	};
	let bytes = unhex(result.as_str().ok_or("state_call returned no bytes")?)?;
	u32::decode(&mut &bytes[..]).map_err(|e| format!("nonce: {e}"))
}

/// The dev chains' sudo key, and its account.
fn alice() -> Result<(sr25519::Pair, AccountId), String> {
	let alice = sr25519::Pair::from_string("//Alice", None).map_err(|e| format!("{e:?}"))?;
	let alice_id = account(&alice);
	Ok((alice, alice_id))
}

fn ensure_alice_is_sudo(rpc: &mut Rpc, alice_id: &AccountId) -> Result<(), String> {
	let key = [twox_128(b"Sudo"), twox_128(b"Key")].concat();
	let sudo = rpc.call("state_getStorage", json!([hex(&key)]))?;
	let sudo = sudo.as_str().map(unhex).transpose()?;
	if sudo.as_deref() != Some(&alice_id.encode()[..]) {
		return Err(
			"the chain's sudo key is not Alice's: run against a dev chain (scripts/load-test)"
				.into(),
		);
	}
	Ok(())
}

/// Registers the missing members on branch 0 and grants each 600 minutes, as Alice through the
/// sudo key, keeping at most a few thousand of her transactions in the pool.
fn set_up_members(
	rpc: &mut Rpc,
	context: &SigningContext,
	members: &[sr25519::Pair],
) -> Result<(), String> {
	let (alice, alice_id) = alice()?;
	ensure_alice_is_sudo(rpc, &alice_id)?;
	let mut missing = Vec::new();
	for pair in members {
		let who = account(pair);
		if rpc.call("timebank_member", json!([who.to_ss58check()]))?.is_null() {
			missing.push(who);
		}
	}
	if missing.is_empty() {
		eprintln!("setup: all {} members exist", members.len());
		return Ok(());
	}
	let started = Instant::now();
	let as_alice = |call: RuntimeCall| {
		RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo_as {
			who: MultiAddress::Id(alice_id.clone()),
			call: Box::new(call),
		})
	};
	// In chunks from Alice's nonce on chain: the pool does not always keep a long run of one
	// sender's transactions (seen: 1,166 of 2,000 vanished), so a chunk that stalls is sent again.
	let mut done = 0;
	while done < missing.len() {
		let chunk = &missing[done..(done + 100).min(missing.len())];
		let mut nonce = chain_nonce(rpc, &alice_id)?;
		for who in chunk {
			let register =
				as_alice(RuntimeCall::Registry(pallet_timebank_registry::Call::register_member {
					who: who.clone(),
					branch: 0,
					identity_commitment: H256(blake2_256(&who.encode())),
					roles: MemberRoles { volunteer: true, recipient: true, ..Default::default() },
				}));
			let grant = as_alice(RuntimeCall::Ledger(pallet_timebank_ledger::Call::grant {
				to: who.clone(),
				amount: 600,
				memo: H256::repeat_byte(0x10),
			}));
			for call in [register, grant] {
				match submit(rpc, &signed_extrinsic(context, &alice, nonce, call).encode()) {
					// A resent chunk meets the transactions that did stay in the pool (1013:
					// already imported, 1014: same nonce already pending) or on chain (stale).
					Err(error)
						if ["\"code\":1013", "\"code\":1014", "Stale"]
							.iter()
							.any(|known| error.contains(known)) => {}
					other => other?,
				}
				nonce += 1;
			}
		}
		let deadline = Instant::now() + Duration::from_secs(8);
		while chain_nonce(rpc, &alice_id)? < nonce && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(100));
		}
		let last = chunk.last().map(|who| who.to_ss58check()).unwrap_or_default();
		if rpc.call("timebank_member", json!([last]))?.is_null() {
			eprintln!(
				"setup: a chunk stalled at Alice's nonce {}; sending it again",
				chain_nonce(rpc, &alice_id)?
			);
			continue;
		}
		done += chunk.len();
		if done % 1000 == 0 || done == missing.len() {
			eprintln!(
				"setup: {done} of {} members registered ({:.0} s)",
				missing.len(),
				started.elapsed().as_secs_f64()
			);
		}
	}
	eprintln!(
		"setup: {} members registered and granted in {:.0} s",
		missing.len(),
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

fn load(
	args: &Args,
	context: &SigningContext,
	members: &Arc<Vec<sr25519::Pair>>,
	rate: u32,
	until: Until,
) -> Result<Value, String> {
	let timings: Timings = Arc::new(Mutex::new(HashMap::new()));
	let rejected: Arc<Mutex<BTreeMap<String, u64>>> = Arc::new(Mutex::new(BTreeMap::new()));
	let submitted = Arc::new(AtomicU64::new(0));
	let stop_sending = Arc::new(AtomicBool::new(false));
	let stop_watching = Arc::new(AtomicBool::new(false));
	let start = Instant::now();
	let watcher = {
		let (timings, stop, address) =
			(timings.clone(), stop_watching.clone(), args.rpc[0].clone());
		let outcomes = args.workload == Workload::Activities;
		thread::spawn(move || watch(&address, timings, stop, outcomes))
	};

	let per_thread_rate = f64::from(rate) / f64::from(args.threads);
	let lifecycles = Arc::new(Mutex::new(activities::Lifecycles::default()));
	let mut senders = Vec::new();
	for t in 0..args.threads as usize {
		if args.workload == Workload::Activities {
			let threads = args.threads as usize;
			let in_flight = args.lifecycles.unwrap_or(rate.saturating_mul(2)) as usize;
			let sender = activities::Sender {
				address: args.rpc[t % args.rpc.len()].clone(),
				members: members.clone(),
				pairs: (0..members.len() / 2).skip(t).step_by(threads).map(|p| 2 * p).collect(),
				in_flight: in_flight.div_ceil(threads),
				per_thread_rate,
				start,
				context: *context,
				timings: timings.clone(),
				rejected: rejected.clone(),
				submitted: submitted.clone(),
				stop: stop_sending.clone(),
				lifecycles: lifecycles.clone(),
			};
			senders.push(thread::spawn(move || sender.run()));
			continue;
		}
		let (members, timings, rejected, submitted, stop, context) = (
			members.clone(),
			timings.clone(),
			rejected.clone(),
			submitted.clone(),
			stop_sending.clone(),
			*context,
		);
		let address = args.rpc[t % args.rpc.len()].clone();
		let threads = args.threads as usize;
		senders.push(thread::spawn(move || -> Result<(), String> {
			let mut rpc = Rpc::connect(&address)?;
			let mine: Vec<&sr25519::Pair> = members.iter().skip(t).step_by(threads).collect();
			let mut nonces: HashMap<usize, u32> = HashMap::new();
			let mut sent = 0u64;
			let mut next = 0usize;
			while !stop.load(Ordering::SeqCst) {
				let due = start + Duration::from_secs_f64(sent as f64 / per_thread_rate);
				if let Some(wait) = due.checked_duration_since(Instant::now()) {
					thread::sleep(wait);
				}
				let index = next % mine.len();
				next += 1;
				let pair = mine[index];
				let nonce = match nonces.get(&index) {
					Some(n) => *n,
					None => chain_nonce(&mut rpc, &account(pair))?,
				};
				let call = RuntimeCall::Ledger(pallet_timebank_ledger::Call::donate {
					target: pallet_timebank_ledger::TransferTarget::DonationToPool {
						branch: 0,
						class: BalanceClass::Spendable,
					},
					amount: 1,
				});
				let bytes = signed_extrinsic(&context, pair, nonce, call).encode();
				let hash = blake2_256(&bytes);
				if let Ok(mut map) = timings.lock() {
					map.insert(
						hash,
						Timing { submitted: Some(Instant::now()), ..Default::default() },
					);
				}
				sent += 1;
				submitted.fetch_add(1, Ordering::Relaxed);
				match submit(&mut rpc, &bytes) {
					Ok(()) => {
						nonces.insert(index, nonce + 1);
					}
					Err(error) => {
						if let Ok(mut map) = timings.lock() {
							map.remove(&hash);
						}
						count_refusal(&rejected, &error);
						nonces.remove(&index);
					}
				}
			}
			Ok(())
		}));
	}
	let mut rpc = Rpc::connect(&args.rpc[0])?;
	let mut last_report = Instant::now();
	let entries_at_start = match until {
		Until::Entries(_) => next_entry_id(&mut rpc)?,
		Until::Seconds(_) => 0,
	};
	// The submit window ends when sending stops, not when the activities workload has wound
	// down: its last steps are in the finalisation time instead.
	let mut stopped_at: Option<Instant> = None;
	while senders.iter().any(|s| !s.is_finished()) {
		thread::sleep(Duration::from_millis(100));
		if last_report.elapsed() < Duration::from_secs(1) {
			continue;
		}
		last_report = Instant::now();
		progress(&timings, &submitted, start);
		let done = match until {
			Until::Seconds(seconds) => start.elapsed() >= Duration::from_secs(seconds),
			Until::Entries(target) => {
				let entries = next_entry_id(&mut rpc)?;
				let rate = (entries - entries_at_start) as f64 / start.elapsed().as_secs_f64();
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
			stop_sending.store(true, Ordering::SeqCst);
		}
	}
	for sender in senders {
		sender.join().map_err(|_| "a sending thread panicked".to_string())??;
	}
	let submit_window = stopped_at.unwrap_or_else(Instant::now).duration_since(start);
	// Let the chain finalise what is in the pool, up to 60 s.
	let drain_deadline = Instant::now() + Duration::from_secs(60);
	while Instant::now() < drain_deadline {
		let pending = timings
			.lock()
			.map(|m| m.values().filter(|t| t.finalised.is_none()).count())
			.unwrap_or(0);
		if pending == 0 {
			break;
		}
		progress(&timings, &submitted, start);
		thread::sleep(Duration::from_secs(1));
	}
	stop_watching.store(true, Ordering::SeqCst);
	let blocks = watcher.join().map_err(|_| "the watcher panicked".to_string())??;
	let timings = timings.lock().map_err(|_| "timings poisoned")?.clone();
	let rejected = rejected.lock().map_err(|_| "rejections poisoned")?.clone();
	let mut report = summarise(args, submit_window, start, &timings, &rejected, &blocks);
	report["targetRate"] = json!(rate);
	if args.workload == Workload::Activities {
		let lifecycles = lifecycles.lock().map_err(|_| "lifecycles poisoned")?;
		report["lifecycles"] = activities::summarise(&lifecycles, &timings);
	}
	Ok(report)
}

/// Counts a refused submission under its message without the varying data (digits): one count
/// per kind of refusal.
fn count_refusal(rejected: &Mutex<BTreeMap<String, u64>>, error: &str) {
	let kind: String = error.chars().filter(|c| !c.is_ascii_digit()).take(120).collect();
	if let Ok(mut counts) = rejected.lock() {
		*counts.entry(kind).or_default() += 1;
	}
}

/// How many ledger entries the chain has posted (`Ledger::NextEntryId` at the best block).
fn next_entry_id(rpc: &mut Rpc) -> Result<u64, String> {
	let key = [twox_128(b"Ledger"), twox_128(b"NextEntryId")].concat();
	match rpc.call("state_getStorage", json!([hex(&key)]))?.as_str() {
		Some(raw) => u64::decode(&mut &unhex(raw)?[..]).map_err(|e| format!("NextEntryId: {e}")),
		None => Ok(0),
	}
}

/// State-scale mode: fills the ledger to `target` entries, then times each `timebank_*` query.
fn state_scale(
	args: &Args,
	context: &SigningContext,
	members: &Arc<Vec<sr25519::Pair>>,
	target: u64,
) -> Result<Value, String> {
	let mut rpc = Rpc::connect(&args.rpc[0])?;
	let before = next_entry_id(&mut rpc)?;
	let started = Instant::now();
	let fill = if before < target {
		eprintln!("filling the ledger from {before} to {target} entries");
		let rate = args.rate[0];
		let mut fill = load(args, context, members, rate, Until::Entries(target))?;
		// The per-transaction series of a long fill is the same figure over and over.
		fill.as_object_mut().map(|f| f.remove("perSecond"));
		fill
	} else {
		Value::Null
	};
	let fill_seconds = started.elapsed().as_secs_f64();
	let entries = next_entry_id(&mut rpc)?;
	let latency = query_latency(&mut rpc, members, args.queries)?;
	let database_bytes = args.db_path.as_deref().map(directory_size).transpose()?;
	let report = json!({
		"conditions": conditions(args),
		"mode": "state-scale",
		"ledgerEntries": entries,
		"members": members.len(),
		"fillSeconds": fill_seconds,
		"fill": fill,
		"databaseBytes": database_bytes,
		"queryMilliseconds": latency,
	});
	println!("ledger entries: {entries} (filled in {fill_seconds:.0} s)");
	if let Some(bytes) = database_bytes {
		println!("database: {:.1} MiB", bytes as f64 / (1024.0 * 1024.0));
	}
	println!("{:<28} {:>8} {:>8} {:>8} {:>8}", "query, ms", "p50", "p95", "p99", "max");
	for (method, figures) in latency.as_object().into_iter().flatten() {
		println!("{}", table_row(method, figures));
	}
	Ok(report)
}

/// Times `queries` calls of each read-only `timebank_*` method a client makes on every screen,
/// one at a time on one connection, for members picked at random.
fn query_latency(rpc: &mut Rpc, members: &[sr25519::Pair], queries: u32) -> Result<Value, String> {
	// A fixed-seed generator: the same members every run.
	let mut seed = 0x2545_f491_4f6c_dd1d_u64;
	let mut pick = || {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		account(&members[(seed % members.len() as u64) as usize]).to_ss58check()
	};
	let mut figures = serde_json::Map::new();
	for method in
		["timebank_member", "timebank_balances", "timebank_statement", "timebank_branchSummary"]
	{
		let mut samples = Vec::with_capacity(queries as usize);
		for _ in 0..queries {
			let params = match method {
				"timebank_branchSummary" => json!([0]),
				"timebank_statement" => json!([pick(), 0, 20]),
				_ => json!([pick()]),
			};
			let started = Instant::now();
			rpc.call(method, params)?;
			samples.push(started.elapsed().as_secs_f64() * 1000.0);
		}
		figures.insert(method.to_string(), percentiles(samples));
	}
	Ok(Value::Object(figures))
}

fn directory_size(path: &std::path::Path) -> Result<u64, String> {
	let mut total = 0;
	for entry in std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))? {
		let entry = entry.map_err(|e| e.to_string())?;
		let kind = entry.file_type().map_err(|e| e.to_string())?;
		total += if kind.is_dir() {
			directory_size(&entry.path())?
		} else {
			entry.metadata().map_err(|e| e.to_string())?.len()
		};
	}
	Ok(total)
}

fn progress(timings: &Timings, submitted: &AtomicU64, start: Instant) {
	let (accepted, in_block, finalised) = timings
		.lock()
		.map(|m| {
			(
				m.len(),
				m.values().filter(|t| t.in_block.is_some()).count(),
				m.values().filter(|t| t.finalised.is_some()).count(),
			)
		})
		.unwrap_or_default();
	eprintln!(
		"[{:>4.0} s] submitted {} accepted {accepted} in a block {in_block} finalised {finalised}",
		start.elapsed().as_secs_f64(),
		submitted.load(Ordering::Relaxed)
	);
}

/// One block as the watcher saw it.
#[derive(Clone, Debug)]
struct BlockSeen {
	number: u64,
	extrinsics: usize,
	bytes: usize,
	/// Normal-class weight used, as a share of the normal-class limit (unknown for a block
	/// retracted before the watcher read its state).
	fullness: Option<f64>,
}

/// A block header's number (JSON-RPC gives it in hex).
fn number_of(header: &Value) -> Option<u64> {
	header["number"].as_str().and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
}

/// Follows the best chain and the finalised head every 50 ms until told to stop; with
/// `outcomes`, also reads each block's events for what became of each transaction.
fn watch(
	address: &str,
	timings: Timings,
	stop: Arc<AtomicBool>,
	outcomes: bool,
) -> Result<Vec<BlockSeen>, String> {
	let mut rpc = Rpc::connect(address)?;
	let first = number_of(&rpc.call("chain_getHeader", json!([]))?).ok_or("no best header")?;
	let mut seen_up_to = first;
	let mut finalised_up_to = first;
	let mut blocks = Vec::new();
	let limit = timebank_runtime::configs::RuntimeBlockWeights::get()
		.get(DispatchClass::Normal)
		.max_total
		.unwrap_or(Weight::MAX)
		.ref_time() as f64;
	let weight_key = [twox_128(b"System"), twox_128(b"BlockWeight")].concat();
	while !stop.load(Ordering::SeqCst) {
		let best = number_of(&rpc.call("chain_getHeader", json!([]))?).unwrap_or(seen_up_to);
		for number in seen_up_to + 1..=best {
			let hash = rpc.call("chain_getBlockHash", json!([number]))?;
			let block = rpc.call("chain_getBlock", json!([hash]))?;
			let now = Instant::now();
			let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
			let mut bytes = 0;
			let mut hashes = Vec::with_capacity(extrinsics.len());
			for extrinsic in &extrinsics {
				let raw = unhex(extrinsic.as_str().unwrap_or_default())?;
				bytes += raw.len();
				hashes.push(blake2_256(&raw));
			}
			let block_outcomes =
				if outcomes { activities::outcomes_of_block(&mut rpc, &hash) } else { None };
			if let Ok(mut map) = timings.lock() {
				for (index, extrinsic_hash) in hashes.iter().enumerate() {
					if let Some(timing) = map.get_mut(extrinsic_hash) {
						timing.in_block.get_or_insert((now, number));
						if timing.outcome.is_none() {
							timing.outcome = block_outcomes
								.as_ref()
								.and_then(|o| o.get(&(index as u32)))
								.cloned();
						}
					}
				}
			}
			// On a forking network the block read by number may have been retracted and its
			// state pruned by the time it is read: its fullness is then unknown, not an error.
			let used = rpc
				.call("state_getStorage", json!([hex(&weight_key), hash]))
				.ok()
				.and_then(|raw| unhex(raw.as_str()?).ok())
				.and_then(|raw| PerDispatchClass::<Weight>::decode(&mut &raw[..]).ok())
				.map(|w| w.get(DispatchClass::Normal).ref_time() as f64);
			blocks.push(BlockSeen {
				number,
				extrinsics: extrinsics.len(),
				bytes,
				fullness: used.map(|used| used / limit),
			});
		}
		seen_up_to = seen_up_to.max(best);
		let head = rpc.call("chain_getFinalizedHead", json!([]))?;
		let finalised =
			number_of(&rpc.call("chain_getHeader", json!([head]))?).unwrap_or(finalised_up_to);
		if finalised > finalised_up_to {
			let now = Instant::now();
			if let Ok(mut map) = timings.lock() {
				for timing in map.values_mut() {
					if let (Some((_, number)), None) = (timing.in_block, timing.finalised) {
						if number <= finalised {
							timing.finalised = Some(now);
						}
					}
				}
			}
			finalised_up_to = finalised;
		}
		thread::sleep(Duration::from_millis(50));
	}
	Ok(blocks)
}

fn percentiles(mut samples: Vec<f64>) -> Value {
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

fn summarise(
	args: &Args,
	window: Duration,
	start: Instant,
	timings: &HashMap<[u8; 32], Timing>,
	rejected: &BTreeMap<String, u64>,
	blocks: &[BlockSeen],
) -> Value {
	let seconds = |a: Instant, b: Instant| b.duration_since(a).as_secs_f64();
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
	// Per second of the run: transactions submitted, and finalised.
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
	let per_second: Vec<Value> = series
		.iter()
		.map(|(second, (submitted, finalised, latencies))| {
			let mut l = latencies.clone();
			l.sort_by(|a, b| a.total_cmp(b));
			json!({
				"second": second, "submitted": submitted, "finalised": finalised,
				"finalisedLatencyP50": l.get(l.len() / 2).copied(),
			})
		})
		.collect();
	let load_blocks: Vec<&BlockSeen> = blocks.iter().filter(|b| b.extrinsics > 1).collect();
	let fullness: Vec<f64> = load_blocks.iter().filter_map(|b| b.fullness).collect();
	let per_block: Vec<f64> = load_blocks.iter().map(|b| (b.extrinsics - 1) as f64).collect();
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
		"blocks": {
			"withLoad": load_blocks.len(),
			"transactionsPerBlock": percentiles(per_block),
			"normalWeightFullness": percentiles(fullness),
			"firstNumber": blocks.first().map(|b| b.number),
			"lastNumber": blocks.last().map(|b| b.number),
			"maxBytes": blocks.iter().map(|b| b.bytes).max(),
		},
		"perSecond": per_second,
	})
}

fn table(report: &Value) -> String {
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
	out.push_str(&format!(
		"{:<28} {:>8} {:>8} {:>8} {:>8}\n",
		"seconds", "p50", "p95", "p99", "max"
	));
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

fn conditions(args: &Args) -> Value {
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

/// `name  p50  p95  p99  max` of a `percentiles` object.
fn table_row(name: &str, figures: &Value) -> String {
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

fn across_runs(runs: &[Value]) -> Value {
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

fn summary_table(summary: &Value, runs: usize) -> String {
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
}
