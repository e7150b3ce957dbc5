//! Oversight: a branch's figures with its redemption capacity (易存难兑: are stored hours
//! turning into services?), every branch's figures for auditors, and the node and gateway status
//! operators watch. Figures come from the chain at the finalised block (`timebank_branchSummary`,
//! `timebank_validators`) and from the index.

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input,
	session::SignedIn,
	ApiState,
};
use crate::{store::StoreError, Gateway, GatewayError};
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::{json, Value as Json};
use utoipa::ToSchema;

/// Stored hours worth more than this many months of the last 30 days' services raise the alert.
pub const CAPACITY_ALERT_MONTHS: u64 = 12;

const THIRTY_DAYS_MS: u64 = 30 * 86_400_000;

/// Minutes served in one category over the last 30 days.
#[derive(Serialize, ToSchema)]
pub struct Served {
	/// The catalogue's category.
	pub category: u64,
	/// Minutes settled for services of it.
	pub minutes: u64,
}

/// Whether the hours members have stored can be served.
#[derive(Serialize, ToSchema)]
pub struct Capacity {
	/// Minutes the branch's members hold to spend (`outstanding_spendable`).
	pub stored_minutes: i64,
	/// Minutes of service settled in the branch over the last 30 days, by category.
	pub served_last_30_days: Vec<Served>,
	/// The months of service, at the last 30 days' pace, the stored minutes represent; absent
	/// when nothing was served.
	pub months_of_service: Option<f64>,
	/// Stored hours exceed 12 months of service, or hours are stored and nothing was served:
	/// members may not be able to redeem what they saved.
	pub alert: bool,
}

/// A branch's figures at the finalised block.
#[derive(Serialize, ToSchema)]
pub struct BranchFigures {
	/// The branch.
	pub branch: u64,
	/// Its parent branch.
	pub parent: Option<u64>,
	/// Whether it is active.
	pub active: bool,
	/// Members waiting for approval.
	pub pending_members: u64,
	/// Active members.
	pub active_members: u64,
	/// Minutes issued from the grant account and not taken back: the service the branch owes.
	pub redemption_liability: i64,
	/// The sum of its home members' spendable balances.
	pub outstanding_spendable: i64,
	/// Its donation pool.
	pub pool_balance: i64,
	/// `[counterparty branch, net minutes]`; positive: credits left this branch towards it.
	pub clearing_positions: Vec<(u64, i64)>,
	/// The ledger policy's version (0: the default policy).
	pub policy_version: u64,
	/// Redemption capacity.
	pub capacity: Capacity,
	/// The finalised block the figures are read at.
	pub finalized_block: u64,
}

fn int(value: &Json, field: &str) -> i64 {
	value[field].as_i64().unwrap_or(0)
}

fn uint(value: &Json, field: &str) -> u64 {
	value[field].as_u64().unwrap_or(0)
}

/// The months `stored` minutes last at `served` minutes a month, and whether that is alarming.
fn capacity_of(stored: i64, served: u64) -> (Option<f64>, bool) {
	if served == 0 {
		return (None, stored > 0);
	}
	let months = stored.max(0) as f64 / served as f64;
	(Some((months * 10.0).round() / 10.0), months > CAPACITY_ALERT_MONTHS as f64)
}

async fn served(gateway: &Gateway, branch: u32, since_ms: u64) -> Result<Vec<Served>, StoreError> {
	let rows = gateway
		.index
		.query(
			"SELECT l.category, SUM(g.settled_minutes) FROM engagements g \
			 JOIN listings l ON l.listing = g.listing JOIN blocks b ON b.number = g.ended_block \
			 WHERE l.branch = $1 AND g.status = 'Settled' AND b.time_ms >= $2 \
			 GROUP BY l.category ORDER BY l.category",
			vec![branch.into(), i64::try_from(since_ms).unwrap_or(i64::MAX).into()],
		)
		.await?;
	rows.iter()
		.map(|row| Ok(Served { category: row.opt_uint(0)?.unwrap_or(0), minutes: row.uint(1)? }))
		.collect()
}

/// Branch `branch`'s figures, or `None` when the chain has no such branch.
async fn figures(gateway: &Gateway, branch: u32) -> Result<Option<BranchFigures>, GatewayError> {
	let (finalized_block, hash) = gateway.chain.finalized_head().await?;
	let at = json!(format!("0x{}", hex::encode(hash.0)));
	let summary = gateway.chain.request("timebank_branchSummary", vec![json!(branch), at]).await?;
	if summary.is_null() {
		return Ok(None);
	}
	let now = u64::try_from(crate::outbox::now_ms()).unwrap_or(0);
	let served_last_30_days = served(gateway, branch, now.saturating_sub(THIRTY_DAYS_MS)).await?;
	let stored = int(&summary, "outstandingSpendable");
	let (months_of_service, alert) =
		capacity_of(stored, served_last_30_days.iter().map(|s| s.minutes).sum());
	let clearing_positions = summary["clearingPositions"]
		.as_array()
		.map(|pairs| {
			pairs.iter().map(|p| (p[0].as_u64().unwrap_or(0), p[1].as_i64().unwrap_or(0))).collect()
		})
		.unwrap_or_default();
	Ok(Some(BranchFigures {
		branch: u64::from(branch),
		parent: summary["parent"].as_u64(),
		active: summary["active"].as_bool().unwrap_or(false),
		pending_members: uint(&summary, "pendingMembers"),
		active_members: uint(&summary, "activeMembers"),
		redemption_liability: int(&summary, "redemptionLiability"),
		outstanding_spendable: stored,
		pool_balance: int(&summary, "poolBalance"),
		clearing_positions,
		policy_version: uint(&summary, "policyVersion"),
		capacity: Capacity {
			stored_minutes: stored,
			served_last_30_days,
			months_of_service,
			alert,
		},
		finalized_block,
	}))
}

/// A branch's figures and redemption capacity (its officers and auditors).
#[utoipa::path(get, path = "/{branch}/summary", tag = "oversight",
	params(("branch" = u32, Path, description = "The branch")),
	responses(
		(status = 200, body = BranchFigures),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff", body = ErrorBody),
		(status = 404, description = "http.not_found: no such branch", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn summary(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(branch): Path<String>,
) -> Result<axum::Json<BranchFigures>, ApiError> {
	let branch = u32::try_from(input::id("branch", &branch)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("branch"))?;
	if !access::is_officer_or_auditor(&state.gateway, session.account, branch).await? {
		return Err(Code::NotStaff.into());
	}
	let figures = figures(&state.gateway, branch).await?.ok_or(Code::NotFound)?;
	Ok(axum::Json(figures))
}

/// Every branch's figures.
#[derive(Serialize, ToSchema)]
pub struct Network {
	/// By branch.
	pub branches: Vec<BranchFigures>,
}

/// Every branch's figures and redemption capacity, for auditors (the civil-affairs bureau's
/// overview).
#[utoipa::path(get, path = "", tag = "oversight",
	responses(
		(status = 200, body = Network),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_auditor", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn network(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
) -> Result<axum::Json<Network>, ApiError> {
	if !access::is_auditor(&state.gateway, session.account).await? {
		return Err(Code::NotAuditor.into());
	}
	let ids = state
		.gateway
		.index
		.query("SELECT branch FROM branches ORDER BY branch LIMIT 1000", vec![])
		.await?;
	let mut branches = Vec::with_capacity(ids.len());
	for row in ids {
		let Ok(branch) = u32::try_from(row.uint(0)?) else { continue };
		if let Some(figures) = figures(&state.gateway, branch).await? {
			branches.push(figures);
		}
	}
	Ok(axum::Json(Network { branches }))
}

/// A validator and how it is doing.
#[derive(Serialize, ToSchema)]
pub struct Validator {
	/// Its account (SS58).
	pub account: String,
	/// Its branch.
	pub branch: Option<u64>,
	/// Blocks it authored this session.
	pub authored_this_session: u64,
	/// Sessions in a row it missed.
	pub offline_sessions: u64,
	/// Whether it is excluded for missed sessions (its admins declare it back online).
	pub excluded: bool,
}

/// What the branch's IT operator watches.
#[derive(Serialize, ToSchema)]
pub struct Status {
	/// Peers the node is connected to.
	pub peers: u64,
	/// Whether the node is catching up with the network.
	pub syncing: bool,
	/// The node's best block.
	pub best_block: u64,
	/// The last finalised block.
	pub finalized_block: u64,
	/// Blocks between the best and the finalised: more than a few means finality stalls.
	pub finality_lag: u64,
	/// The last block the gateway's index holds.
	pub indexed_block: u64,
	/// Finalised blocks not yet indexed.
	pub index_lag: u64,
	/// Writes on their way (not yet final or refused).
	pub outbox_open: u64,
	/// The current session of the validator election.
	pub session: u64,
	/// The validators of the session.
	pub validators: Vec<Validator>,
}

/// Node, index, outbox and validator status (officers of any branch, auditors).
#[utoipa::path(get, path = "/status", tag = "oversight",
	responses(
		(status = 200, body = Status),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff", body = ErrorBody),
		(status = 503, description = "chain.unavailable", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn status(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
) -> Result<axum::Json<Status>, ApiError> {
	let gateway = &state.gateway;
	let allowed = gateway.holds_any_office(session.account).await?
		|| access::is_auditor(gateway, session.account).await?;
	if !allowed {
		return Err(Code::NotStaff.into());
	}
	let health = gateway.chain.request("system_health", vec![]).await?;
	let (best_block, _) = gateway.chain.best_head().await?;
	let (finalized_block, _) = gateway.chain.finalized_head().await?;
	let indexed_block = crate::indexer::head(&gateway.index).await?.map_or(0, |h| h.0);
	let open = gateway
		.outbox
		.db()
		.query_one(
			"SELECT COUNT(*) FROM operations WHERE state IN \
			 ('received', 'nonce_assigned', 'signed', 'checked', 'submitted')",
			vec![],
		)
		.await?
		.map(|row| row.uint(0))
		.transpose()?
		.unwrap_or(0);
	let election = gateway.chain.request("timebank_validators", vec![]).await?;
	let validators = election["validators"]
		.as_array()
		.map(|list| {
			list.iter()
				.map(|v| Validator {
					account: v["account"].as_str().unwrap_or_default().to_owned(),
					branch: v["branch"].as_u64(),
					authored_this_session: uint(v, "authoredThisSession"),
					offline_sessions: uint(v, "offlineSessions"),
					excluded: v["excluded"].as_bool().unwrap_or(false),
				})
				.collect()
		})
		.unwrap_or_default();
	Ok(axum::Json(Status {
		peers: uint(&health, "peers"),
		syncing: health["isSyncing"].as_bool().unwrap_or(false),
		best_block,
		finalized_block,
		finality_lag: best_block.saturating_sub(finalized_block),
		indexed_block,
		index_lag: finalized_block.saturating_sub(indexed_block),
		outbox_open: open,
		session: uint(&election, "session"),
		validators,
	}))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn capacity_is_months_of_service_and_alerts_past_a_year() {
		assert_eq!(capacity_of(6_000, 1_000), (Some(6.0), false));
		assert_eq!(capacity_of(13_000, 1_000), (Some(13.0), true));
		assert_eq!(capacity_of(1_000, 3_000), (Some(0.3), false));
		// Hours stored and nothing served: an alert with no figure.
		assert_eq!(capacity_of(600, 0), (None, true));
		assert_eq!(capacity_of(0, 0), (None, false));
		// An overdraft (mutual credit) stores nothing.
		assert_eq!(capacity_of(-500, 100), (Some(0.0), false));
	}
}
