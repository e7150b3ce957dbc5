//! Schema migrations: SQL files embedded in the binary, one list per logical database and
//! dialect, applied in order, each in its own transaction. The hash of every applied file is
//! kept, and a database whose applied file was edited afterwards is refused, so two gateways never
//! run on silently different schemas.

use super::{Database, Db, StoreError, Value};
use sha2::{Digest, Sha256};

/// A migration: its number, name and SQL for SQLite and for PostgreSQL.
struct Migration {
	version: i64,
	name: &'static str,
	sqlite: &'static str,
	postgres: &'static str,
}

macro_rules! migration {
	($version:expr, $file:literal) => {
		Migration {
			version: $version,
			name: $file,
			sqlite: include_str!(concat!("../../migrations/sqlite/", $file, ".sql")),
			postgres: include_str!(concat!("../../migrations/postgres/", $file, ".sql")),
		}
	};
}

fn migrations(database: Database) -> Vec<Migration> {
	match database {
		Database::Ops => vec![migration!(1, "ops_0001_outbox")],
		Database::Vault => {
			vec![
				migration!(1, "vault_0001_members"),
				migration!(2, "vault_0002_key_audit"),
				migration!(3, "vault_0003_sign_in"),
			]
		}
		Database::Index => {
			vec![
				migration!(1, "index_0001_blocks"),
				migration!(2, "index_0002_activity"),
				migration!(3, "index_0003_lean_indexes"),
				migration!(4, "index_0004_block_time"),
			]
		}
	}
}

pub(super) async fn run(db: &Db) -> Result<(), StoreError> {
	let bookkeeping = if db.is_sqlite() {
		"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, \
		 name TEXT NOT NULL, sha256 BLOB NOT NULL);"
	} else {
		"CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
		 name TEXT NOT NULL, sha256 BYTEA NOT NULL);"
	};
	db.batch(bookkeeping.to_owned()).await?;
	for migration in migrations(db.database()) {
		let sql = if db.is_sqlite() { migration.sqlite } else { migration.postgres };
		let digest = Sha256::digest(sql.as_bytes()).to_vec();
		let applied = db
			.query_one(
				"SELECT sha256 FROM schema_migrations WHERE version = $1",
				vec![Value::Int(migration.version)],
			)
			.await?;
		match applied {
			Some(row) if row.bytes(0)? == digest => continue,
			Some(_) => {
				return Err(StoreError::MigrationChanged {
					database: db.database().name(),
					version: migration.version,
					name: migration.name,
				})
			}
			None => {}
		}
		// The file and its bookkeeping row commit together: a crash leaves neither.
		let mut script = sql.to_owned();
		script.push_str(&format!(
			"\nINSERT INTO schema_migrations (version, name, sha256) VALUES ({}, '{}', {});",
			migration.version,
			migration.name,
			hex_literal(db.is_sqlite(), &digest),
		));
		db.batch(script).await?;
		tracing::info!(
			database = db.database().name(),
			version = migration.version,
			name = migration.name,
			"applied migration"
		);
	}
	Ok(())
}

/// A bytes literal in the dialect's syntax (the digest is ours, never input).
fn hex_literal(sqlite: bool, bytes: &[u8]) -> String {
	if sqlite {
		format!("X'{}'", hex::encode(bytes))
	} else {
		format!("'\\x{}'::bytea", hex::encode(bytes))
	}
}
