//! The store's contract, run the same way against SQLite and PostgreSQL.

use crate::common::each_database;
use timebank_gateway::store::{Database, Db, Location, Statement, StoreError, Value};

async fn contract(location: &Location) {
	let db = Db::open(location, Database::Ops).await.expect("open and migrate");
	// Opening again finds the migrations applied and changes nothing.
	let db_again = Db::open(location, Database::Ops).await.expect("open again");
	drop(db_again);

	// Every kind of value goes in and comes back unchanged.
	let account = [7u8; 32];
	let id = db
		.query_one(
			"INSERT INTO operations (account, pallet, call, call_bytes, state, outcome, created_at, updated_at) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			vec![
				account.into(),
				"Registry".into(),
				"register_member".into(),
				vec![0u8, 1, 255].into(),
				"received".into(),
				Value::Null,
				i64::MAX.into(),
				(-1i64).into(),
			],
		)
		.await
		.expect("insert")
		.expect("a row")
		.int(0)
		.expect("id");
	let row = db
		.query_one(
			"SELECT account, pallet, call_bytes, outcome, created_at, updated_at FROM operations WHERE id = $1",
			vec![id.into()],
		)
		.await
		.expect("select")
		.expect("the row");
	assert_eq!(row.bytes32(0).expect("account"), account);
	assert_eq!(row.text(1).expect("pallet"), "Registry");
	assert_eq!(row.bytes(2).expect("bytes"), vec![0u8, 1, 255]);
	assert_eq!(row.opt_text(3).expect("outcome"), None);
	assert_eq!(row.int(4).expect("max"), i64::MAX);
	assert_eq!(row.int(5).expect("negative"), -1);
	assert!(matches!(row.int(1), Err(StoreError::WrongType { .. })));

	guards_and_unique_nonces(&db, id, account).await;
	side_by_side(&db).await;

	// A migration edited after it was applied is refused, not silently run.
	db.execute(
		"UPDATE schema_migrations SET sha256 = $1 WHERE version = 1",
		vec![vec![0u8; 32].into()],
	)
	.await
	.expect("tamper");
	let reopened = Db::open(location, Database::Ops).await;
	assert!(
		matches!(reopened, Err(StoreError::MigrationChanged { version: 1, .. })),
		"{:?}",
		reopened.err()
	);
}

/// A guarded transition that finds the row moved rolls the whole transaction back; two live
/// operations can never hold the same (account, nonce).
async fn guards_and_unique_nonces(db: &Db, id: i64, account: [u8; 32]) {
	// A guarded transition that finds the row moved rolls the whole transaction back.
	let result = db
		.transaction(vec![
			Statement::new("UPDATE operations SET attempts = 5 WHERE id = $1", vec![id.into()]),
			Statement::one(
				"a transition",
				"UPDATE operations SET state = 'signed' WHERE id = $1 AND state = 'submitted'",
				vec![id.into()],
			),
		])
		.await;
	assert!(matches!(result, Err(StoreError::Conflict { what: "a transition", .. })), "{result:?}");
	let attempts = db
		.query_one("SELECT attempts FROM operations WHERE id = $1", vec![id.into()])
		.await
		.expect("select")
		.expect("row")
		.int(0)
		.expect("attempts");
	assert_eq!(attempts, 0, "the first statement was rolled back with the guard");

	// Two live operations can never hold the same (account, nonce).
	db.execute("UPDATE operations SET nonce = 3 WHERE id = $1", vec![id.into()])
		.await
		.expect("nonce");
	let twin = db
		.execute(
			"INSERT INTO operations (account, pallet, call, call_bytes, state, nonce, created_at, updated_at) \
			 VALUES ($1, 'Registry', 'x', $2, 'nonce_assigned', 3, 0, 0)",
			vec![account.into(), vec![1u8].into()],
		)
		.await;
	assert!(twin.is_err(), "a second operation took nonce 3");
}

/// Many transactions at once (SQLite commits those that wait together, each in a savepoint):
/// each applies whole or not at all, one's conflict takes nothing of another's with it, and
/// each caller hears its own result.
async fn side_by_side(db: &Db) {
	let lanes = 64i64;
	let transactions = (0..lanes).map(|lane| {
		let mut account = [0u8; 32];
		account[..8].copy_from_slice(&lane.to_le_bytes());
		let mut statements = vec![Statement::new(
			"INSERT INTO lanes (account, next_nonce) VALUES ($1, $2)",
			vec![account.into(), lane.into()],
		)];
		if lane % 8 == 0 {
			// A guard that cannot hold: the insert before it must not survive.
			statements.push(Statement::one(
				"an impossible transition",
				"UPDATE lanes SET next_nonce = 0 WHERE account = $1 AND next_nonce < 0",
				vec![account.into()],
			));
		}
		db.transaction(statements)
	});
	let results = futures::future::join_all(transactions).await;
	for (lane, result) in results.iter().enumerate() {
		if lane % 8 == 0 {
			assert!(matches!(result, Err(StoreError::Conflict { .. })), "lane {lane}: {result:?}");
		} else {
			assert_eq!(result.as_ref().expect("committed"), &vec![1u64], "lane {lane}");
		}
	}
	let rows = db.query("SELECT next_nonce FROM lanes ORDER BY next_nonce", vec![]).await;
	let kept: Vec<i64> = rows.expect("select").iter().map(|r| r.int(0).expect("int")).collect();
	let expected: Vec<i64> = (0..lanes).filter(|lane| lane % 8 != 0).collect();
	assert_eq!(kept, expected, "every transaction whole, and none of the conflicting ones");
	db.execute("DELETE FROM lanes", vec![]).await.expect("clean up");
}

#[tokio::test]
async fn the_store_keeps_its_contract_on_sqlite_and_postgresql() {
	for (location, _server, _dir) in each_database("store_contract").await {
		contract(&location).await;
	}
}

#[tokio::test]
async fn a_locked_sqlite_database_is_a_clear_error_after_waiting() {
	let dir = tempfile::tempdir().expect("temp dir");
	let location = Location::SqliteDir(dir.path().to_owned());
	let db = Db::open(&location, Database::Ops).await.expect("open");
	// Another process holds the write lock (as a second gateway on the same files would).
	let other = rusqlite::Connection::open(dir.path().join("ops.sqlite")).expect("open");
	other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
	let started = std::time::Instant::now();
	let result = db.execute("DELETE FROM lanes", vec![]).await;
	let err = result.expect_err("the lock is held");
	assert!(err.to_string().contains("database is locked"), "{err}");
	assert!(started.elapsed() >= std::time::Duration::from_secs(5), "it waited before failing");
	other.execute_batch("ROLLBACK").expect("unlock");
	db.execute("DELETE FROM lanes", vec![]).await.expect("works once the lock is gone");
}

/// The index's lookups by member and by signer go through their (partial) indexes, on both engines
/// (migration `index_0003_lean_indexes`).
#[tokio::test]
async fn lookups_by_member_and_signer_use_the_index_s_partial_indexes() {
	// SQLite's plans of the lookups the index serves.
	let lookups = [
		(
			"EXPLAIN QUERY PLAN SELECT entry FROM entries WHERE debit_member = $1",
			"entries_by_debit_member",
		),
		(
			"EXPLAIN QUERY PLAN SELECT entry FROM entries WHERE credit_member = $1",
			"entries_by_credit_member",
		),
		(
			"EXPLAIN QUERY PLAN SELECT idx FROM extrinsics WHERE signer = $1 AND nonce = 3",
			"extrinsics_by_signer",
		),
	];
	for (location, _server, _dir) in each_database("store_index_lookups").await {
		let db = Db::open(&location, Database::Index).await.expect("open and migrate");
		for (lookup, index) in lookups {
			if db.is_sqlite() {
				let rows = db.query(lookup, vec![[1u8; 32].into()]).await.expect("plan");
				let details: Vec<String> = rows.iter().filter_map(|r| r.text(3).ok()).collect();
				assert!(
					details.iter().any(|d| d.starts_with("SEARCH") && d.contains(index)),
					"{lookup}: {details:?}"
				);
			} else {
				// A planner's choice on empty tables says nothing; the index and its predicate do.
				let definition = db
					.query_one(
						"SELECT indexdef FROM pg_indexes WHERE indexname = $1",
						vec![index.into()],
					)
					.await
					.expect("pg_indexes")
					.unwrap_or_else(|| panic!("{index} exists"));
				let definition = definition.text(0).expect("indexdef");
				assert!(definition.contains("IS NOT NULL"), "{definition}");
			}
		}
	}
}
