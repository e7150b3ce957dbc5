//! `/health` (is the gateway working, and how far has it read) and `/metrics` (Prometheus).

use crate::Gateway;
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};

/// The routes.
pub fn router(gateway: Gateway) -> Router {
	Router::new().route("/health", get(health)).route("/metrics", get(metrics)).with_state(gateway)
}

/// 200 with a short JSON report while the node answers and the outbox database reads; 503 with
/// the reason otherwise.
async fn health(State(gateway): State<Gateway>) -> impl IntoResponse {
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
			let body = serde_json::json!({ "status": "unavailable", "reason": reason });
			(
				StatusCode::SERVICE_UNAVAILABLE,
				[("content-type", "application/json")],
				body.to_string(),
			)
		}
	}
}

async fn metrics(State(gateway): State<Gateway>) -> impl IntoResponse {
	([("content-type", "text/plain; version=0.0.4")], gateway.metrics.render())
}
