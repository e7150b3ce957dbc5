//! Training (培训): courses and their sessions, enrolment, the roster, attendance, completion
//! and certificates. Admins create courses; staff schedule sessions, keep the roster and
//! complete members, which issues a certificate the chain holds. Lists come from the index.

// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, Input, Params},
	session::SignedIn,
	write::{path_id, reason_hash, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use subxt::utils::{AccountId32, H256};
use timebank_chain_api::timebank::{
	self, runtime_types::bounded_collections::bounded_vec::BoundedVec,
};
use utoipa::{IntoParams, ToSchema};

/// The longest course address (the runtime's `MaxUriLen`).
pub const MAX_URI_BYTES: usize = 256;

/// A new course.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCourse {
	/// The branch that runs it.
	pub branch: u32,
	/// Where the material is (`https://…`); the chain keeps the address and the hash of what it
	/// held, so a changed page can be noticed.
	pub uri: String,
	/// The material's SHA-256 or BLAKE2 hash as `0x` and 64 hex digits.
	pub content_hash: String,
	/// How long the course takes, in minutes.
	pub minutes: u64,
	/// The skill a certificate of this course proves (the catalogue's categories name skills).
	pub skill: u32,
	/// Days a certificate stays valid (0: forever).
	pub validity_days: u32,
	/// Minutes granted to each member who completes it (0: none).
	#[serde(default)]
	pub reward: u64,
	/// How many completions are rewarded (the reward budget is `reward` × this).
	#[serde(default)]
	pub rewarded_completions: u32,
}

fn content_hash(text: &str) -> Result<H256, ApiError> {
	let bad = || ApiError::new(Code::Malformed).field("content_hash");
	let digits = text.strip_prefix("0x").ok_or_else(bad)?;
	let bytes = hex::decode(digits).map_err(|_| bad())?;
	let hash = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| bad())?;
	Ok(H256(hash))
}

fn course_uri(text: &str) -> Result<Vec<u8>, ApiError> {
	let text = text.trim();
	if text.is_empty() {
		return Err(ApiError::new(Code::Missing).field("uri"));
	}
	if text.len() > MAX_URI_BYTES {
		return Err(ApiError::new(Code::TooLong).field("uri"));
	}
	if !(text.starts_with("https://") || text.starts_with("http://")) || text.contains(' ') {
		return Err(ApiError::new(Code::Malformed).field("uri"));
	}
	Ok(text.as_bytes().to_vec())
}

/// Create a course (branch admins; `training.create_course`).
#[utoipa::path(post, path = "/courses", tag = "training", request_body = NewCourse,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create_course(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<NewCourse>,
) -> Result<Sent, ApiError> {
	if body.minutes == 0 {
		return Err(ApiError::new(Code::Malformed).field("minutes"));
	}
	let call = timebank::tx().training().create_course(
		body.branch,
		content_hash(&body.content_hash)?,
		BoundedVec(course_uri(&body.uri)?),
		body.minutes,
		body.skill,
		body.validity_days,
		body.reward,
		body.rewarded_completions,
	);
	send(&state, session.account, &headers, &call).await
}

/// Whether a course takes new sessions.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Active {
	/// `false` retires the course (its certificates stay valid).
	pub active: bool,
}

/// Retire a course or bring it back (branch admins; `training.set_course_active`).
#[utoipa::path(put, path = "/courses/{id}/active", tag = "training", request_body = Active,
	params(("id" = u32, Path, description = "The course"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_course_active(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Active>,
) -> Result<Sent, ApiError> {
	let course = u32::try_from(input::id("id", &id)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("id"))?;
	let call = timebank::tx().training().set_course_active(course, body.active);
	send(&state, session.account, &headers, &call).await
}

/// A session of a course.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
	/// When it starts, ms since 1970.
	pub starts_at_ms: u64,
	/// How many may enrol.
	pub capacity: u32,
}

/// Schedule a session of a course (staff of its branch; `training.schedule_session`).
#[utoipa::path(post, path = "/courses/{id}/sessions", tag = "training", request_body = NewSession,
	params(("id" = u32, Path, description = "The course"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn schedule(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<NewSession>,
) -> Result<Sent, ApiError> {
	let course = u32::try_from(input::id("id", &id)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("id"))?;
	if body.capacity == 0 {
		return Err(ApiError::new(Code::Malformed).field("capacity"));
	}
	let call = timebank::tx().training().schedule_session(course, body.starts_at_ms, body.capacity);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	enrol, "training", "/training-sessions/{id}/enrol",
	"Enrol in a session (members).",
	"id": u64 = "The session",
	training_session = path_id => timebank::tx().training().enrol(training_session)
);
write_by_path!(
	withdraw, "training", "/training-sessions/{id}/withdraw",
	"Withdraw from a session before it is closed.",
	"id": u64 = "The session",
	training_session = path_id => timebank::tx().training().withdraw(training_session)
);
write_by_path!(
	close, "training", "/training-sessions/{id}/close",
	"Close a session to new enrolments (staff of the course's branch).",
	"id": u64 = "The session",
	training_session = path_id => timebank::tx().training().close_session(training_session)
);

/// The member the roster entry is about.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
	/// The member (SS58).
	pub member: String,
}

macro_rules! roster_call {
	($name:ident, $path:literal, $summary:literal, $call:ident) => {
		#[doc = $summary]
		#[utoipa::path(post, path = $path, tag = "training", request_body = Attendee,
											params(("id" = u64, Path, description = "The session"),
												("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
											responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
		pub async fn $name(
			State(state): State<ApiState>,
			SignedIn(session): SignedIn,
			headers: HeaderMap,
			Path(id): Path<String>,
			Input(body): Input<Attendee>,
		) -> Result<Sent, ApiError> {
			let training_session = input::id("id", &id)?;
			let member = AccountId32(input::account("member", &body.member)?);
			let call = timebank::tx().training().$call(training_session, member);
			send(&state, session.account, &headers, &call).await
		}
	};
}

roster_call!(
	record_attendance,
	"/training-sessions/{id}/attendance",
	"Record that an enrolled member attended (staff of the course's branch).",
	record_attendance
);
roster_call!(
	complete,
	"/training-sessions/{id}/completions",
	"Complete a member who attended: the chain issues a certificate (and the course's reward, \
	 while its budget lasts).",
	complete
);

/// Why a certificate is revoked.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
	/// The reason in words (hashed on chain; up to 2,000 characters).
	pub reason: String,
}

/// Revoke a certificate (staff of the issuing branch; `training.revoke_certificate`).
#[utoipa::path(post, path = "/certificates/{id}/revoke", tag = "training",
	request_body = Revocation,
	params(("id" = u64, Path, description = "The certificate"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn revoke_certificate(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(id): Path<String>,
	Input(body): Input<Revocation>,
) -> Result<Sent, ApiError> {
	let certificate = input::id("id", &id)?;
	let reason = reason_hash("reason", &body.reason)?;
	let call = timebank::tx().training().revoke_certificate(certificate, reason);
	send(&state, session.account, &headers, &call).await
}

/// Which courses to list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CourseFilter {
	/// Only this branch's courses.
	pub branch: Option<u32>,
}

/// A session, with how many are enrolled.
#[derive(Serialize, ToSchema)]
pub struct SessionView {
	/// Its id.
	pub session: u64,
	/// When it starts, ms since 1970.
	pub starts_at_ms: u64,
	/// How many may enrol.
	pub capacity: u64,
	/// How many are enrolled (or attended).
	pub enrolled: u64,
	/// Whether it takes no more enrolments.
	pub closed: bool,
}

/// A course and its sessions.
#[derive(Serialize, ToSchema)]
pub struct CourseView {
	/// Its id.
	pub course: u64,
	/// The branch that runs it.
	pub branch: u64,
	/// The skill its certificate proves.
	pub skill: u64,
	/// Its sessions, soonest first.
	pub sessions: Vec<SessionView>,
}

/// The courses.
#[derive(Serialize, ToSchema)]
pub struct Courses {
	/// Active courses, oldest first.
	pub courses: Vec<CourseView>,
}

/// Active courses and their sessions, for every signed-in person.
#[utoipa::path(get, path = "/courses", tag = "training", params(CourseFilter),
	responses(
		(status = 200, body = Courses),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn courses(
	State(state): State<ApiState>,
	SignedIn(_session): SignedIn,
	Params(filter): Params<CourseFilter>,
) -> Result<axum::Json<Courses>, ApiError> {
	let index = &state.gateway.index;
	let rows = index
		.query(
			"SELECT course, branch, skill FROM courses WHERE active = 1 \
			 AND (CAST($1 AS BIGINT) IS NULL OR branch = $2) ORDER BY course LIMIT 200",
			vec![filter.branch.into(), filter.branch.into()],
		)
		.await?;
	let mut courses = Vec::with_capacity(rows.len());
	for row in rows {
		let course = row.uint(0)?;
		let sessions = index
			.query(
				"SELECT s.session, s.starts_at, s.capacity, s.closed, \
				 (SELECT COUNT(*) FROM enrolments e WHERE e.session = s.session \
				  AND e.status <> 'Withdrawn') \
				 FROM training_sessions s WHERE s.course = $1 ORDER BY s.starts_at LIMIT 50",
				vec![crate::store::Value::Int(i64::try_from(course).unwrap_or(i64::MAX))],
			)
			.await?
			.iter()
			.map(|s| {
				Ok(SessionView {
					session: s.uint(0)?,
					starts_at_ms: s.uint(1)?,
					capacity: s.uint(2)?,
					closed: s.int(3)? != 0,
					enrolled: s.uint(4)?,
				})
			})
			.collect::<Result<Vec<_>, crate::store::StoreError>>()?;
		courses.push(CourseView { course, branch: row.uint(1)?, skill: row.uint(2)?, sessions });
	}
	Ok(axum::Json(Courses { courses }))
}

/// One person on a roster.
#[derive(Serialize, ToSchema)]
pub struct RosterEntry {
	/// The member (SS58).
	pub member: String,
	/// `Enrolled`, `Withdrawn` or `Attended`.
	pub status: String,
}

/// A session's roster.
#[derive(Serialize, ToSchema)]
pub struct Roster {
	/// In the order they enrolled.
	pub entries: Vec<RosterEntry>,
}

/// A session's roster, for officers of the course's branch and auditors.
#[utoipa::path(get, path = "/training-sessions/{id}/roster", tag = "training",
	params(("id" = u64, Path, description = "The session")),
	responses(
		(status = 200, body = Roster),
		(status = 400, description = "input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 403, description = "auth.not_staff", body = ErrorBody),
		(status = 404, description = "http.not_found: no such session", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn roster(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(id): Path<String>,
) -> Result<axum::Json<Roster>, ApiError> {
	let training_session = i64::try_from(input::id("id", &id)?)
		.map_err(|_| ApiError::new(Code::Malformed).field("id"))?;
	let index = &state.gateway.index;
	let branch = index
		.query_one(
			"SELECT c.branch FROM training_sessions s JOIN courses c ON c.course = s.course \
			 WHERE s.session = $1",
			vec![training_session.into()],
		)
		.await?
		.ok_or(Code::NotFound)?
		.uint(0)?;
	let branch = u32::try_from(branch).map_err(|_| Code::NotFound)?;
	if !access::is_officer_or_auditor(&state.gateway, session.account, branch).await? {
		return Err(Code::NotStaff.into());
	}
	let entries = index
		.query(
			"SELECT account, status FROM enrolments WHERE session = $1 ORDER BY block, account",
			vec![training_session.into()],
		)
		.await?
		.iter()
		.map(|row| Ok(RosterEntry { member: input::ss58(row.bytes32(0)?), status: row.text(1)? }))
		.collect::<Result<Vec<_>, crate::store::StoreError>>()?;
	Ok(axum::Json(Roster { entries }))
}

/// A certificate.
#[derive(Serialize, ToSchema)]
pub struct CertificateView {
	/// Its id.
	pub certificate: u64,
	/// The skill it proves.
	pub skill: u64,
	/// The course it was earned in.
	pub course: u64,
	/// When it expires, ms since 1970 (none: never).
	pub expires_at_ms: Option<u64>,
	/// Whether it was revoked.
	pub revoked: bool,
	/// The block it was issued in.
	pub issued_block: u64,
}

/// A member's certificates.
#[derive(Serialize, ToSchema)]
pub struct Certificates {
	/// Newest first.
	pub certificates: Vec<CertificateView>,
}

/// A member's certificates (the member, a proxy, home staff, an auditor).
#[utoipa::path(get, path = "/{account}/certificates", tag = "training",
	params(("account" = String, Path, description = "The member (SS58)")),
	responses(
		(status = 200, body = Certificates),
		(status = 400, description = "input.account", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not the caller's to see)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn certificates(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
) -> Result<axum::Json<Certificates>, ApiError> {
	let member = input::account("account", &account)?;
	if !access::may_view_member(&state.gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let certificates = state
		.gateway
		.index
		.query(
			"SELECT certificate, skill, course, expires_at, revoked_block, issued_block \
			 FROM certificates WHERE holder = $1 ORDER BY certificate DESC LIMIT 100",
			vec![member.into()],
		)
		.await?
		.iter()
		.map(|row| {
			Ok(CertificateView {
				certificate: row.uint(0)?,
				skill: row.uint(1)?,
				course: row.uint(2)?,
				expires_at_ms: row.opt_uint(3)?,
				revoked: row.opt_int(4)?.is_some(),
				issued_block: row.uint(5)?,
			})
		})
		.collect::<Result<Vec<_>, crate::store::StoreError>>()?;
	Ok(axum::Json(Certificates { certificates }))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn course_addresses_and_hashes_are_checked() {
		assert!(course_uri(" https://example.org/course ").is_ok());
		for (bad, code) in [
			("", Code::Missing),
			("ftp://x", Code::Malformed),
			("https://a b", Code::Malformed),
			(&format!("https://{}", "a".repeat(MAX_URI_BYTES)), Code::TooLong),
		] {
			assert_eq!(course_uri(bad).unwrap_err().code, code, "{bad}");
		}
		assert!(content_hash(&format!("0x{}", "ab".repeat(32))).is_ok());
		for bad in ["", "ab", "0x12", &format!("0x{}", "zz".repeat(32))] {
			assert_eq!(content_hash(bad).unwrap_err().field, Some("content_hash"), "{bad}");
		}
	}
}
