//! The indexer: follows the finalised blocks of its node in order, from where it stopped, and
//! writes each block's extrinsics and the changes its events make into the `index` database
//! (decision 0014, section 4). Every block is decoded with the metadata of the runtime that
//! executed it (read with the block, `chain/blocks.rs`), so it follows runtime upgrades. A block
//! it cannot decode stops it with the block's number; it never skips one.
//!
//! While catching up it commits every [`BATCH_BLOCKS`] blocks or every second, whichever comes
//! first, reading the next batch while one commits, and logs its progress every five seconds;
//! following the head, it commits every block.

mod reconcile;
mod write;

pub use reconcile::reconcile;

use crate::{
	backoff::Backoff,
	chain::{Block, Chain, ChainError},
	metrics::Metrics,
	store::{Db, StoreError},
};
use futures::{stream::FuturesOrdered, StreamExt};
use std::time::{Duration, Instant};

/// Blocks written per transaction while catching up.
const BATCH_BLOCKS: u64 = 256;
/// Blocks read from the node at once while catching up. Each is read and decoded in a task of
/// its own, so reading goes on (on both cores) while a batch commits; they are written in order.
const FETCH_AHEAD: usize = 32;

/// Why the indexer stopped (its loop logs it and tries again after a pause).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The node failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The task committing a batch ended without an answer (it panicked or was cancelled); the
	/// batch is not known to be written, and the next catch-up starts from the stored head.
	#[error("the task committing a batch of blocks stopped: {0}")]
	CommitStopped(String),
	/// The node serves another chain than the index holds.
	#[error(
		"the node serves chain 0x{node}, but the index holds chain 0x{stored}; point the gateway \
		 at the right node, or delete the index database to rebuild it"
	)]
	OtherChain {
		/// The node's genesis hash.
		node: String,
		/// The index's.
		stored: String,
	},
	/// A finalised block does not follow the block indexed before it.
	#[error(
		"finalised block {number} does not follow block {previous} as indexed (its parent is \
		 0x{parent}); the index does not match the node: delete the index database to rebuild it"
	)]
	Discontinuity {
		/// The block.
		number: u64,
		/// The block before it.
		previous: u64,
		/// Its parent's hash.
		parent: String,
	},
}

/// The indexer.
pub struct Indexer {
	index: Db,
	chain: Chain,
	metrics: Metrics,
}

/// The last block written: number and hash.
pub async fn head(index: &Db) -> Result<Option<(u64, [u8; 32])>, StoreError> {
	let row = index
		.query_one("SELECT block_number, block_hash FROM indexed_head WHERE name = 'head'", vec![])
		.await?;
	row.map(|r| Ok((r.int(0)? as u64, r.bytes32(1)?))).transpose()
}

impl Indexer {
	/// An indexer writing into `index`.
	pub fn new(index: Db, chain: Chain, metrics: Metrics) -> Self {
		Self { index, chain, metrics }
	}

	/// Bind the index to the node's chain on first use, with what the genesis state holds
	/// (block 0 has no events: its branches and officers are read from its storage), and refuse
	/// another chain after.
	pub async fn bind(&self) -> Result<(), IndexError> {
		let genesis = self.chain.genesis();
		let stored = self
			.index
			.query_one("SELECT block_hash FROM indexed_head WHERE name = 'genesis'", vec![])
			.await?;
		match stored {
			Some(row) if row.bytes32(0)? != genesis => Err(IndexError::OtherChain {
				node: hex::encode(genesis),
				stored: hex::encode(row.bytes32(0)?),
			}),
			Some(_) => Ok(()),
			None => {
				let mut statements = vec![
					crate::store::Statement::new(
						"INSERT INTO indexed_head (name, block_number, block_hash) VALUES ('genesis', 0, $1)",
						vec![genesis.into()],
					),
					crate::store::Statement::new(
						"INSERT INTO indexed_head (name, block_number, block_hash) VALUES ('head', 0, $1)",
						vec![genesis.into()],
					),
				];
				statements.extend(self.chain.genesis_projection().await?);
				self.index.transaction(statements).await?;
				Ok(())
			}
		}
	}

	/// Run until the task is dropped.
	pub async fn run(self) {
		let mut backoff = Backoff::new("indexer", Duration::from_millis(500));
		loop {
			match self.catch_up().await {
				Ok(_) => {
					backoff.succeeded();
					tokio::time::sleep(Duration::from_millis(250)).await;
				}
				Err(e) => {
					let unreachable =
						matches!(e, IndexError::Chain(ChainError::Unreachable { .. }));
					backoff.failed(&e, unreachable, &self.chain).await;
				}
			}
		}
	}

	/// Index every finalised block after the head; the number of blocks written. Up to
	/// [`FETCH_AHEAD`] blocks are read from the node at once; they are written in order, a
	/// batch at a time, and the next batch is read while the one before it commits (a commit
	/// takes about as long as reading its blocks, and they need different cores).
	pub async fn catch_up(&self) -> Result<u64, IndexError> {
		self.catch_up_to(u64::MAX).await
	}

	/// [`Indexer::catch_up`], but no further than block `last` (a benchmark replays part of a
	/// kept chain with it).
	pub async fn catch_up_to(&self, last: u64) -> Result<u64, IndexError> {
		let Some((mut number, mut hash)) = head(&self.index).await? else {
			self.bind().await?;
			return Ok(0);
		};
		let target = self.chain.finalized_head().await?.0.min(last);
		let mut progress = Progress::new(number);
		let mut fetching = FuturesOrdered::new();
		let mut next_fetch = number + 1;
		let mut committing: Option<Committing> = None;
		while number < target {
			let batch_started = Instant::now();
			let mut statements = Vec::new();
			let previous = number;
			while number < target
				&& number - previous < BATCH_BLOCKS
				&& batch_started.elapsed() < Duration::from_secs(1)
			{
				while fetching.len() < FETCH_AHEAD && next_fetch <= target {
					fetching.push_back(tokio::spawn(fetch(self.chain.clone(), next_fetch)));
					next_fetch += 1;
				}
				let Some(fetched) = fetching.next().await else { break };
				let (next, next_hash, block) = fetched.map_err(|e| ChainError::Unexpected {
					what: "reading a block",
					reason: e.to_string(),
				})??;
				if block.parent != hash {
					return Err(IndexError::Discontinuity {
						number: next,
						previous: number,
						parent: hex::encode(block.parent),
					});
				}
				write::block(&mut statements, next, next_hash, block);
				(number, hash) = (next, next_hash);
			}
			statements.push(write::move_head(previous, number, hash));
			// One commit at a time, in order: each batch's head guard expects the one before.
			if let Some(earlier) = committing.take() {
				let waiting = Instant::now();
				self.committed(earlier, &mut progress, target).await?;
				progress.waited_for_commits += waiting.elapsed();
			}
			let index = self.index.clone();
			let statements = write::coalesce(statements);
			committing = Some(Committing {
				up_to: number,
				commit: tokio::spawn(async move { index.transaction(statements).await }),
			});
		}
		if let Some(last) = committing {
			self.committed(last, &mut progress, target).await?;
		}
		Ok(number - progress.from)
	}

	/// Wait for a batch's commit, then show it.
	async fn committed(
		&self,
		batch: Committing,
		progress: &mut Progress,
		target: u64,
	) -> Result<(), IndexError> {
		batch.commit.await.map_err(|e| IndexError::CommitStopped(e.to_string()))??;
		self.metrics.indexed_block.set(batch.up_to as i64);
		progress.note(batch.up_to, target);
		Ok(())
	}
}

/// A batch being committed in the background, and the last block in it.
struct Committing {
	up_to: u64,
	commit: tokio::task::JoinHandle<Result<Vec<u64>, StoreError>>,
}

/// Finalised block `number`: its hash and what the indexer reads of it.
async fn fetch(chain: Chain, number: u64) -> Result<(u64, [u8; 32], Block), IndexError> {
	let hash = chain.block_hash(number).await?.ok_or(ChainError::Unexpected {
		what: "chain_getBlockHash",
		reason: format!("finalised block {number} has no hash"),
	})?;
	let block = chain.block(number, hash).await?;
	Ok((number, hash.0, block))
}

/// A pass of at most this many blocks ends without an info line.
const QUIET_PASS_BLOCKS: u64 = 10;

/// Catch-up progress, logged every five seconds and at the end of a pass of more than
/// [`QUIET_PASS_BLOCKS`] blocks.
struct Progress {
	from: u64,
	started: Instant,
	last_log: Instant,
	/// How long reading waited for the database to commit a batch: near the whole time, the
	/// database is the limit; near none, reading and decoding are.
	waited_for_commits: Duration,
}

impl Progress {
	fn new(from: u64) -> Self {
		Self {
			from,
			started: Instant::now(),
			last_log: Instant::now(),
			waited_for_commits: Duration::ZERO,
		}
	}

	fn note(&mut self, number: u64, target: u64) {
		if self.last_log.elapsed() < Duration::from_secs(5) && number != target {
			return;
		}
		// Following the chain, each pass is a block or two: a line a second says nothing.
		if number == target && number - self.from <= QUIET_PASS_BLOCKS {
			tracing::debug!(indexed = number, "indexed");
			return;
		}
		let rate = (number - self.from) as f64 / self.started.elapsed().as_secs_f64().max(0.001);
		let left = (target - number) as f64 / rate.max(0.001);
		tracing::info!(
			indexed = number,
			finalized = target,
			blocks_per_s = rate.round(),
			eta_s = left.round(),
			waited_for_commits_s = self.waited_for_commits.as_secs_f64(),
			"indexing"
		);
		self.last_log = Instant::now();
	}
}
