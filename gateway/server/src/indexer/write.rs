//! The statements that write one block into the index, and the multi-row inserts a batch of
//! blocks is committed with.

use crate::{
	chain::Block,
	store::{Statement, Value},
};
use std::{
	collections::HashMap,
	sync::{LazyLock, Mutex, PoisonError},
};

/// Rows in one multi-row insert, at most. A batch's inserts into one table go out in statements of
/// 64, 32, 16, 8, 4, 2 and 1 rows, so each table has at most seven statement texts (the widest,
/// `entries`, binds 15 × 64 = 960 values, far below either engine's limit).
const ROWS_PER_INSERT: usize = 64;

/// Append block `number`'s rows and changes to `statements`.
pub(super) fn block(statements: &mut Vec<Statement>, number: u64, hash: [u8; 32], block: Block) {
	let n = Value::Int(number as i64);
	statements.push(Statement::new(
		"INSERT INTO blocks (number, hash, parent_hash, extrinsics, time_ms) \
		 VALUES ($1, $2, $3, $4, $5)",
		vec![
			n.clone(),
			hash.into(),
			block.parent.into(),
			Value::Int(block.extrinsics.len() as i64),
			block.time_ms.and_then(|t| i64::try_from(t).ok()).into(),
		],
	));
	for x in block.extrinsics {
		statements.push(Statement::new(
			"INSERT INTO extrinsics (block, idx, hash, signer, nonce, pallet, call, ok, error) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			vec![
				n.clone(),
				x.index.into(),
				x.hash.into(),
				x.signer.into(),
				x.nonce.map(|v| v as i64).into(),
				x.pallet.into(),
				x.call.into(),
				Value::Int(i64::from(x.refusal.is_none())),
				x.refusal.map(|r| r.code).into(),
			],
		));
	}
	statements.extend(block.changes);
}

/// Move the head from `previous` to block `number` (guarded: exactly one row, from `previous`).
pub(super) fn move_head(previous: u64, number: u64, hash: [u8; 32]) -> Statement {
	Statement::one(
		"moving the index head",
		"UPDATE indexed_head SET block_number = $1, block_hash = $2 WHERE name = 'head' AND block_number = $3",
		vec![Value::Int(number as i64), hash.into(), Value::Int(previous as i64)],
	)
}

/// `statements` with their plain inserts merged into multi-row inserts, table by table: the
/// database's commit is the catch-up's critical path, and one statement per row spends about a
/// tenth of it starting, binding and finishing statements (docs/BENCHMARKS.md, P10).
///
/// A plain insert is an unguarded `INSERT INTO t (…) VALUES ($1, …, $n)` with nothing else: no
/// literal, no subquery, no `ON CONFLICT`. It reads no table, so between two other statements the
/// plain inserts into different tables may run in any order; those into one table keep theirs.
/// Every other statement stays where it is, and no insert moves past it.
pub(super) fn coalesce(statements: Vec<Statement>) -> Vec<Statement> {
	let mut out = Vec::with_capacity(statements.len() / 8);
	// By the text's address: a statement's text is a literal at the place that makes it, so
	// hashing its bytes for every row would be wasted work.
	let mut kinds: HashMap<(usize, usize), Option<&'static str>> = HashMap::new();
	// Since the last other statement: each table's rows, tables in order of their first row.
	let mut pending: Vec<PendingInserts> = Vec::new();
	for statement in statements {
		let key = (statement.sql.as_ptr() as usize, statement.sql.len());
		let head = *kinds.entry(key).or_insert_with(|| plain_insert_head(&statement));
		match head {
			Some(head) if statement.expect_rows.is_none() => {
				match pending
					.iter_mut()
					.find(|p| p.sql == statement.sql && p.width == statement.params.len())
				{
					Some(inserts) => inserts.rows.push(statement.params),
					None => pending.push(PendingInserts {
						sql: statement.sql,
						head,
						width: statement.params.len(),
						rows: vec![statement.params],
					}),
				}
			}
			_ => {
				flush(&mut pending, &mut out);
				out.push(statement);
			}
		}
	}
	flush(&mut pending, &mut out);
	out
}

/// One table's plain inserts waiting to be merged.
struct PendingInserts {
	sql: &'static str,
	/// The text before ` VALUES `.
	head: &'static str,
	/// Values per row.
	width: usize,
	rows: Vec<Vec<Value>>,
}

/// `INSERT INTO t (…)` if `statement` is a plain insert of `$1` to `$n` in order.
fn plain_insert_head(statement: &Statement) -> Option<&'static str> {
	let sql = statement.sql;
	if !sql.starts_with("INSERT INTO ") {
		return None;
	}
	let (head, values) = sql.split_once(" VALUES ")?;
	(values == row_placeholders(0, statement.params.len())).then_some(head)
}

/// `($first+1, …, $first+width)`.
fn row_placeholders(first: usize, width: usize) -> String {
	let numbers: Vec<String> = (first + 1..=first + width).map(|n| format!("${n}")).collect();
	format!("({})", numbers.join(", "))
}

fn flush(pending: &mut Vec<PendingInserts>, out: &mut Vec<Statement>) {
	for inserts in pending.drain(..) {
		let mut rows = inserts.rows.into_iter();
		while rows.len() > 0 {
			let left = rows.len();
			// The largest power of two that fits, up to ROWS_PER_INSERT.
			let take = ROWS_PER_INSERT.min(1 << left.ilog2());
			let params: Vec<Value> = rows.by_ref().take(take).flatten().collect();
			let sql = match take {
				1 => inserts.sql,
				_ => multi_row_sql(inserts.head, inserts.width, take),
			};
			out.push(Statement::new(sql, params));
		}
	}
}

/// The text of an insert of `rows` rows of `width` values after `head`, made once per shape and
/// kept for the life of the process (statements take static text, which the engines' prepared
/// statement caches key on; there are at most seven shapes per table).
fn multi_row_sql(head: &'static str, width: usize, rows: usize) -> &'static str {
	static TEXTS: LazyLock<Mutex<HashMap<(&'static str, usize), &'static str>>> =
		LazyLock::new(Mutex::default);
	let mut texts = TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
	texts.entry((head, rows)).or_insert_with(|| {
		let values: Vec<String> =
			(0..rows).map(|row| row_placeholders(row * width, width)).collect();
		Box::leak(format!("{head} VALUES {}", values.join(", ")).into_boxed_str())
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::{Database, Db, Location};

	const OPERATION: &str =
		"INSERT INTO operations (operation, kind, branch, actor, on_behalf_of, \
		 block) VALUES ($1, $2, $3, $4, $5, $6)";
	const ENTRY: &str = "INSERT INTO entries (entry, operation, kind, amount, debit_side, \
		 debit_member, debit_class, debit_branch, debit_counterparty, credit_side, credit_member, \
		 credit_class, credit_branch, credit_counterparty, block) VALUES ($1, $2, $3, $4, $5, $6, \
		 $7, $8, $9, $10, $11, $12, $13, $14, $15)";
	const REVERSED: &str = "UPDATE operations SET reversed_by = $1 WHERE operation = $2";

	fn operation(n: i64) -> Statement {
		Statement::new(
			OPERATION,
			vec![
				n.into(),
				"Donation".into(),
				Value::Int(0),
				[n as u8; 32].into(),
				Value::Null,
				Value::Int(1),
			],
		)
	}

	fn entry(n: i64) -> Statement {
		let mut params = vec![n.into(), n.into(), "Donation".into(), Value::Int(60)];
		params.extend(["member".into(), [n as u8; 32].into(), "Earned".into()]);
		params.extend([Value::Null, Value::Null, "pool".into(), Value::Null, Value::Null]);
		params.extend([Value::Int(0), Value::Null, Value::Int(1)]);
		Statement::new(ENTRY, params)
	}

	/// Three donations' rows as the projection makes them (operation, entry, …), a reversal
	/// that must see the first operation, then 100 more donations.
	fn batch() -> Vec<Statement> {
		let mut statements = Vec::new();
		for n in 1..=3 {
			statements.extend([operation(n), entry(n)]);
		}
		statements.push(Statement::new(REVERSED, vec![Value::Int(2), Value::Int(1)]));
		for n in 4..=103 {
			statements.extend([operation(n), entry(n)]);
		}
		statements
	}

	#[test]
	fn plain_inserts_merge_by_table_and_nothing_crosses_another_statement() {
		let merged = coalesce(batch());
		let shapes: Vec<(usize, usize)> =
			merged.iter().map(|s| (s.sql.matches("), (").count() + 1, s.params.len())).collect();
		// 3 operations, 3 entries, the update, then 100 of each as 64 + 32 + 4 rows.
		assert_eq!(
			shapes,
			vec![
				(2, 12),
				(1, 6),
				(2, 30),
				(1, 15),
				(1, 2),
				(64, 384),
				(32, 192),
				(4, 24),
				(64, 960),
				(32, 480),
				(4, 60)
			]
		);
		assert!(merged[0].sql.starts_with("INSERT INTO operations"), "{}", merged[0].sql);
		assert!(merged[0]
			.sql
			.ends_with("VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)"));
		assert_eq!(merged[1].sql, OPERATION);
		assert_eq!(merged[4].sql, REVERSED);
		// Rows keep their order within a table.
		let ids: Vec<&Value> = merged[5].params.iter().step_by(6).take(3).collect();
		assert_eq!(ids, vec![&Value::Int(4), &Value::Int(5), &Value::Int(6)]);
	}

	#[test]
	fn other_statements_are_left_alone() {
		let statements = vec![
			Statement::new("INSERT INTO t (a, b) VALUES ($1, 'x')", vec![Value::Int(1)]),
			Statement::new(
				"INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO NOTHING",
				vec![Value::Int(1)],
			),
			Statement::new(
				"INSERT INTO t (a, b) VALUES ($2, $1)",
				vec![Value::Int(1), Value::Int(2)],
			),
			Statement::one("guarded", "INSERT INTO t (a) VALUES ($1)", vec![Value::Int(1)]),
			Statement::one("guarded", "INSERT INTO t (a) VALUES ($1)", vec![Value::Int(2)]),
		];
		let merged = coalesce(statements.clone());
		assert_eq!(merged, statements);
	}

	/// The merged batch leaves the index's tables as the statements one by one do.
	#[tokio::test]
	async fn a_merged_batch_writes_the_same_rows() {
		let dir = tempfile::tempdir().expect("temp dir");
		let mut tables = Vec::new();
		for (name, statements) in [("one", batch()), ("merged", coalesce(batch()))] {
			let location = Location::SqliteDir(dir.path().join(name));
			let db = Db::open(&location, Database::Index).await.expect("open");
			db.transaction(statements).await.expect("commit");
			let operations = db
				.query(
					"SELECT operation, kind, actor, reversed_by FROM operations ORDER BY operation",
					vec![],
				)
				.await
				.expect("operations");
			let entries = db
				.query("SELECT entry, operation, debit_member, credit_side FROM entries ORDER BY entry", vec![])
				.await
				.expect("entries");
			assert_eq!((operations.len(), entries.len()), (103, 103));
			tables.push((operations, entries));
		}
		assert_eq!(tables[0], tables[1]);
		// The reversal found the first operation, which the merge left before it.
		assert_eq!(tables[1].0[0].opt_int(3).expect("reversed_by"), Some(2));
	}
}
