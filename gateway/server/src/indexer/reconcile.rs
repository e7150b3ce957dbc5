//! `timebank-gateway reconcile`: the index checked against the node's own answers at the indexed
//! head: every indexed member against `timebank_member`, every member's balances summed from the
//! indexed entries against `timebank_balances`, and every branch's pool and redemption liability
//! against `timebank_branchSummary`. A projection that drifted from the chain shows up as a list
//! of differences rather than as a wrong screen.

use super::{head, IndexError};
use crate::{chain::Chain, store::Db};
use serde_json::{json, Value};
use subxt::utils::AccountId32;

/// The differences between the index and the chain at the indexed head; empty when they agree.
pub async fn reconcile(index: &Db, chain: &Chain) -> Result<Vec<String>, IndexError> {
	let Some((number, hash)) = head(index).await? else {
		return Ok(vec!["the index is empty".into()]);
	};
	let at = json!(format!("0x{}", hex::encode(hash)));
	let mut differences = members(index, chain, &at, number).await?;
	differences.extend(branches(index, chain, &at).await?);
	Ok(differences)
}

async fn members(
	index: &Db,
	chain: &Chain,
	at: &Value,
	number: u64,
) -> Result<Vec<String>, IndexError> {
	let rows = index
		.query("SELECT account, home_branch, status FROM members ORDER BY account", vec![])
		.await?;
	let mut differences = Vec::new();
	for row in rows {
		let account = AccountId32(row.bytes32(0)?);
		let (branch, status) = (row.int(1)?, row.text(2)?);
		let record =
			chain.request("timebank_member", vec![json!(account.to_string()), at.clone()]).await?;
		if status == "Rekeyed" {
			if !record.is_null() {
				differences
					.push(format!("{account}: re-keyed in the index, still a member on chain"));
			}
			continue;
		}
		match record.get("homeBranch").and_then(Value::as_i64) {
			None => differences
				.push(format!("{account}: in the index, not a member on chain at block {number}")),
			Some(home) if home != branch => differences
				.push(format!("{account}: home branch {branch} in the index, {home} on chain")),
			Some(_) => {}
		}
		differences.extend(balances(index, chain, at, &account).await?);
	}
	Ok(differences)
}

/// A member's balance in each class, summed from the indexed entries, against the chain's.
async fn balances(
	index: &Db,
	chain: &Chain,
	at: &Value,
	account: &AccountId32,
) -> Result<Vec<String>, IndexError> {
	let rows = index
		.query(
			"SELECT class, CAST(SUM(amount) AS BIGINT) FROM ( \
			 SELECT credit_class AS class, amount FROM entries WHERE credit_member = $1 \
			 UNION ALL SELECT debit_class AS class, -amount FROM entries WHERE debit_member = $1 \
			 ) moves GROUP BY class",
			vec![account.0.into()],
		)
		.await?;
	let mut indexed = std::collections::BTreeMap::new();
	for row in rows {
		indexed.insert(row.text(0)?, row.int(1)?);
	}
	let on_chain =
		chain.request("timebank_balances", vec![json!(account.to_string()), at.clone()]).await?;
	let mut differences = Vec::new();
	for (class, field) in
		[("Spendable", "spendable"), ("DonationOnly", "donationOnly"), ("Honorary", "honorary")]
	{
		let ours = indexed.get(class).copied().unwrap_or(0);
		let theirs = on_chain.get(field).and_then(Value::as_i64).unwrap_or(0);
		if ours != theirs {
			differences.push(format!("{account}: {field} {ours} in the index, {theirs} on chain"));
		}
	}
	Ok(differences)
}

/// Every branch the index knows (registered, or named by an entry): its pool balance and its
/// redemption liability (what its grant account issued and did not take back).
async fn branches(index: &Db, chain: &Chain, at: &Value) -> Result<Vec<String>, IndexError> {
	let rows = index
		.query(
			"SELECT branch FROM branches UNION SELECT debit_branch FROM entries \
			 WHERE debit_branch IS NOT NULL UNION SELECT credit_branch FROM entries \
			 WHERE credit_branch IS NOT NULL ORDER BY 1",
			vec![],
		)
		.await?;
	let mut differences = Vec::new();
	for row in rows {
		let branch = row.int(0)?;
		let summary =
			chain.request("timebank_branchSummary", vec![json!(branch), at.clone()]).await?;
		for (side, field, sign) in
			[("pool", "poolBalance", 1), ("grant", "redemptionLiability", -1)]
		{
			let ours = sign * side_balance(index, side, branch).await?;
			let theirs = summary.get(field).and_then(Value::as_i64).unwrap_or(0);
			if ours != theirs {
				differences.push(format!(
					"branch {branch}: {field} {ours} in the index, {theirs} on chain"
				));
			}
		}
	}
	Ok(differences)
}

/// Credits minus debits of branch `branch`'s `side` account (`pool` or `grant`).
async fn side_balance(index: &Db, side: &'static str, branch: i64) -> Result<i64, IndexError> {
	let row = index
		.query_one(
			"SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ( \
			 SELECT amount FROM entries WHERE credit_side = $1 AND credit_branch = $2 \
			 UNION ALL SELECT -amount FROM entries WHERE debit_side = $1 AND debit_branch = $2 \
			 ) moves",
			vec![side.into(), branch.into()],
		)
		.await?;
	Ok(match row {
		Some(row) => row.int(0)?,
		None => 0,
	})
}
