//! The pipeline: moves each account's oldest open operation through its steps (see the state
//! diagram in `outbox/mod.rs`), as far as the pool in one pass. Every step reads what it needs,
//! acts, and commits the next state in one guarded transaction before the next step begins; a
//! crash anywhere leaves a state from which the same step is safe to take again.

use super::{now_ms, transition, OperationId, Outbox, State};
use crate::{
	backoff::Backoff,
	chain::{Chain, ChainError, DryRun, Hash, Refusal, SignAt, Submitted},
	fault,
	metrics::Metrics,
	store::{Row, Statement, StoreError, Value},
	vault::{Vault, VaultError},
};
use futures::StreamExt;
use std::collections::HashSet;

/// Blocks an operation may sit in the pool before the gateway asks whether the pool lost it.
const RESEND_AFTER_BLOCKS: u64 = 20;
/// Steps of different accounts taken at once.
const STEPS_AT_ONCE: usize = 32;
/// Steps one operation may take in one pass: the four to the pool, and a few more when it must
/// be signed again on the way. A bound, so an operation that keeps going round (an era shorter
/// than the finality lag) waits for the next pass like the others instead of spinning.
const STEPS_PER_PASS: usize = 8;
/// A transaction whose era ends within this many blocks of the best block is signed again
/// rather than sent.
const ERA_MARGIN_BLOCKS: u64 = 4;
/// The longest back-off after a transient refusal.
const MAX_BACKOFF_MS: i64 = 30_000;

/// Why a step could not be taken (the operation stays where it is and is tried again).
#[derive(Debug, thiserror::Error)]
pub enum StepError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The node failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
}

/// An open operation as the pipeline reads it.
struct Open {
	id: OperationId,
	account: [u8; 32],
	state: State,
	nonce: Option<u64>,
	call_bytes: Vec<u8>,
	attempts: i64,
	submitted_block: Option<u64>,
	/// The first block its latest signed variant can no longer enter (`None` before signing).
	era_end: Option<u64>,
}

/// `SELECT` of the columns [`Open::from_row`] reads (the latest submission's era end last),
/// followed by the rest of the query.
macro_rules! select_open {
	($rest:literal) => {
		concat!(
			"SELECT id, account, state, nonce, call_bytes, attempts, submitted_block, \
			 (SELECT s.birth_block + s.period FROM submissions s WHERE s.op_id = operations.id \
			 ORDER BY s.n DESC LIMIT 1) FROM operations ",
			$rest
		)
	};
}

impl Open {
	fn from_row(row: &Row) -> Result<Option<Self>, StoreError> {
		let Some(state) = State::parse(&row.text(2)?) else { return Ok(None) };
		Ok(Some(Self {
			id: row.int(0)?,
			account: row.bytes32(1)?,
			state,
			nonce: row.opt_int(3)?.map(|n| n as u64),
			call_bytes: row.bytes(4)?,
			attempts: row.int(5)?,
			submitted_block: row.opt_int(6)?.map(|n| n as u64),
			era_end: row.opt_int(7)?.map(|n| n as u64),
		}))
	}

	/// Whether the pipeline takes its next step at once (the steps before the pool).
	fn moves_on_its_own(&self) -> bool {
		matches!(
			self.state,
			State::Received | State::NonceAssigned | State::Signed | State::Checked
		)
	}
}

/// What every operation in one pass is signed, tried and followed against, read once per pass
/// rather than once per operation: the node's best block, the birth block of new eras and the
/// last block the watcher has read.
#[derive(Clone, Copy)]
struct PassView {
	/// The best block (number, hash): dry runs try transactions on top of it.
	best: (u64, Hash),
	/// The block new signatures' eras start from ([`Chain::era_birth`]).
	birth: (u64, Hash),
	read_up_to: u64,
}

/// The latest signed variant of an operation.
struct Submission {
	tx_bytes: Vec<u8>,
	birth_block: u64,
	period: u64,
}

/// Moves operations through the outbox.
pub struct Pipeline {
	outbox: Outbox,
	chain: Chain,
	vault: Vault,
	metrics: Metrics,
	era_period: u64,
}

impl Pipeline {
	/// A pipeline sending through `chain`, signing from `vault`, with transactions mortal for
	/// `era_period` blocks.
	pub fn new(
		outbox: Outbox,
		chain: Chain,
		vault: Vault,
		metrics: Metrics,
		era_period: u64,
	) -> Self {
		Self { outbox, chain, vault, metrics, era_period }
	}

	/// Run until the task is dropped: step, and rest briefly when there was nothing to do.
	pub async fn run(self) {
		let mut backoff = Backoff::new("outbox", std::time::Duration::from_millis(250));
		loop {
			match self.step_all().await {
				Ok(progressed) => {
					backoff.succeeded();
					if !progressed {
						tokio::time::sleep(std::time::Duration::from_millis(100)).await;
					}
				}
				Err(e) => {
					let unreachable = matches!(e, StepError::Chain(ChainError::Unreachable { .. }));
					backoff.failed(&e, unreachable, &self.chain).await;
				}
			}
		}
	}

	/// One pass: each account's oldest open operation goes as far as it can: through the steps
	/// before the pool up to `submitted`, or, once there, one look at whether it must be sent
	/// again. Whether any moved.
	pub async fn step_all(&self) -> Result<bool, StepError> {
		let started = std::time::Instant::now();
		let progressed = self.pass().await;
		self.metrics.pass_seconds.observe(started.elapsed().as_secs_f64());
		progressed
	}

	async fn pass(&self) -> Result<bool, StepError> {
		let rows = self
			.outbox
			.db()
			.query(
				select_open!(
					"WHERE state IN ('received', 'nonce_assigned', 'signed', 'checked', \
					 'submitted') AND next_try_at <= $1 ORDER BY id"
				),
				vec![now_ms().into()],
			)
			.await?;
		if rows.is_empty() {
			return Ok(false);
		}
		// Read once per pass, not per operation (each read costs the node a runtime call), and
		// after the rows: an account's next operation is chosen only once its previous one is
		// finalised, so `best` already holds every earlier transaction of the accounts chosen,
		// and its dry run sees the nonce it expects.
		let view = PassView {
			best: self.chain.best_head().await?,
			birth: self.chain.era_birth().await?,
			read_up_to: super::watcher::cursor(self.outbox.db()).await?.map_or(0, |(n, _)| n),
		};
		// One operation at a time per account: the oldest.
		let mut busy_accounts = HashSet::new();
		let mut oldest = Vec::new();
		for row in &rows {
			if let Some(op) = Open::from_row(row)? {
				if busy_accounts.insert(op.account) {
					oldest.push(op);
				}
			}
		}
		// Accounts side by side: a step mostly waits for the node or for a commit, and no two
		// steps here share an account, nonce or row.
		// (The futures are made first: a stream holding the closure trips the compiler's proof
		// that the spawned pipeline is `Send`.)
		let steps: Vec<_> = oldest.into_iter().map(|op| self.advance(op, view)).collect();
		let results: Vec<_> =
			futures::stream::iter(steps).buffer_unordered(STEPS_AT_ONCE).collect().await;
		let mut progressed = false;
		for result in results {
			match result {
				Ok(moved) => progressed |= moved,
				// Another step moved it first (the watcher finalised it): nothing lost.
				Err(StepError::Store(StoreError::Conflict { .. })) => progressed = true,
				Err(e) => return Err(e),
			}
		}
		// An account whose oldest operation waits out a back-off was skipped by the query; a
		// younger one of it stays in `received` (`assign_nonce` checks for older open ones).
		Ok(progressed)
	}

	/// Take `op`'s steps one after the other while each moves it and the next is the
	/// pipeline's own (each still commits before the next is taken). Waiting a whole pass
	/// between them would add a pass's length to every operation's way to the pool.
	async fn advance(&self, mut op: Open, view: PassView) -> Result<bool, StepError> {
		let mut progressed = false;
		for _ in 0..STEPS_PER_PASS {
			let was_open_before_the_pool = op.moves_on_its_own();
			if !self.step(&op, view).await? {
				return Ok(progressed);
			}
			progressed = true;
			if !was_open_before_the_pool {
				return Ok(true);
			}
			match self.reload(op.id).await? {
				Some(next) if next.moves_on_its_own() => op = next,
				_ => return Ok(true),
			}
		}
		Ok(progressed)
	}

	/// Operation `id` as it is now, if it is still open and due.
	async fn reload(&self, id: OperationId) -> Result<Option<Open>, StepError> {
		let row = self
			.outbox
			.db()
			.query_one(
				select_open!("WHERE id = $1 AND next_try_at <= $2"),
				vec![id.into(), now_ms().into()],
			)
			.await?;
		Ok(row.as_ref().map(Open::from_row).transpose()?.flatten())
	}

	async fn step(&self, op: &Open, view: PassView) -> Result<bool, StepError> {
		let started = std::time::Instant::now();
		let (name, result) = match op.state {
			State::Received => ("assign_nonce", self.assign_nonce(op).await),
			State::NonceAssigned => ("sign", self.sign(op, view).await),
			State::Signed => ("dry_run", self.dry_run(op, view).await),
			State::Checked => ("send", self.send(op, view).await),
			State::Submitted => ("follow", self.follow(op, view).await),
			_ => return Ok(false),
		};
		self.metrics
			.step_seconds
			.with_label_values(&[name])
			.observe(started.elapsed().as_secs_f64());
		result
	}

	fn nonce(op: &Open) -> Result<u64, StepError> {
		op.nonce.ok_or(StepError::Store(StoreError::Conflict {
			database: "ops",
			what: "an operation past `received` without a nonce",
		}))
	}

	async fn commit(
		&self,
		op: &Open,
		to: State,
		statements: Vec<Statement>,
	) -> Result<bool, StepError> {
		self.outbox.db().transaction(statements).await?;
		self.metrics.entered(to);
		tracing::info!(op = op.id, state = to.as_str(), "operation moved");
		fault::point(to.as_str());
		Ok(true)
	}

	/// `received` → `nonce_assigned`: the next nonce of the account, by the chain and the lane.
	async fn assign_nonce(&self, op: &Open) -> Result<bool, StepError> {
		// An older operation of the account still open elsewhere in the table would have been
		// chosen first, so the account has nothing in flight: the chain's count is exact.
		let older = self
			.outbox
			.db()
			.query_one(
				"SELECT 1 FROM operations WHERE account = $1 AND id < $2 AND state IN \
				 ('received', 'nonce_assigned', 'signed', 'checked', 'submitted') LIMIT 1",
				vec![op.account.into(), op.id.into()],
			)
			.await?;
		if older.is_some() {
			return Ok(false);
		}
		let chain_next = self.chain.next_index(op.account).await?;
		let lane_next = self
			.outbox
			.db()
			.query_one("SELECT next_nonce FROM lanes WHERE account = $1", vec![op.account.into()])
			.await?
			.map(|r| r.int(0))
			.transpose()?
			.map_or(0, |n| n as u64);
		let nonce = chain_next.max(lane_next);
		let statements = vec![
			Statement::one(
				"assigning a nonce",
				"UPDATE operations SET state = 'nonce_assigned', nonce = $1, updated_at = $2 \
				 WHERE id = $3 AND state = 'received'",
				vec![(nonce as i64).into(), now_ms().into(), op.id.into()],
			),
			Statement::new(
				"INSERT INTO lanes (account, next_nonce) VALUES ($1, $2) \
				 ON CONFLICT (account) DO UPDATE SET next_nonce = excluded.next_nonce",
				vec![op.account.into(), ((nonce + 1) as i64).into()],
			),
		];
		self.commit(op, State::NonceAssigned, statements).await
	}

	/// `nonce_assigned` → `signed`: a new signed variant, mortal from the finalised head.
	async fn sign(&self, op: &Open, view: PassView) -> Result<bool, StepError> {
		let nonce = Self::nonce(op)?;
		let at = SignAt { birth: view.birth, period: self.era_period, runtime: view.best };
		let key = match self.vault.sealed_key(op.account).await {
			Ok(key) => key,
			Err(VaultError::Store(e)) => return Err(e.into()),
			Err(e) => return self.refuse(op, no_key(&e)).await,
		};
		let signed = match self
			.chain
			.sign(op.account, &op.call_bytes, nonce, at, |payload| {
				self.vault.custody().sign(&key, payload)
			})
			.await
		{
			Ok(Ok(signed)) => signed,
			Ok(Err(e)) => {
				return self
					.refuse(
						op,
						Refusal { code: "Gateway.KeyDoesNotOpen".into(), words: e.to_string() },
					)
					.await
			}
			Err(ChainError::Incompatible { reason, .. }) => {
				let words = format!("the call does not fit the chain's runtime: {reason}");
				return self
					.refuse(op, Refusal { code: "Gateway.Incompatible".into(), words })
					.await;
			}
			Err(e) => return Err(e.into()),
		};
		let n = self
			.outbox
			.db()
			.query_one(
				"SELECT COALESCE(MAX(n), 0) + 1 FROM submissions WHERE op_id = $1",
				vec![op.id.into()],
			)
			.await?
			.map(|r| r.int(0))
			.transpose()?
			.unwrap_or(1);
		let statements = vec![
			Statement::new(
				"INSERT INTO submissions (op_id, n, nonce, tx_hash, tx_bytes, birth_block, period, \
				 spec_version, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				vec![
					op.id.into(),
					n.into(),
					(nonce as i64).into(),
					signed.hash.into(),
					signed.bytes.into(),
					(at.birth.0 as i64).into(),
					(self.era_period as i64).into(),
					signed.spec_version.into(),
					now_ms().into(),
				],
			),
			transition(op.id, State::NonceAssigned, State::Signed),
		];
		self.commit(op, State::Signed, statements).await
	}

	async fn latest_submission(&self, op: &Open) -> Result<Submission, StepError> {
		let row = self
			.outbox
			.db()
			.query_one(
				"SELECT tx_bytes, birth_block, period FROM submissions WHERE op_id = $1 \
				 ORDER BY n DESC LIMIT 1",
				vec![op.id.into()],
			)
			.await?
			.ok_or(StepError::Store(StoreError::Conflict {
				database: "ops",
				what: "a signed operation without a submission",
			}))?;
		Ok(Submission {
			tx_bytes: row.bytes(0)?,
			birth_block: row.int(1)? as u64,
			period: row.int(2)? as u64,
		})
	}

	/// `signed` → `checked`, or `refused` with the chain's reason: nothing was sent yet.
	async fn dry_run(&self, op: &Open, view: PassView) -> Result<bool, StepError> {
		let submission = self.latest_submission(op).await?;
		match self.chain.dry_run(&submission.tx_bytes, view.best).await? {
			DryRun::Succeeds => {
				self.commit(
					op,
					State::Checked,
					vec![transition(op.id, State::Signed, State::Checked)],
				)
				.await
			}
			DryRun::Refused(refusal) => {
				self.refused_before_sending(op, State::Signed, refusal).await
			}
		}
	}

	/// `checked` → `submitted`: hand the bytes to the pool (again, after a crash: harmless).
	async fn send(&self, op: &Open, view: PassView) -> Result<bool, StepError> {
		let submission = self.latest_submission(op).await?;
		let best = view.best.0;
		if best + ERA_MARGIN_BLOCKS >= submission.birth_block + submission.period {
			// Its era ends before it could reach a block (it waited out a full pool): a node
			// would refuse it as ancient, or check its signature against another birth block
			// and call it bad. Sign it again, with the same nonce.
			tracing::info!(op = op.id, "era nearly over before sending; signing it again");
			let statements = vec![transition(op.id, State::Checked, State::NonceAssigned)];
			return self.commit(op, State::NonceAssigned, statements).await;
		}
		let answer = self.chain.submit(&submission.tx_bytes).await?;
		fault::point("sent");
		match answer {
			Submitted::Accepted | Submitted::NonceUsed => {
				let statements = vec![Statement::one(
					"recording a submission",
					"UPDATE operations SET state = 'submitted', submitted_block = $1, updated_at = $2 \
					 WHERE id = $3 AND state = 'checked'",
					vec![(best as i64).into(), now_ms().into(), op.id.into()],
				)];
				self.commit(op, State::Submitted, statements).await
			}
			Submitted::Refused(refusal) => {
				self.refused_before_sending(op, State::Checked, refusal).await
			}
		}
	}

	/// `submitted`: sign again when its era ended unseen; send again when the pool lost it.
	/// Most passes find neither, and ask the node and the database nothing for it.
	async fn follow(&self, op: &Open, view: PassView) -> Result<bool, StepError> {
		let era_end = op.era_end.ok_or(StepError::Store(StoreError::Conflict {
			database: "ops",
			what: "a submitted operation without a submission",
		}))?;
		if view.read_up_to >= era_end {
			// Every block the transaction could have entered has been read without it: it is
			// dead, and the same nonce is signed again.
			tracing::warn!(op = op.id, "transaction expired unseen; signing it again");
			let statements = vec![transition(op.id, State::Submitted, State::NonceAssigned)];
			return self.commit(op, State::NonceAssigned, statements).await;
		}
		let since = op.submitted_block.unwrap_or(view.best.0);
		if view.best.0 < since + RESEND_AFTER_BLOCKS {
			return Ok(false);
		}
		let nonce = Self::nonce(op)?;
		if self.chain.next_index(op.account).await? <= nonce {
			// Neither the pool nor the chain has it (a restarted node, a dropped transaction).
			tracing::warn!(op = op.id, "the node lost the transaction; sending it again");
			let statements = vec![transition(op.id, State::Submitted, State::Checked)];
			return self.commit(op, State::Checked, statements).await;
		}
		Ok(false)
	}

	/// The chain refused before anything was included. A used nonce sends the operation back
	/// for a new one; a passing condition waits; anything else ends it `refused`.
	async fn refused_before_sending(
		&self,
		op: &Open,
		from: State,
		refusal: Refusal,
	) -> Result<bool, StepError> {
		match refusal.code.as_str() {
			"Invalid.Stale" => {
				// Someone else used this nonce (a wallet holding the exported key): take a new one.
				let statements = vec![Statement::one(
					"taking a new nonce",
					"UPDATE operations SET state = 'received', nonce = NULL, updated_at = $1 \
					 WHERE id = $2 AND state = $3",
					vec![now_ms().into(), op.id.into(), from.as_str().into()],
				)];
				self.commit(op, State::Received, statements).await
			}
			// Signed against a block the chain no longer counts from; or a transaction the pool
			// dropped (full) and now bans by its hash for a while: sign again (a new birth
			// block, so new bytes and a new hash) with the same nonce, after a pause, so a node
			// that keeps answering this cannot spin the pipeline.
			"Invalid.AncientBirthBlock" | "Pool.Banned" => {
				let statements =
					vec![transition(op.id, from, State::NonceAssigned), self.backoff(op)];
				self.commit(op, State::NonceAssigned, statements).await
			}
			_ if refusal.is_transient() || refusal.code == "Invalid.Future" => {
				tracing::info!(op = op.id, code = %refusal.code, "waiting to try again");
				self.outbox.db().transaction(vec![self.backoff(op)]).await?;
				Ok(false)
			}
			_ => self.refuse(op, refusal).await,
		}
	}

	/// One more attempt counted, and no step before a pause that doubles with each (up to
	/// `MAX_BACKOFF_MS`).
	fn backoff(&self, op: &Open) -> Statement {
		let exponent = u32::try_from(op.attempts.clamp(0, 10)).unwrap_or(10);
		let pause = (500 * 2i64.saturating_pow(exponent)).min(MAX_BACKOFF_MS);
		Statement::new(
			"UPDATE operations SET attempts = attempts + 1, next_try_at = $1 WHERE id = $2",
			vec![(now_ms() + pause).into(), op.id.into()],
		)
	}

	/// End `op` as `refused`: it was never included, so its nonce goes back to the lane.
	async fn refuse(&self, op: &Open, refusal: Refusal) -> Result<bool, StepError> {
		tracing::info!(op = op.id, code = %refusal.code, "operation refused by the chain");
		let mut statements = vec![Statement::one(
			"refusing an operation",
			"UPDATE operations SET state = 'refused', outcome = $1, nonce = NULL, updated_at = $2 \
			 WHERE id = $3 AND state = $4",
			vec![
				format!("{}: {}", refusal.code, refusal.words).into(),
				now_ms().into(),
				op.id.into(),
				op.state.as_str().into(),
			],
		)];
		if let Some(nonce) = op.nonce {
			statements.push(Statement::new(
				"UPDATE lanes SET next_nonce = $1 WHERE account = $2 AND next_nonce = $3",
				vec![(nonce as i64).into(), op.account.into(), Value::Int(nonce as i64 + 1)],
			));
		}
		self.commit(op, State::Refused, statements).await
	}
}

/// Why the vault could not give an operation's key, as the operation's refusal: a key retired
/// by a re-key, or none at all (or one that does not open).
fn no_key(error: &VaultError) -> Refusal {
	let code = match error {
		VaultError::Retired(_) => "Gateway.AccountRetired",
		_ => "Gateway.NoKey",
	};
	Refusal { code: code.into(), words: error.to_string() }
}
