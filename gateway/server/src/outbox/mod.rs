//! The outbox: every operation is written down before anything is sent, and owns one
//! (account, nonce) for life, so it executes at most once however often the gateway or the node
//! stops (decision 0014, section 3).
//!
//! States, each committed before the step after it is taken:
//!
//! ```text
//! received ──nonce──▶ nonce_assigned ──sign──▶ signed ──dry run ok──▶ checked ──send──▶ submitted
//!    ▲                                            │                      │                 │
//!    │                                            └─dry run refused──────┴─pool refused────┴──▶ refused
//!    └── its nonce was used by a transaction the gateway did not sign                           │
//!                                   finalised block holds it ──▶ finalized_ok | finalized_failed
//! ```
//!
//! - A transaction is sent only from `checked`, so after a crash in `signed` nothing was sent;
//!   after a crash in `checked` it may have been, and the same bytes are sent again (the pool
//!   takes a duplicate as already imported, the chain as a used nonce).
//! - `refused` ends an operation the chain refused before it was included: the nonce was never
//!   used, so it goes back to the account's lane and the operation holds none.
//! - One operation at a time per account (the oldest first): a refusal never leaves a gap in the
//!   nonces, and the dry run sees the exact state the transaction will meet. Accounts proceed in
//!   parallel.
//! - A transaction whose mortal era ended at a block the watcher has read without finding it is
//!   dead: it is signed again with the same nonce and a new era.

mod pipeline;
mod watcher;

pub use pipeline::Pipeline;
pub use watcher::{cursor as watcher_cursor, WatchError, Watcher};

use crate::store::{Db, Statement, StoreError};

/// An operation's id in the outbox.
pub type OperationId = i64;

/// Where an operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
	/// Written down; nothing else done.
	Received,
	/// Holds its nonce.
	NonceAssigned,
	/// Signed; not sent.
	Signed,
	/// The dry run passed; it may have been sent.
	Checked,
	/// The node's pool took it.
	Submitted,
	/// A finalised block holds it and it succeeded.
	FinalizedOk,
	/// A finalised block holds it and the call failed (the chain's reason is kept).
	FinalizedFailed,
	/// The chain refused it before inclusion; it used no nonce.
	Refused,
}

impl State {
	/// The name stored in the database.
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Received => "received",
			Self::NonceAssigned => "nonce_assigned",
			Self::Signed => "signed",
			Self::Checked => "checked",
			Self::Submitted => "submitted",
			Self::FinalizedOk => "finalized_ok",
			Self::FinalizedFailed => "finalized_failed",
			Self::Refused => "refused",
		}
	}

	/// The state a stored name stands for.
	pub fn parse(name: &str) -> Option<Self> {
		[
			Self::Received,
			Self::NonceAssigned,
			Self::Signed,
			Self::Checked,
			Self::Submitted,
			Self::FinalizedOk,
			Self::FinalizedFailed,
			Self::Refused,
		]
		.into_iter()
		.find(|s| s.as_str() == name)
	}

	/// Whether nothing more will happen to the operation.
	pub fn is_terminal(self) -> bool {
		matches!(self, Self::FinalizedOk | Self::FinalizedFailed | Self::Refused)
	}
}

/// Why the outbox refused a request.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The idempotency key was used before for another request.
	#[error("idempotency key {key} was already used for a different request")]
	KeyReused {
		/// The key.
		key: String,
	},
	/// No such operation.
	#[error("there is no operation {0}")]
	NotFound(OperationId),
	/// A stored state name the code does not know (a newer gateway wrote it).
	#[error("operation {id} is in state {state}, which this gateway does not know")]
	UnknownState {
		/// The operation.
		id: OperationId,
		/// Its stored state.
		state: String,
	},
}

/// A call to send for an account the gateway holds the key of.
#[derive(Clone, Debug)]
pub struct NewOperation {
	/// Who signs.
	pub account: [u8; 32],
	/// The pallet's name (for lists and logs).
	pub pallet: String,
	/// The call's name (for lists and logs).
	pub call: String,
	/// The encoded call.
	pub call_bytes: Vec<u8>,
	/// The client's idempotency key: scope (who asks) and key.
	pub idempotency: Option<(String, String)>,
}

/// An operation as the outbox has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
	/// Its id.
	pub id: OperationId,
	/// Who signs.
	pub account: [u8; 32],
	/// Pallet and call.
	pub pallet: String,
	/// The call's name.
	pub call: String,
	/// Where it is.
	pub state: State,
	/// Its nonce, once it holds one.
	pub nonce: Option<u64>,
	/// The chain's reason, for a refused or failed operation: code, then words.
	pub outcome: Option<String>,
	/// The finalised block that holds it.
	pub block_number: Option<u64>,
	/// Its position in that block.
	pub ext_index: Option<u32>,
}

/// Milliseconds since 1970, for the rows' timestamps.
pub(crate) fn now_ms() -> i64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The outbox's records.
#[derive(Clone)]
pub struct Outbox {
	ops: Db,
}

impl Outbox {
	/// The outbox in the `ops` database.
	pub fn new(ops: Db) -> Self {
		Self { ops }
	}

	/// The `ops` database.
	pub fn db(&self) -> &Db {
		&self.ops
	}

	/// Write `op` down. With an idempotency key already used for the same request, the existing
	/// operation's id; for a different request, [`OutboxError::KeyReused`].
	pub async fn enqueue(&self, op: NewOperation) -> Result<OperationId, OutboxError> {
		use sha2::Digest;
		let request = sha2::Sha256::new()
			.chain_update(op.account)
			.chain_update(&op.call_bytes)
			.finalize()
			.to_vec();
		if let Some((scope, key)) = &op.idempotency {
			if let Some(id) = self.existing(scope, key, &request).await? {
				return Ok(id);
			}
		}
		let now = now_ms();
		let id = self
			.ops
			.query_one(
				"INSERT INTO operations (account, pallet, call, call_bytes, state, created_at, \
				 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
				vec![
					op.account.into(),
					op.pallet.clone().into(),
					op.call.clone().into(),
					op.call_bytes.into(),
					State::Received.as_str().into(),
					now.into(),
					now.into(),
				],
			)
			.await?
			.ok_or(OutboxError::NotFound(0))?
			.int(0)?;
		if let Some((scope, key)) = op.idempotency {
			let claimed = self
				.ops
				.execute(
					"INSERT INTO idempotency (scope, key, request_sha256, op_id, created_at) \
					 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
					vec![
						scope.clone().into(),
						key.clone().into(),
						request.clone().into(),
						id.into(),
						now.into(),
					],
				)
				.await?;
			if claimed == 0 {
				// Another request with this key won the race: drop ours (it never left
				// `received`) and answer with theirs.
				self.ops
					.execute(
						"DELETE FROM operations WHERE id = $1 AND state = 'received'",
						vec![id.into()],
					)
					.await?;
				return self
					.existing(&scope, &key, &request)
					.await?
					.ok_or(OutboxError::KeyReused { key });
			}
		}
		tracing::info!(op = id, pallet = %op.pallet, call = %op.call, "operation received");
		Ok(id)
	}

	/// The operation an idempotency key (scope, key) was used for, whatever its request.
	pub async fn by_key(&self, scope: &str, key: &str) -> Result<Option<Operation>, OutboxError> {
		let row = self
			.ops
			.query_one(
				"SELECT op_id FROM idempotency WHERE scope = $1 AND key = $2",
				vec![scope.into(), key.into()],
			)
			.await?;
		match row {
			Some(row) => Ok(Some(self.get(row.int(0)?).await?)),
			None => Ok(None),
		}
	}

	async fn existing(
		&self,
		scope: &str,
		key: &str,
		request: &[u8],
	) -> Result<Option<OperationId>, OutboxError> {
		let row = self
			.ops
			.query_one(
				"SELECT request_sha256, op_id FROM idempotency WHERE scope = $1 AND key = $2",
				vec![scope.into(), key.into()],
			)
			.await?;
		match row {
			None => Ok(None),
			Some(row) if row.bytes(0)? == request => Ok(Some(row.int(1)?)),
			Some(_) => Err(OutboxError::KeyReused { key: key.to_owned() }),
		}
	}

	/// The operation `id`.
	pub async fn get(&self, id: OperationId) -> Result<Operation, OutboxError> {
		let row = self
			.ops
			.query_one(
				"SELECT id, account, pallet, call, state, nonce, outcome, block_number, ext_index \
				 FROM operations WHERE id = $1",
				vec![id.into()],
			)
			.await?
			.ok_or(OutboxError::NotFound(id))?;
		let state = row.text(4)?;
		Ok(Operation {
			id: row.int(0)?,
			account: row.bytes32(1)?,
			pallet: row.text(2)?,
			call: row.text(3)?,
			state: State::parse(&state).ok_or(OutboxError::UnknownState { id, state })?,
			nonce: row.opt_int(5)?.map(|n| n as u64),
			outcome: row.opt_text(6)?,
			block_number: row.opt_int(7)?.map(|n| n as u64),
			ext_index: row.opt_int(8)?.map(|n| n as u32),
		})
	}

	/// Wait until operation `id` is terminal, polling; `None` after `timeout`.
	pub async fn wait_terminal(
		&self,
		id: OperationId,
		timeout: std::time::Duration,
	) -> Result<Option<Operation>, OutboxError> {
		let deadline = tokio::time::Instant::now() + timeout;
		loop {
			let op = self.get(id).await?;
			if op.state.is_terminal() {
				return Ok(Some(op));
			}
			if tokio::time::Instant::now() >= deadline {
				return Ok(None);
			}
			tokio::time::sleep(std::time::Duration::from_millis(200)).await;
		}
	}

	/// How many operations are in each state (for `/metrics` and `/health`).
	pub async fn counts(&self) -> Result<Vec<(String, i64)>, OutboxError> {
		let rows = self
			.ops
			.query("SELECT state, COUNT(*) FROM operations GROUP BY state ORDER BY state", vec![])
			.await?;
		rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
	}
}

/// A guarded move of operation `id` from `from` to `to`, with extra column updates done by the
/// caller's statement list.
pub(crate) fn transition(id: OperationId, from: State, to: State) -> Statement {
	Statement::one(
		"a state transition",
		"UPDATE operations SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
		vec![to.as_str().into(), now_ms().into(), id.into(), from.as_str().into()],
	)
}
