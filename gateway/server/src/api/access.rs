//! Who may see what about a member. The rules follow the chain's own relations, read from the
//! index: the member; a family proxy the member authorised (and who is active); an officer of the
//! member's home branch; an auditor. Nobody else, however the request is made.

use crate::{Gateway, GatewayError};

/// Whether `viewer` may read `member`'s balances, statement and services.
pub async fn may_view_member(
	gateway: &Gateway,
	viewer: [u8; 32],
	member: [u8; 32],
) -> Result<bool, GatewayError> {
	if viewer == member {
		return Ok(true);
	}
	let index = &gateway.index;
	let proxy = index
		.query_one(
			"SELECT 1 FROM proxies WHERE member = $1 AND proxy = $2 AND status = 'Active'",
			vec![member.into(), viewer.into()],
		)
		.await?;
	if proxy.is_some() {
		return Ok(true);
	}
	if gateway.holds_office_in_home_branch(viewer, member).await? == Some(true) {
		return Ok(true);
	}
	is_auditor(gateway, viewer).await
}

/// Whether `viewer` may read a branch's queues and rosters: an officer of `branch`, or an
/// auditor.
pub async fn is_officer_or_auditor(
	gateway: &Gateway,
	viewer: [u8; 32],
	branch: u32,
) -> Result<bool, GatewayError> {
	if gateway.holds_office_in(viewer, branch).await? {
		return Ok(true);
	}
	is_auditor(gateway, viewer).await
}

/// Whether `viewer` is an auditor, by the index.
pub async fn is_auditor(gateway: &Gateway, viewer: [u8; 32]) -> Result<bool, GatewayError> {
	let row = gateway
		.index
		.query_one("SELECT 1 FROM auditors WHERE account = $1", vec![viewer.into()])
		.await?;
	Ok(row.is_some())
}
