//! The notifications inbox: what a member should know, read from the index's current state of
//! their services, credits, proxies' proposals and certificates, newest first. Nothing is stored
//! per notification: the inbox is what the chain says now, so it cannot disagree with it. The
//! member's active proxies read the same inbox (a family member keeps an eye on an elder's).

use super::{
	error::{ApiError, Code, ErrorBody},
	input,
	session::SignedIn,
	ApiState,
};
use crate::{store::StoreError, Gateway};
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

/// Certificates expiring within this many days are announced.
pub const EXPIRY_NOTICE_DAYS: u64 = 30;

/// The most notifications an inbox holds.
pub const INBOX_SIZE: usize = 50;

/// One thing to know.
#[derive(Serialize, ToSchema, Debug, PartialEq)]
pub struct Notification {
	/// `accepted` (a volunteer's offer of help was accepted), `checked_in` (the volunteer has
	/// arrived), `confirmation_due` (the service ended: confirm or dispute it), `disputed` (a
	/// receiver disputed the volunteer's service), `decided` (a dispute was arbitrated),
	/// `gift_received`, `donation_received`, `granted`, `proposal_waiting` (a proxy's proposal
	/// waits to be co-signed), `certificate_issued`, `certificate_expiring`.
	pub kind: &'static str,
	/// When it happened (or, for `certificate_expiring`, when the certificate expires), ms
	/// since 1970; absent for blocks indexed before the index kept times.
	pub time_ms: Option<u64>,
	/// The engagement, for services.
	pub engagement: Option<u64>,
	/// Minutes, for credits received and services.
	pub minutes: Option<i64>,
	/// Who it came from (SS58), for credits and proposals.
	pub from: Option<String>,
	/// The proposal, for `proposal_waiting`.
	pub proposal: Option<u64>,
	/// The certificate, for certificates.
	pub certificate: Option<u64>,
}

impl Notification {
	fn new(kind: &'static str, time_ms: Option<u64>) -> Self {
		Self {
			kind,
			time_ms,
			engagement: None,
			minutes: None,
			from: None,
			proposal: None,
			certificate: None,
		}
	}
}

/// A member's inbox.
#[derive(Serialize, ToSchema)]
pub struct Inbox {
	/// Newest first, at most 50.
	pub notifications: Vec<Notification>,
}

/// Whether `viewer` reads `member`'s inbox: the member and their active proxies.
async fn may_read_inbox(
	gateway: &Gateway,
	viewer: [u8; 32],
	member: [u8; 32],
) -> Result<bool, StoreError> {
	if viewer == member {
		return Ok(true);
	}
	let proxy = gateway
		.index
		.query_one(
			"SELECT 1 FROM proxies WHERE member = $1 AND proxy = $2 AND status = 'Active'",
			vec![member.into(), viewer.into()],
		)
		.await?;
	Ok(proxy.is_some())
}

/// Services: accepted offers of help, arrivals, confirmations due, disputes, decisions.
async fn services(gateway: &Gateway, member: [u8; 32]) -> Result<Vec<Notification>, StoreError> {
	let rows = gateway
		.index
		.query(
			"SELECT g.engagement, g.status, g.arbitration, g.checked_in_at, g.checked_out_at, \
			 g.measured_minutes, a.time_ms, e.time_ms, \
			 CASE WHEN g.provider = $1 THEN 1 ELSE 0 END \
			 FROM engagements g LEFT JOIN blocks a ON a.number = g.accepted_block \
			 LEFT JOIN blocks e ON e.number = g.ended_block \
			 WHERE g.provider = $2 OR g.engagement IN \
			 (SELECT engagement FROM engagement_receivers WHERE receiver = $3) \
			 ORDER BY g.engagement DESC LIMIT 100",
			vec![member.into(), member.into(), member.into()],
		)
		.await?;
	let mut out = Vec::new();
	for row in rows {
		let provider = row.int(8)? != 0;
		let (status, arbitrated) = (row.text(1)?, row.opt_text(2)?.is_some());
		let kind = match (status.as_str(), provider) {
			("Accepted", true) => ("accepted", row.opt_uint(6)?),
			("CheckedIn", false) => ("checked_in", row.opt_uint(3)?),
			("CheckedOut", false) => ("confirmation_due", row.opt_uint(4)?),
			("Disputed", true) => ("disputed", row.opt_uint(4)?),
			("Settled", _) if arbitrated => ("decided", row.opt_uint(7)?),
			_ => continue,
		};
		let mut notification = Notification::new(kind.0, kind.1);
		notification.engagement = row.opt_uint(0)?;
		notification.minutes = row.opt_int(5)?;
		out.push(notification);
	}
	Ok(out)
}

/// Credits received from others: gifts, donations, grants.
async fn credits(gateway: &Gateway, member: [u8; 32]) -> Result<Vec<Notification>, StoreError> {
	let rows = gateway
		.index
		.query(
			"SELECT e.kind, e.amount, o.actor, b.time_ms FROM entries e \
			 JOIN operations o ON o.operation = e.operation \
			 LEFT JOIN blocks b ON b.number = e.block \
			 WHERE e.credit_member = $1 AND e.kind IN ('Gift', 'Donation', 'Grant') \
			 AND (e.debit_member IS NULL OR e.debit_member <> $2) \
			 ORDER BY e.entry DESC LIMIT 50",
			vec![member.into(), member.into()],
		)
		.await?;
	rows.iter()
		.map(|row| {
			let kind = match row.text(0)?.as_str() {
				"Gift" => "gift_received",
				"Donation" => "donation_received",
				_ => "granted",
			};
			let mut notification = Notification::new(kind, row.opt_uint(3)?);
			notification.minutes = Some(row.int(1)?);
			notification.from = Some(input::ss58(row.bytes32(2)?));
			Ok(notification)
		})
		.collect()
}

/// Proxies' proposals waiting for the member, and the member's certificates.
async fn proposals_and_certificates(
	gateway: &Gateway,
	member: [u8; 32],
	now_ms: u64,
) -> Result<Vec<Notification>, StoreError> {
	let mut out = Vec::new();
	let waiting = gateway
		.index
		.query(
			"SELECT p.proposal, p.proxy, b.time_ms FROM transfer_proposals p \
			 LEFT JOIN blocks b ON b.number = p.proposed_block \
			 WHERE p.member = $1 AND p.status = 'Proposed' ORDER BY p.proposal DESC LIMIT 20",
			vec![member.into()],
		)
		.await?;
	for row in waiting {
		let mut notification = Notification::new("proposal_waiting", row.opt_uint(2)?);
		notification.proposal = Some(row.uint(0)?);
		notification.from = Some(input::ss58(row.bytes32(1)?));
		out.push(notification);
	}
	let certificates = gateway
		.index
		.query(
			"SELECT c.certificate, c.expires_at, b.time_ms FROM certificates c \
			 LEFT JOIN blocks b ON b.number = c.issued_block \
			 WHERE c.holder = $1 AND c.revoked_block IS NULL ORDER BY c.certificate DESC LIMIT 20",
			vec![member.into()],
		)
		.await?;
	let notice = now_ms.saturating_add(EXPIRY_NOTICE_DAYS * 86_400_000);
	for row in certificates {
		let certificate = Some(row.uint(0)?);
		let mut issued = Notification::new("certificate_issued", row.opt_uint(2)?);
		issued.certificate = certificate;
		out.push(issued);
		if let Some(expires) = row.opt_uint(1)?.filter(|at| (now_ms..=notice).contains(at)) {
			let mut expiring = Notification::new("certificate_expiring", Some(expires));
			expiring.certificate = certificate;
			out.push(expiring);
		}
	}
	Ok(out)
}

/// A member's notifications, newest first (the member and their active family proxies).
#[utoipa::path(get, path = "/{account}/notifications", tag = "members",
	params(("account" = String, Path, description = "The member (SS58)")),
	responses(
		(status = 200, body = Inbox),
		(status = 400, description = "input.account", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not the caller's to read)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn notifications(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
) -> Result<axum::Json<Inbox>, ApiError> {
	let member = input::account("account", &account)?;
	let gateway = &state.gateway;
	if !may_read_inbox(gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let now = u64::try_from(crate::outbox::now_ms()).unwrap_or(0);
	let mut notifications = services(gateway, member).await?;
	notifications.extend(credits(gateway, member).await?);
	notifications.extend(proposals_and_certificates(gateway, member, now).await?);
	// Newest first; those without a time (blocks indexed before times were kept) last.
	notifications.sort_by_key(|n| std::cmp::Reverse(n.time_ms));
	notifications.truncate(INBOX_SIZE);
	Ok(axum::Json(Inbox { notifications }))
}
