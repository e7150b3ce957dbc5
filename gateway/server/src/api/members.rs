//! `/api/v1/members`: staff at the counter register members (most elders have no smartphone)
//! and reset passwords after checking the member's identity document in person.

use super::{
	error::{ApiError, Code, ErrorBody},
	input::{self, ss58, Input},
	session::SignedIn,
	ApiState,
};
use crate::members::{PersonalData, Roles};
use axum::{
	extract::{Path, State},
	http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

/// What a new member will do.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RolesBody {
	/// Gives services.
	pub volunteer: bool,
	/// Receives services.
	pub recipient: bool,
	/// Acts for a family member.
	pub family_proxy: bool,
}

/// A person's details as staff enter them at the counter. None of it goes on chain: the chain
/// gets the new account and a salted commitment to the document.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
	/// The branch the member joins; the officer must hold office there.
	pub branch: u32,
	/// The legal name, as on the document.
	#[schema(example = "王秀英")]
	pub name: String,
	/// A phone number, if the member has one (needed to sign in by phone).
	pub phone: Option<String>,
	/// The document type, e.g. `resident-id`.
	#[schema(example = "resident-id")]
	pub id_type: String,
	/// The document's number.
	pub id_number: String,
	/// A postal address.
	pub address: Option<String>,
	/// The birth date, `YYYY-MM-DD`.
	pub birth_date: Option<String>,
	/// What the member will do; at least one.
	pub roles: RolesBody,
	/// A first password the member chose at the counter (8 to 128 characters), if any.
	pub password: Option<String>,
}

/// A registration under way.
#[derive(Serialize, ToSchema)]
pub struct Registered {
	/// The member's new account (SS58).
	pub account: String,
	/// The operation that registers it on chain: follow it at `/api/v1/operations/{id}`.
	pub operation: i64,
}

/// A password set at the counter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
	/// The member's document number, typed again from the document the officer holds.
	pub id_number: String,
	/// The new password (8 to 128 characters).
	pub password: String,
}

/// Register a member at the counter (staff of the branch).
///
/// The gateway makes the member's key and seals the personal data in its vault; the chain
/// receives the account and a salted commitment, signed by the officer. Send an
/// `Idempotency-Key` header: a retried request then registers nobody twice.
#[utoipa::path(post, path = "", tag = "members", request_body = Registration,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(
		(status = 202, description = "The registration is on its way to the chain", body = Registered),
		(status = 400, description = "input.*", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff, auth.csrf", body = ErrorBody),
		(status = 409, description = "idempotency.key_reused", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn register(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Registration>,
) -> Result<(StatusCode, axum::Json<Registered>), ApiError> {
	let key = input::idempotency_key(&headers)?;
	let roles = Roles {
		volunteer: body.roles.volunteer,
		recipient: body.roles.recipient,
		family_proxy: body.roles.family_proxy,
	};
	if roles == Roles::default() {
		return Err(ApiError::new(Code::Roles).field("roles"));
	}
	let password = body.password.map(Zeroizing::new);
	if password.as_ref().is_some_and(|p| !crate::auth::PASSWORD_CHARS.contains(&p.chars().count()))
	{
		return Err(ApiError::new(Code::PasswordLength).field("password"));
	}
	let officer = session.account;
	if !state.gateway.holds_office_in(officer, body.branch).await? {
		return Err(Code::NotStaff.into());
	}
	let person = PersonalData {
		name: body.name,
		phone: body.phone,
		id_type: body.id_type,
		id_number: body.id_number,
		address: body.address,
		birth_date: body.birth_date,
	};
	let scope = format!("register-member:{}", ss58(officer));
	let request = key.as_deref().map(|k| (scope.as_str(), k));
	let registration =
		state.gateway.register_member(officer, body.branch, roles, &person, request).await?;
	if let Some(password) = password {
		state.gateway.store_password(registration.account, password, officer).await?;
	}
	Ok((
		StatusCode::ACCEPTED,
		axum::Json(Registered {
			account: ss58(registration.account),
			operation: registration.operation,
		}),
	))
}

/// Set a member's password at the counter, after checking their identity document.
///
/// Only staff of the member's home branch may; the document number is typed again and must be
/// the registered one. Ends the member's sessions and lifts a lock. Audited.
#[utoipa::path(put, path = "/{account}/password", tag = "members", request_body = PasswordReset,
	params(("account" = String, Path, description = "The member's account (SS58)")),
	responses(
		(status = 204, description = "The password is set"),
		(status = 400, description = "input.account, input.password_length, input.id_number", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_home_staff, auth.wrong_document, auth.csrf", body = ErrorBody),
		(status = 409, description = "member.not_final", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn reset_password(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
	Input(body): Input<PasswordReset>,
) -> Result<StatusCode, ApiError> {
	let member = input::account("account", &account)?;
	state
		.gateway
		.reset_password(session.account, member, &body.id_number, Zeroizing::new(body.password))
		.await?;
	Ok(StatusCode::NO_CONTENT)
}
