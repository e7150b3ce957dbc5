//! Family proxies (亲情代理) and verified relatives.
//!
//! A member authorises a proxy with the permissions they choose; an elder without a phone has
//! staff record the proxy at the counter (with the signed form as evidence), and the elder or a
//! second officer confirms it. Staff verify relatives, whom gifts and a time will may name. The
//! lists come from the index, for those who may see the member (`access.rs`).

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, Input},
	session::SignedIn,
	write::{path_account, reason_hash, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	self, runtime_types::timebank_primitives::membership::ProxyPermissions,
};
use utoipa::ToSchema;

/// What a proxy may do for the member.
#[derive(Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
	/// Ask for help and accept volunteers for the member.
	#[serde(default)]
	pub request_services: bool,
	/// Confirm (or dispute) services the member received.
	#[serde(default)]
	pub confirm_services: bool,
	/// Propose gifts and donations, which the member or staff co-sign.
	#[serde(default)]
	pub propose_transfers: bool,
}

impl Permissions {
	fn on_chain(self) -> Result<ProxyPermissions, ApiError> {
		if !(self.request_services || self.confirm_services || self.propose_transfers) {
			return Err(ApiError::new(Code::Malformed).field("permissions"));
		}
		Ok(ProxyPermissions {
			request_services: self.request_services,
			confirm_services: self.confirm_services,
			propose_transfers: self.propose_transfers,
		})
	}
}

/// A proxy and what they may do.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorise {
	/// The proxy, a member with the family-proxy role (SS58).
	pub proxy: String,
	/// At least one permission.
	pub permissions: Permissions,
}

/// Authorise a family proxy to act for the caller (`registry.authorise_proxy`).
#[utoipa::path(post, path = "/proxies", tag = "proxies", request_body = Authorise,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn authorise(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Authorise>,
) -> Result<Sent, ApiError> {
	let proxy = AccountId32(input::account("proxy", &body.proxy)?);
	let call = timebank::tx().registry().authorise_proxy(proxy, body.permissions.on_chain()?);
	send(&state, session.account, &headers, &call).await
}

/// A proxy recorded at the counter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
	/// The proxy (SS58).
	pub proxy: String,
	/// At least one permission.
	pub permissions: Permissions,
	/// What staff saw: the form's number or a note on the documents (hashed; the words stay in
	/// the branch's files).
	pub evidence: String,
}

/// Staff record a proxy for a member without a phone (`registry.record_proxy`); it takes effect
/// when the member or a second officer confirms it.
#[utoipa::path(post, path = "/{account}/proxies", tag = "proxies", request_body = Record,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn record(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Record>,
) -> Result<Sent, ApiError> {
	let member = AccountId32(input::account("account", &account)?);
	let proxy = AccountId32(input::account("proxy", &body.proxy)?);
	let evidence = reason_hash("evidence", &body.evidence)?;
	let permissions = body.permissions.on_chain()?;
	let call = timebank::tx().registry().record_proxy(member, proxy, permissions, evidence);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	confirm_recorded, "proxies", "/{account}/proxies/recorded/confirm",
	"Confirm the proxy staff recorded (the member, or an officer other than the one who \
	 recorded it).",
	"account": String = "The member (SS58)",
	member = path_account => timebank::tx().registry().confirm_proxy(member)
);
write_by_path!(
	cancel_recorded, "proxies", "/{account}/proxies/recorded/cancel",
	"Refuse or withdraw a recorded proxy (the member, the proxy, or home staff).",
	"account": String = "The member (SS58)",
	member = path_account => timebank::tx().registry().cancel_proxy(member)
);

/// End a proxy's authority (`registry.revoke_proxy`): the member, the proxy themself, or home
/// staff.
#[utoipa::path(post, path = "/{account}/proxies/{proxy}/revoke", tag = "proxies",
	params(("account" = String, Path, description = "The member (SS58)"),
		("proxy" = String, Path, description = "The proxy (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn revoke(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path((account, proxy)): Path<(String, String)>,
) -> Result<Sent, ApiError> {
	let member = AccountId32(input::account("account", &account)?);
	let proxy = AccountId32(input::account("proxy", &proxy)?);
	let call = timebank::tx().registry().revoke_proxy(member, proxy);
	send(&state, session.account, &headers, &call).await
}

/// Two members staff found to be relatives.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
	/// The relative (SS58).
	pub relative: String,
	/// What staff checked (the household register's page, a certificate's number): hashed, the
	/// words stay in the branch's files.
	pub evidence: String,
}

/// Staff of either member's home branch verify that two members are relatives
/// (`registry.verify_relation`).
#[utoipa::path(post, path = "/{account}/relatives", tag = "proxies",
	request_body = Relation,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn verify_relation(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Relation>,
) -> Result<Sent, ApiError> {
	let a = input::account("account", &account)?;
	let b = input::account("relative", &body.relative)?;
	if a == b {
		return Err(ApiError::new(Code::Malformed).field("relative"));
	}
	let evidence = reason_hash("evidence", &body.evidence)?;
	let call = timebank::tx().registry().verify_relation(AccountId32(a), AccountId32(b), evidence);
	send(&state, session.account, &headers, &call).await
}

/// One proxy relation.
#[derive(Serialize, ToSchema)]
pub struct ProxyLink {
	/// The other person (SS58): the proxy in `acting_for_me`, the member in `i_act_for`.
	pub account: String,
	/// What the proxy may do.
	pub permissions: Permissions,
	/// `Active`, or `Recorded` (waiting for confirmation).
	pub status: String,
	/// The block it was recorded or took effect in.
	pub since_block: u64,
}

/// A member's proxies both ways, and their verified relatives.
#[derive(Serialize, ToSchema)]
pub struct Family {
	/// Who may act for the member.
	pub acting_for_me: Vec<ProxyLink>,
	/// Whom the member acts for.
	pub i_act_for: Vec<ProxyLink>,
	/// Relatives staff verified (SS58): who may receive gifts and be named in a will.
	pub relatives: Vec<String>,
}

/// A member's family: proxies both ways and verified relatives (for the member, a proxy, home
/// staff or an auditor).
#[utoipa::path(get, path = "/{account}/family", tag = "proxies",
	params(("account" = String, Path, description = "The member (SS58)")),
	responses(
		(status = 200, body = Family),
		(status = 400, description = "input.account", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not the caller's to see)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn family(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
) -> Result<axum::Json<Family>, ApiError> {
	let member = input::account("account", &account)?;
	if !access::may_view_member(&state.gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let index = &state.gateway.index;
	let links = |sql: &'static str| async move {
		let rows = index.query(sql, vec![member.into()]).await?;
		rows.iter()
			.map(|row| {
				Ok(ProxyLink {
					account: input::ss58(row.bytes32(0)?),
					permissions: Permissions {
						request_services: row.int(1)? != 0,
						confirm_services: row.int(2)? != 0,
						propose_transfers: row.int(3)? != 0,
					},
					status: row.text(4)?,
					since_block: row.uint(5)?,
				})
			})
			.collect::<Result<Vec<_>, crate::store::StoreError>>()
	};
	let acting_for_me = links(
		"SELECT proxy, request_services, confirm_services, propose_transfers, status, \
		 since_block FROM proxies WHERE member = $1 ORDER BY since_block",
	)
	.await?;
	let i_act_for = links(
		"SELECT member, request_services, confirm_services, propose_transfers, status, \
		 since_block FROM proxies WHERE proxy = $1 ORDER BY since_block",
	)
	.await?;
	let relatives = index
		.query(
			"SELECT b FROM relations WHERE a = $1 UNION SELECT a FROM relations WHERE b = $2",
			vec![member.into(), member.into()],
		)
		.await?
		.iter()
		.map(|row| row.bytes32(0).map(input::ss58))
		.collect::<Result<Vec<_>, _>>()?;
	Ok(axum::Json(Family { acting_for_me, i_act_for, relatives }))
}
