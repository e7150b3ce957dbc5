//! The gateway's benchmarks (docs/BENCHMARKS.md, issue 17): programs that print figures, with
//! the minimum, median and maximum over runs. `scripts/bench-gateway` starts the node and runs
//! them; each run uses a fresh gateway (new data directory, new SQLite databases).
//!
//! - `pipeline`: operations per second through the outbox to finality. Each run makes
//!   `--accounts` new member keys in custody, registers them on chain (Alice, the development
//!   sudo key, signs this setup outside custody), then enqueues `--operations` one-minute
//!   donations per member (each to the next member, a recipient), 32 enqueues at a time as from
//!   many clients, and waits until every one is finalised.
//!   Counted from the first enqueue to the last finalisation; latency is each operation's time
//!   from enqueue to the outbox seeing it finalised.
//! - `index`: blocks per second of the indexer catching up from an empty index to the finalised
//!   head of the node it is given (the 1,000,000-entry chain for TARGETS P10).

use clap::{Parser, Subcommand};
use futures::StreamExt;
use polkadot_sdk::sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};
use subxt::utils::{AccountId32, MultiAddress, H256};
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_ledger::{pallet::Call as LedgerCall, types::TransferTarget},
		pallet_timebank_registry::pallet::Call as RegistryCall,
		timebank_primitives::ledger::BalanceClass,
		timebank_primitives::membership::MemberRoles,
		timebank_runtime::RuntimeCall,
	},
};
use timebank_gateway::{
	chain::{Chain, Submitted},
	config::Config,
	indexer::Indexer,
	store::Location,
	Gateway,
};

/// Clients enqueueing at once in the pipeline benchmark.
const CLIENTS: usize = 32;

#[derive(Parser)]
#[command(about = "Benchmarks of the Time Bank gateway (min/median/max over runs)")]
struct Cli {
	/// The node's WebSocket RPC address.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Runs, each on a fresh gateway.
	#[arg(long, global = true, default_value_t = 3)]
	runs: usize,
	#[command(subcommand)]
	bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
	/// Operations per second through the outbox to finality.
	Pipeline {
		/// Members whose keys the gateway holds and signs for.
		#[arg(long, default_value_t = 500)]
		accounts: usize,
		/// Operations each member sends.
		#[arg(long, default_value_t = 4)]
		operations: usize,
	},
	/// Indexer catch-up from an empty index to the node's finalised head, in blocks per second.
	Index {
		/// Stop at this block instead of the finalised head: the end of a kept chain's fill,
		/// leaving out the empty blocks a development node authored after it.
		#[arg(long)]
		up_to: Option<u64>,
	},
}

/// Minimum, median and maximum of `values`, in `unit`.
fn spread(values: &mut [f64], unit: &str) -> String {
	values.sort_by(f64::total_cmp);
	let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
	match values {
		[] => "none".into(),
		_ => format!(
			"{:.1} / {:.1} / {:.1}{unit} (min / median / max of {})",
			values[0],
			values[values.len() / 2],
			values[values.len() - 1],
			values.len()
		),
	}
}

fn config(node: &str, dir: &std::path::Path) -> Config {
	Config {
		node_url: node.into(),
		data_dir: dir.to_owned(),
		database: Location::SqliteDir(dir.to_owned()),
		kek_file: dir.join("kek"),
		kek_id: 1,
		listen: "127.0.0.1:0".parse().expect("a socket address"),
		era_period: 64,
		log: "warn".into(),
		sign_in_per_minute_per_address: 30,
		demo: false,
	}
}

#[tokio::main]
async fn main() -> Result<(), String> {
	let cli = Cli::parse();
	// The gateway's own log lines, when asked for (`RUST_LOG=timebank_gateway=info`); off by
	// default, so they do not cost the figures anything.
	if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
		tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	}
	match cli.bench {
		Bench::Pipeline { accounts, operations } => {
			let (mut rates, mut p50s, mut p99s) = (Vec::new(), Vec::new(), Vec::new());
			let (mut inner_operations, mut inner_weight) = (Vec::new(), Vec::new());
			for run in 1..=cli.runs {
				let figures = pipeline_run(&cli.node, accounts, operations).await?;
				println!(
					"run {run}: {} operations in {:.1} s: {:.1} operations/s to finality; \
					 enqueue to finalised p50 {:.2} s, p99 {:.2} s",
					accounts * operations,
					figures.seconds,
					figures.rate,
					figures.p50,
					figures.p99
				);
				let fill = &figures.fill;
				println!(
					"  {} blocks carried them; operations per block {}; normal-class weight \
					 used {}",
					fill.operations.len(),
					spread(&mut fill.operations.clone(), ""),
					spread(&mut fill.weight_percent.clone(), "%")
				);
				rates.push(figures.rate);
				p50s.push(figures.p50);
				p99s.push(figures.p99);
				inner_operations.extend(BlockFill::inner(&fill.operations));
				inner_weight.extend(BlockFill::inner(&fill.weight_percent));
			}
			println!("pipeline, {accounts} accounts x {operations} operations:");
			println!("  throughput to finality: {}", spread(&mut rates, "operations/s"));
			println!("  latency p50: {}", spread(&mut p50s, "s"));
			println!("  latency p99: {}", spread(&mut p99s, "s"));
			println!(
				"  steady state, every run's blocks but its first and last ({}): operations per \
				 block {}; normal-class weight used {}",
				inner_operations.len(),
				spread(&mut inner_operations, ""),
				spread(&mut inner_weight, "%")
			);
		}
		Bench::Index { up_to } => {
			let (mut rates, mut entry_rates) = (Vec::new(), Vec::new());
			for run in 1..=cli.runs {
				let figures = index_run(&cli.node, up_to.unwrap_or(u64::MAX)).await?;
				let rate = figures.blocks as f64 / figures.seconds;
				let entry_rate = figures.entries as f64 / figures.seconds;
				println!(
					"run {run}: {} blocks ({} with ledger entries, the last of them block {}; {} \
					 entries) in {:.1} s: {rate:.1} blocks/s, {entry_rate:.0} entries/s",
					figures.blocks,
					figures.blocks_with_entries,
					figures.last_with_entries,
					figures.entries,
					figures.seconds
				);
				rates.push(rate);
				entry_rates.push(entry_rate);
			}
			println!("indexer catch-up: {}", spread(&mut rates, "blocks/s"));
			println!("indexer catch-up: {}", spread(&mut entry_rates, "entries/s"));
		}
	}
	Ok(())
}

struct PipelineFigures {
	seconds: f64,
	rate: f64,
	p50: f64,
	p99: f64,
	fill: BlockFill,
}

/// The blocks that carried a run's operations, in order: how many operations each took, and
/// how much of the normal class's weight limit each used. A block that used (nearly) all of it
/// held what the chain can take; the gateway kept the chain at its ceiling while the blocks
/// between the run's first and last were full.
struct BlockFill {
	operations: Vec<f64>,
	weight_percent: Vec<f64>,
}

impl BlockFill {
	/// The blocks between the first and the last (the ramp the first operations take to reach
	/// the pool, and the rest after the last, are not the steady state).
	fn inner(values: &[f64]) -> Vec<f64> {
		match values.len() {
			0..=2 => values.to_vec(),
			n => values[1..n - 1].to_vec(),
		}
	}
}

async fn pipeline_run(
	node: &str,
	accounts: usize,
	operations: usize,
) -> Result<PipelineFigures, String> {
	let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
	let gateway = Gateway::open(config(node, dir.path())).await.map_err(|e| e.to_string())?;
	let mut members = Vec::with_capacity(accounts);
	for _ in 0..accounts {
		members.push(gateway.vault.create_key(None).await.map_err(|e| e.to_string())?);
	}
	register(&gateway.chain, &members).await?;
	let workers = gateway.spawn_workers();
	let total = accounts * operations;
	let started = Instant::now();
	// As from many clients at once (the HTTP API serves them side by side): 32 enqueues in
	// flight.
	let mut enqueues = Vec::with_capacity(total);
	for _ in 0..operations {
		for (i, from) in members.iter().enumerate() {
			let to = AccountId32(members[(i + 1) % members.len()]);
			let target = TransferTarget::DonationToMember { to, class: BalanceClass::Spendable };
			let donation = timebank::tx().ledger().donate(target, 1);
			let gateway = &gateway;
			enqueues.push(async move { gateway.submit(*from, &donation, None).await });
		}
	}
	let results: Vec<_> = futures::stream::iter(enqueues).buffer_unordered(CLIENTS).collect().await;
	for result in results {
		result.map_err(|e| e.to_string())?;
	}
	let enqueued = started.elapsed().as_secs_f64();
	eprintln!("  {total} operations enqueued in {enqueued:.1} s");
	wait_for_all(&gateway, total, started).await?;
	let seconds = started.elapsed().as_secs_f64();
	for worker in workers {
		worker.abort();
	}
	eprintln!("  {}", step_times(&gateway.metrics));
	let rows = gateway
		.outbox
		.db()
		.query(
			"SELECT updated_at - created_at FROM operations WHERE pallet = 'Ledger' ORDER BY 1",
			vec![],
		)
		.await
		.map_err(|e| e.to_string())?;
	let latencies: Vec<i64> = rows.iter().filter_map(|r| r.int(0).ok()).collect();
	let at = |q: f64| {
		let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
		latencies.get(index).map_or(0.0, |ms| *ms as f64 / 1000.0)
	};
	let fill = block_fill(&gateway, node).await?;
	Ok(PipelineFigures { seconds, rate: total as f64 / seconds, p50: at(0.5), p99: at(0.99), fill })
}

/// Operations per block and each block's weight as a share of the normal class's limit, for
/// the blocks the run's operations are in (read from the outbox and the node's state).
async fn block_fill(gateway: &Gateway, node: &str) -> Result<BlockFill, String> {
	let rows = gateway
		.outbox
		.db()
		.query(
			"SELECT block_number, COUNT(*) FROM operations WHERE pallet = 'Ledger' \
			 GROUP BY block_number ORDER BY block_number",
			vec![],
		)
		.await
		.map_err(|e| e.to_string())?;
	let client = subxt::OnlineClient::<timebank_gateway::chain::ChainConfig>::from_url(node)
		.await
		.map_err(|e| e.to_string())?;
	let (mut operations, mut weight_percent) = (Vec::new(), Vec::new());
	for row in &rows {
		let number = row.int(0).map_err(|e| e.to_string())? as u64;
		let count = row.int(1).map_err(|e| e.to_string())?;
		let at = client.at_block(number).await.map_err(|e| e.to_string())?;
		let limit = at
			.constants()
			.entry(timebank::constants().system().block_weights())
			.map_err(|e| e.to_string())?
			.per_class
			.normal
			.max_total
			.ok_or("the normal class has no weight limit")?
			.ref_time;
		let used = at
			.storage()
			.fetch(timebank::storage().system().block_weight(), ())
			.await
			.map_err(|e| e.to_string())?
			.decode()
			.map_err(|e| e.to_string())?
			.normal
			.ref_time;
		operations.push(count as f64);
		weight_percent.push(100.0 * used as f64 / limit.max(1) as f64);
	}
	Ok(BlockFill { operations, weight_percent })
}

/// Where the pipeline's time went: each step's count and mean, and the passes'.
fn step_times(metrics: &timebank_gateway::metrics::Metrics) -> String {
	let mean = |h: &prometheus::Histogram| {
		format!(
			"{} × {:.1} ms",
			h.get_sample_count(),
			1000.0 * h.get_sample_sum() / h.get_sample_count().max(1) as f64
		)
	};
	let mut parts: Vec<String> = ["assign_nonce", "sign", "dry_run", "send", "follow"]
		.iter()
		.map(|step| format!("{step} {}", mean(&metrics.step_seconds.with_label_values(&[step]))))
		.collect();
	parts.push(format!("passes {}", mean(&metrics.pass_seconds)));
	parts.join(", ")
}

/// Wait until the outbox has ended all `total` operations; an error unless every one succeeded.
async fn wait_for_all(gateway: &Gateway, total: usize, started: Instant) -> Result<(), String> {
	let mut last_report = Instant::now();
	loop {
		let counts = gateway.outbox.counts().await.map_err(|e| e.to_string())?;
		let count = |state: &str| counts.iter().find(|(s, _)| s == state).map_or(0, |c| c.1);
		let ended = count("finalized_ok") + count("finalized_failed") + count("refused");
		if ended as usize >= total {
			if count("finalized_ok") as usize != total {
				let example = gateway
					.outbox
					.db()
					.query_one(
						"SELECT outcome FROM operations WHERE state <> 'finalized_ok' LIMIT 1",
						vec![],
					)
					.await
					.map_err(|e| e.to_string())?
					.and_then(|row| row.opt_text(0).ok().flatten());
				return Err(format!("not every operation succeeded: {counts:?}, e.g. {example:?}"));
			}
			break;
		}
		if last_report.elapsed() > Duration::from_secs(10) {
			eprintln!("  {ended} of {total} ended after {:.0} s", started.elapsed().as_secs_f64());
			last_report = Instant::now();
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	Ok(())
}

/// Register `members` on branch 0 and grant each 600 minutes, signed by Alice (the development
/// sudo key and branch 0's admin) outside custody: setup, not measured.
///
/// The node's pool loses some of a burst of thousands of one sender's transactions without a
/// word (issue 21 measures it), which strands every later nonce behind the gap. So while it
/// waits, the setup asks the node for Alice's next index (which counts her ready transactions
/// in the pool); when it stops short of the end and does not move, the transactions from there
/// on are sent again.
async fn register(chain: &Chain, members: &[[u8; 32]]) -> Result<(), String> {
	let alice = Signer::alice()?;
	let first = chain.next_index(alice.account).await.map_err(|e| e.to_string())?;
	let started = Instant::now();
	let calls = setup_calls(chain, alice.account, members).await?;
	let mut sent = Vec::with_capacity(calls.len());
	for (nonce, call) in (first..).zip(calls) {
		let bytes = alice.sign(chain, &call, nonce).await?;
		let mut tx = SetupTx { nonce, call, bytes };
		alice.send(chain, &mut tx).await?;
		sent.push(tx);
	}
	// Done when the last member's grant is in a finalised block (the node's next index counts
	// the pool too, so it cannot tell).
	let end = first + sent.len() as u64;
	let last = members.last().map(|who| AccountId32(*who).to_string()).unwrap_or_default();
	let deadline = Instant::now() + Duration::from_secs(300);
	let (mut seen, mut seen_at, mut resent) = (first, Instant::now(), 0);
	loop {
		let (_, head) = chain.finalized_head().await.map_err(|e| e.to_string())?;
		let at = serde_json::json!(format!("0x{}", hex::encode(head.0)));
		let balances = chain
			.request("timebank_balances", vec![serde_json::json!(last), at])
			.await
			.map_err(|e| e.to_string())?;
		if balances["spendable"].as_i64() == Some(600) {
			break;
		}
		if Instant::now() > deadline {
			return Err("the setup was not finalised within 5 minutes".into());
		}
		let next = chain.next_index(alice.account).await.map_err(|e| e.to_string())?;
		if next != seen {
			(seen, seen_at) = (next, Instant::now());
		} else if next < end && seen_at.elapsed() > STALLED {
			let lost = (next - first) as usize;
			for tx in &mut sent[lost..] {
				alice.send(chain, tx).await?;
			}
			resent += sent.len() - lost;
			seen_at = Instant::now();
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
	let resent = if resent > 0 {
		format!(" ({resent} sent again after the pool lost some)")
	} else {
		String::new()
	};
	eprintln!(
		"  setup: {} members registered and granted in {:.0} s{resent}",
		members.len(),
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// Each member's registration and 600-minute grant, as encoded calls Alice signs.
async fn setup_calls(
	chain: &Chain,
	alice: [u8; 32],
	members: &[[u8; 32]],
) -> Result<Vec<Vec<u8>>, String> {
	let mut calls = Vec::with_capacity(2 * members.len());
	for who in members {
		let register = RuntimeCall::Registry(RegistryCall::register_member {
			who: AccountId32(*who),
			branch: 0,
			identity_commitment: H256(sp_crypto_hashing::blake2_256(who)),
			roles: MemberRoles { volunteer: true, recipient: true, family_proxy: false },
		});
		// As Alice through the sudo key, like the registration: Alice's own fee-free quota
		// would run out long before the setup does.
		let grant = RuntimeCall::Ledger(LedgerCall::grant {
			to: AccountId32(*who),
			amount: 600,
			memo: H256::zero(),
		});
		let grant = timebank::tx().sudo().sudo_as(MultiAddress::Id(AccountId32(alice)), grant);
		calls.push(
			chain
				.encode_call(&timebank::tx().sudo().sudo(register))
				.await
				.map_err(|e| e.to_string())?,
		);
		calls.push(chain.encode_call(&grant).await.map_err(|e| e.to_string())?);
	}
	Ok(calls)
}

/// How long Alice's next index may stay short of the setup's end before the rest is sent again.
const STALLED: Duration = Duration::from_secs(5);

/// One of the setup's transactions: its nonce, its call and its latest signed bytes.
struct SetupTx {
	nonce: u64,
	call: Vec<u8>,
	bytes: Vec<u8>,
}

/// Alice, who signs the setup.
struct Signer {
	pair: sr25519::Pair,
	account: [u8; 32],
}

impl Signer {
	fn alice() -> Result<Self, String> {
		let pair = sr25519::Pair::from_string("//Alice", None).map_err(|e| format!("{e:?}"))?;
		Ok(Self { account: pair.public().0, pair })
	}

	/// `call` signed with `nonce`, mortal from the finalised head.
	async fn sign(&self, chain: &Chain, call: &[u8], nonce: u64) -> Result<Vec<u8>, String> {
		// Long-lived: thousands of Alice's transactions queue behind each other.
		let at = chain.sign_at(1024).await.map_err(|e| e.to_string())?;
		let signed = chain
			.sign(self.account, call, nonce, at, |payload| {
				Ok::<_, String>(self.pair.sign(payload).0)
			})
			.await
			.map_err(|e| e.to_string())??;
		Ok(signed.bytes)
	}

	/// Hand `tx` to the pool; one the pool dropped and now bans, or whose era ended, is signed
	/// again from a newer birth (new bytes, the same nonce).
	async fn send(&self, chain: &Chain, tx: &mut SetupTx) -> Result<(), String> {
		for _ in 0..2 {
			match chain.submit(&tx.bytes).await.map_err(|e| e.to_string())? {
				Submitted::Accepted | Submitted::NonceUsed => return Ok(()),
				Submitted::Refused(refusal)
					if refusal.code == "Pool.Banned"
						|| refusal.code == "Invalid.AncientBirthBlock" =>
				{
					tx.bytes = self.sign(chain, &tx.call, tx.nonce).await?
				}
				refused => return Err(format!("setup refused: {refused:?}")),
			}
		}
		Err(format!("setup transaction {} refused twice", tx.nonce))
	}
}

/// What one catch-up from an empty index wrote, and how long it took.
struct IndexFigures {
	blocks: u64,
	/// Blocks that carry ledger entries: the rest are empty (a development node authors a
	/// block every few seconds whether or not there is anything to put in it).
	blocks_with_entries: i64,
	entries: i64,
	/// The last block that carries entries.
	last_with_entries: i64,
	seconds: f64,
}

/// One catch-up from an empty index.
async fn index_run(node: &str, up_to: u64) -> Result<IndexFigures, String> {
	let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
	let gateway = Gateway::open(config(node, dir.path())).await.map_err(|e| e.to_string())?;
	let indexer =
		Indexer::new(gateway.index.clone(), gateway.chain.clone(), gateway.metrics.clone());
	indexer.bind().await.map_err(|e| e.to_string())?;
	let started = Instant::now();
	let blocks = indexer.catch_up_to(up_to).await.map_err(|e| e.to_string())?;
	let seconds = started.elapsed().as_secs_f64();
	let all = timebank_gateway::chain::pallets_with_events();
	for (version, generated) in gateway.chain.pallets_with_generated_events_by_version() {
		let by_name: Vec<&String> = all.iter().filter(|p| !generated.contains(p)).collect();
		println!(
			"  runtime version {version}: the events of {} pallets decode as the generated types; \
			 by field name: {by_name:?}",
			generated.len()
		);
	}
	let counts = gateway
		.index
		.query_one(
			"SELECT COUNT(*), COUNT(DISTINCT block), COALESCE(MAX(block), 0) FROM entries",
			vec![],
		)
		.await
		.map_err(|e| e.to_string())?
		.ok_or("no answer counting the entries")?;
	Ok(IndexFigures {
		blocks,
		blocks_with_entries: counts.int(1).map_err(|e| e.to_string())?,
		entries: counts.int(0).map_err(|e| e.to_string())?,
		last_with_entries: counts.int(2).map_err(|e| e.to_string())?,
		seconds,
	})
}
