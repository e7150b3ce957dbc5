//! `/health` (is the gateway working, and how far has it read), `/ready` (may a load balancer
//! send it people: the node answers and the index is close to the chain) and `/metrics`
//! (Prometheus).

use super::ApiState;
use axum::{extract::State, http::StatusCode, response::IntoResponse};

/// The index may trail the finalised head by this many blocks and still be ready: lists a few
/// seconds old are fine, lists minutes old are not.
pub const READY_INDEX_LAG: u64 = 30;

/// 200 with a short JSON report while the node answers and the outbox database reads; 503 with
/// the reason otherwise.
pub async fn health(State(state): State<ApiState>) -> impl IntoResponse {
	let gateway = &state.gateway;
	let finalized = gateway.chain.finalized_head().await;
	let counts = gateway.outbox.counts().await;
	let cursor = crate::outbox::watcher_cursor(gateway.outbox.db()).await;
	match (finalized, counts, cursor) {
		(Ok((finalized, _)), Ok(counts), Ok(cursor)) => {
			let open: i64 = counts
				.iter()
				.filter(|(state, _)| {
					crate::outbox::State::parse(state).is_some_and(|s| !s.is_terminal())
				})
				.map(|(_, n)| n)
				.sum();
			let body = serde_json::json!({
				"status": "ok",
				"finalized_block": finalized,
				"outbox_read_block": cursor.map(|(n, _)| n),
				"open_operations": open,
			});
			(StatusCode::OK, [("content-type", "application/json")], body.to_string())
		}
		(finalized, counts, cursor) => {
			let reason = finalized
				.err()
				.map(|e| e.to_string())
				.or(counts.err().map(|e| e.to_string()))
				.or(cursor.err().map(|e| e.to_string()))
				.unwrap_or_default();
			unavailable(&reason)
		}
	}
}

fn unavailable(reason: &str) -> (StatusCode, [(&'static str, &'static str); 1], String) {
	let body = serde_json::json!({ "status": "unavailable", "reason": reason });
	(StatusCode::SERVICE_UNAVAILABLE, [("content-type", "application/json")], body.to_string())
}

/// 200 when the node answers and the index is within [`READY_INDEX_LAG`] blocks of the
/// finalised head; 503 with the reason while it catches up (after a restore, say).
pub async fn ready(State(state): State<ApiState>) -> impl IntoResponse {
	let gateway = &state.gateway;
	let finalized = match gateway.chain.finalized_head().await {
		Ok((number, _)) => number,
		Err(e) => return unavailable(&e.to_string()),
	};
	let indexed = match crate::indexer::head(&gateway.index).await {
		Ok(head) => head.map_or(0, |(number, _)| number),
		Err(e) => return unavailable(&e.to_string()),
	};
	let lag = finalized.saturating_sub(indexed);
	if lag > READY_INDEX_LAG {
		return unavailable(&format!(
			"the index is {lag} blocks behind the finalised head (block {finalized}): catching up"
		));
	}
	let body = serde_json::json!({
		"status": "ready",
		"finalized_block": finalized,
		"indexed_block": indexed,
	});
	(StatusCode::OK, [("content-type", "application/json")], body.to_string())
}

/// The Prometheus text.
pub async fn metrics(State(state): State<ApiState>) -> impl IntoResponse {
	([("content-type", "text/plain; version=0.0.4")], state.gateway.metrics.render())
}
