//! Ledger events: operations and their double entries (statements and balances are read from
//! these), reversals, and proxies' transfer proposals waiting for the member's co-signature.

use super::{int, on, sql, variant_name, Event};
use crate::store::{Statement, Value};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	ledger::events as ev, runtime_types::timebank_primitives::ledger::LedgerAccount,
};

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	on!(event, out, ev::EntryPosted, |e| [entry(&e, n)?]);
	on!(event, out, ev::OperationRecorded, |e| [sql(
		"INSERT INTO operations (operation, kind, branch, actor, on_behalf_of, block) \
		 VALUES ($1, $2, $3, $4, $5, $6)",
		vec![
			int(e.operation)?,
			variant_name(&e.kind).into(),
			e.branch.into(),
			e.actor.0.into(),
			e.on_behalf_of.map(|a| a.0).into(),
			n.clone(),
		],
	)]);
	on!(event, out, ev::OperationReversed, |e| [sql(
		"UPDATE operations SET reversed_by = $1 WHERE operation = $2",
		vec![int(e.reversal)?, int(e.operation)?],
	)]);
	on!(event, out, ev::TransferProposed, |e| [sql(
		"INSERT INTO transfer_proposals (proposal, member, proxy, status, proposed_block) \
		 VALUES ($1, $2, $3, 'Proposed', $4)",
		vec![int(e.proposal)?, e.member.0.into(), e.proxy.0.into(), n.clone()],
	)]);
	on!(event, out, ev::TransferApproved, |e| [sql(
		"UPDATE transfer_proposals SET status = 'Approved', operation = $1, ended_block = $2 \
		 WHERE proposal = $3",
		vec![int(e.operation)?, n.clone(), int(e.proposal)?],
	)]);
	on!(event, out, ev::TransferCancelled, |e| [sql(
		"UPDATE transfer_proposals SET status = 'Cancelled', ended_block = $1 WHERE proposal = $2",
		vec![n.clone(), int(e.proposal)?],
	)]);
	Ok(())
}

/// One side of an entry as columns: side, member, class, branch, counterparty.
fn side(account: &LedgerAccount<AccountId32>) -> [Value; 5] {
	match account {
		LedgerAccount::Member { who, class } => {
			["member".into(), who.0.into(), variant_name(class).into(), Value::Null, Value::Null]
		}
		LedgerAccount::Pool(branch) => {
			["pool".into(), Value::Null, Value::Null, (*branch).into(), Value::Null]
		}
		LedgerAccount::Grant(branch) => {
			["grant".into(), Value::Null, Value::Null, (*branch).into(), Value::Null]
		}
		LedgerAccount::Escrow => {
			["escrow".into(), Value::Null, Value::Null, Value::Null, Value::Null]
		}
		LedgerAccount::Clearing { branch, counterparty } => {
			["clearing".into(), Value::Null, Value::Null, (*branch).into(), (*counterparty).into()]
		}
	}
}

fn entry(e: &ev::EntryPosted, n: &Value) -> Result<Statement, String> {
	let mut params =
		vec![int(e.entry)?, int(e.operation)?, variant_name(&e.kind).into(), int(e.amount)?];
	params.extend(side(&e.debit));
	params.extend(side(&e.credit));
	params.push(n.clone());
	Ok(sql(
		"INSERT INTO entries (entry, operation, kind, amount, debit_side, debit_member, debit_class, \
		 debit_branch, debit_counterparty, credit_side, credit_member, credit_class, credit_branch, \
		 credit_counterparty, block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
		 $14, $15)",
		params,
	))
}
