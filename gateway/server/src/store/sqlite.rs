//! SQLite: one connection per database file, used from a blocking thread so the async tasks never
//! wait on disk. WAL journal, `synchronous=FULL` (a committed transition survives power loss), and
//! a busy timeout so another process holding the lock means a wait, then a clear error.

use super::{Row, Statement, StoreError, Value};
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

pub(super) struct SqliteDb {
	conn: Arc<Mutex<Connection>>,
	name: &'static str,
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
	pub(super) async fn open(path: &Path, name: &'static str) -> Result<Self, StoreError> {
		let path = path.to_owned();
		let conn = tokio::task::spawn_blocking(move || -> rusqlite::Result<Connection> {
			if let Some(dir) = path.parent() {
				// A missing data directory is created; a failure shows up as SQLite's open error.
				let _ = std::fs::create_dir_all(dir);
			}
			let conn = Connection::open(&path)?;
			conn.busy_timeout(BUSY_TIMEOUT)?;
			conn.pragma_update(None, "journal_mode", "WAL")?;
			conn.pragma_update(None, "synchronous", "FULL")?;
			conn.pragma_update(None, "foreign_keys", "ON")?;
			Ok(conn)
		})
		.await
		.map_err(|e| StoreError::Sqlite { database: name, reason: e.to_string() })?
		.map_err(|e| StoreError::Sqlite { database: name, reason: e.to_string() })?;
		Ok(Self { conn: Arc::new(Mutex::new(conn)), name })
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
		self.with(move |conn| {
			let err =
				|e: rusqlite::Error| StoreError::Sqlite { database: name, reason: e.to_string() };
			let tx = conn
				.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
				.map_err(err)?;
			let mut changed = Vec::with_capacity(statements.len());
			for statement in statements {
				let mut prepared = tx.prepare_cached(statement.sql).map_err(err)?;
				let rows = prepared
					.execute(rusqlite::params_from_iter(statement.params.iter()))
					.map_err(err)? as u64;
				if statement.expect_rows.is_some_and(|expected| expected != rows) {
					// Dropping `tx` rolls back.
					return Err(StoreError::Conflict { database: name, what: statement.what });
				}
				changed.push(rows);
			}
			tx.commit().map_err(err)?;
			Ok(changed)
		})
		.await
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
