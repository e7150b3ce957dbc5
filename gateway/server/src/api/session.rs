//! Who is asking: the session a request carries, as a cookie (the web app) or a bearer token
//! (the mini program).
//!
//! A browser sends cookies with any request to the gateway, including one a hostile page makes
//! it send; so a write that authenticates by cookie must also carry `X-Timebank-Client`, a header
//! other sites cannot set without the gateway's consent (it gives none: no CORS).

use super::{
	error::{ApiError, Code},
	ApiState,
};
use crate::auth::{Client, Session};
use axum::{
	extract::FromRequestParts,
	http::{header, request::Parts, HeaderValue, Method},
};

/// The session cookie. `__Host-` makes browsers refuse it unless it is `Secure`, has `Path=/` and
/// no `Domain`, so no other site and no plain-HTTP page can set or read it.
pub const COOKIE: &str = "__Host-timebank_session";
/// The header a cookie-authenticated write must carry.
pub const CLIENT_HEADER: &str = "x-timebank-client";

/// The token a request carries, and how.
pub fn token(parts: &Parts) -> Option<(String, Client)> {
	if let Some(bearer) = parts
		.headers
		.get(header::AUTHORIZATION)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.strip_prefix("Bearer "))
	{
		return Some((bearer.trim().to_owned(), Client::App));
	}
	parts
		.headers
		.get_all(header::COOKIE)
		.iter()
		.filter_map(|v| v.to_str().ok())
		.flat_map(|v| v.split(';'))
		.find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
		.map(|token| (token.to_owned(), Client::Web))
}

/// The `Set-Cookie` value that gives a browser its session.
pub fn set_cookie(token: &str, max_age_s: i64) -> Option<HeaderValue> {
	HeaderValue::from_str(&format!(
		"{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_s}"
	))
	.ok()
}

/// The `Set-Cookie` value that makes a browser forget its session.
pub fn clear_cookie() -> HeaderValue {
	HeaderValue::from_static(
		"__Host-timebank_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0",
	)
}

/// A signed-in caller. Extracting it refuses the request with `auth.required`, `auth.csrf` or
/// `rate.limited` when it must.
#[derive(Clone, Debug)]
pub struct SignedIn(pub Session);

impl FromRequestParts<ApiState> for SignedIn {
	type Rejection = ApiError;

	async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
		let (token, via) = token(parts).ok_or(Code::SignInRequired)?;
		let reads_only = matches!(parts.method, Method::GET | Method::HEAD);
		if via == Client::Web && !reads_only && !parts.headers.contains_key(CLIENT_HEADER) {
			return Err(Code::Csrf.into());
		}
		let session = state.gateway.session(&token).await?;
		state.limits.account(session.account)?;
		Ok(Self(session))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use axum::http::Request;

	fn parts(headers: &[(&str, &str)]) -> Parts {
		let mut request = Request::builder().uri("/api/v1/me");
		for (name, value) in headers {
			request = request.header(*name, *value);
		}
		request.body(()).expect("request").into_parts().0
	}

	#[test]
	fn the_token_comes_from_the_bearer_header_or_the_session_cookie() {
		assert_eq!(token(&parts(&[])), None);
		assert_eq!(
			token(&parts(&[("authorization", "Bearer abc")])),
			Some(("abc".into(), Client::App))
		);
		assert_eq!(
			token(&parts(&[("cookie", "theme=large; __Host-timebank_session=xyz; lang=zh")])),
			Some(("xyz".into(), Client::Web))
		);
		// A cookie whose name only starts like ours is not ours.
		assert_eq!(token(&parts(&[("cookie", "__Host-timebank_sessionx=1")])), None);
		assert_eq!(token(&parts(&[("authorization", "Basic abc")])), None);
	}

	#[test]
	fn the_cookie_is_host_only_secure_and_hidden_from_scripts() {
		let value = set_cookie("tok", 60).expect("header value");
		let text = value.to_str().expect("ascii");
		for part in ["__Host-timebank_session=tok", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"]
		{
			assert!(text.contains(part), "{text} lacks {part}");
		}
		assert!(!text.contains("Domain"));
	}
}
