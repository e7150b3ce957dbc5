//! SQLite: one connection per database file, used from a blocking thread so the async tasks never
//! wait on disk. WAL journal; `synchronous=FULL` for the outbox and the vault (a committed
//! transition survives power loss), `NORMAL` for the index (a copy of the chain, which a power cut
//! can only set back: see [`SqliteDb::open`]); and a busy timeout so another process holding the
//! lock means a wait, then a clear error.
//!
//! **Group commit.** Each durable commit costs a disk flush, and the outbox's pipeline makes
//! many small transactions side by side. Transactions that arrive while the connection is busy
//! wait in a queue; whoever takes the connection next runs the whole queue in one SQLite
//! transaction, each caller's statements inside its own savepoint (so one caller's conflict or
//! error rolls back only its own statements; a caller alone needs none), and commits once.
//! Every caller hears its own result only after that commit: what a caller was told is durable
//! is durable.

use super::{Database, Row, Statement, StoreError, Value};
use rusqlite::{
	types::{ToSql, ToSqlOutput, ValueRef},
	Connection,
};
use std::{
	path::Path,
	sync::{Arc, Mutex},
	time::Duration,
};

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// SQLite's page cache per connection, in KiB as `PRAGMA cache_size` takes it (negative).
const CACHE_KIB: i64 = -64 * 1024;
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

pub(super) struct SqliteDb {
	conn: Arc<Mutex<Connection>>,
	/// Transactions waiting for the connection, committed together by whoever takes it next.
	waiting: Arc<Mutex<Vec<Job>>>,
	name: &'static str,
}

/// One caller's transaction in the queue, and where its result goes.
struct Job {
	statements: Vec<Statement>,
	reply: tokio::sync::oneshot::Sender<Result<Vec<u64>, StoreError>>,
}

impl ToSql for Value {
	fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
		Ok(match self {
			Self::Null => ToSqlOutput::Borrowed(ValueRef::Null),
			Self::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
			Self::Bytes(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
			Self::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
		})
	}
}

fn column(value: ValueRef<'_>) -> Value {
	match value {
		ValueRef::Null => Value::Null,
		ValueRef::Integer(v) => Value::Int(v),
		// The gateway stores no floating-point values; a real would only come from hand edits.
		ValueRef::Real(v) => Value::Text(v.to_string()),
		ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
		ValueRef::Blob(v) => Value::Bytes(v.to_vec()),
	}
}

impl SqliteDb {
	pub(super) async fn open(path: &Path, database: Database) -> Result<Self, StoreError> {
		let name = database.name();
		// The outbox and the vault commit each step for good before the gateway acts on it (a
		// nonce before signing, a key before its account is used): FULL syncs the log at every
		// commit. The index is a copy of the chain's finalised blocks: in WAL mode NORMAL keeps
		// it consistent through any crash, and a power cut can only take back its last commits,
		// with the head that records them, so the indexer reads those blocks again. It spares
		// the catch-up a sync per batch (about a tenth of its time, docs/BENCHMARKS.md P10).
		let synchronous = match database {
			Database::Ops | Database::Vault => "FULL",
			Database::Index => "NORMAL",
		};
		let path = path.to_owned();
		let conn = tokio::task::spawn_blocking(move || -> rusqlite::Result<Connection> {
			if let Some(dir) = path.parent() {
				// A missing data directory is created; a failure shows up as SQLite's open error.
				let _ = std::fs::create_dir_all(dir);
			}
			let conn = Connection::open(&path)?;
			conn.busy_timeout(BUSY_TIMEOUT)?;
			conn.pragma_update(None, "journal_mode", "WAL")?;
			conn.pragma_update(None, "synchronous", synchronous)?;
			conn.pragma_update(None, "foreign_keys", "ON")?;
			// The index's tables outgrow SQLite's default page cache (2 MiB) early: past it, every
			// index insert of a catch-up reads its pages back from the file. It is an upper bound;
			// the small databases never fill it.
			conn.pragma_update(None, "cache_size", CACHE_KIB)?;
			// The indexer writes more distinct statements than the default cache (16) holds.
			conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
			Ok(conn)
		})
		.await
		.map_err(|e| StoreError::Sqlite { database: name, reason: e.to_string() })?
		.map_err(|e| StoreError::Sqlite { database: name, reason: e.to_string() })?;
		Ok(Self { conn: Arc::new(Mutex::new(conn)), waiting: Arc::default(), name })
	}

	async fn with<T: Send + 'static>(
		&self,
		work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
	) -> Result<T, StoreError> {
		let conn = Arc::clone(&self.conn);
		let name = self.name;
		tokio::task::spawn_blocking(move || {
			let mut conn = conn.lock().map_err(|_| StoreError::Sqlite {
				database: name,
				reason: "an earlier statement panicked while holding the connection".into(),
			})?;
			work(&mut conn)
		})
		.await
		.map_err(|e| StoreError::Sqlite { database: name, reason: e.to_string() })?
	}

	pub(super) async fn transaction(
		&self,
		statements: Vec<Statement>,
	) -> Result<Vec<u64>, StoreError> {
		let name = self.name;
		let (reply, result) = tokio::sync::oneshot::channel();
		lock(&self.waiting, name)?.push(Job { statements, reply });
		let waiting = Arc::clone(&self.waiting);
		self.with(move |conn| {
			let jobs = std::mem::take(&mut *lock(&waiting, name)?);
			// Empty when an earlier caller's turn already committed this caller's job.
			if !jobs.is_empty() {
				commit_together(conn, jobs, name);
			}
			Ok(())
		})
		.await?;
		result.await.map_err(|_| StoreError::Sqlite {
			database: name,
			reason: "the transaction was dropped before it ran".into(),
		})?
	}

	pub(super) async fn query(
		&self,
		sql: &'static str,
		params: Vec<Value>,
	) -> Result<Vec<Row>, StoreError> {
		let name = self.name;
		self.with(move |conn| {
			let err =
				|e: rusqlite::Error| StoreError::Sqlite { database: name, reason: e.to_string() };
			let mut prepared = conn.prepare_cached(sql).map_err(err)?;
			let width = prepared.column_count();
			let mut rows =
				prepared.query(rusqlite::params_from_iter(params.iter())).map_err(err)?;
			let mut out = Vec::new();
			while let Some(row) = rows.next().map_err(err)? {
				let mut values = Vec::with_capacity(width);
				for i in 0..width {
					values.push(column(row.get_ref(i).map_err(err)?));
				}
				out.push(Row { database: name, values });
			}
			Ok(out)
		})
		.await
	}

	pub(super) async fn batch(&self, script: String) -> Result<(), StoreError> {
		let name = self.name;
		self.with(move |conn| {
			let err =
				|e: rusqlite::Error| StoreError::Sqlite { database: name, reason: e.to_string() };
			let tx = conn.transaction().map_err(err)?;
			tx.execute_batch(&script).map_err(err)?;
			tx.commit().map_err(err)
		})
		.await
	}
}

fn lock<'a, T>(
	mutex: &'a Mutex<T>,
	name: &'static str,
) -> Result<std::sync::MutexGuard<'a, T>, StoreError> {
	mutex.lock().map_err(|_| StoreError::Sqlite {
		database: name,
		reason: "an earlier statement panicked while holding the connection".into(),
	})
}

/// Run `jobs` in one transaction, each in its own savepoint, commit once, and tell each caller
/// its result (a failed commit fails every job that had succeeded).
fn commit_together(conn: &mut Connection, jobs: Vec<Job>, name: &'static str) {
	let err = |e: rusqlite::Error| StoreError::Sqlite { database: name, reason: e.to_string() };
	let mut tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
		Ok(tx) => tx,
		Err(e) => {
			let reason = e.to_string();
			for job in jobs {
				let _ = job
					.reply
					.send(Err(StoreError::Sqlite { database: name, reason: reason.clone() }));
			}
			return;
		}
	};
	let mut outcomes = Vec::with_capacity(jobs.len());
	// A job alone needs no savepoint: the transaction is its own, and rolls back whole if it
	// fails. A savepoint copies every page it changes into a sub-journal first, which for an
	// indexer batch of 256 blocks is most of the commit's pages.
	let alone = jobs.len() == 1;
	for job in jobs {
		let outcome = if alone {
			run_statements(&tx, job.statements, name)
		} else {
			tx.savepoint().map_err(err).and_then(|savepoint| {
				let changed = run_statements(&savepoint, job.statements, name)?;
				// Dropping the savepoint without this rolls back only this job's statements.
				savepoint.commit().map_err(err)?;
				Ok(changed)
			})
		};
		outcomes.push((job.reply, outcome));
	}
	if outcomes.iter().all(|(_, outcome)| outcome.is_err()) {
		// Nothing to keep (and a lone job's partial statements must not be): dropping the
		// transaction rolls it back.
		drop(tx);
	} else if let Err(e) = tx.commit() {
		let reason = e.to_string();
		for (_, outcome) in &mut outcomes {
			if outcome.is_ok() {
				*outcome = Err(StoreError::Sqlite { database: name, reason: reason.clone() });
			}
		}
	}
	for (reply, outcome) in outcomes {
		// A caller that stopped waiting loses nothing: its result is durable either way.
		let _ = reply.send(outcome);
	}
}

/// Execute `statements` in order; a guarded statement that changed another number of rows than
/// it expects is a conflict.
fn run_statements(
	conn: &Connection,
	statements: Vec<Statement>,
	name: &'static str,
) -> Result<Vec<u64>, StoreError> {
	let err = |e: rusqlite::Error| StoreError::Sqlite { database: name, reason: e.to_string() };
	let mut changed = Vec::with_capacity(statements.len());
	for statement in statements {
		let mut prepared = conn.prepare_cached(statement.sql).map_err(err)?;
		let rows = prepared
			.execute(rusqlite::params_from_iter(statement.params.iter()))
			.map_err(err)? as u64;
		if statement.expect_rows.is_some_and(|expected| expected != rows) {
			return Err(StoreError::Conflict { database: name, what: statement.what });
		}
		changed.push(rows);
	}
	Ok(changed)
}
