//! `/api/v1/auth`: signing in and out.

use super::{
	error::{ApiError, Code, ErrorBody},
	input::{ss58, Input},
	session::{self, SignedIn},
	ApiState, ClientAddress,
};
use crate::{auth::Client, members};
use axum::{
	extract::State,
	http::{header, StatusCode},
	response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

/// Phone number and password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
	/// The phone number the member registered with, as typed (spaces and dashes are ignored).
	#[schema(example = "+86 138 0013 8000")]
	pub phone: String,
	/// The password.
	pub password: String,
	/// `web` (the default) keeps the session in a cookie; `app` (the mini program) is given a
	/// bearer token.
	#[serde(default = "web")]
	#[schema(value_type = String, example = "web")]
	pub client: Client,
}

fn web() -> Client {
	Client::Web
}

/// A session opened.
#[derive(Serialize, ToSchema)]
pub struct SignedInBody {
	/// The member's account (SS58).
	pub account: String,
	/// When the session ends, milliseconds since 1970.
	pub expires_at_ms: i64,
	/// The bearer token, for `client: app` only (a browser gets a cookie instead). Shown once.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub token: Option<String>,
}

/// Sign in with a phone number and a password.
///
/// Five wrong passwords in a row lock the account for 15 minutes (twice as long each further
/// time); staff reset the password at the counter. Attempts are also limited per address and per
/// phone number.
#[utoipa::path(post, path = "/sign-in", tag = "auth", request_body = SignIn,
	responses(
		(status = 200, description = "Signed in; a browser also receives the session cookie", body = SignedInBody),
		(status = 400, description = "input.malformed, input.phone", body = ErrorBody),
		(status = 401, description = "auth.wrong_credentials", body = ErrorBody),
		(status = 423, description = "auth.locked, with retry_after_s", body = ErrorBody),
		(status = 429, description = "rate.limited", body = ErrorBody),
	))]
pub async fn sign_in(
	State(state): State<ApiState>,
	ClientAddress(address): ClientAddress,
	Input(body): Input<SignIn>,
) -> Result<Response, ApiError> {
	let phone = members::normalise_phone(&body.phone)?;
	state.limits.sign_in(address, &phone)?;
	let password = Zeroizing::new(body.password);
	let opened = state.gateway.sign_in(&phone, password, body.client).await?;
	let account = ss58(opened.account);
	match body.client {
		Client::App => Ok(axum::Json(SignedInBody {
			account,
			expires_at_ms: opened.expires_at_ms,
			token: Some(opened.token.to_string()),
		})
		.into_response()),
		Client::Web => {
			let max_age_s = (opened.expires_at_ms - crate::outbox::now_ms()) / 1000;
			let cookie = session::set_cookie(&opened.token, max_age_s).ok_or(Code::Internal)?;
			let body = SignedInBody { account, expires_at_ms: opened.expires_at_ms, token: None };
			Ok(([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response())
		}
	}
}

/// Sign out: the session ends on the gateway, and a browser forgets its cookie.
#[utoipa::path(post, path = "/sign-out", tag = "auth",
	responses(
		(status = 204, description = "Signed out"),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.csrf", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn sign_out(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
) -> Result<Response, ApiError> {
	state.gateway.end_session(session.token_hash).await?;
	Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session::clear_cookie())]).into_response())
}
