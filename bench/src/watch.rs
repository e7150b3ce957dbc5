//! The watcher: follows the best and the finalised chain of one node, notes when each submitted
//! transaction was first seen in a block and when that block was finalised, and what became of
//! it (from the block's events). `--watch` runs it alone, to time blocks and finality.
//!
//! Timing resolution: it polls every 50 ms, so times are rounded up to the next poll.

use crate::{cli::Args, report};
use codec::Decode;
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, PerDispatchClass},
		weights::Weight,
	},
	sp_io::hashing::blake2_256,
};
use serde_json::{json, Value};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant},
};
use timebank_bench::{
	rpc::{from_hex, header_number, Rpc},
	system_storage,
};
use timebank_runtime::{Runtime, RuntimeEvent};

/// How often the watcher asks for the heads.
const POLL: Duration = Duration::from_millis(50);

/// When each transaction was submitted, first seen in a block, and finalised.
#[derive(Default, Clone)]
pub struct Timing {
	pub submitted: Option<Instant>,
	pub in_block: Option<(Instant, u64)>,
	pub finalised: Option<Instant>,
	/// Success or failure and the ids it created (activities workload only).
	pub outcome: Option<Outcome>,
}

/// The timings of a run's transactions, by extrinsic hash, shared by senders and the watcher.
pub type Timings = Arc<Mutex<HashMap<[u8; 32], Timing>>>;

/// One block as the watcher saw it.
#[derive(Clone, Debug)]
pub struct BlockSeen {
	pub number: u64,
	pub extrinsics: usize,
	pub bytes: usize,
	/// Normal-class weight used, as a share of the normal-class limit (unknown for a block
	/// retracted before the watcher read its state).
	pub fullness: Option<f64>,
	/// When the watcher first saw it as the best block (`None`: the best block had already
	/// moved past it when the watcher looked).
	pub best_at: Option<Instant>,
	/// When the watcher first saw it finalised.
	pub finalised_at: Option<Instant>,
}

/// What the chain made of one transaction, read by the watcher from the block's events.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
	pub ok: bool,
	pub listing: Option<timebank_primitives::ListingId>,
	pub engagement: Option<timebank_primitives::EngagementId>,
	pub error: Option<String>,
}

/// Follows the best chain and the finalised head every 50 ms until told to stop; with
/// `outcomes`, also reads each block's events for what became of each transaction.
pub fn watch(
	address: &str,
	timings: Timings,
	stop: Arc<AtomicBool>,
	outcomes: bool,
) -> Result<Vec<BlockSeen>, String> {
	let mut rpc = Rpc::connect(address)?;
	let first = header_number(&rpc.call("chain_getHeader", json!([]))?).ok_or("no best header")?;
	let mut watcher = Watcher {
		rpc,
		timings,
		outcomes,
		seen_up_to: first,
		finalised_up_to: first,
		blocks: Vec::new(),
		normal_limit: timebank_runtime::configs::RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(Weight::MAX)
			.ref_time() as f64,
	};
	while !stop.load(Ordering::SeqCst) {
		watcher.poll()?;
		thread::sleep(POLL);
	}
	Ok(watcher.blocks)
}

/// The watcher's state between polls.
struct Watcher {
	rpc: Rpc,
	timings: Timings,
	outcomes: bool,
	seen_up_to: u64,
	finalised_up_to: u64,
	blocks: Vec<BlockSeen>,
	/// The normal-class weight limit of a block, in ref time.
	normal_limit: f64,
}

impl Watcher {
	/// Reads the blocks that joined the best chain since the last poll, then the finalised head.
	fn poll(&mut self) -> Result<(), String> {
		let best =
			header_number(&self.rpc.call("chain_getHeader", json!([]))?).unwrap_or(self.seen_up_to);
		let polled_at = Instant::now();
		for number in self.seen_up_to + 1..=best {
			let block = self.read_block(number)?;
			self.blocks.push(BlockSeen { best_at: (number == best).then_some(polled_at), ..block });
		}
		self.seen_up_to = self.seen_up_to.max(best);
		let head = self.rpc.call("chain_getFinalizedHead", json!([]))?;
		let finalised = header_number(&self.rpc.call("chain_getHeader", json!([head]))?)
			.unwrap_or(self.finalised_up_to);
		if finalised > self.finalised_up_to {
			self.mark_finalised(finalised);
			self.finalised_up_to = finalised;
		}
		Ok(())
	}

	/// Block `number` of the best chain: its size, its fullness, and the transactions of the run
	/// in it (noted in the timings, with their outcomes when asked for).
	fn read_block(&mut self, number: u64) -> Result<BlockSeen, String> {
		let hash = self.rpc.call("chain_getBlockHash", json!([number]))?;
		let block = self.rpc.call("chain_getBlock", json!([hash]))?;
		let now = Instant::now();
		let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
		let mut bytes = 0;
		let mut hashes = Vec::with_capacity(extrinsics.len());
		for extrinsic in &extrinsics {
			let raw = from_hex(extrinsic.as_str().unwrap_or_default())?;
			bytes += raw.len();
			hashes.push(blake2_256(&raw));
		}
		let block_outcomes =
			if self.outcomes { outcomes_of_block(&mut self.rpc, &hash) } else { None };
		if let Ok(mut map) = self.timings.lock() {
			for (index, extrinsic_hash) in hashes.iter().enumerate() {
				if let Some(timing) = map.get_mut(extrinsic_hash) {
					timing.in_block.get_or_insert((now, number));
					if timing.outcome.is_none() {
						timing.outcome =
							block_outcomes.as_ref().and_then(|o| o.get(&(index as u32))).cloned();
					}
				}
			}
		}
		Ok(BlockSeen {
			number,
			extrinsics: extrinsics.len(),
			bytes,
			fullness: self.normal_weight_used(&hash).map(|used| used / self.normal_limit),
			best_at: None,
			finalised_at: None,
		})
	}

	/// The normal-class weight block `hash` used. On a forking network the block read by number
	/// may have been retracted and its state pruned by the time it is read: its fullness is then
	/// unknown, not an error.
	fn normal_weight_used(&mut self, hash: &Value) -> Option<f64> {
		let key = polkadot_sdk::frame_system::BlockWeight::<Runtime>::hashed_key();
		let raw = self.rpc.storage(&key, Some(hash)).ok()??;
		let weight = PerDispatchClass::<Weight>::decode(&mut &raw[..]).ok()?;
		Some(weight.get(DispatchClass::Normal).ref_time() as f64)
	}

	/// Notes the finalisation of every transaction and block up to `finalised`.
	fn mark_finalised(&mut self, finalised: u64) {
		let now = Instant::now();
		if let Ok(mut map) = self.timings.lock() {
			for timing in map.values_mut() {
				if let (Some((_, number)), None) = (timing.in_block, timing.finalised) {
					if number <= finalised {
						timing.finalised = Some(now);
					}
				}
			}
		}
		for block in self.blocks.iter_mut().rev().take_while(|b| b.number > self.finalised_up_to) {
			if block.number <= finalised {
				block.finalised_at = Some(now);
			}
		}
	}
}

/// Progress of a run on stderr: transactions submitted, accepted, in a block, finalised.
pub fn progress(timings: &Timings, submitted: &AtomicU64, start: Instant) {
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

/// `--watch`: watches the first `--rpc` node for `--seconds` without sending anything, and
/// reports the interval between new best blocks and the lag from best to finalised.
pub fn block_times(args: &Args) -> Result<Value, String> {
	let address = args.rpc[0].clone();
	let stop = Arc::new(AtomicBool::new(false));
	let watcher = {
		let stop = stop.clone();
		thread::spawn(move || watch(&address, Timings::default(), stop, false))
	};
	let started = Instant::now();
	let until = started + Duration::from_secs(args.seconds);
	while Instant::now() < until && !watcher.is_finished() {
		thread::sleep(Duration::from_millis(200));
	}
	stop.store(true, Ordering::SeqCst);
	let blocks = watcher.join().map_err(|_| "the watcher panicked".to_string())??;
	let figures = block_figures(&blocks);
	println!(
		"node {}, {:.0} s: {} new blocks, finalised up to #{}",
		args.rpc[0],
		started.elapsed().as_secs_f64(),
		blocks.len(),
		figures["finalisedUpTo"]
	);
	println!("{}", report::table_header("seconds"));
	println!("{}", report::table_row("block interval", &figures["blockIntervalSeconds"]));
	println!("{}", report::table_row("best -> finalised lag", &figures["bestToFinalisedSeconds"]));
	Ok(json!({ "mode": "watch", "rpc": args.rpc[0], "seconds": args.seconds, "blocks": figures }))
}

/// Intervals between consecutive blocks each first seen as the best block, and each block's lag
/// from being seen as best to being seen finalised.
fn block_figures(blocks: &[BlockSeen]) -> Value {
	let seconds = |from: Instant, to: Instant| to.duration_since(from).as_secs_f64();
	let intervals: Vec<f64> = blocks
		.windows(2)
		.filter(|pair| pair[1].number == pair[0].number + 1)
		.filter_map(|pair| Some(seconds(pair[0].best_at?, pair[1].best_at?)))
		.collect();
	let lags: Vec<f64> =
		blocks.iter().filter_map(|b| Some(seconds(b.best_at?, b.finalised_at?))).collect();
	json!({
		"seen": blocks.len(),
		"finalisedUpTo": blocks.iter().filter(|b| b.finalised_at.is_some()).map(|b| b.number).max(),
		"blockIntervalSeconds": report::percentiles(intervals),
		"bestToFinalisedSeconds": report::percentiles(lags),
	})
}

/// Reads the outcome of every extrinsic of a block from its events, by extrinsic index.
/// `None` when the block's state is gone (a retracted fork, pruned) or unreadable.
pub fn outcomes_of_block(rpc: &mut Rpc, block_hash: &Value) -> Option<HashMap<u32, Outcome>> {
	let raw = rpc.storage(&system_storage::Events::hashed_key(), Some(block_hash)).ok()??;
	outcomes_from_events(&raw)
}

/// The outcomes in an encoded `System::Events` value.
fn outcomes_from_events(raw: &[u8]) -> Option<HashMap<u32, Outcome>> {
	use polkadot_sdk::frame_system::{self, EventRecord, Phase};
	let records =
		Vec::<EventRecord<RuntimeEvent, polkadot_sdk::sp_core::H256>>::decode(&mut &raw[..])
			.ok()?;
	let mut outcomes: HashMap<u32, Outcome> = HashMap::new();
	for record in records {
		let Phase::ApplyExtrinsic(index) = record.phase else { continue };
		let outcome = outcomes.entry(index).or_default();
		match record.event {
			RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }) => outcome.ok = true,
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error, ..
			}) => {
				outcome.error = Some(describe_error(&dispatch_error));
			}
			RuntimeEvent::Activities(pallet_timebank_activities::Event::ListingPublished {
				listing,
				..
			}) => outcome.listing = Some(listing),
			RuntimeEvent::Activities(pallet_timebank_activities::Event::Accepted {
				engagement,
				..
			}) => outcome.engagement = Some(engagement),
			_ => {}
		}
	}
	Some(outcomes)
}

/// A failed call's error by name (`Activities.SchedulerFull`) for the pallets the workload
/// calls; other errors as the runtime's debug form.
fn describe_error(error: &polkadot_sdk::sp_runtime::DispatchError) -> String {
	use polkadot_sdk::frame_support::traits::PalletInfo as _;
	use timebank_runtime::PalletInfo;
	let polkadot_sdk::sp_runtime::DispatchError::Module(module) = error else {
		return format!("{error:?}");
	};
	let index = Some(usize::from(module.index));
	let bytes = &mut &module.error[..];
	let named = if index == PalletInfo::index::<timebank_runtime::Activities>() {
		pallet_timebank_activities::Error::<Runtime>::decode(bytes)
			.ok()
			.map(|e| format!("Activities.{e:?}"))
	} else if index == PalletInfo::index::<timebank_runtime::Election>() {
		pallet_timebank_election::Error::<Runtime>::decode(bytes)
			.ok()
			.map(|e| format!("Election.{e:?}"))
	} else if index == PalletInfo::index::<timebank_runtime::Ledger>() {
		pallet_timebank_ledger::Error::<Runtime>::decode(bytes)
			.ok()
			.map(|e| format!("Ledger.{e:?}"))
	} else {
		None
	};
	named.unwrap_or_else(|| format!("module {} error {}", module.index, module.error[0]))
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use polkadot_sdk::{
		frame_system::{self, DispatchEventInfo, EventRecord, Phase},
		sp_core::H256,
		sp_runtime::{DispatchError, ModuleError},
	};
	use timebank_primitives::ListingKind;
	use timebank_runtime::AccountId;

	fn record(index: u32, event: RuntimeEvent) -> EventRecord<RuntimeEvent, H256> {
		EventRecord { phase: Phase::ApplyExtrinsic(index), event, topics: vec![] }
	}

	#[test]
	fn outcomes_carry_success_failure_and_the_ids_created() {
		let who = AccountId::from([7u8; 32]);
		let success = || {
			RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess {
				dispatch_info: DispatchEventInfo::default(),
			})
		};
		let records = vec![
			record(
				1,
				RuntimeEvent::Activities(pallet_timebank_activities::Event::ListingPublished {
					listing: 41,
					kind: ListingKind::Request,
					branch: 0,
					owner: who.clone(),
					published_by: who.clone(),
					in_review: false,
				}),
			),
			record(1, success()),
			record(
				2,
				RuntimeEvent::Activities(pallet_timebank_activities::Event::Accepted {
					listing: 41,
					engagement: 9,
					applicant: who.clone(),
					by: who,
					hold: 3,
					held: 30,
				}),
			),
			record(2, success()),
			record(
				3,
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error: pallet_timebank_activities::Error::<Runtime>::SchedulerFull
						.into(),
					dispatch_info: DispatchEventInfo::default(),
				}),
			),
			record(
				4,
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error: DispatchError::Module(ModuleError {
						index: 250,
						error: [5, 0, 0, 0],
						message: None,
					}),
					dispatch_info: DispatchEventInfo::default(),
				}),
			),
			EventRecord { phase: Phase::Finalization, event: success(), topics: vec![] },
		];
		let outcomes = outcomes_from_events(&records.encode()).expect("decodes");
		assert_eq!(outcomes.len(), 4, "one outcome per extrinsic, none for finalisation");
		assert!(outcomes[&1].ok);
		assert_eq!(outcomes[&1].listing, Some(41));
		assert!(outcomes[&2].ok);
		assert_eq!(outcomes[&2].engagement, Some(9));
		assert!(!outcomes[&3].ok);
		assert_eq!(outcomes[&3].error.as_deref(), Some("Activities.SchedulerFull"));
		assert_eq!(outcomes[&4].error.as_deref(), Some("module 250 error 5"));
		assert!(outcomes_from_events(&[1, 2, 3]).is_none(), "garbage is not events");
	}

	#[test]
	fn block_times_count_only_blocks_seen_as_best_and_finalised() {
		let t0 = Instant::now();
		let at = |ms: u64| Some(t0 + Duration::from_millis(ms));
		let block = |number, best_at, finalised_at| BlockSeen {
			number,
			extrinsics: 1,
			bytes: 100,
			fullness: None,
			best_at,
			finalised_at,
		};
		let blocks = [
			block(11, at(0), at(1_500)),
			block(12, at(3_000), at(4_000)),
			// #13 and #14 arrived within one poll: #13 was never the best block the watcher saw.
			block(13, None, at(7_000)),
			block(14, at(6_500), None),
			block(15, at(9_000), None),
		];
		let figures = block_figures(&blocks);
		// 11 -> 12 (3 s) and 14 -> 15 (2.5 s); 12 -> 13 and 13 -> 14 have no time for #13.
		assert_eq!(figures["blockIntervalSeconds"]["count"], 2);
		assert_eq!(figures["blockIntervalSeconds"]["max"], 3.0);
		assert_eq!(figures["blockIntervalSeconds"]["min"], 2.5);
		// #11 (1.5 s) and #12 (1 s): the others were not both seen as best and finalised.
		assert_eq!(figures["bestToFinalisedSeconds"]["count"], 2);
		assert_eq!(figures["bestToFinalisedSeconds"]["max"], 1.5);
		assert_eq!(figures["bestToFinalisedSeconds"]["min"], 1.0);
		assert_eq!(figures["finalisedUpTo"], 13);
		assert_eq!(figures["seen"], 5);
	}
}
