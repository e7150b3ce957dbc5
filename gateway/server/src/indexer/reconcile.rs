//! `timebank-gateway reconcile`: the index checked against the node's own answers
//! (`timebank_member` for every indexed member, at the indexed head), so a projection that
//! drifted from the chain shows up as a list of differences rather than as a wrong screen.

use super::{head, IndexError};
use crate::{chain::Chain, store::Db};
use serde_json::{json, Value};

/// The differences between the index and the chain at the indexed head; empty when they agree.
pub async fn reconcile(index: &Db, chain: &Chain) -> Result<Vec<String>, IndexError> {
	let Some((number, hash)) = head(index).await? else {
		return Ok(vec!["the index is empty".into()]);
	};
	let at = json!(format!("0x{}", hex::encode(hash)));
	let rows = index
		.query("SELECT account, home_branch, status FROM members ORDER BY account", vec![])
		.await?;
	let mut differences = Vec::new();
	for row in rows {
		let account = subxt::utils::AccountId32(row.bytes32(0)?);
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
	}
	Ok(differences)
}
