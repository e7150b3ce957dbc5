//! `/api/v1/members/{account}/statement`: a member's ledger entries, newest first, from the index
//! of finalised blocks, in pages.
// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, ss58, Params},
	session::SignedIn,
	ApiState,
};
use crate::store::Row;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which page.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Page {
	/// Entries older than this entry id (the previous page's `next_before`); newest when absent.
	pub before: Option<u64>,
	/// Entries on the page, 1 to 100 [default: 20].
	pub limit: Option<u32>,
}

/// The other side of an entry, as the member sees it.
#[derive(Serialize, ToSchema)]
pub struct Counterparty {
	/// `member`, `pool` (a branch's donation pool), `grant` (a branch's issuing account),
	/// `escrow` (held for a service) or `clearing` (between branches).
	pub side: String,
	/// The member (SS58), for `member`.
	pub account: Option<String>,
	/// The balance class, for `member`.
	pub class: Option<String>,
	/// The branch, for `pool`, `grant` and `clearing`.
	pub branch: Option<u32>,
}

/// One entry of the statement.
#[derive(Serialize, ToSchema)]
pub struct Line {
	/// The entry's id.
	pub entry: u64,
	/// The ledger operation it belongs to (a settlement, a gift, …).
	pub operation: u64,
	/// `Grant`, `Gift`, `Donation`, `Settlement`, `EscrowHold`, `Reversal`, …
	pub kind: String,
	/// `in` (to the member), `out` (from the member) or `within` (between the member's classes).
	pub direction: &'static str,
	/// Minutes.
	pub amount: i64,
	/// The member's balance class the minutes moved in or out of.
	pub class: Option<String>,
	/// The other side.
	pub counterparty: Counterparty,
	/// Who signed the operation (SS58).
	pub actor: String,
	/// The member a proxy or staff acted for, when not the actor.
	pub on_behalf_of: Option<String>,
	/// The finalised block it is in.
	pub block: u64,
	/// When that block was made, ms since 1970 (absent for blocks indexed before the index kept
	/// times).
	pub time_ms: Option<u64>,
}

/// A page of a statement.
#[derive(Serialize, ToSchema)]
pub struct StatementPage {
	/// The member (SS58).
	pub account: String,
	/// Newest first.
	pub lines: Vec<Line>,
	/// Pass as `before` for the next (older) page; absent on the last page.
	pub next_before: Option<u64>,
	/// The last block the index holds: entries after it are not listed yet.
	pub indexed_block: u64,
}

/// The columns of one side: side, member, class, branch.
fn side(row: &Row, first: usize) -> Result<Counterparty, crate::store::StoreError> {
	Ok(Counterparty {
		side: row.text(first)?,
		account: row.opt_bytes(first + 1)?.and_then(|b| <[u8; 32]>::try_from(b).ok()).map(ss58),
		class: row.opt_text(first + 2)?,
		branch: row.opt_int(first + 3)?.and_then(|b| u32::try_from(b).ok()),
	})
}

/// One statement line from a row `statement_sql!` reads.
pub(super) fn line(row: &Row, member: [u8; 32]) -> Result<Line, crate::store::StoreError> {
	let debit = side(row, 4)?;
	let credit = side(row, 8)?;
	let me = Some(ss58(member));
	let (direction, class, counterparty) = match (debit.account == me, credit.account == me) {
		(true, true) => ("within", credit.class.clone(), debit),
		(false, true) => ("in", credit.class, debit),
		_ => ("out", debit.class.clone(), credit),
	};
	Ok(Line {
		entry: row.opt_uint(0)?.unwrap_or(0),
		operation: row.opt_uint(1)?.unwrap_or(0),
		kind: row.text(2)?,
		direction,
		amount: row.int(3)?,
		class,
		counterparty,
		actor: ss58(row.bytes32(13)?),
		on_behalf_of: row.opt_bytes(14)?.and_then(|b| <[u8; 32]>::try_from(b).ok()).map(ss58),
		block: row.opt_uint(12)?.unwrap_or(0),
		time_ms: row.opt_uint(15)?,
	})
}

/// The SQL that reads statement lines (an entry, its operation and its block's time) with
/// `$tail` (the `WHERE` that picks the member's entries, and the order) after it.
macro_rules! statement_sql {
	($tail:literal) => {
		concat!(
			"SELECT e.entry, e.operation, e.kind, e.amount, \
			 e.debit_side, e.debit_member, e.debit_class, e.debit_branch, \
			 e.credit_side, e.credit_member, e.credit_class, e.credit_branch, \
			 e.block, o.actor, o.on_behalf_of, b.time_ms \
			 FROM entries e JOIN operations o ON o.operation = e.operation \
			 LEFT JOIN blocks b ON b.number = e.block ",
			$tail
		)
	};
}
pub(super) use statement_sql;

/// A member's statement, newest first, from the index of finalised blocks.
///
/// The member, their active family proxies, officers of their home branch and auditors may read
/// it; anyone else is told there is no such member.
#[utoipa::path(get, path = "/{account}/statement", tag = "members",
	params(("account" = String, Path, description = "The member's account (SS58)"), Page),
	responses(
		(status = 200, body = StatementPage),
		(status = 400, description = "input.account, input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not yours to see)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn statement(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
	Params(page): Params<Page>,
) -> Result<axum::Json<StatementPage>, ApiError> {
	let member = input::account("account", &account)?;
	let limit = input::page_size(page.limit)?;
	let gateway = &state.gateway;
	if !access::may_view_member(gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let before = i64::try_from(page.before.unwrap_or(i64::MAX as u64)).unwrap_or(i64::MAX);
	let rows = gateway
		.index
		.query(
			statement_sql!(
				"WHERE (e.debit_member = $1 OR e.credit_member = $2) AND e.entry < $3 \
				 ORDER BY e.entry DESC LIMIT $4"
			),
			vec![member.into(), member.into(), before.into(), i64::from(limit + 1).into()],
		)
		.await?;
	let lines = rows.iter().map(|row| line(row, member)).collect::<Result<Vec<_>, _>>()?;
	let (lines, next_before) = input::paged(lines, limit, |l| l.entry);
	let indexed_block = crate::indexer::head(&gateway.index).await?.map_or(0, |h| h.0);
	Ok(axum::Json(StatementPage { account: ss58(member), lines, next_before, indexed_block }))
}
