//! Choosing the branches that run validators (DPoS-style): members vote for a candidate branch;
//! branch admins propose their branch's validator, withdraw it, or declare it back online. The
//! candidates and their votes are read from the index.

use super::{
	error::{ApiError, ErrorBody},
	input::{self, Input},
	session::SignedIn,
	write::{path_branch, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use crate::store::StoreError;
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank;
use utoipa::ToSchema;

/// A candidate branch.
#[derive(Serialize, ToSchema)]
pub struct Candidate {
	/// The branch.
	pub branch: u64,
	/// Its validator account (SS58).
	pub validator: String,
	/// `Proposed` (waiting for the council) or `Approved`.
	pub status: String,
	/// Members' votes for it.
	pub votes: u64,
}

/// The candidates, and the caller's vote.
#[derive(Serialize, ToSchema)]
pub struct Candidates {
	/// By branch.
	pub candidates: Vec<Candidate>,
	/// The branch the caller votes for.
	pub my_vote: Option<u64>,
}

/// The candidate branches with their votes, and whom the caller votes for.
#[utoipa::path(get, path = "/candidates", tag = "election",
	responses(
		(status = 200, body = Candidates),
		(status = 401, description = "auth.required", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn candidates(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
) -> Result<axum::Json<Candidates>, ApiError> {
	let index = &state.gateway.index;
	let candidates = index
		.query(
			"SELECT c.branch, c.validator, c.status, \
			 (SELECT COUNT(*) FROM validator_votes v WHERE v.branch = c.branch) \
			 FROM validator_candidates c ORDER BY c.branch",
			vec![],
		)
		.await?
		.iter()
		.map(|row| {
			Ok(Candidate {
				branch: row.uint(0)?,
				validator: input::ss58(row.bytes32(1)?),
				status: row.text(2)?,
				votes: row.uint(3)?,
			})
		})
		.collect::<Result<Vec<_>, StoreError>>()?;
	let my_vote = index
		.query_one(
			"SELECT branch FROM validator_votes WHERE voter = $1",
			vec![session.account.into()],
		)
		.await?
		.map(|row| row.uint(0))
		.transpose()?;
	Ok(axum::Json(Candidates { candidates, my_vote }))
}

/// The branch voted for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
	/// An approved candidate branch.
	pub branch: u32,
}

/// Vote for a candidate branch (`election.vote`; a new vote replaces the old).
#[utoipa::path(put, path = "/vote", tag = "election", request_body = Ballot,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn vote(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Ballot>,
) -> Result<Sent, ApiError> {
	let call = timebank::tx().election().vote(body.branch);
	send(&state, session.account, &headers, &call).await
}

/// Withdraw the caller's vote (`election.unvote`).
#[utoipa::path(post, path = "/vote/withdraw", tag = "election",
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn unvote(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
) -> Result<Sent, ApiError> {
	let call = timebank::tx().election().unvote();
	send(&state, session.account, &headers, &call).await
}

/// A branch's validator.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidacy {
	/// The validator's account (SS58), whose session keys the branch's node holds.
	pub validator: String,
}

/// Propose the branch as a validator candidate (its admins; the council approves).
#[utoipa::path(post, path = "/{branch}/candidacy", tag = "election",
	request_body = Candidacy,
	params(("branch" = u32, Path, description = "The branch"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn propose_candidate(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(branch): Path<String>,
	Input(body): Input<Candidacy>,
) -> Result<Sent, ApiError> {
	let branch = path_branch(&branch)?;
	let validator = AccountId32(input::account("validator", &body.validator)?);
	let call = timebank::tx().election().propose_candidate(branch, validator);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	withdraw_candidate, "election", "/{branch}/candidacy/withdraw",
	"Withdraw the branch's candidacy (its admins).",
	"branch": u32 = "The branch",
	branch = path_branch => timebank::tx().election().withdraw_candidate(branch)
);
write_by_path!(
	declare_online, "election", "/{branch}/candidacy/online",
	"Declare the branch's validator back online after it was excluded for missed sessions.",
	"branch": u32 = "The branch",
	branch = path_branch => timebank::tx().election().declare_online(branch)
);
