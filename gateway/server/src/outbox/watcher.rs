//! The watcher: reads every finalised block in order, from where it stopped, and ends the
//! operations it finds there. It matches on (signer, nonce), which an operation owns for life,
//! then on the transaction's hash among the operation's signed variants: a block holding the
//! nonce with a transaction the gateway did not sign sends the operation back for a new nonce.
//! The cursor moves in the same transaction as the outcomes, so no block is read twice or skipped.

use super::{now_ms, OperationId, State};
use crate::{
	backoff::Backoff,
	chain::{Chain, Included},
	fault,
	metrics::Metrics,
	store::{Db, Statement, StoreError},
};

const CURSOR: &str = "outbox";
const GENESIS: &str = "genesis";

/// Why the watcher stopped (it is restarted by its loop after a pause).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The node failed.
	#[error(transparent)]
	Chain(#[from] crate::chain::ChainError),
	/// The node serves another chain than the one this database belongs to.
	#[error(
		"the node serves chain 0x{node}, but this gateway's database belongs to chain 0x{stored}; \
		 point the gateway at the right node, or start from a new data directory"
	)]
	OtherChain {
		/// The node's genesis hash.
		node: String,
		/// The database's.
		stored: String,
	},
}

/// The last block the watcher has read: number and hash.
pub async fn cursor(db: &Db) -> Result<Option<(u64, [u8; 32])>, StoreError> {
	let row = db
		.query_one(
			"SELECT block_number, block_hash FROM chain_cursor WHERE name = $1",
			vec![CURSOR.into()],
		)
		.await?;
	row.map(|r| Ok((r.int(0)? as u64, r.bytes32(1)?))).transpose()
}

/// Follows finalised blocks for the outbox.
pub struct Watcher {
	ops: Db,
	chain: Chain,
	metrics: Metrics,
}

impl Watcher {
	/// A watcher over the `ops` database.
	pub fn new(ops: Db, chain: Chain, metrics: Metrics) -> Self {
		Self { ops, chain, metrics }
	}

	/// Bind the database to the node's chain on first use, and refuse another chain after.
	/// A new database starts reading at the node's finalised head: no operation is older.
	pub async fn bind(&self) -> Result<(), WatchError> {
		let genesis = self.chain.genesis();
		let stored = self
			.ops
			.query_one("SELECT block_hash FROM chain_cursor WHERE name = $1", vec![GENESIS.into()])
			.await?;
		match stored {
			Some(row) => {
				let stored = row.bytes32(0)?;
				if stored != genesis {
					return Err(WatchError::OtherChain {
						node: hex::encode(genesis),
						stored: hex::encode(stored),
					});
				}
			}
			None => {
				let (number, hash) = self.chain.finalized_head().await?;
				self.ops
					.transaction(vec![
						Statement::new(
							"INSERT INTO chain_cursor (name, block_number, block_hash) VALUES ($1, $2, $3)",
							vec![GENESIS.into(), 0i64.into(), genesis.into()],
						),
						Statement::new(
							"INSERT INTO chain_cursor (name, block_number, block_hash) VALUES ($1, $2, $3) \
							 ON CONFLICT (name) DO NOTHING",
							vec![CURSOR.into(), (number as i64).into(), hash.0.into()],
						),
					])
					.await?;
			}
		}
		Ok(())
	}

	/// Run until the task is dropped.
	pub async fn run(self) {
		let mut backoff = Backoff::new("watcher", std::time::Duration::from_millis(250));
		loop {
			match self.catch_up().await {
				Ok(()) => {
					backoff.succeeded();
					self.metrics.node_up.set(1);
					tokio::time::sleep(std::time::Duration::from_millis(250)).await;
				}
				Err(e) => {
					self.metrics.node_up.set(0);
					let unreachable = matches!(
						e,
						WatchError::Chain(crate::chain::ChainError::Unreachable { .. })
					);
					backoff.failed(&e, unreachable, &self.chain).await;
				}
			}
		}
	}

	/// Read every finalised block after the cursor.
	pub async fn catch_up(&self) -> Result<(), WatchError> {
		let Some((mut read, _)) = cursor(&self.ops).await? else {
			return self.bind().await;
		};
		let (head, _) = self.chain.finalized_head().await?;
		self.metrics.finalized_block.set(head as i64);
		while read < head {
			let number = read + 1;
			let hash = self.chain.block_hash(number).await?.ok_or(
				crate::chain::ChainError::Unexpected {
					what: "chain_getBlockHash",
					reason: format!("finalised block {number} has no hash"),
				},
			)?;
			let included = self.chain.included(number, hash).await?;
			self.record(number, hash.0, &included).await?;
			read = number;
			self.metrics.watcher_block.set(number as i64);
		}
		Ok(())
	}

	/// The outcomes of block `number` and the cursor's move, in one transaction.
	async fn record(
		&self,
		number: u64,
		hash: [u8; 32],
		included: &[Included],
	) -> Result<(), WatchError> {
		let mut statements = Vec::new();
		let mut ended: Vec<(OperationId, State)> = Vec::new();
		for tx in included {
			if let Some((id, state, statement)) = self.outcome(number, hash, tx).await? {
				statements.push(statement);
				ended.push((id, state));
			}
		}
		statements.push(Statement::one(
			"moving the cursor",
			"UPDATE chain_cursor SET block_number = $1, block_hash = $2 WHERE name = $3 AND block_number = $4",
			vec![(number as i64).into(), hash.into(), CURSOR.into(), (number as i64 - 1).into()],
		));
		self.ops.transaction(statements).await?;
		for (id, state) in ended {
			self.metrics.entered(state);
			tracing::info!(op = id, state = state.as_str(), block = number, "operation ended");
			fault::point("finalized");
		}
		Ok(())
	}

	/// What transaction `tx` of block `number` means for the outbox: the operation it ends (or
	/// sends back for a new nonce), its new state and the statement that records it; `None` when
	/// no open operation holds its (signer, nonce).
	async fn outcome(
		&self,
		number: u64,
		hash: [u8; 32],
		tx: &Included,
	) -> Result<Option<(OperationId, State, Statement)>, WatchError> {
		let Some(row) = self
			.ops
			.query_one(
				"SELECT id FROM operations WHERE account = $1 AND nonce = $2 AND state IN \
				 ('nonce_assigned', 'signed', 'checked', 'submitted')",
				vec![tx.signer.into(), (tx.nonce as i64).into()],
			)
			.await?
		else {
			return Ok(None);
		};
		let id = row.int(0)?;
		let ours = self
			.ops
			.query_one(
				"SELECT 1 FROM submissions WHERE op_id = $1 AND tx_hash = $2",
				vec![id.into(), tx.hash.into()],
			)
			.await?
			.is_some();
		if !ours {
			tracing::warn!(
				op = id,
				block = number,
				"another transaction used the operation's nonce; taking a new one"
			);
			let statement = Statement::one(
				"releasing a nonce used elsewhere",
				"UPDATE operations SET state = 'received', nonce = NULL, updated_at = $1 WHERE id = $2 \
				 AND state IN ('nonce_assigned', 'signed', 'checked', 'submitted')",
				vec![now_ms().into(), id.into()],
			);
			return Ok(Some((id, State::Received, statement)));
		}
		let (state, outcome) = match &tx.refusal {
			None => (State::FinalizedOk, None),
			Some(r) => (State::FinalizedFailed, Some(format!("{}: {}", r.code, r.words))),
		};
		let statement = Statement::one(
			"finalising an operation",
			"UPDATE operations SET state = $1, outcome = $2, block_number = $3, block_hash = $4, \
			 ext_index = $5, updated_at = $6 WHERE id = $7 \
			 AND state IN ('nonce_assigned', 'signed', 'checked', 'submitted')",
			vec![
				state.as_str().into(),
				outcome.into(),
				(number as i64).into(),
				hash.into(),
				tx.index.into(),
				now_ms().into(),
				id.into(),
			],
		);
		Ok(Some((id, state, statement)))
	}
}
