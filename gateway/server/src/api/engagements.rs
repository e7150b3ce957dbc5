//! Reading services from the index: who applied to a listing, and a member's engagements (as the
//! volunteer or as a receiver), for "my services" and "things to confirm".

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, ss58},
	session::SignedIn,
	ApiState,
};
use crate::store::StoreError;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

/// The most engagements one answer lists (the newest).
pub const MAX_ENGAGEMENTS: i64 = 100;

/// One application to a listing.
#[derive(Serialize, ToSchema)]
pub struct Application {
	/// The applicant (SS58).
	pub applicant: String,
	/// `Pending`, `Accepted`, `Withdrawn`, …
	pub status: String,
	/// The finalised block of the application.
	pub applied_block: u64,
}

/// The applications to a listing, oldest first.
#[derive(Serialize, ToSchema)]
pub struct Applications {
	/// The listing.
	pub listing: u64,
	/// The applications.
	pub applications: Vec<Application>,
}

/// Who applied to a listing (applications are public on chain).
#[utoipa::path(get, path = "/{id}/applications", tag = "listings",
	params(("id" = u64, Path, description = "The listing")),
	responses(
		(status = 200, body = Applications),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn applications(
	State(state): State<ApiState>,
	SignedIn(_session): SignedIn,
	Path(id): Path<String>,
) -> Result<axum::Json<Applications>, ApiError> {
	let listing = input::id("id", &id)?;
	let rows = state
		.gateway
		.index
		.query(
			"SELECT applicant, status, applied_block FROM listing_applications \
			 WHERE listing = $1 ORDER BY applied_block, applicant",
			vec![i64::try_from(listing).unwrap_or(i64::MAX).into()],
		)
		.await?;
	let applications = rows
		.iter()
		.map(|row| {
			Ok(Application {
				applicant: ss58(row.bytes32(0)?),
				status: row.text(1)?,
				applied_block: row.opt_uint(2)?.unwrap_or(0),
			})
		})
		.collect::<Result<Vec<_>, StoreError>>()?;
	Ok(axum::Json(Applications { listing, applications }))
}

/// One engagement: a service from acceptance to settlement.
#[derive(Serialize, ToSchema)]
pub struct Engagement {
	/// Its id.
	pub engagement: u64,
	/// The listing it came from.
	pub listing: u64,
	/// `provider` (the member gives the service) or `receiver` (the member receives it).
	pub role: String,
	/// The volunteer (SS58).
	pub provider: String,
	/// `Accepted`, `CheckedIn`, `CheckedOut`, `Disputed`, `Settled`, `Cancelled`, …
	pub status: String,
	/// Check-in time, ms since 1970.
	pub checked_in_at_ms: Option<u64>,
	/// Check-out time, ms since 1970.
	pub checked_out_at_ms: Option<u64>,
	/// The minutes measured between check-in and check-out.
	pub measured_minutes: Option<i64>,
	/// The minutes paid at settlement.
	pub settled_minutes: Option<i64>,
}

/// A member's engagements, newest first.
#[derive(Serialize, ToSchema)]
pub struct Engagements {
	/// The member (SS58).
	pub account: String,
	/// At most 100, newest first.
	pub engagements: Vec<Engagement>,
}

/// A member's services, as the volunteer and as a receiver, newest first.
///
/// The member, their active family proxies, officers of their home branch and auditors may read
/// them.
#[utoipa::path(get, path = "/{account}/engagements", tag = "members",
	params(("account" = String, Path, description = "The member's account (SS58)")),
	responses(
		(status = 200, body = Engagements),
		(status = 400, description = "input.account", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not yours to see)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn engagements(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
) -> Result<axum::Json<Engagements>, ApiError> {
	let member = input::account("account", &account)?;
	let gateway = &state.gateway;
	if !access::may_view_member(gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let rows = gateway
		.index
		.query(
			"SELECT engagement, listing, 'provider', provider, status, checked_in_at, \
			 checked_out_at, measured_minutes, settled_minutes FROM engagements WHERE provider = $1 \
			 UNION ALL \
			 SELECT e.engagement, e.listing, 'receiver', e.provider, e.status, e.checked_in_at, \
			 e.checked_out_at, e.measured_minutes, e.settled_minutes FROM engagements e \
			 JOIN engagement_receivers r ON r.engagement = e.engagement WHERE r.receiver = $2 \
			 ORDER BY 1 DESC LIMIT $3",
			vec![member.into(), member.into(), MAX_ENGAGEMENTS.into()],
		)
		.await?;
	let engagements = rows
		.iter()
		.map(|row| {
			Ok(Engagement {
				engagement: row.opt_uint(0)?.unwrap_or(0),
				listing: row.opt_uint(1)?.unwrap_or(0),
				role: row.text(2)?,
				provider: ss58(row.bytes32(3)?),
				status: row.text(4)?,
				checked_in_at_ms: row.opt_uint(5)?,
				checked_out_at_ms: row.opt_uint(6)?,
				measured_minutes: row.opt_int(7)?,
				settled_minutes: row.opt_int(8)?,
			})
		})
		.collect::<Result<Vec<_>, StoreError>>()?;
	Ok(axum::Json(Engagements { account: ss58(member), engagements }))
}
