//! Branch admins: officers, grants, reversals, the service catalogue and the review policy.
//! Each is a call the admin signs; the chain checks the office (and sends large grants,
//! reversals and policy changes to review when the branch's review policy asks for it).

use super::{
	error::{ApiError, Code},
	input::{self, Input},
	session::SignedIn,
	write::{minutes, path_branch, reason_hash, send, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::Deserialize;
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_activities::types::Category,
		pallet_timebank_audits::pallet::ReviewPolicy,
		timebank_primitives::{
			activities::RiskLevel, ledger::ReversalReason, membership::OfficerRole,
		},
	},
};
use utoipa::ToSchema;

/// An officer to appoint.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
	/// The member to appoint (SS58).
	pub account: String,
	/// `staff` or `admin`.
	pub role: String,
}

/// Appoint an officer of the branch (its admins; a new admin waits for a second admin's
/// confirmation on chain).
#[utoipa::path(post, path = "/{branch}/officers", tag = "branch admin", request_body = Appointment,
	params(("branch" = u32, Path, description = "The branch"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn appoint_officer(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(branch): Path<String>,
	Input(body): Input<Appointment>,
) -> Result<Sent, ApiError> {
	let branch = path_branch(&branch)?;
	let who = AccountId32(input::account("account", &body.account)?);
	let role = match body.role.as_str() {
		"staff" => OfficerRole::Staff,
		"admin" => OfficerRole::Admin,
		_ => return Err(ApiError::new(Code::Malformed).field("role")),
	};
	let call = timebank::tx().registry().appoint_officer(branch, who, role);
	send(&state, session.account, &headers, &call).await
}

/// Remove an officer (the branch's admins).
#[utoipa::path(post, path = "/{branch}/officers/{account}/remove", tag = "branch admin",
	params(("branch" = u32, Path, description = "The branch"),
		("account" = String, Path, description = "The officer (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn remove_officer(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path((branch, account)): Path<(String, String)>,
) -> Result<Sent, ApiError> {
	let branch = path_branch(&branch)?;
	let who = AccountId32(input::account("account", &account)?);
	let call = timebank::tx().registry().remove_officer(branch, who);
	send(&state, session.account, &headers, &call).await
}

/// A grant of minutes from the branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Grant {
	/// The member (SS58), of the admin's branch.
	pub to: String,
	/// How many minutes.
	pub minutes: u64,
	/// Why, in words (hashed on chain as the memo; the words stay with the branch).
	pub justification: String,
}

/// Grant minutes to a member (`ledger.grant`); above the branch's threshold it waits for review.
#[utoipa::path(post, path = "/grants", tag = "branch admin", request_body = Grant,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn grant(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Grant>,
) -> Result<Sent, ApiError> {
	let to = AccountId32(input::account("to", &body.to)?);
	let memo = reason_hash("justification", &body.justification)?;
	let call = timebank::tx().ledger().grant(to, minutes("minutes", body.minutes)?, memo);
	send(&state, session.account, &headers, &call).await
}

/// A reversal of a ledger operation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reversal {
	/// `entered_in_error`, `duplicate`, `fraud`, `audit_decision` or `other`.
	pub reason: String,
	/// What happened, in words (hashed on chain; the words stay with the branch).
	pub memo: String,
}

/// Reverse a ledger operation with equal and opposite entries (`ledger.reverse`; nothing is
/// erased).
#[utoipa::path(post, path = "/ledger-operations/{id}/reverse", tag = "branch admin",
	request_body = Reversal,
	params(("id" = u64, Path, description = "The ledger operation"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn reverse(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Reversal>,
) -> Result<Sent, ApiError> {
	let operation = input::id("id", &id)?;
	let reason = match body.reason.as_str() {
		"entered_in_error" => ReversalReason::EnteredInError,
		"duplicate" => ReversalReason::Duplicate,
		"fraud" => ReversalReason::Fraud,
		"audit_decision" => ReversalReason::AuditDecision,
		"other" => ReversalReason::Other,
		_ => return Err(ApiError::new(Code::Malformed).field("reason")),
	};
	let memo = reason_hash("memo", &body.memo)?;
	let call = timebank::tx().ledger().reverse(operation, reason, memo);
	send(&state, session.account, &headers, &call).await
}

/// A category of the branch's service catalogue.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
	/// `low`, `medium` or `high`: high-risk services (bathing, medication) are reviewed before
	/// they open.
	pub risk: String,
	/// The skill a volunteer must be certified for, if any.
	pub required_skill: Option<u32>,
	/// Whether new listings may use it.
	pub active: bool,
}

/// Add or change a category of the branch's catalogue (`activities.set_category`).
#[utoipa::path(put, path = "/{branch}/categories/{category}", tag = "branch admin",
	request_body = CategoryBody,
	params(("branch" = u32, Path, description = "The branch"),
		("category" = u16, Path, description = "The category"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_category(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path((branch, category)): Path<(String, String)>,
	Input(body): Input<CategoryBody>,
) -> Result<Sent, ApiError> {
	let branch = path_branch(&branch)?;
	let category = u16::try_from(input::id("category", &category)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("category"))?;
	let risk = match body.risk.as_str() {
		"low" => RiskLevel::Low,
		"medium" => RiskLevel::Medium,
		"high" => RiskLevel::High,
		_ => return Err(ApiError::new(Code::Malformed).field("risk")),
	};
	let entry = Category { risk, required_skill: body.required_skill, active: body.active };
	let call = timebank::tx().activities().set_category(branch, category, Some(entry));
	send(&state, session.account, &headers, &call).await
}

/// How many officers must approve what, in the branch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicyBody {
	/// A listing sent to review (1 or 2).
	pub listing_approvals: u8,
	/// A dispute's arbitration (1 or 2).
	pub dispute_approvals: u8,
	/// A membership application (0: staff decide alone).
	pub application_approvals: u8,
	/// A large grant (0: not reviewed).
	pub grant_approvals: u8,
	/// Grants of at least this many minutes are large.
	pub large_grant_from: u64,
	/// A reversal (0: not reviewed).
	pub reversal_approvals: u8,
	/// A ledger policy change (0: not reviewed).
	pub policy_change_approvals: u8,
}

/// Set the branch's review policy (`audits.set_review_policy`; weakening it needs the council).
#[utoipa::path(put, path = "/{branch}/review-policy", tag = "branch admin",
	request_body = ReviewPolicyBody,
	params(("branch" = u32, Path, description = "The branch"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_review_policy(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(branch): Path<String>,
	Input(body): Input<ReviewPolicyBody>,
) -> Result<Sent, ApiError> {
	let branch = path_branch(&branch)?;
	let one_or_two = |value: u8, field| {
		if (1..=2).contains(&value) {
			Ok(value)
		} else {
			Err(ApiError::new(Code::Malformed).field(field))
		}
	};
	let policy = ReviewPolicy {
		listing_approvals: one_or_two(body.listing_approvals, "listing_approvals")?,
		dispute_approvals: one_or_two(body.dispute_approvals, "dispute_approvals")?,
		application_approvals: body.application_approvals,
		grant_approvals: body.grant_approvals,
		large_grant_from: body.large_grant_from,
		reversal_approvals: body.reversal_approvals,
		policy_change_approvals: body.policy_change_approvals,
	};
	let call = timebank::tx().audits().set_review_policy(branch, policy);
	send(&state, session.account, &headers, &call).await
}
