//! The activities workload: members go through whole service lifecycles (DOMAIN.md rules 4–6)
//! instead of donating.
//!
//! Members are taken in pairs: the first publishes a request (30 minutes, paid from their own
//! credits), the second applies, the first accepts (the ledger holds the estimate in escrow), the
//! second checks in and out, the first confirms and the engagement settles. Each lifecycle ends
//! with the volunteer voting for branch 0's validator candidate, or withdrawing that vote, so the
//! election pallet carries traffic too.
//!
//! A step can only be sent once the step before it is in a block: the listing and engagement
//! numbers come from its events (the watcher reads them, `Outcome`). A step that fails on chain
//! or gets no block within `STALL` ends its lifecycle, counted by step and reason.
//!
//! Check-out follows check-in by a block or two, so the measured duration is 0 minutes: the
//! settlement pays nothing and releases the hold. The chain does the same work for any duration
//! (one `settle` call more when minutes are paid).

use crate::{account, chain_nonce, rpc::Rpc, submit, Timing, Timings};
use codec::Decode;
use codec::Encode;
use pallet_timebank_activities::{Category, Funding, ListingDraft};
use polkadot_sdk::{
	sp_core::{sr25519, H256},
	sp_io::hashing::{blake2_128, blake2_256, twox_128, twox_64},
	sp_runtime::MultiAddress,
};
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use timebank_primitives::{BranchId, CategoryId, EngagementId, ListingId, ListingKind, RiskLevel};
use timebank_runtime::{
	signing::{signed_extrinsic, SigningContext},
	AccountId, RuntimeCall,
};

/// The catalogue category the workload's requests use (created on branch 0 at setup).
pub const CATEGORY: CategoryId = 900;
const BRANCH: BranchId = 0;
/// A step with no block after this long ends its lifecycle.
const STALL: Duration = Duration::from_secs(60);

/// What the chain made of one transaction, read by the watcher from the block's events.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
	pub ok: bool,
	pub listing: Option<ListingId>,
	pub engagement: Option<EngagementId>,
	pub error: Option<String>,
}

/// Reads the outcome of every extrinsic of a block from its events, by extrinsic index.
/// `None` when the block's state is gone (a retracted fork, pruned) or unreadable.
pub fn outcomes_of_block(rpc: &mut Rpc, block_hash: &Value) -> Option<HashMap<u32, Outcome>> {
	let key = [twox_128(b"System"), twox_128(b"Events")].concat();
	let raw = rpc.call("state_getStorage", json!([crate::hex(&key), block_hash])).ok()?;
	outcomes_from_events(&crate::unhex(raw.as_str()?).ok()?)
}

/// The outcomes in an encoded `System::Events` value.
fn outcomes_from_events(raw: &[u8]) -> Option<HashMap<u32, Outcome>> {
	use polkadot_sdk::frame_system::{self, EventRecord, Phase};
	use timebank_runtime::RuntimeEvent;
	let records = Vec::<EventRecord<RuntimeEvent, H256>>::decode(&mut &raw[..]).ok()?;
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
	use timebank_runtime::{PalletInfo, Runtime};
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

/// Creates the workload's category on branch 0 (Alice administers it on the dev chains) unless
/// it exists, and waits until it does.
pub fn set_up(rpc: &mut Rpc, context: &SigningContext) -> Result<(), String> {
	let (alice, _) = crate::alice()?;
	let alice = &alice;
	let key = [
		twox_128(b"Activities").to_vec(),
		twox_128(b"Catalogue").to_vec(),
		twox_64(&BRANCH.encode()).to_vec(),
		BRANCH.encode(),
		twox_64(&CATEGORY.encode()).to_vec(),
		CATEGORY.encode(),
	]
	.concat();
	let exists = |rpc: &mut Rpc| -> Result<bool, String> {
		Ok(!rpc.call("state_getStorage", json!([crate::hex(&key)]))?.is_null())
	};
	let policy_key = [
		twox_128(b"Activities").to_vec(),
		twox_128(b"Policies").to_vec(),
		twox_64(&BRANCH.encode()).to_vec(),
		BRANCH.encode(),
	]
	.concat();
	if let Some(raw) = rpc.call("state_getStorage", json!([crate::hex(&policy_key)]))?.as_str() {
		let raw = crate::unhex(raw)?;
		let policy =
			pallet_timebank_activities::ActivityPolicy::<timebank_runtime::BlockNumber>::decode(
				&mut &raw[..],
			)
			.map_err(|e| format!("branch {BRANCH}'s activity policy: {e}"))?;
		if policy.check_in_code || policy.review_newcomers || policy.review_from_risk.is_some() {
			return Err(format!(
				"branch {BRANCH}'s activity policy asks for check-in codes or staff review, \
				 which the workload does not do: use a fresh dev chain"
			));
		}
	}
	if exists(rpc)? {
		return Ok(());
	}
	let alice_id = account(alice);
	let call = RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo_as {
		who: MultiAddress::Id(alice_id.clone()),
		call: Box::new(RuntimeCall::Activities(pallet_timebank_activities::Call::set_category {
			branch: BRANCH,
			category: CATEGORY,
			value: Some(Category { risk: RiskLevel::Low, required_skill: None, active: true }),
		})),
	});
	let nonce = chain_nonce(rpc, &alice_id)?;
	submit(rpc, &signed_extrinsic(context, alice, nonce, call).encode())?;
	let deadline = Instant::now() + Duration::from_secs(30);
	while !exists(rpc)? {
		if Instant::now() > deadline {
			return Err("setup: the activity category did not appear within 30 s (is //Alice \
			            an admin of branch 0?)"
				.into());
		}
		thread::sleep(Duration::from_millis(200));
	}
	eprintln!("setup: category {CATEGORY} created on branch {BRANCH}");
	Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
	Publish,
	Apply,
	Accept,
	CheckIn,
	CheckOut,
	Confirm,
	Vote,
}

impl Step {
	fn next(self) -> Option<Step> {
		use Step::*;
		match self {
			Publish => Some(Apply),
			Apply => Some(Accept),
			Accept => Some(CheckIn),
			CheckIn => Some(CheckOut),
			CheckOut => Some(Confirm),
			Confirm => Some(Vote),
			Vote => None,
		}
	}
}

struct Lifecycle {
	owner: usize,
	volunteer: usize,
	step: Step,
	/// The step's transaction, sent and not yet seen in a block with its outcome.
	pending: Option<([u8; 32], Instant)>,
	listing: ListingId,
	engagement: EngagementId,
	published: Option<Instant>,
	confirm: Option<[u8; 32]>,
	/// Settled and voted, or ended early: its slot takes the next free pair.
	finished: bool,
}

impl Lifecycle {
	fn new(owner: usize, volunteer: usize) -> Self {
		Lifecycle {
			owner,
			volunteer,
			step: Step::Publish,
			pending: None,
			listing: 0,
			engagement: 0,
			published: None,
			confirm: None,
			finished: false,
		}
	}
}

/// Lifecycle figures shared by the sending threads.
#[derive(Default)]
pub struct Lifecycles {
	pub started: u64,
	/// (publish submitted, hash of the confirming transaction) of each settled lifecycle.
	pub settled: Vec<(Instant, [u8; 32])>,
	/// Completed lifecycles, vote included.
	pub completed: u64,
	/// "step: reason" -> count.
	pub ended_early: BTreeMap<String, u64>,
	/// Under way when the run stopped and holding no credits, or not settled within the minute
	/// the run's end waits for those that do.
	pub cut_at_end: u64,
}

/// What one sending thread needs.
pub struct Sender {
	pub address: String,
	pub members: Arc<Vec<sr25519::Pair>>,
	/// This thread's member pairs, as indices of their first member.
	pub pairs: Vec<usize>,
	pub in_flight: usize,
	pub per_thread_rate: f64,
	pub start: Instant,
	pub context: SigningContext,
	pub timings: Timings,
	pub rejected: Arc<Mutex<BTreeMap<String, u64>>>,
	pub submitted: Arc<AtomicU64>,
	pub stop: Arc<AtomicBool>,
	pub lifecycles: Arc<Mutex<Lifecycles>>,
}

/// The signer's next nonce counting its transactions in the node's pool: after a stalled step the
/// pair's next transaction must not reuse the nonce of one still waiting there.
fn pool_nonce(rpc: &mut Rpc, who: &AccountId) -> Result<u32, String> {
	use polkadot_sdk::sp_core::crypto::Ss58Codec;
	rpc.call("system_accountNextIndex", json!([who.to_ss58check()]))?
		.as_u64()
		.map(|n| n as u32)
		.ok_or_else(|| "system_accountNextIndex returned no number".into())
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Whether `who` has a vote recorded in the election pallet.
fn has_vote(rpc: &mut Rpc, who: &AccountId) -> Result<bool, String> {
	let encoded = who.encode();
	let key = [
		twox_128(b"Election").to_vec(),
		twox_128(b"Votes").to_vec(),
		blake2_128(&encoded).to_vec(),
		encoded,
	]
	.concat();
	Ok(!rpc.call("state_getStorage", json!([crate::hex(&key)]))?.is_null())
}

/// A sending thread's state between turns.
struct Turns {
	rpc: Rpc,
	/// Next nonce of each member this thread signs for, while known.
	nonces: HashMap<usize, u32>,
	/// Whether each volunteer has a vote, while known.
	voted: HashMap<usize, bool>,
	running: Vec<Lifecycle>,
	next_pair: usize,
	sent: u64,
	/// Where the next turn starts looking for a step to send: lifecycles take turns, so none
	/// waits behind the others.
	cursor: usize,
}

impl Sender {
	pub fn run(self) -> Result<(), String> {
		// At most half the pairs run at once, so a free pair is always found without a pair
		// ever being in two lifecycles (two lifecycles of one pair would share nonces).
		let in_flight = self.in_flight.clamp(1, (self.pairs.len() / 2).max(1));
		if in_flight < self.in_flight {
			eprintln!(
				"warning: {in_flight} lifecycles at once on this connection, not {}: it has {} \
				 member pairs (give more --members)",
				self.in_flight,
				self.pairs.len()
			);
		}
		let mut turns = Turns {
			rpc: Rpc::connect(&self.address)?,
			nonces: HashMap::new(),
			voted: HashMap::new(),
			running: self.pairs[..in_flight]
				.iter()
				.map(|&first| Lifecycle::new(first, first + 1))
				.collect(),
			next_pair: in_flight,
			sent: 0,
			cursor: 0,
		};
		self.count(|l| l.started += in_flight as u64);
		while !self.stop.load(Ordering::SeqCst) {
			self.turn(&mut turns, true)?;
		}
		// Wind down: no new lifecycles, no votes; those whose credits are held in escrow go on
		// to settlement (up to a minute), so that no run leaves holds behind for the next.
		let mut cut = 0;
		for lifecycle in turns.running.iter_mut().filter(|l| !l.finished) {
			let holds = matches!(lifecycle.step, Step::CheckIn | Step::CheckOut | Step::Confirm)
				|| (lifecycle.step == Step::Accept && lifecycle.pending.is_some());
			if !holds {
				lifecycle.finished = true;
				cut += 1;
			}
		}
		let deadline = Instant::now() + Duration::from_secs(60);
		while turns.running.iter().any(|l| !l.finished) && Instant::now() < deadline {
			self.turn(&mut turns, false)?;
		}
		cut += turns.running.iter().filter(|l| !l.finished).count() as u64;
		self.count(|l| l.cut_at_end += cut);
		Ok(())
	}

	/// Collects outcomes, refills finished slots with new lifecycles (unless winding down), and
	/// sends the steps that are due at the rate.
	fn turn(&self, t: &mut Turns, refill: bool) -> Result<(), String> {
		self.collect_outcomes(&mut t.running, &mut t.voted, &mut t.nonces, refill);
		if refill {
			let mut new = 0;
			for slot in 0..t.running.len() {
				if !t.running[slot].finished {
					continue;
				}
				let first = loop {
					let candidate = self.pairs[t.next_pair % self.pairs.len()];
					t.next_pair += 1;
					if !t.running.iter().any(|l| !l.finished && l.owner == candidate) {
						break candidate;
					}
				};
				t.running[slot] = Lifecycle::new(first, first + 1);
				new += 1;
			}
			if new > 0 {
				self.count(|l| l.started += new);
			}
		}
		let mut any_sent = false;
		let count = t.running.len();
		for offset in 0..count {
			let index = (t.cursor + offset) % count;
			let lifecycle = &mut t.running[index];
			if lifecycle.pending.is_some() || lifecycle.finished {
				continue;
			}
			if refill && self.stop.load(Ordering::SeqCst) {
				break;
			}
			let due = self.start + Duration::from_secs_f64(t.sent as f64 / self.per_thread_rate);
			let now = Instant::now();
			if now < due {
				t.cursor = index;
				break;
			}
			if now > due + Duration::from_secs(1) {
				// Every lifecycle was waiting for a block: go on at the rate from here rather
				// than catch up with a burst.
				t.sent =
					(now.duration_since(self.start).as_secs_f64() * self.per_thread_rate) as u64;
			}
			let signer = match lifecycle.step {
				Step::Publish | Step::Accept | Step::Confirm => lifecycle.owner,
				_ => lifecycle.volunteer,
			};
			let call = self.call_for(&mut t.rpc, lifecycle, &mut t.voted)?;
			let pair = &self.members[signer];
			let nonce = match t.nonces.get(&signer) {
				Some(n) => *n,
				None => pool_nonce(&mut t.rpc, &account(pair))?,
			};
			let bytes = signed_extrinsic(&self.context, pair, nonce, call).encode();
			let hash = blake2_256(&bytes);
			let now = Instant::now();
			t.cursor = index + 1;
			if let Ok(mut map) = self.timings.lock() {
				map.insert(hash, Timing { submitted: Some(now), ..Default::default() });
			}
			t.sent += 1;
			any_sent = true;
			self.submitted.fetch_add(1, Ordering::Relaxed);
			match submit(&mut t.rpc, &bytes) {
				Ok(()) => {
					t.nonces.insert(signer, nonce + 1);
					lifecycle.pending = Some((hash, now));
					if lifecycle.step == Step::Publish {
						lifecycle.published = Some(now);
					}
					if lifecycle.step == Step::Confirm {
						lifecycle.confirm = Some(hash);
					}
				}
				Err(error) => {
					if let Ok(mut map) = self.timings.lock() {
						map.remove(&hash);
					}
					crate::count_refusal(&self.rejected, &error);
					// Sent again on a later turn, with the nonce read afresh.
					t.nonces.remove(&signer);
				}
			}
		}
		if !any_sent {
			thread::sleep(Duration::from_millis(10));
		}
		Ok(())
	}

	fn count(&self, change: impl FnOnce(&mut Lifecycles)) {
		if let Ok(mut l) = self.lifecycles.lock() {
			change(&mut l);
		}
	}

	fn call_for(
		&self,
		rpc: &mut Rpc,
		lifecycle: &Lifecycle,
		voted: &mut HashMap<usize, bool>,
	) -> Result<RuntimeCall, String> {
		use pallet_timebank_activities::Call as A;
		let volunteer = account(&self.members[lifecycle.volunteer]);
		Ok(match lifecycle.step {
			Step::Publish => {
				let now = now_ms();
				RuntimeCall::Activities(A::publish {
					draft: ListingDraft {
						kind: ListingKind::Request,
						branch: BRANCH,
						category: CATEGORY,
						slot_start: now,
						slot_end: now + 2 * 60 * 60 * 1000,
						area: 0,
						estimated_minutes: 30,
						min_trust: 0,
						max_participants: 1,
						funding: Funding::Own,
					},
					owner: None,
				})
			}
			Step::Apply => RuntimeCall::Activities(A::apply { listing: lifecycle.listing }),
			Step::Accept => RuntimeCall::Activities(A::accept {
				listing: lifecycle.listing,
				applicant: volunteer,
			}),
			Step::CheckIn => RuntimeCall::Activities(A::check_in {
				engagement: lifecycle.engagement,
				code: None,
			}),
			Step::CheckOut => {
				RuntimeCall::Activities(A::check_out { engagement: lifecycle.engagement })
			}
			Step::Confirm => {
				RuntimeCall::Activities(A::confirm { engagement: lifecycle.engagement })
			}
			Step::Vote => {
				let has = match voted.get(&lifecycle.volunteer) {
					Some(v) => *v,
					None => has_vote(rpc, &volunteer)?,
				};
				voted.insert(lifecycle.volunteer, has);
				RuntimeCall::Election(if has {
					pallet_timebank_election::Call::unvote {}
				} else {
					pallet_timebank_election::Call::vote { branch: BRANCH }
				})
			}
		})
	}

	/// Moves each lifecycle whose pending step has an outcome to its next step; one that
	/// completed, failed or stalled is marked finished.
	fn collect_outcomes(
		&self,
		running: &mut [Lifecycle],
		voted: &mut HashMap<usize, bool>,
		nonces: &mut HashMap<usize, u32>,
		refill: bool,
	) {
		let Ok(map) = self.timings.lock() else { return };
		let mut completed = 0;
		let mut settled = Vec::new();
		let mut ended = Vec::new();
		for lifecycle in running.iter_mut() {
			let Some((hash, since)) = lifecycle.pending.filter(|_| !lifecycle.finished) else {
				continue;
			};
			let timing = map.get(&hash);
			let outcome = timing.and_then(|t| t.outcome.clone());
			let end_reason = match outcome {
				None if since.elapsed() > STALL => Some(
					if timing.is_some_and(|t| t.in_block.is_some()) {
						"in a block whose events could not be read"
					} else {
						"no block within 60 s"
					}
					.to_string(),
				),
				None => continue,
				Some(o) if !o.ok => Some(o.error.unwrap_or_else(|| "failed".into())),
				Some(o) => {
					lifecycle.pending = None;
					if let Some(listing) = o.listing {
						lifecycle.listing = listing;
					}
					if let Some(engagement) = o.engagement {
						lifecycle.engagement = engagement;
					}
					if lifecycle.step == Step::Confirm {
						if let (Some(p), Some(c)) = (lifecycle.published, lifecycle.confirm) {
							settled.push((p, c));
						}
					}
					if lifecycle.step == Step::Vote {
						let had = voted.get(&lifecycle.volunteer).copied().unwrap_or(false);
						voted.insert(lifecycle.volunteer, !had);
					}
					match lifecycle.step.next().filter(|&s| refill || s != Step::Vote) {
						Some(step) => {
							lifecycle.step = step;
							None
						}
						None => {
							completed += 1;
							lifecycle.finished = true;
							None
						}
					}
				}
			};
			if let Some(reason) = end_reason {
				if lifecycle.step == Step::Vote {
					// Its state is unknown now: read it again next time.
					voted.remove(&lifecycle.volunteer);
				}
				// A transaction that got no block may have left the pool unused: the pair's
				// next nonces are read from the chain again.
				nonces.remove(&lifecycle.owner);
				nonces.remove(&lifecycle.volunteer);
				ended.push(format!("{:?}: {reason}", lifecycle.step));
				lifecycle.finished = true;
			}
		}
		drop(map);
		self.count(|l| {
			l.completed += completed;
			l.settled.extend(settled);
			for reason in ended {
				*l.ended_early.entry(reason).or_default() += 1;
			}
		});
	}
}

/// The lifecycle part of a run's report.
pub fn summarise(lifecycles: &Lifecycles, timings: &HashMap<[u8; 32], Timing>) -> Value {
	let seconds: Vec<f64> = lifecycles
		.settled
		.iter()
		.filter_map(|(published, confirm)| {
			Some(timings.get(confirm)?.finalised?.duration_since(*published).as_secs_f64())
		})
		.collect();
	json!({
		"started": lifecycles.started,
		"settled": lifecycles.settled.len(),
		"completedWithVote": lifecycles.completed,
		"cutAtEnd": lifecycles.cut_at_end,
		"endedEarly": lifecycles.ended_early,
		"publishToSettlementFinalisedSeconds": crate::percentiles(seconds),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::{
		frame_system::{self, DispatchEventInfo, EventRecord, Phase},
		sp_runtime::{DispatchError, ModuleError},
	};
	use timebank_runtime::{Runtime, RuntimeEvent};

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
}
