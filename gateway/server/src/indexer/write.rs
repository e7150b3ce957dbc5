//! The statements that write one block into the index.

use crate::{
	chain::Block,
	projection::Change,
	store::{Statement, Value},
};

/// Append block `number`'s rows and changes to `statements`.
pub(super) fn block(statements: &mut Vec<Statement>, number: u64, hash: [u8; 32], block: &Block) {
	let n = Value::Int(number as i64);
	statements.push(Statement::new(
		"INSERT INTO blocks (number, hash, parent_hash, extrinsics) VALUES ($1, $2, $3, $4)",
		vec![
			n.clone(),
			hash.into(),
			block.parent.into(),
			Value::Int(block.extrinsics.len() as i64),
		],
	));
	for x in &block.extrinsics {
		statements.push(Statement::new(
			"INSERT INTO extrinsics (block, idx, hash, signer, nonce, pallet, call, ok, error) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			vec![
				n.clone(),
				x.index.into(),
				x.hash.into(),
				x.signer.into(),
				x.nonce.map(|v| v as i64).into(),
				x.pallet.clone().into(),
				x.call.clone().into(),
				Value::Int(i64::from(x.refusal.is_none())),
				x.refusal.as_ref().map(|r| r.code.clone()).into(),
			],
		));
	}
	for change in &block.changes {
		statements.extend(change_statements(change, &n));
	}
}

fn change_statements(change: &Change, n: &Value) -> Vec<Statement> {
	let one = match change {
		Change::BranchRegistered { branch, parent, admin } => Statement::new(
			"INSERT INTO branches (branch, parent, admin, status, registered_block) \
			 VALUES ($1, $2, $3, 'Active', $4) ON CONFLICT (branch) DO NOTHING",
			vec![(*branch).into(), (*parent).into(), (*admin).into(), n.clone()],
		),
		Change::BranchStatus { branch, status } => Statement::new(
			"UPDATE branches SET status = $1 WHERE branch = $2",
			vec![status.clone().into(), (*branch).into()],
		),
		Change::OfficerAppointed { branch, who, role } => Statement::new(
			"INSERT INTO officers (branch, account, role, since_block) VALUES ($1, $2, $3, $4) \
			 ON CONFLICT (branch, account) DO UPDATE SET role = excluded.role",
			vec![(*branch).into(), (*who).into(), role.clone().into(), n.clone()],
		),
		Change::OfficerRemoved { branch, who } => Statement::new(
			"DELETE FROM officers WHERE branch = $1 AND account = $2",
			vec![(*branch).into(), (*who).into()],
		),
		Change::MemberJoined { who, branch } => Statement::new(
			"INSERT INTO members (account, home_branch, status, joined_block) VALUES ($1, $2, 'Active', $3) \
			 ON CONFLICT (account) DO UPDATE SET home_branch = excluded.home_branch, status = 'Active'",
			vec![(*who).into(), (*branch).into(), n.clone()],
		),
		Change::MemberStatus { who, status } => Statement::new(
			"UPDATE members SET status = $1 WHERE account = $2",
			vec![status.clone().into(), (*who).into()],
		),
		Change::Rekeyed { old, new } => {
			return vec![
				Statement::new(
					"INSERT INTO members (account, home_branch, status, joined_block) \
					 SELECT $1, home_branch, status, joined_block FROM members WHERE account = $2",
					vec![(*new).into(), (*old).into()],
				),
				Statement::new(
					"UPDATE members SET status = 'Rekeyed', rekeyed_to = $1 WHERE account = $2",
					vec![(*new).into(), (*old).into()],
				),
			]
		},
	};
	vec![one]
}

/// Move the head from `previous` to block `number` (guarded: exactly one row, from `previous`).
pub(super) fn move_head(previous: u64, number: u64, hash: [u8; 32]) -> Statement {
	Statement::one(
		"moving the index head",
		"UPDATE indexed_head SET block_number = $1, block_hash = $2 WHERE name = 'head' AND block_number = $3",
		vec![Value::Int(number as i64), hash.into(), Value::Int(previous as i64)],
	)
}
