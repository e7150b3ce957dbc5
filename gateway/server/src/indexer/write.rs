//! The statements that write one block into the index.

use crate::{
	chain::Block,
	store::{Statement, Value},
};

/// Append block `number`'s rows and changes to `statements`.
pub(super) fn block(statements: &mut Vec<Statement>, number: u64, hash: [u8; 32], block: Block) {
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
