//! State-scale mode (`--fill-entries N`): the load runs until the ledger holds N entries, then the
//! `timebank_*` queries are timed one by one, and the size of the database is reported.

use crate::{
	chain::{account, next_entry_id},
	cli::{Args, Until},
	load::load,
	report,
};
use polkadot_sdk::sp_core::{crypto::Ss58Codec, sr25519};
use serde_json::{json, Value};
use std::{path::Path, sync::Arc, time::Instant};
use timebank_bench::rpc::Rpc;
use timebank_runtime::signing::SigningContext;

/// Fills the ledger to `target` entries, then times each `timebank_*` query.
pub fn state_scale(
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
		"conditions": report::conditions(args),
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
	println!("{}", report::table_header("query, ms"));
	for (method, figures) in latency.as_object().into_iter().flatten() {
		println!("{}", report::table_row(method, figures));
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
		figures.insert(method.to_string(), report::percentiles(samples));
	}
	Ok(Value::Object(figures))
}

/// The bytes of every file under `path`.
fn directory_size(path: &Path) -> Result<u64, String> {
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
