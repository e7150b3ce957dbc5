//! One error shape for every refusal: a stable machine-readable `code`, a message in the
//! caller's language (zh-CN unless `Accept-Language` prefers English), and the request's id.
//!
//! A handler returns [`ApiError`]; its response carries the error as an extension and no body.
//! [`render`] (a middleware) writes the body once it knows the request's language and id, and
//! also gives a code to refusals made outside the handlers (no such path, wrong method, timeout),
//! so a client never meets an error without one.

use crate::{auth::AuthError, keys::KeyError, members::InputError, GatewayError};
use axum::{
	extract::Request,
	http::{header, HeaderMap, HeaderValue, StatusCode},
	middleware::Next,
	response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
	/// Simplified Chinese, the default.
	Zh,
	/// English.
	En,
}

impl Lang {
	/// The language `Accept-Language` prefers among the two we have, by q-value; zh-CN when it
	/// names neither.
	pub fn from_headers(headers: &HeaderMap) -> Self {
		let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
			return Self::Zh;
		};
		let mut best: Option<(f32, Self)> = None;
		for item in value.split(',') {
			let mut parts = item.split(';');
			let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
			let q = parts
				.find_map(|p| p.trim().strip_prefix("q="))
				.and_then(|q| q.trim().parse::<f32>().ok())
				.unwrap_or(1.0);
			let lang = if tag == "zh" || tag.starts_with("zh-") {
				Self::Zh
			} else if tag == "en" || tag.starts_with("en-") {
				Self::En
			} else {
				continue;
			};
			if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
				best = Some((q, lang));
			}
		}
		best.map_or(Self::Zh, |(_, lang)| lang)
	}
}

macro_rules! codes {
	($($variant:ident = $code:literal, $status:ident, $zh:literal, $en:literal;)*) => {
		/// Every refusal the API gives, with its HTTP status and its words.
		#[derive(Clone, Copy, Debug, PartialEq, Eq)]
		pub enum Code {
			$(#[doc = $en] $variant,)*
		}

		impl Code {
			/// All codes, for the documentation and the tests.
			pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

			/// The stable machine-readable code.
			pub fn as_str(self) -> &'static str {
				match self { $(Code::$variant => $code,)* }
			}

			/// The HTTP status it is sent with.
			pub fn status(self) -> StatusCode {
				match self { $(Code::$variant => StatusCode::$status,)* }
			}

			/// What happened and what to do, in `lang`.
			pub fn message(self, lang: Lang) -> &'static str {
				match (self, lang) {
					$((Code::$variant, Lang::Zh) => $zh, (Code::$variant, Lang::En) => $en,)*
				}
			}
		}
	};
}

codes! {
	Malformed = "input.malformed", BAD_REQUEST,
		"请求的格式不对，请检查填写的内容。", "The request is not in the expected form: check what was entered.";
	ContentType = "input.content_type", UNSUPPORTED_MEDIA_TYPE,
		"请求必须是 JSON 格式。", "The request must be JSON (Content-Type: application/json).";
	TooLarge = "input.too_large", PAYLOAD_TOO_LARGE,
		"提交的内容太大。", "The request is too large.";
	Missing = "input.missing", BAD_REQUEST,
		"有必填项没有填写。", "A required field is empty.";
	TooLong = "input.too_long", BAD_REQUEST,
		"有一项填写得太长了。", "A field is too long.";
	Phone = "input.phone", BAD_REQUEST,
		"手机号码应为 7 到 15 位数字。", "The phone number must have 7 to 15 digits.";
	IdNumber = "input.id_number", BAD_REQUEST,
		"证件号码应为 4 到 32 位字母或数字。", "The document number must have 4 to 32 letters or digits.";
	IdType = "input.id_type", BAD_REQUEST,
		"证件类型不对，例如 resident-id。", "The document type must look like resident-id.";
	BirthDate = "input.birth_date", BAD_REQUEST,
		"出生日期请写成 年-月-日，例如 1949-10-01。", "Write the birth date as YYYY-MM-DD, e.g. 1949-10-01.";
	Account = "input.account", BAD_REQUEST,
		"账户号码不对。", "That is not an account (SS58, or 0x and 64 hex digits).";
	PasswordLength = "input.password_length", BAD_REQUEST,
		"密码应为 8 到 128 个字。", "A password has 8 to 128 characters.";
	Roles = "input.roles", BAD_REQUEST,
		"请至少选择一个身份：志愿者、受助者或亲情代理。", "Choose at least one role: volunteer, recipient or family proxy.";
	WrongCredentials = "auth.wrong_credentials", UNAUTHORIZED,
		"手机号码或密码不对，请再试一次。忘记密码请带身份证到服务网点重置。",
		"The phone number or the password is wrong. Try again, or bring your ID card to your branch to reset the password.";
	Locked = "auth.locked", LOCKED,
		"密码错误次数太多，已暂时锁定，请稍后再试，或到服务网点重置密码。",
		"Too many wrong passwords: signing in is locked for a while. Try later, or reset the password at your branch.";
	SignInRequired = "auth.required", UNAUTHORIZED,
		"请先登录。", "Please sign in.";
	Csrf = "auth.csrf", FORBIDDEN,
		"请求缺少应用的标记，请从时间银行的页面操作。", "The request lacks the app's header (X-Timebank-Client): use the Time Bank's own pages.";
	NotHomeStaff = "auth.not_home_staff", FORBIDDEN,
		"只有该会员所属网点的工作人员可以办理。", "Only staff of the member's home branch may do this.";
	NotStaff = "auth.not_staff", FORBIDDEN,
		"只有网点工作人员可以办理。", "Only branch staff may do this.";
	NotAuditor = "auth.not_auditor", FORBIDDEN,
		"只有审计人员可以查看。", "Only auditors may see this.";
	WrongDocument = "auth.wrong_document", FORBIDDEN,
		"证件号码与登记的不一致，请核对证件。", "The document number is not the one the member registered with: check the document.";
	TooManyAttempts = "auth.too_many_attempts", TOO_MANY_REQUESTS,
		"今天尝试次数太多，请明天再来。", "Too many refused attempts today: try again tomorrow.";
	RateLimited = "rate.limited", TOO_MANY_REQUESTS,
		"操作太频繁，请稍等片刻再试。", "Too many requests: wait a moment and try again.";
	NotIndexed = "member.not_final", CONFLICT,
		"该会员的登记还没有最终确认，请过几秒钟再试。", "The member's registration is not final yet: try again in a few seconds.";
	MemberNotFound = "member.not_found", NOT_FOUND,
		"找不到这位会员。", "There is no such member (or you may not see them).";
	ExportTooLong = "export.too_long", PAYLOAD_TOO_LARGE,
		"导出的记录太多，请选择较短的时间段。", "Too many lines for one export: choose a shorter period.";
	KeyReused = "idempotency.key_reused", CONFLICT,
		"这个请求编号已用于另一项操作。", "This Idempotency-Key was already used for a different request.";
	OperationNotFound = "operation.not_found", NOT_FOUND,
		"找不到这项操作。", "There is no such operation.";
	NotFound = "http.not_found", NOT_FOUND,
		"找不到这个地址。", "There is nothing at this address.";
	MethodNotAllowed = "http.method_not_allowed", METHOD_NOT_ALLOWED,
		"这个地址不支持这种操作。", "This address does not accept this method.";
	Timeout = "http.timeout", REQUEST_TIMEOUT,
		"处理超时，请再试一次。", "The request took too long: try again.";
	ChainUnavailable = "chain.unavailable", SERVICE_UNAVAILABLE,
		"暂时连不上区块链节点，请稍后再试。", "The chain's node cannot be reached right now: try again later.";
	Internal = "internal", INTERNAL_SERVER_ERROR,
		"系统出了问题，请稍后再试；如果一直这样，请告诉网点工作人员。",
		"Something went wrong on our side: try again later, and tell branch staff if it goes on.";
}

/// A refusal. The body is written by [`render`].
#[derive(Clone, Debug)]
pub struct ApiError {
	/// What went wrong.
	pub code: Code,
	/// The input field it concerns, if one.
	pub field: Option<&'static str>,
	/// When to try again, for locks and rate limits.
	pub retry_after_s: Option<u64>,
	/// Words for developers (a JSON parser's complaint); never personal data or secrets.
	pub detail: Option<String>,
	/// The cause, for the log only (5xx).
	pub cause: Option<String>,
}

impl ApiError {
	/// A refusal with `code` and nothing more.
	pub fn new(code: Code) -> Self {
		Self { code, field: None, retry_after_s: None, detail: None, cause: None }
	}

	/// The same, about `field`.
	pub fn field(mut self, field: &'static str) -> Self {
		self.field = Some(field);
		self
	}
}

impl From<Code> for ApiError {
	fn from(code: Code) -> Self {
		Self::new(code)
	}
}

/// The body of every refusal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
	/// Stable machine-readable code, e.g. `auth.locked` (the list is in `docs/API.md`).
	#[schema(example = "auth.wrong_credentials")]
	pub code: &'static str,
	/// What happened and what to do, in zh-CN or English (`Accept-Language`).
	pub message: &'static str,
	/// The request's id (also the `x-request-id` header): quote it when asking for help.
	pub request_id: Option<String>,
	/// The input field the refusal concerns.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub field: Option<&'static str>,
	/// Seconds to wait before trying again.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub retry_after_s: Option<u64>,
	/// More words for developers, in English.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub detail: Option<String>,
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let mut response = self.code.status().into_response();
		response.extensions_mut().insert(self);
		response
	}
}

impl From<InputError> for ApiError {
	fn from(e: InputError) -> Self {
		match e {
			InputError::Missing(field) => Self::new(Code::Missing).field(field),
			InputError::Phone => Self::new(Code::Phone).field("phone"),
			InputError::IdNumber => Self::new(Code::IdNumber).field("id_number"),
			InputError::IdType => Self::new(Code::IdType).field("id_type"),
			InputError::BirthDate => Self::new(Code::BirthDate).field("birth_date"),
			InputError::TooLong(field, _) => {
				Self { detail: Some(e.to_string()), ..Self::new(Code::TooLong).field(field) }
			}
			InputError::Unreadable(_) => Self::new(Code::Malformed),
		}
	}
}

impl From<GatewayError> for ApiError {
	fn from(e: GatewayError) -> Self {
		match e {
			GatewayError::Input(e) => e.into(),
			GatewayError::Auth(e) => match e {
				AuthError::WrongCredentials => Code::WrongCredentials.into(),
				AuthError::Locked { retry_after_s } => {
					Self { retry_after_s: Some(retry_after_s), ..Code::Locked.into() }
				}
				AuthError::PasswordLength => Self::new(Code::PasswordLength).field("password"),
				AuthError::NoSession => Code::SignInRequired.into(),
				AuthError::NotHomeStaff => Code::NotHomeStaff.into(),
				AuthError::WrongDocument => Self::new(Code::WrongDocument).field("id_number"),
				AuthError::NotIndexed => Code::NotIndexed.into(),
				AuthError::Hashing(cause) => Self { cause: Some(cause), ..Code::Internal.into() },
			},
			GatewayError::Key(e) => match e {
				KeyError::NotIndexed => Code::NotIndexed.into(),
				KeyError::NotHomeStaff => Code::NotHomeStaff.into(),
				KeyError::WrongDocument => Self::new(Code::WrongDocument).field("id_number"),
				KeyError::TooManyAttempts => Code::TooManyAttempts.into(),
			},
			GatewayError::Outbox(crate::outbox::OutboxError::KeyReused { .. }) => {
				Code::KeyReused.into()
			}
			GatewayError::Outbox(crate::outbox::OutboxError::NotFound(_)) => {
				Code::OperationNotFound.into()
			}
			GatewayError::Chain(e @ crate::chain::ChainError::Unreachable { .. }) => {
				Self { cause: Some(e.to_string()), ..Code::ChainUnavailable.into() }
			}
			other => Self { cause: Some(other.to_string()), ..Code::Internal.into() },
		}
	}
}

impl From<crate::store::StoreError> for ApiError {
	fn from(e: crate::store::StoreError) -> Self {
		GatewayError::from(e).into()
	}
}

impl From<crate::chain::ChainError> for ApiError {
	fn from(e: crate::chain::ChainError) -> Self {
		GatewayError::from(e).into()
	}
}

impl From<crate::outbox::OutboxError> for ApiError {
	fn from(e: crate::outbox::OutboxError) -> Self {
		GatewayError::from(e).into()
	}
}

/// The code for a refusal made outside the handlers, by its status.
fn code_for_status(status: StatusCode) -> Code {
	match status {
		StatusCode::NOT_FOUND => Code::NotFound,
		StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
		StatusCode::REQUEST_TIMEOUT => Code::Timeout,
		StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
		StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::ContentType,
		StatusCode::TOO_MANY_REQUESTS => Code::RateLimited,
		StatusCode::UNAUTHORIZED => Code::SignInRequired,
		s if s.is_client_error() => Code::Malformed,
		_ => Code::Internal,
	}
}

fn is_json(response: &Response) -> bool {
	response
		.headers()
		.get(header::CONTENT_TYPE)
		.and_then(|v| v.to_str().ok())
		.is_some_and(|v| v.starts_with("application/json"))
}

/// Write the body of every refusal in the caller's language, with the request's id.
pub async fn render(request: Request, next: Next) -> Response {
	let lang = Lang::from_headers(request.headers());
	let request_id =
		request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
	let path = request.uri().path().to_owned();
	let mut response = next.run(request).await;
	let status = response.status();
	let error = match response.extensions_mut().remove::<ApiError>() {
		Some(error) => error,
		None if (status.is_client_error() || status.is_server_error()) && !is_json(&response) => {
			ApiError::new(code_for_status(status))
		}
		None => return response,
	};
	if error.code.status().is_server_error() {
		tracing::error!(
			request_id = request_id.as_deref().unwrap_or(""),
			%path,
			code = error.code.as_str(),
			cause = error.cause.as_deref().unwrap_or(""),
			"request failed"
		);
	}
	let body = ErrorBody {
		code: error.code.as_str(),
		message: error.code.message(lang),
		request_id,
		field: error.field,
		retry_after_s: error.retry_after_s,
		detail: error.detail,
	};
	let mut rendered = (error.code.status(), axum::Json(body)).into_response();
	if let Some(seconds) = error.retry_after_s {
		if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
			rendered.headers_mut().insert(header::RETRY_AFTER, value);
		}
	}
	for (name, value) in response.headers() {
		if name == header::SET_COOKIE || name.as_str() == "x-request-id" {
			rendered.headers_mut().append(name, value.clone());
		}
	}
	rendered
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::collections::BTreeSet;

	#[test]
	fn every_code_is_unique_and_has_words_in_both_languages() {
		let mut codes = BTreeSet::new();
		let mut zh = BTreeSet::new();
		let mut en = BTreeSet::new();
		for code in Code::ALL {
			assert!(codes.insert(code.as_str()), "{} twice", code.as_str());
			assert!(zh.insert(code.message(Lang::Zh)), "{}: zh words twice", code.as_str());
			assert!(en.insert(code.message(Lang::En)), "{}: en words twice", code.as_str());
			assert!(code.status().is_client_error() || code.status().is_server_error());
			// The zh-CN words are Chinese, not an untranslated copy.
			assert!(code.message(Lang::Zh).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
		}
	}

	#[test]
	fn docs_api_md_lists_every_code_with_its_status() {
		let doc = include_str!("../../../../docs/API.md");
		for code in Code::ALL {
			let row = format!("| `{}` | {} |", code.as_str(), code.status().as_u16());
			assert!(doc.contains(&row), "docs/API.md lacks the row {row}");
		}
		// Rows of the codes table: a code, then a three-digit status.
		let listed = doc
			.lines()
			.filter(|line| {
				let cells: Vec<&str> = line.split('|').map(str::trim).collect();
				cells.len() > 3 && cells[1].starts_with('`') && cells[2].parse::<u16>().is_ok()
			})
			.count();
		assert_eq!(listed, Code::ALL.len(), "docs/API.md lists a code the gateway does not have");
	}

	fn headers(accept: &str) -> HeaderMap {
		let mut headers = HeaderMap::new();
		headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(accept).expect("ascii"));
		headers
	}

	#[test]
	fn the_language_follows_accept_language_and_defaults_to_chinese() {
		assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::Zh);
		assert_eq!(Lang::from_headers(&headers("en-GB,en;q=0.9")), Lang::En);
		assert_eq!(Lang::from_headers(&headers("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
		assert_eq!(Lang::from_headers(&headers("fr-FR, en;q=0.5, zh;q=0.7")), Lang::Zh);
		assert_eq!(Lang::from_headers(&headers("zh;q=0, en;q=0.1")), Lang::En);
		assert_eq!(Lang::from_headers(&headers("de, fr")), Lang::Zh);
		assert_eq!(Lang::from_headers(&headers(";;,q=,en;q=abc")), Lang::En);
	}
}
