//! `/api/v1/operations/{id}`: where an operation the caller signed is, from "received" to
//! "finalized_ok" (a client shows "saved" at inclusion and "confirmed" at finality).

use super::{
	error::{ApiError, Code, ErrorBody},
	session::SignedIn,
	ApiState,
};
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

/// An operation as the outbox has it.
#[derive(Serialize, ToSchema)]
pub struct OperationBody {
	/// Its id.
	pub id: i64,
	/// `received`, `nonce_assigned`, `signed`, `checked`, `submitted` (on its way);
	/// `finalized_ok`, `finalized_failed`, `refused` (done).
	pub state: &'static str,
	/// Whether nothing more will happen to it.
	pub done: bool,
	/// The pallet called.
	pub pallet: String,
	/// The call.
	pub call: String,
	/// The finalised block that holds it.
	pub block_number: Option<u64>,
	/// The chain's reason for `refused` or `finalized_failed`: its error's name, then words.
	pub outcome: Option<String>,
}

/// An operation the caller signed (or staff signed while serving them at the counter).
#[utoipa::path(get, path = "/{id}", tag = "operations",
	params(("id" = i64, Path, description = "The operation's id")),
	responses(
		(status = 200, body = OperationBody),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "operation.not_found (also for another person's)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn operation(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(id): Path<String>,
) -> Result<axum::Json<OperationBody>, ApiError> {
	let id: i64 = id.parse().map_err(|_| ApiError::new(Code::Malformed).field("id"))?;
	let operation = state.gateway.outbox.get(id).await?;
	// Another person's operation is answered as missing: its existence is not theirs to learn.
	if operation.account != session.account {
		return Err(Code::OperationNotFound.into());
	}
	Ok(axum::Json(OperationBody {
		id: operation.id,
		state: operation.state.as_str(),
		done: operation.state.is_terminal(),
		pallet: operation.pallet,
		call: operation.call,
		block_number: operation.block_number,
		outcome: operation.outcome,
	}))
}
