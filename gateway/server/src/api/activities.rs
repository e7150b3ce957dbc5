//! Services: asking for help (or offering it), applying, accepting a volunteer, checking in and
//! out, confirming, disputing, rating, cancelling. Each is one call the gateway signs with the
//! caller's own key and sends through the outbox; the answer is `202` with the operation to
//! follow. Whether the caller may do it is the chain's rule (a proxy only within the permissions
//! the member gave, staff for their branch's members): the outbox's dry run refuses early with the
//! chain's own reason, kept on the operation (`GET /api/v1/operations/{id}`).

use super::{
	error::{ApiError, Code},
	input::{self, Input},
	session::SignedIn,
	write::{path_id, reason_hash, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::Deserialize;
use subxt::utils::{AccountId32, H256};
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_activities::types::{Funding, ListingDraft},
		timebank_primitives::activities::ListingKind,
	},
};
use utoipa::ToSchema;

/// A request for help or an offer of it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
	/// `request` (asking for help) or `offer` (offering it).
	#[schema(example = "request")]
	pub kind: String,
	/// The branch it is published in.
	pub branch: u32,
	/// The category in the branch's catalogue.
	pub category: u16,
	/// The slot's start, ms since 1970.
	pub slot_start_ms: u64,
	/// The slot's end, ms since 1970.
	pub slot_end_ms: u64,
	/// A coarse place code (a community or street), never an address.
	pub area: u32,
	/// The minutes the service should take.
	pub estimated_minutes: u64,
	/// The trust level volunteers need [default: 0].
	#[serde(default)]
	pub min_trust: u8,
	/// How many people it takes [default: 1].
	#[serde(default = "one")]
	pub max_participants: u32,
	/// Who pays: `own` (the member's credits, the default), `branch_pool` or `branch_grant`
	/// (staff, for a redemption-eligible elder).
	#[serde(default)]
	pub funding: Option<String>,
	/// The member it is for, when a proxy or staff publish for them (SS58).
	pub on_behalf_of: Option<String>,
}

fn one() -> u32 {
	1
}

fn draft(body: &Publish) -> Result<ListingDraft, ApiError> {
	let bad = |field| ApiError::new(Code::Malformed).field(field);
	let kind = match body.kind.as_str() {
		"request" => ListingKind::Request,
		"offer" => ListingKind::Offer,
		_ => return Err(bad("kind")),
	};
	let funding = match body.funding.as_deref().unwrap_or("own") {
		"own" => Funding::Own,
		"branch_pool" => Funding::BranchPool,
		"branch_grant" => Funding::BranchGrant,
		_ => return Err(bad("funding")),
	};
	if body.slot_end_ms <= body.slot_start_ms {
		return Err(bad("slot_end_ms"));
	}
	if body.estimated_minutes == 0 {
		return Err(bad("estimated_minutes"));
	}
	if body.max_participants == 0 {
		return Err(bad("max_participants"));
	}
	Ok(ListingDraft {
		kind,
		branch: body.branch,
		category: body.category,
		slot_start: body.slot_start_ms,
		slot_end: body.slot_end_ms,
		area: body.area,
		estimated_minutes: body.estimated_minutes,
		min_trust: body.min_trust,
		max_participants: body.max_participants,
		funding,
		details_hash: H256::zero(),
	})
}

/// Ask for help, or offer it (`activities.publish`).
///
/// A member publishes for themself; a family proxy with `request_services`, or staff of the
/// member's branch, publish for the member named in `on_behalf_of`.
#[utoipa::path(post, path = "", tag = "listings", request_body = Publish,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn publish(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Publish>,
) -> Result<Sent, ApiError> {
	let owner = body
		.on_behalf_of
		.as_deref()
		.map(|text| input::account("on_behalf_of", text).map(AccountId32))
		.transpose()?;
	let call = timebank::tx().activities().publish(draft(&body)?, owner);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	apply, "listings", "/{id}/apply", "Apply to help with a request (volunteers).",
	"id": u64 = "The listing",
	listing = path_id => timebank::tx().activities().apply(listing)
);
write_by_path!(
	withdraw, "listings", "/{id}/withdraw", "Withdraw an application before it is accepted.",
	"id": u64 = "The listing",
	listing = path_id => timebank::tx().activities().withdraw_application(listing)
);
write_by_path!(
	cancel_listing, "listings", "/{id}/cancel",
	"Cancel a listing (its owner, a proxy, or staff); what it held is returned.",
	"id": u64 = "The listing",
	listing = path_id => timebank::tx().activities().cancel_listing(listing)
);

/// The applicant to accept.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
	/// The applicant (SS58).
	pub applicant: String,
}

/// Accept an applicant (the owner, a proxy with `request_services`, or staff): an engagement
/// begins and the estimated minutes are held in escrow.
#[utoipa::path(post, path = "/{id}/accept", tag = "listings", request_body = Accept,
	params(("id" = u64, Path, description = "The listing"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn accept(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Accept>,
) -> Result<Sent, ApiError> {
	let listing = input::id("id", &id)?;
	let applicant = input::account("applicant", &body.applicant)?;
	let call = timebank::tx().activities().accept(listing, AccountId32(applicant));
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	check_in, "engagements", "/{id}/check-in",
	"Check in at the service (the volunteer; staff need no code). Branches that require the \
	 receiver's QR code take it in a later version of this endpoint.",
	"id": u64 = "The engagement",
	engagement = path_id => timebank::tx().activities().check_in(engagement, None)
);
write_by_path!(
	check_out, "engagements", "/{id}/check-out",
	"Check out when the service ends (the volunteer, or staff): the measured minutes wait for \
	 the receiver's confirmation.",
	"id": u64 = "The engagement",
	engagement = path_id => timebank::tx().activities().check_out(engagement)
);
write_by_path!(
	confirm, "engagements", "/{id}/confirm",
	"Confirm the service (the receiver, a proxy with `confirm_services`, or staff): the volunteer \
	 is paid from escrow.",
	"id": u64 = "The engagement",
	engagement = path_id => timebank::tx().activities().confirm(engagement)
);
write_by_path!(
	cancel_engagement, "engagements", "/{id}/cancel",
	"Cancel an engagement before it starts (or withdraw from a group service).",
	"id": u64 = "The engagement",
	engagement = path_id => timebank::tx().activities().cancel_engagement(engagement)
);

/// Why the service is disputed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
	/// The reason in words (up to 2,000 characters). Only its hash goes on chain; the gateway
	/// does not keep the words yet (a later increment of issue 18 stores them for the reviewers).
	pub reason: String,
}

/// Dispute a service instead of confirming it: branch staff review it.
#[utoipa::path(post, path = "/{id}/dispute", tag = "engagements", request_body = Dispute,
	params(("id" = u64, Path, description = "The engagement"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn dispute(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Dispute>,
) -> Result<Sent, ApiError> {
	let engagement = input::id("id", &id)?;
	let hash = reason_hash("reason", &body.reason)?;
	let call = timebank::tx().activities().dispute(engagement, hash);
	send(&state, session.account, &headers, &call).await
}

/// Stars for the other side of a service.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rate {
	/// Who is rated (SS58).
	pub ratee: String,
	/// 1 to 5.
	pub stars: u8,
}

/// Rate the other side of a settled service.
#[utoipa::path(post, path = "/{id}/rate", tag = "engagements", request_body = Rate,
	params(("id" = u64, Path, description = "The engagement"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn rate(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Rate>,
) -> Result<Sent, ApiError> {
	let engagement = input::id("id", &id)?;
	let ratee = input::account("ratee", &body.ratee)?;
	if !(1..=5).contains(&body.stars) {
		return Err(ApiError::new(Code::Malformed).field("stars"));
	}
	let call = timebank::tx().activities().rate(engagement, AccountId32(ratee), body.stars);
	send(&state, session.account, &headers, &call).await
}
