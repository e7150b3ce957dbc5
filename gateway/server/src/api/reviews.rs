//! Management review (管理审核): the branch's queue of reviews (listings sent to review,
//! disputes, large grants, reversals, policy changes, applications) and officers' votes; and the
//! queue of applications to join, which staff approve or reject. The queues are read from the
//! index by the branch's officers and by auditors; who may vote is the chain's rule (officers of
//! the branch, never a party to the subject).

// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, Input, Params},
	session::SignedIn,
	write::{reason_hash, send, Sent, WriteAnswers},
	ApiState,
};
use crate::store::{Row, StoreError, Value};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		sp_arithmetic::per_things::Percent,
		timebank_primitives::review::{ArbitrationOutcome, Decision},
	},
};
use utoipa::{IntoParams, ToSchema};

/// Which reviews to list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
	/// `open` (the default), `decided` or `all`.
	pub status: Option<String>,
	/// Reviews with a smaller id than this (the previous page's `next_before`).
	pub before: Option<u64>,
	/// At most this many (1 to 100, default 20).
	pub limit: Option<u32>,
}

/// A review in the queue.
#[derive(Serialize, ToSchema)]
pub struct Review {
	/// Its id.
	pub review: u64,
	/// `Listing`, `FundedListing`, `Dispute`, `Application`, `Grant`, `Reversal`,
	/// `PolicyChange` or `CourseRewards`.
	pub subject_kind: String,
	/// The subject's id (an account, as SS58, for an application).
	pub subject: String,
	/// Who asked for what is reviewed (SS58).
	pub requester: String,
	/// How many approvals it needs.
	pub required: u64,
	/// The votes cast so far: voter (SS58) and decision.
	pub votes: Vec<Vote>,
	/// `Approve`, `Reject` or `Arbitrate:<outcome>` once decided.
	pub decision: Option<String>,
	/// The block it was opened in.
	pub opened_block: u64,
}

/// One officer's vote.
#[derive(Serialize, ToSchema)]
pub struct Vote {
	/// The officer (SS58).
	pub voter: String,
	/// `Approve`, `Reject` or `Arbitrate:<outcome>`.
	pub decision: String,
}

/// A page of the queue, newest first.
#[derive(Serialize, ToSchema)]
pub struct Queue {
	/// The reviews.
	pub reviews: Vec<Review>,
	/// Pass as `before` for the next page; absent on the last page.
	pub next_before: Option<u64>,
}

fn subject_text(kind: &str, subject: String) -> String {
	// Applications are keyed by account, kept in hex by the index; clients see SS58.
	match (kind, subject.strip_prefix("0x").and_then(|h| hex::decode(h).ok())) {
		("Application", Some(bytes)) => {
			<[u8; 32]>::try_from(bytes.as_slice()).map(input::ss58).unwrap_or(subject)
		}
		_ => subject,
	}
}

async fn review(index: &crate::store::Db, row: &Row) -> Result<Review, StoreError> {
	let id = row.int(0)?;
	let votes = index
		.query(
			"SELECT voter, decision FROM review_votes WHERE review = $1 ORDER BY block, voter",
			vec![id.into()],
		)
		.await?
		.iter()
		.map(|v| Ok(Vote { voter: input::ss58(v.bytes32(0)?), decision: v.text(1)? }))
		.collect::<Result<Vec<_>, StoreError>>()?;
	let kind = row.text(1)?;
	Ok(Review {
		review: row.uint(0)?,
		subject: subject_text(&kind, row.text(2)?),
		subject_kind: kind,
		requester: input::ss58(row.bytes32(3)?),
		required: row.uint(4)?,
		votes,
		decision: row.opt_text(5)?,
		opened_block: row.uint(6)?,
	})
}

async fn ensure_officer_or_auditor(
	state: &ApiState,
	viewer: [u8; 32],
	branch: &str,
) -> Result<u32, ApiError> {
	let branch = u32::try_from(input::id("branch", branch)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("branch"))?;
	if !access::is_officer_or_auditor(&state.gateway, viewer, branch).await? {
		return Err(Code::NotStaff.into());
	}
	Ok(branch)
}

/// A branch's review queue (its officers and auditors).
#[utoipa::path(get, path = "/{branch}/reviews", tag = "reviews",
	params(("branch" = u32, Path, description = "The branch"), QueueFilter),
	responses(
		(status = 200, body = Queue),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn queue(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(branch): Path<String>,
	Params(filter): Params<QueueFilter>,
) -> Result<axum::Json<Queue>, ApiError> {
	let branch = ensure_officer_or_auditor(&state, session.account, &branch).await?;
	let limit = input::page_size(filter.limit)?;
	// 0: open only, 1: decided only, 2: both; one fixed statement for all three.
	let which: i64 = match filter.status.as_deref().unwrap_or("open") {
		"open" => 0,
		"decided" => 1,
		"all" => 2,
		_ => return Err(ApiError::new(Code::Malformed).field("status")),
	};
	let before = filter.before.and_then(|b| i64::try_from(b).ok()).unwrap_or(i64::MAX);
	let index = &state.gateway.index;
	let rows = index
		.query(
			"SELECT review, subject_kind, subject, requester, required, decision, opened_block \
			 FROM reviews WHERE branch = $1 AND review < $2 \
			 AND ($3 = 2 OR ($4 = 0 AND decision IS NULL) OR ($5 = 1 AND decision IS NOT NULL)) \
			 ORDER BY review DESC LIMIT $6",
			vec![
				branch.into(),
				before.into(),
				which.into(),
				which.into(),
				which.into(),
				Value::Int(i64::from(limit + 1)),
			],
		)
		.await?;
	let mut reviews = Vec::with_capacity(rows.len());
	for row in &rows {
		reviews.push(review(index, row).await?);
	}
	let (reviews, next_before) = input::paged(reviews, limit, |r| r.review);
	Ok(axum::Json(Queue { reviews, next_before }))
}

/// An officer's vote on a review.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
	/// `approve`, `reject`, or `arbitrate` (disputes only, with `outcome`).
	pub decision: String,
	/// For `arbitrate`: `reject` (the dispute is unfounded: settled as a confirmation would),
	/// `pay_provider` (everything held), `refund_receivers` (everything back) or `split`.
	pub outcome: Option<String>,
	/// For `split`: the provider's share in percent (1 to 99).
	pub provider_percent: Option<u8>,
	/// Why, in words (hashed on chain; the words stay with the branch).
	pub reason: String,
}

fn decision(ballot: &Ballot) -> Result<Decision, ApiError> {
	let bad = |field| ApiError::new(Code::Malformed).field(field);
	let outcome = match (ballot.decision.as_str(), ballot.outcome.as_deref()) {
		("approve", None) => return Ok(Decision::Approve),
		("reject", None) => return Ok(Decision::Reject),
		("arbitrate", Some(outcome)) => outcome,
		("arbitrate", None) => return Err(ApiError::new(Code::Missing).field("outcome")),
		("approve" | "reject", Some(_)) => return Err(bad("outcome")),
		_ => return Err(bad("decision")),
	};
	let share = ballot.provider_percent;
	let outcome = match (outcome, share) {
		("reject", None) => ArbitrationOutcome::Reject,
		("pay_provider", None) => ArbitrationOutcome::PayProvider,
		("refund_receivers", None) => ArbitrationOutcome::RefundReceivers,
		("split", Some(p)) if (1..=99).contains(&p) => ArbitrationOutcome::Split(Percent(p)),
		("split", _) | ("reject" | "pay_provider" | "refund_receivers", Some(_)) => {
			return Err(bad("provider_percent"))
		}
		_ => return Err(bad("outcome")),
	};
	Ok(Decision::Arbitrate(outcome))
}

/// Vote on a review (officers of its branch; `audits.vote`): enough approvals decide it.
#[utoipa::path(post, path = "/reviews/{id}/vote", tag = "reviews", request_body = Ballot,
	params(("id" = u64, Path, description = "The review"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn vote(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Ballot>,
) -> Result<Sent, ApiError> {
	let review = input::id("id", &id)?;
	let decision = decision(&body)?;
	let reason = reason_hash("reason", &body.reason)?;
	let call = timebank::tx().audits().vote(review, decision, reason);
	send(&state, session.account, &headers, &call).await
}

/// Which applications to list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApplicationFilter {
	/// `Pending` (the default), `Approved`, `Rejected` or `all`.
	pub status: Option<String>,
}

/// An application to join.
#[derive(Serialize, ToSchema)]
pub struct Application {
	/// Who applied (SS58).
	pub applicant: String,
	/// `Pending`, `Approved` or `Rejected`.
	pub status: String,
	/// The block they applied in.
	pub applied_block: u64,
	/// The block it was decided in.
	pub decided_block: Option<u64>,
}

/// The applications.
#[derive(Serialize, ToSchema)]
pub struct Applications {
	/// Oldest first (at most 200).
	pub applications: Vec<Application>,
}

/// A branch's applications to join (its officers and auditors).
#[utoipa::path(get, path = "/{branch}/applications", tag = "reviews",
	params(("branch" = u32, Path, description = "The branch"), ApplicationFilter),
	responses(
		(status = 200, body = Applications),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn applications(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(branch): Path<String>,
	Params(filter): Params<ApplicationFilter>,
) -> Result<axum::Json<Applications>, ApiError> {
	let branch = ensure_officer_or_auditor(&state, session.account, &branch).await?;
	let status = match filter.status.as_deref().unwrap_or("Pending") {
		"all" => None,
		s @ ("Pending" | "Approved" | "Rejected") => Some(s.to_owned()),
		_ => return Err(ApiError::new(Code::Malformed).field("status")),
	};
	let applications = state
		.gateway
		.index
		.query(
			"SELECT account, status, applied_block, decided_block FROM membership_applications \
			 WHERE branch = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $3) \
			 ORDER BY applied_block, account LIMIT 200",
			vec![branch.into(), status.clone().into(), status.into()],
		)
		.await?
		.iter()
		.map(|row| {
			Ok(Application {
				applicant: input::ss58(row.bytes32(0)?),
				status: row.text(1)?,
				applied_block: row.uint(2)?,
				decided_block: row.opt_uint(3)?,
			})
		})
		.collect::<Result<Vec<_>, StoreError>>()?;
	Ok(axum::Json(Applications { applications }))
}

/// Admit an applicant (staff of the branch; `registry.approve_application`).
#[utoipa::path(post, path = "/applications/{account}/approve", tag = "reviews",
	params(("account" = String, Path, description = "The applicant (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn approve_application(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
) -> Result<Sent, ApiError> {
	let applicant = AccountId32(input::account("account", &account)?);
	let call = timebank::tx().registry().approve_application(applicant);
	send(&state, session.account, &headers, &call).await
}

/// Why an application is turned down.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
	/// The reason in words (hashed on chain; up to 2,000 characters).
	pub reason: String,
}

/// Turn an applicant down (staff of the branch; `registry.reject_application`).
#[utoipa::path(post, path = "/applications/{account}/reject", tag = "reviews",
	request_body = Rejection,
	params(("account" = String, Path, description = "The applicant (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn reject_application(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Rejection>,
) -> Result<Sent, ApiError> {
	let applicant = AccountId32(input::account("account", &account)?);
	let reason = reason_hash("reason", &body.reason)?;
	let call = timebank::tx().registry().reject_application(applicant, reason);
	send(&state, session.account, &headers, &call).await
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ballot(decision: &str, outcome: Option<&str>, share: Option<u8>) -> Ballot {
		Ballot {
			decision: decision.into(),
			outcome: outcome.map(Into::into),
			provider_percent: share,
			reason: "checked".into(),
		}
	}

	#[test]
	fn ballots_name_an_outcome_only_when_arbitrating() {
		assert!(matches!(decision(&ballot("approve", None, None)), Ok(Decision::Approve)));
		assert!(matches!(
			decision(&ballot("arbitrate", Some("split"), Some(40))),
			Ok(Decision::Arbitrate(ArbitrationOutcome::Split(Percent(40))))
		));
		assert!(matches!(
			decision(&ballot("arbitrate", Some("pay_provider"), None)),
			Ok(Decision::Arbitrate(ArbitrationOutcome::PayProvider))
		));
		let field = |b: Ballot| decision(&b).err().and_then(|e| e.field);
		assert_eq!(field(ballot("approve", Some("split"), None)), Some("outcome"));
		assert_eq!(field(ballot("arbitrate", None, None)), Some("outcome"));
		assert_eq!(field(ballot("arbitrate", Some("split"), None)), Some("provider_percent"));
		assert_eq!(field(ballot("arbitrate", Some("split"), Some(100))), Some("provider_percent"));
		assert_eq!(
			field(ballot("arbitrate", Some("pay_provider"), Some(5))),
			Some("provider_percent")
		);
		assert_eq!(field(ballot("arbitrate", Some("coin_toss"), None)), Some("outcome"));
		assert_eq!(field(ballot("abstain", None, None)), Some("decision"));
	}

	#[test]
	fn application_subjects_read_as_ss58() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let bytes = input::parse_account(alice).expect("Alice");
		let hex = format!("0x{}", hex::encode(bytes));
		assert_eq!(subject_text("Application", hex.clone()), alice);
		assert_eq!(subject_text("Listing", "7".into()), "7");
		assert_eq!(subject_text("Application", "0x12".into()), "0x12");
	}
}
