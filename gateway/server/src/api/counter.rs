//! Staff at the counter, for a member already registered: roles, status, redemption eligibility
//! and estates. Each is a call staff sign with their own key; the chain checks that they are
//! officers of the member's home branch (and, for an estate, that a second officer approves).

use super::{
	error::{ApiError, Code},
	input::Input,
	members::RolesBody,
	session::SignedIn,
	write::{path_account, reason_hash, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::Deserialize;
use timebank_chain_api::timebank::{
	self,
	runtime_types::timebank_primitives::membership::{MemberRoles, MemberStatus},
};
use utoipa::ToSchema;

/// Change what a member does (`registry.set_member_roles`).
#[utoipa::path(put, path = "/{account}/roles", tag = "members", request_body = RolesBody,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_roles(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(roles): Input<RolesBody>,
) -> Result<Sent, ApiError> {
	if !(roles.volunteer || roles.recipient || roles.family_proxy) {
		return Err(ApiError::new(Code::Roles).field("roles"));
	}
	let roles = MemberRoles {
		volunteer: roles.volunteer,
		recipient: roles.recipient,
		family_proxy: roles.family_proxy,
	};
	let call = timebank::tx().registry().set_member_roles(path_account(&account)?, roles);
	send(&state, session.account, &headers, &call).await
}

/// A member's new status.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
	/// `active` or `suspended` (leaving and death have their own steps).
	pub status: String,
}

/// Suspend a member or make them active again (`registry.set_member_status`).
#[utoipa::path(put, path = "/{account}/status", tag = "members", request_body = Status,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_status(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Status>,
) -> Result<Sent, ApiError> {
	let status = match body.status.as_str() {
		"active" => MemberStatus::Active,
		"suspended" => MemberStatus::Suspended,
		_ => return Err(ApiError::new(Code::Malformed).field("status")),
	};
	let call = timebank::tx().registry().set_member_status(path_account(&account)?, status);
	send(&state, session.account, &headers, &call).await
}

/// Whether a member may receive services paid by the branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
	/// Eligible for services paid from the branch's pool or grants.
	pub eligible: bool,
	/// What staff checked (an assessment's number, a certificate): hashed, the words stay in
	/// the branch's files.
	pub evidence: String,
}

/// Record whether a member is eligible for branch-paid services
/// (`registry.set_redemption_eligibility`).
#[utoipa::path(put, path = "/{account}/eligibility", tag = "members", request_body = Eligibility,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_eligibility(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Eligibility>,
) -> Result<Sent, ApiError> {
	let evidence = reason_hash("evidence", &body.evidence)?;
	let call = timebank::tx().registry().set_redemption_eligibility(
		path_account(&account)?,
		body.eligible,
		evidence,
	);
	send(&state, session.account, &headers, &call).await
}

/// The death documentation staff saw.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
	/// The certificate's number or the document's description (hashed; the words stay in the
	/// branch's files).
	pub evidence: String,
}

/// Open a deceased member's estate (`ledger.open_estate`): the time will (or the rules) is
/// carried out when a second officer approves.
#[utoipa::path(post, path = "/{account}/estate", tag = "members", request_body = Evidence,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn open_estate(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Evidence>,
) -> Result<Sent, ApiError> {
	let evidence = reason_hash("evidence", &body.evidence)?;
	let call = timebank::tx().ledger().open_estate(path_account(&account)?, evidence);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	approve_estate, "members", "/{account}/estate/approve",
	"Approve an open estate (an officer other than the one who opened it): the credits pass to \
	 the will's beneficiaries.",
	"account": String = "The member (SS58)",
	member = path_account => timebank::tx().ledger().approve_estate(member)
);
write_by_path!(
	cancel_estate, "members", "/{account}/estate/cancel",
	"Cancel an estate opened in error.",
	"account": String = "The member (SS58)",
	member = path_account => timebank::tx().ledger().cancel_estate(member)
);
