//! Reading what clients send: JSON bodies whose every refusal has a code, and accounts.

use super::error::{ApiError, Code};
use axum::{
	extract::{rejection::JsonRejection, FromRequest, FromRequestParts, Request},
	http::{request::Parts, StatusCode},
};
use serde::de::DeserializeOwned;

/// Largest request body, in bytes: the biggest form (registering a member) is well under 4 KiB.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body. Unlike `axum::Json`, a refusal is an [`ApiError`]: `input.malformed` (with the
/// parser's words as `detail`), `input.content_type` or `input.too_large`.
pub struct Input<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Input<T> {
	type Rejection = ApiError;

	async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
		match axum::Json::<T>::from_request(request, state).await {
			Ok(axum::Json(value)) => Ok(Self(value)),
			Err(rejection) => Err(rejected(&rejection)),
		}
	}
}

/// A query string, refused as `input.malformed` with the parser's words.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
	type Rejection = ApiError;

	async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
		match axum::extract::Query::<T>::from_request_parts(parts, state).await {
			Ok(axum::extract::Query(value)) => Ok(Self(value)),
			Err(rejection) => Err(ApiError {
				detail: Some(rejection.body_text()),
				..ApiError::new(Code::Malformed)
			}),
		}
	}
}

/// The largest page a list gives.
pub const MAX_PAGE: u32 = 100;

/// A page's size: 1 to [`MAX_PAGE`], 20 when not given.
pub fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
	let limit = limit.unwrap_or(20);
	if (1..=MAX_PAGE).contains(&limit) {
		Ok(limit)
	} else {
		Err(ApiError::new(Code::Malformed).field("limit"))
	}
}

/// Cut `items` (read with one more than `limit`, newest first) to the page, and the `before`
/// of the next page when there is one.
pub fn paged<T>(mut items: Vec<T>, limit: u32, id: impl Fn(&T) -> u64) -> (Vec<T>, Option<u64>) {
	let limit = limit as usize;
	if items.len() > limit {
		items.truncate(limit);
		let next = items.last().map(id);
		(items, next)
	} else {
		(items, None)
	}
}

fn rejected(rejection: &JsonRejection) -> ApiError {
	let code = match rejection.status() {
		StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
		StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::ContentType,
		_ => Code::Malformed,
	};
	ApiError { detail: Some(rejection.body_text()), ..ApiError::new(code) }
}

/// The longest `Idempotency-Key`.
const IDEMPOTENCY_KEY_CHARS: usize = 128;

/// The client's `Idempotency-Key`, if it sent one: 1 to 128 characters.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
	let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
	let key = value
		.to_str()
		.ok()
		.filter(|k| !k.is_empty() && k.chars().count() <= IDEMPOTENCY_KEY_CHARS)
		.ok_or_else(|| ApiError::new(Code::Malformed).field("Idempotency-Key"))?;
	Ok(Some(key.to_owned()))
}

/// A number in a path (a listing, an engagement, an operation), refused as `input.malformed`.
pub fn id(field: &'static str, text: &str) -> Result<u64, ApiError> {
	text.parse().map_err(|_| ApiError::new(Code::Malformed).field(field))
}

/// An account written as SS58 or as `0x` and 64 hex digits.
pub fn parse_account(text: &str) -> Option<[u8; 32]> {
	if let Some(hex_digits) = text.strip_prefix("0x") {
		let bytes = hex::decode(hex_digits).ok()?;
		return <[u8; 32]>::try_from(bytes.as_slice()).ok();
	}
	text.parse::<subxt::utils::AccountId32>().ok().map(|a| a.0)
}

/// An account from a path or a field, refused as `input.account`.
pub fn account(field: &'static str, text: &str) -> Result<[u8; 32], ApiError> {
	parse_account(text).ok_or_else(|| ApiError::new(Code::Account).field(field))
}

/// An account as clients see it: SS58 with the generic prefix 42.
pub fn ss58(account: [u8; 32]) -> String {
	subxt::utils::AccountId32(account).to_string()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_read_as_ss58_or_hex_and_nothing_else() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let bytes = parse_account(alice).expect("Alice");
		assert_eq!(ss58(bytes), alice);
		assert_eq!(parse_account(&format!("0x{}", hex::encode(bytes))), Some(bytes));
		for bad in ["", "0x", "0x12", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQX", "'; DROP"]
		{
			assert_eq!(parse_account(bad), None, "{bad}");
		}
		assert_eq!(account("member", "nope").unwrap_err().field, Some("member"));
	}
}
