//! What every write shares: the call is signed with the caller's own key and sent through the
//! outbox; the answer is `202` with the operation to follow (`GET /api/v1/operations/{id}`).
//!
//! Whether the caller may make the call is the chain's rule, not the gateway's copy of it: the
//! outbox's dry run refuses early with the chain's own reason, kept on the operation. The gateway
//! checks only the input's shape here, so a client learns of a typo at once.

use super::{
	error::{ApiError, Code, ErrorBody},
	input, ApiState,
};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use subxt::utils::H256;
use utoipa::{IntoResponses, ToSchema};

/// A write on its way to the chain.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
	/// The operation: follow it at `/api/v1/operations/{id}`.
	pub operation: i64,
}

/// What a write endpoint answers.
pub type Sent = (StatusCode, axum::Json<Accepted>);

/// The answers every write endpoint may give (its OpenAPI `responses`).
#[derive(IntoResponses)]
pub enum WriteAnswers {
	/// On its way to the chain: follow the operation.
	#[response(status = 202)]
	Accepted(Accepted),
	/// The input is wrong; `field` names it (`input.malformed`, `input.account`,
	/// `input.missing`, `input.too_long`).
	#[response(status = 400)]
	BadInput(ErrorBody),
	/// `auth.required`: sign in first.
	#[response(status = 401)]
	SignedOut(ErrorBody),
	/// `auth.csrf`: a cookie session's write without the `X-Timebank-Client` header.
	#[response(status = 403)]
	Forged(ErrorBody),
	/// `idempotency.key_reused`: the `Idempotency-Key` was used for another request.
	#[response(status = 409)]
	KeyReused(ErrorBody),
	/// `rate.limited`: too many requests; wait `retry_after_s`.
	#[response(status = 429)]
	TooMany(ErrorBody),
}

/// Send `call` signed by `signer`, under the request's `Idempotency-Key` if it has one.
pub async fn send(
	state: &ApiState,
	signer: [u8; 32],
	headers: &HeaderMap,
	call: &impl subxt::tx::Payload,
) -> Result<Sent, ApiError> {
	let idempotency = input::idempotency_key(headers)?.map(|key| {
		let scope = format!("{}.{}:{}", call.pallet_name(), call.call_name(), input::ss58(signer));
		(scope, key)
	});
	let operation = state.gateway.submit(signer, call, idempotency).await?;
	Ok((StatusCode::ACCEPTED, axum::Json(Accepted { operation })))
}

/// Declares a write endpoint whose only input is one value in its path: `POST $path` parses the
/// value with `$parse` (whose refusal is the endpoint's `400`), builds `$call` from it, and sends
/// the call signed with the caller's key. The using file imports what a handler names (`State`,
/// `SignedIn`, `HeaderMap`, `Path`, `ApiState`, `ApiError`, `Sent`, `WriteAnswers`, `send`).
///
/// `write_by_path!(name, "tag", "/{id}/step", "What it does.", "id": u64 = "The listing",
/// listing = path_id => timebank::tx().activities().step(listing));`
macro_rules! write_by_path {
	(
		$name:ident, $tag:literal, $path:literal, $summary:literal,
		$param:literal: $param_type:ident = $param_doc:literal,
		$value:ident = $parse:expr => $call:expr
	) => {
		#[doc = $summary]
		#[utoipa::path(post, path = $path, tag = $tag,
											params(($param = $param_type, Path, description = $param_doc),
												("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
											responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
		pub async fn $name(
			State(state): State<ApiState>,
			SignedIn(session): SignedIn,
			headers: HeaderMap,
			Path(text): Path<String>,
		) -> Result<Sent, ApiError> {
			let $value = ($parse)(text.as_str())?;
			let call = $call;
			send(&state, session.account, &headers, &call).await
		}
	};
}
pub(crate) use write_by_path;

/// A number in the path (`{id}`).
pub fn path_id(text: &str) -> Result<u64, ApiError> {
	input::id("id", text)
}

/// A member in the path (`{account}`).
pub fn path_account(text: &str) -> Result<subxt::utils::AccountId32, ApiError> {
	input::account("account", text).map(subxt::utils::AccountId32)
}

/// A branch in the path (`{branch}`).
pub fn path_branch(text: &str) -> Result<u32, ApiError> {
	u32::try_from(input::id("branch", text)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("branch"))
}

/// The longest written reason (a dispute, a rejection, a vote, a revocation), in characters.
pub const REASON_CHARS: usize = 2_000;

/// The chain's hash of a written reason or a piece of evidence: the words stay off chain, the
/// hash binds them. Refused when empty or longer than [`REASON_CHARS`].
pub fn reason_hash(field: &'static str, text: &str) -> Result<H256, ApiError> {
	let text = text.trim();
	if text.is_empty() {
		return Err(ApiError::new(Code::Missing).field(field));
	}
	if text.chars().count() > REASON_CHARS {
		return Err(ApiError::new(Code::TooLong).field(field));
	}
	Ok(H256(sp_crypto_hashing::blake2_256(text.as_bytes())))
}

/// A positive number of minutes, refused as `input.malformed` with the field named.
pub fn minutes(field: &'static str, amount: u64) -> Result<u64, ApiError> {
	if amount == 0 {
		return Err(ApiError::new(Code::Malformed).field(field));
	}
	Ok(amount)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn reasons_are_hashed_after_trimming_and_refused_empty_or_long() {
		assert_eq!(reason_hash("reason", " late ").ok(), reason_hash("reason", "late").ok());
		assert_ne!(reason_hash("reason", "late").ok(), reason_hash("reason", "early").ok());
		assert_eq!(reason_hash("reason", "  ").unwrap_err().code, Code::Missing);
		let long = "字".repeat(REASON_CHARS + 1);
		assert_eq!(reason_hash("reason", &long).unwrap_err().code, Code::TooLong);
		assert!(reason_hash("reason", &"字".repeat(REASON_CHARS)).is_ok());
		assert_eq!(minutes("minutes", 0).unwrap_err().field, Some("minutes"));
	}
}
