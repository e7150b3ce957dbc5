//! The gateway's databases behind one small interface: SQLite (embedded, the default) or
//! PostgreSQL (production), with the same SQL for both where the dialects agree.
//!
//! Three logical databases (decision 0014, invariant 4), never joined in one transaction:
//! - `ops`: the outbox, nonce lanes, idempotency keys and the chain cursor; no personal data;
//! - `vault`: sealed member keys and sealed personal data;
//! - `index`: public chain data, rebuildable from the node.
//!
//! On SQLite they are three files in the data directory; on PostgreSQL three schemas of one
//! database, each reached through its own connection whose `search_path` names only that schema.
//!
//! Statements use `$1, $2, …` placeholders in increasing order, which both engines read
//! positionally. Values are the four kinds in [`Value`]: integers are 64-bit (`INTEGER` in SQLite,
//! `BIGINT` in PostgreSQL), bytes are `BLOB`/`BYTEA`, text is `TEXT`.

mod migrate;
mod postgres;
mod sqlite;
mod value;

pub use value::{Row, Value};

use std::{path::Path, sync::Arc};

/// Which logical database a connection serves; picks its migrations and its file or schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
	/// The outbox and everything about sending.
	Ops,
	/// Sealed keys and personal data.
	Vault,
	/// Public chain data.
	Index,
}

impl Database {
	/// The file stem (SQLite) and schema name (PostgreSQL).
	pub fn name(self) -> &'static str {
		match self {
			Self::Ops => "ops",
			Self::Vault => "vault",
			Self::Index => "index",
		}
	}
}

/// Why a database step failed. Messages name the database and never carry row values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// SQLite refused or failed.
	#[error("SQLite ({database}): {reason}")]
	Sqlite {
		/// Which database.
		database: &'static str,
		/// SQLite's message (no values: statements are parameterised).
		reason: String,
	},
	/// PostgreSQL refused or failed.
	#[error("PostgreSQL ({database}): {reason}")]
	Postgres {
		/// Which database.
		database: &'static str,
		/// The server's or driver's message.
		reason: String,
	},
	/// A guarded write found the row in another state than expected (someone else moved it
	/// first); the whole transaction was rolled back.
	#[error("{database}: {what} did not apply (the row changed meanwhile); nothing was written")]
	Conflict {
		/// Which database.
		database: &'static str,
		/// What was attempted.
		what: &'static str,
	},
	/// A migration that was already applied has been edited since.
	#[error(
		"{database}: migration {version} ({name}) was changed after it was applied; restore the \
		 original file or start from a new database"
	)]
	MigrationChanged {
		/// Which database.
		database: &'static str,
		/// The migration's number.
		version: i64,
		/// The migration's name.
		name: &'static str,
	},
	/// A column held another kind of value than the code expects.
	#[error("{database}: column {column} holds {found}, expected {expected}")]
	WrongType {
		/// Which database.
		database: &'static str,
		/// The column's position in the row.
		column: usize,
		/// What the code asked for.
		expected: &'static str,
		/// What the row has.
		found: &'static str,
	},
}

/// One statement of a transaction. `expect_rows` guards a state transition: when set, the
/// statement must change exactly that many rows or the transaction rolls back with
/// [`StoreError::Conflict`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
	/// The SQL, with `$n` placeholders.
	pub sql: &'static str,
	/// The values, in placeholder order.
	pub params: Vec<Value>,
	/// Rows the statement must change, if guarded.
	pub expect_rows: Option<u64>,
	/// What it does, for the conflict message.
	pub what: &'static str,
}

impl Statement {
	/// A statement that may change any number of rows.
	pub fn new(sql: &'static str, params: Vec<Value>) -> Self {
		Self { sql, params, expect_rows: None, what: "statement" }
	}

	/// A statement that must change exactly one row.
	pub fn one(what: &'static str, sql: &'static str, params: Vec<Value>) -> Self {
		Self { sql, params, expect_rows: Some(1), what }
	}
}

enum Backend {
	Sqlite(sqlite::SqliteDb),
	Postgres(postgres::PgDb),
}

/// A connection to one logical database, cheap to clone.
#[derive(Clone)]
pub struct Db {
	backend: Arc<Backend>,
	database: Database,
}

/// Where the databases live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
	/// SQLite files `<dir>/{ops,vault,index}.sqlite`.
	SqliteDir(std::path::PathBuf),
	/// A PostgreSQL connection string (`host=… user=… dbname=…` or a `postgresql://` URL).
	Postgres(String),
}

impl Db {
	/// Open (creating if needed) `database` at `location` and bring its schema up to date.
	pub async fn open(location: &Location, database: Database) -> Result<Self, StoreError> {
		let backend = match location {
			Location::SqliteDir(dir) => Backend::Sqlite(
				sqlite::SqliteDb::open(&sqlite_file(dir, database), database).await?,
			),
			Location::Postgres(conn) => {
				Backend::Postgres(postgres::PgDb::connect(conn, database.name()).await?)
			}
		};
		let db = Self { backend: Arc::new(backend), database };
		migrate::run(&db).await?;
		Ok(db)
	}

	/// Which logical database this is.
	pub fn database(&self) -> Database {
		self.database
	}

	/// Whether this is SQLite (for the few statements whose dialects differ).
	pub fn is_sqlite(&self) -> bool {
		matches!(*self.backend, Backend::Sqlite(_))
	}

	/// Run one statement; the number of rows it changed.
	pub async fn execute(&self, sql: &'static str, params: Vec<Value>) -> Result<u64, StoreError> {
		let changed = self.transaction(vec![Statement::new(sql, params)]).await?;
		Ok(changed.first().copied().unwrap_or(0))
	}

	/// Run statements in one transaction, all or nothing; the rows each changed.
	pub async fn transaction(&self, statements: Vec<Statement>) -> Result<Vec<u64>, StoreError> {
		match &*self.backend {
			Backend::Sqlite(db) => db.transaction(statements).await,
			Backend::Postgres(db) => db.transaction(statements).await,
		}
	}

	/// The rows a query returns.
	pub async fn query(
		&self,
		sql: &'static str,
		params: Vec<Value>,
	) -> Result<Vec<Row>, StoreError> {
		match &*self.backend {
			Backend::Sqlite(db) => db.query(sql, params).await,
			Backend::Postgres(db) => db.query(sql, params).await,
		}
	}

	/// The first row a query returns, if any.
	pub async fn query_one(
		&self,
		sql: &'static str,
		params: Vec<Value>,
	) -> Result<Option<Row>, StoreError> {
		Ok(self.query(sql, params).await?.into_iter().next())
	}

	/// Run a script of statements without parameters (migrations), in one transaction.
	async fn batch(&self, script: String) -> Result<(), StoreError> {
		match &*self.backend {
			Backend::Sqlite(db) => db.batch(script).await,
			Backend::Postgres(db) => db.batch(script).await,
		}
	}
}

fn sqlite_file(dir: &Path, database: Database) -> std::path::PathBuf {
	dir.join(format!("{}.sqlite", database.name()))
}
