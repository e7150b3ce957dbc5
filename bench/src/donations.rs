//! The donations workload: members in turn each donate one minute to branch 0's pool.

use crate::{
	chain::{account, chain_nonce, count_refusal, submit},
	load::RunState,
	watch::Timing,
};
use codec::Encode;
use polkadot_sdk::{sp_core::sr25519, sp_io::hashing::blake2_256};
use std::{
	collections::HashMap,
	sync::{atomic::Ordering, Arc},
	thread,
	time::{Duration, Instant},
};
use timebank_bench::rpc::Rpc;
use timebank_primitives::BalanceClass;
use timebank_runtime::{signing::signed_extrinsic, RuntimeCall};

/// One sending thread of the donations workload.
pub struct Donor {
	pub address: String,
	pub members: Arc<Vec<sr25519::Pair>>,
	/// This thread's index: it sends for every `threads`-th member from this one on.
	pub thread: usize,
	pub threads: usize,
	pub per_thread_rate: f64,
	pub run: RunState,
}

impl Donor {
	/// Sends at the thread's rate until the run stops, each member in turn.
	pub fn run(self) -> Result<(), String> {
		let mut rpc = Rpc::connect(&self.address)?;
		let mine: Vec<&sr25519::Pair> =
			self.members.iter().skip(self.thread).step_by(self.threads).collect();
		// Each member's next nonce, once read: its own transactions follow one another.
		let mut nonces: HashMap<usize, u32> = HashMap::new();
		let mut sent = 0u64;
		let mut next = 0usize;
		while !self.run.stop.load(Ordering::SeqCst) {
			let due = self.run.start + Duration::from_secs_f64(sent as f64 / self.per_thread_rate);
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
			sent += 1;
			match self.donate(&mut rpc, pair, nonce) {
				true => nonces.insert(index, nonce + 1),
				false => nonces.remove(&index),
			};
		}
		Ok(())
	}

	/// Signs and submits one donation, noting it in the timings; whether the node accepted it
	/// (a refusal is counted by kind).
	fn donate(&self, rpc: &mut Rpc, pair: &sr25519::Pair, nonce: u32) -> bool {
		let call = RuntimeCall::Ledger(pallet_timebank_ledger::Call::donate {
			target: pallet_timebank_ledger::TransferTarget::DonationToPool {
				branch: 0,
				class: BalanceClass::Spendable,
			},
			amount: 1,
		});
		let bytes = signed_extrinsic(&self.run.context, pair, nonce, call).encode();
		let hash = blake2_256(&bytes);
		if let Ok(mut map) = self.run.timings.lock() {
			map.insert(hash, Timing { submitted: Some(Instant::now()), ..Default::default() });
		}
		self.run.submitted.fetch_add(1, Ordering::Relaxed);
		match submit(rpc, &bytes) {
			Ok(()) => true,
			Err(error) => {
				if let Ok(mut map) = self.run.timings.lock() {
					map.remove(&hash);
				}
				count_refusal(&self.run.rejected, &error);
				false
			}
		}
	}
}
