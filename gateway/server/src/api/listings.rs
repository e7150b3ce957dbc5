//! `/api/v1/listings`: requests for help and offers, searched in the index of finalised blocks
//! (volunteers look for work by branch, category, date and area).
// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	error::{ApiError, Code, ErrorBody},
	input::{self, ss58, Params},
	session::SignedIn,
	ApiState,
};
use crate::store::{Row, StoreError, Value};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The search. Every filter is optional; together they narrow.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct Search {
	/// The branch it is published in.
	pub branch: Option<u32>,
	/// The category in the branch's catalogue.
	pub category: Option<u32>,
	/// `Request` or `Offer`.
	pub kind: Option<String>,
	/// `Open` (the default), `InReview`, `Rejected`, `Cancelled`, `Expired`, `Closed`.
	pub status: Option<String>,
	/// The area code.
	pub area: Option<u32>,
	/// Slots starting at or after this time (ms since 1970).
	pub starts_from_ms: Option<u64>,
	/// Slots starting before this time (ms since 1970).
	pub starts_before_ms: Option<u64>,
	/// Listings with a smaller id than this (the previous page's `next_before`).
	pub before: Option<u64>,
	/// Listings on the page, 1 to 100 [default: 20].
	pub limit: Option<u32>,
}

/// A listing as the index has it.
#[derive(Serialize, ToSchema)]
pub struct Listing {
	/// Its id.
	pub listing: u64,
	/// `Request` or `Offer`.
	pub kind: String,
	/// The branch.
	pub branch: u32,
	/// The member it is for (SS58): the receiver of a request, the provider of an offer.
	pub owner: String,
	/// `Open`, `InReview`, `Rejected`, `Cancelled`, `Expired` or `Closed`.
	pub status: String,
	/// The category.
	pub category: Option<u32>,
	/// The slot's start, ms since 1970.
	pub slot_start_ms: Option<u64>,
	/// The slot's end, ms since 1970.
	pub slot_end_ms: Option<u64>,
	/// A coarse place code (a community or street), never an address.
	pub area: Option<u32>,
	/// The minutes the owner expects.
	pub estimated_minutes: Option<i64>,
	/// The trust level applicants need.
	pub min_trust: Option<i64>,
	/// How many people it takes.
	pub max_participants: Option<i64>,
	/// The finalised block it was published in.
	pub published_block: u64,
}

/// A page of listings, newest first.
#[derive(Serialize, ToSchema)]
pub struct ListingPage {
	/// The listings.
	pub listings: Vec<Listing>,
	/// Pass as `before` for the next page; absent on the last page.
	pub next_before: Option<u64>,
}

const KINDS: [&str; 2] = ["Request", "Offer"];
const STATUSES: [&str; 6] = ["Open", "InReview", "Rejected", "Cancelled", "Expired", "Closed"];

fn listing(row: &Row) -> Result<Listing, StoreError> {
	Ok(Listing {
		listing: row.opt_uint(0)?.unwrap_or(0),
		kind: row.text(1)?,
		branch: u32::try_from(row.int(2)?).unwrap_or(u32::MAX),
		owner: ss58(row.bytes32(3)?),
		status: row.text(4)?,
		category: row.opt_int(5)?.and_then(|v| u32::try_from(v).ok()),
		slot_start_ms: row.opt_uint(6)?,
		slot_end_ms: row.opt_uint(7)?,
		area: row.opt_int(8)?.and_then(|v| u32::try_from(v).ok()),
		estimated_minutes: row.opt_int(9)?,
		min_trust: row.opt_int(10)?,
		max_participants: row.opt_int(11)?,
		published_block: row.opt_uint(12)?.unwrap_or(0),
	})
}

fn int(value: Option<u64>, default: i64) -> Value {
	Value::Int(value.and_then(|v| i64::try_from(v).ok()).unwrap_or(default))
}

/// Search listings. A filter left out matches everything; `status` defaults to `Open`.
#[utoipa::path(get, path = "", tag = "listings",
	params(Search),
	responses(
		(status = 200, body = ListingPage),
		(status = 400, description = "input.malformed (with the field)", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn search(
	State(state): State<ApiState>,
	SignedIn(_session): SignedIn,
	Params(search): Params<Search>,
) -> Result<axum::Json<ListingPage>, ApiError> {
	let limit = input::page_size(search.limit)?;
	let status = search.status.as_deref().unwrap_or("Open");
	if !STATUSES.contains(&status) {
		return Err(ApiError::new(Code::Malformed).field("status"));
	}
	if search.kind.as_deref().is_some_and(|k| !KINDS.contains(&k)) {
		return Err(ApiError::new(Code::Malformed).field("kind"));
	}
	// One statement with every filter; a filter left out is NULL and matches all, so the text is
	// fixed (prepared once) and no value is ever spliced into it. The casts give PostgreSQL the
	// parameters' types, which `IS NULL` alone does not.
	let rows = state
		.gateway
		.index
		.query(
			"SELECT listing, kind, branch, owner, status, category, slot_start, slot_end, area, \
			 estimated_minutes, min_trust, max_participants, published_block FROM listings \
			 WHERE status = $1 AND (CAST($2 AS BIGINT) IS NULL OR branch = $3) \
			 AND (CAST($4 AS BIGINT) IS NULL OR category = $5) \
			 AND (CAST($6 AS TEXT) IS NULL OR kind = $7) AND (CAST($8 AS BIGINT) IS NULL OR area = $9) \
			 AND slot_start >= $10 AND slot_start < $11 AND listing < $12 \
			 ORDER BY listing DESC LIMIT $13",
			vec![
				status.into(),
				search.branch.into(),
				search.branch.into(),
				search.category.into(),
				search.category.into(),
				search.kind.clone().into(),
				search.kind.into(),
				search.area.into(),
				search.area.into(),
				int(search.starts_from_ms, 0),
				int(search.starts_before_ms, i64::MAX),
				int(search.before, i64::MAX),
				Value::Int(i64::from(limit + 1)),
			],
		)
		.await?;
	let listings = rows.iter().map(listing).collect::<Result<Vec<_>, _>>()?;
	let (listings, next_before) = input::paged(listings, limit, |l| l.listing);
	Ok(axum::Json(ListingPage { listings, next_before }))
}
