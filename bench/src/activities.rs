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

use crate::{
	chain::{account, alice, chain_nonce, count_refusal, submit},
	load::RunState,
	report::percentiles,
	watch::{Outcome, Timing},
};
use codec::{Decode, Encode};
use pallet_timebank_activities::{Category, Funding, ListingDraft};
use polkadot_sdk::{sp_core::sr25519, sp_io::hashing::blake2_256, sp_runtime::MultiAddress};
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{atomic::Ordering, Arc, Mutex},
	thread,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use timebank_bench::rpc::Rpc;
use timebank_primitives::{BranchId, CategoryId, EngagementId, ListingId, ListingKind, RiskLevel};
use timebank_runtime::{
	signing::{signed_extrinsic, SigningContext},
	AccountId, Runtime, RuntimeCall,
};

/// The catalogue category the workload's requests use (created on branch 0 at setup).
pub const CATEGORY: CategoryId = 900;
const BRANCH: BranchId = 0;
/// A step with no block after this long ends its lifecycle.
const STALL: Duration = Duration::from_secs(60);

/// Creates the workload's category on branch 0 (Alice administers it on the dev chains) unless
/// it exists, and waits until it does.
pub fn set_up(rpc: &mut Rpc, context: &SigningContext) -> Result<(), String> {
	let (alice, _) = alice()?;
	let alice = &alice;
	let key = pallet_timebank_activities::Catalogue::<Runtime>::hashed_key_for(BRANCH, CATEGORY);
	let exists = |rpc: &mut Rpc| -> Result<bool, String> { Ok(rpc.storage(&key, None)?.is_some()) };
	let policy_key = pallet_timebank_activities::Policies::<Runtime>::hashed_key_for(BRANCH);
	if let Some(raw) = rpc.storage(&policy_key, None)? {
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

/// One sending thread of the activities workload.
pub struct Sender {
	pub address: String,
	pub members: Arc<Vec<sr25519::Pair>>,
	/// This thread's member pairs, as indices of their first member.
	pub pairs: Vec<usize>,
	pub in_flight: usize,
	pub per_thread_rate: f64,
	pub run: RunState,
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
	let key = pallet_timebank_election::Votes::<Runtime>::hashed_key_for(who);
	Ok(rpc.storage(&key, None)?.is_some())
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
	/// Runs lifecycles at the thread's rate until the run stops, then winds down.
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
		while !self.run.stop.load(Ordering::SeqCst) {
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
			self.refill(t);
		}
		let mut any_sent = false;
		let count = t.running.len();
		for offset in 0..count {
			let index = (t.cursor + offset) % count;
			let lifecycle = &t.running[index];
			if lifecycle.pending.is_some() || lifecycle.finished {
				continue;
			}
			if refill && self.run.stop.load(Ordering::SeqCst) {
				break;
			}
			let due =
				self.run.start + Duration::from_secs_f64(t.sent as f64 / self.per_thread_rate);
			let now = Instant::now();
			if now < due {
				t.cursor = index;
				break;
			}
			if now > due + Duration::from_secs(1) {
				// Every lifecycle was waiting for a block: go on at the rate from here rather
				// than catch up with a burst.
				t.sent = (now.duration_since(self.run.start).as_secs_f64() * self.per_thread_rate)
					as u64;
			}
			self.send_step(t, index)?;
			any_sent = true;
		}
		if !any_sent {
			thread::sleep(Duration::from_millis(10));
		}
		Ok(())
	}

	/// Starts a new lifecycle in every finished slot, on the next pair not already under way.
	fn refill(&self, t: &mut Turns) {
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

	/// Signs and submits the next step of lifecycle `index`, noting it in the timings; a refused
	/// submission is counted and sent again on a later turn, with the nonce read afresh.
	fn send_step(&self, t: &mut Turns, index: usize) -> Result<(), String> {
		let lifecycle = &mut t.running[index];
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
		let bytes = signed_extrinsic(&self.run.context, pair, nonce, call).encode();
		let hash = blake2_256(&bytes);
		let now = Instant::now();
		t.cursor = index + 1;
		if let Ok(mut map) = self.run.timings.lock() {
			map.insert(hash, Timing { submitted: Some(now), ..Default::default() });
		}
		t.sent += 1;
		self.run.submitted.fetch_add(1, Ordering::Relaxed);
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
				if let Ok(mut map) = self.run.timings.lock() {
					map.remove(&hash);
				}
				count_refusal(&self.run.rejected, &error);
				t.nonces.remove(&signer);
			}
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
						details_hash: Default::default(),
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
				proof: None,
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
		let Ok(map) = self.run.timings.lock() else { return };
		let mut collected = Collected::default();
		for lifecycle in running.iter_mut() {
			let Some((hash, since)) = lifecycle.pending.filter(|_| !lifecycle.finished) else {
				continue;
			};
			let timing = map.get(&hash);
			match timing.and_then(|t| t.outcome.clone()) {
				None if since.elapsed() > STALL => {
					let reason = if timing.is_some_and(|t| t.in_block.is_some()) {
						"in a block whose events could not be read"
					} else {
						"no block within 60 s"
					};
					lifecycle.end_early(reason.to_string(), voted, nonces, &mut collected);
				}
				None => {}
				Some(o) if !o.ok => {
					let reason = o.error.unwrap_or_else(|| "failed".into());
					lifecycle.end_early(reason, voted, nonces, &mut collected);
				}
				Some(o) => lifecycle.advance(o, voted, refill, &mut collected),
			}
		}
		drop(map);
		self.count(|l| {
			l.completed += collected.completed;
			l.settled.extend(collected.settled);
			for reason in collected.ended {
				*l.ended_early.entry(reason).or_default() += 1;
			}
		});
	}
}

/// What one turn's outcomes add to the thread's [`Lifecycles`] figures.
#[derive(Default)]
struct Collected {
	completed: u64,
	settled: Vec<(Instant, [u8; 32])>,
	ended: Vec<String>,
}

impl Lifecycle {
	/// The pending step succeeded: keep the ids it created and go on to the next step, or finish
	/// after the last (after Confirm when winding down: no vote then).
	fn advance(
		&mut self,
		outcome: Outcome,
		voted: &mut HashMap<usize, bool>,
		refill: bool,
		collected: &mut Collected,
	) {
		self.pending = None;
		if let Some(listing) = outcome.listing {
			self.listing = listing;
		}
		if let Some(engagement) = outcome.engagement {
			self.engagement = engagement;
		}
		if self.step == Step::Confirm {
			if let (Some(p), Some(c)) = (self.published, self.confirm) {
				collected.settled.push((p, c));
			}
		}
		if self.step == Step::Vote {
			let had = voted.get(&self.volunteer).copied().unwrap_or(false);
			voted.insert(self.volunteer, !had);
		}
		match self.step.next().filter(|&s| refill || s != Step::Vote) {
			Some(step) => self.step = step,
			None => {
				collected.completed += 1;
				self.finished = true;
			}
		}
	}

	/// The pending step failed or got no block: the lifecycle ends, counted under its step and
	/// `reason`.
	fn end_early(
		&mut self,
		reason: String,
		voted: &mut HashMap<usize, bool>,
		nonces: &mut HashMap<usize, u32>,
		collected: &mut Collected,
	) {
		if self.step == Step::Vote {
			// Its state is unknown now: read it again next time.
			voted.remove(&self.volunteer);
		}
		// A transaction that got no block may have left the pool unused: the pair's next
		// nonces are read from the chain again.
		nonces.remove(&self.owner);
		nonces.remove(&self.volunteer);
		collected.ended.push(format!("{:?}: {reason}", self.step));
		self.finished = true;
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
		"publishToSettlementFinalisedSeconds": percentiles(seconds),
	})
}
