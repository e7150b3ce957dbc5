//! Registry events: branches, officers, members' public facts, applications to join, extra
//! branches, auditors, proxies and verified relations.

use super::{flag, on, sql, variant_name, Event};
use crate::store::{Statement, Value};
use timebank_chain_api::timebank::{
	registry::events as ev, runtime_types::timebank_primitives::membership::ProxyPermissions,
};

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	branches_and_officers(event, n, out)?;
	members(event, n, out)?;
	proxies_and_relations(event, n, out)
}

fn branches_and_officers(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	on!(event, out, ev::BranchRegistered, |e| [sql(
		"INSERT INTO branches (branch, parent, admin, status, registered_block) \
		 VALUES ($1, $2, $3, 'Active', $4) ON CONFLICT (branch) DO NOTHING",
		vec![e.branch.into(), e.parent.into(), e.admin.0.into(), n.clone()],
	)]);
	on!(event, out, ev::BranchStatusChanged, |e| [sql(
		"UPDATE branches SET status = $1 WHERE branch = $2",
		vec![variant_name(&e.status).into(), e.branch.into()],
	)]);
	on!(event, out, ev::OfficerAppointed, |e| [sql(
		"INSERT INTO officers (branch, account, role, since_block) VALUES ($1, $2, $3, $4) \
		 ON CONFLICT (branch, account) DO UPDATE SET role = excluded.role",
		vec![e.branch.into(), e.who.0.into(), variant_name(&e.role).into(), n.clone()],
	)]);
	on!(event, out, ev::OfficerRemoved, |e| [sql(
		"DELETE FROM officers WHERE branch = $1 AND account = $2",
		vec![e.branch.into(), e.who.0.into()],
	)]);
	on!(event, out, ev::AuditorSet, |e| [if e.enabled {
		sql(
			"INSERT INTO auditors (account, since_block) VALUES ($1, $2) ON CONFLICT (account) DO NOTHING",
			vec![e.who.0.into(), n.clone()],
		)
	} else {
		sql("DELETE FROM auditors WHERE account = $1", vec![e.who.0.into()])
	}]);
	Ok(())
}

/// A member joined `branch` in block `n` (registered by staff, approved, or imported).
fn joined(who: [u8; 32], branch: u32, n: &Value) -> Statement {
	sql(
		"INSERT INTO members (account, home_branch, status, joined_block) VALUES ($1, $2, 'Active', $3) \
		 ON CONFLICT (account) DO UPDATE SET home_branch = excluded.home_branch, status = 'Active'",
		vec![who.into(), branch.into(), n.clone()],
	)
}

fn members(event: &Event<'_>, n: &Value, out: &mut Vec<Statement>) -> Result<(), String> {
	on!(event, out, ev::MemberRegistered, |e| [joined(e.who.0, e.branch, n)]);
	on!(event, out, ev::MembershipApplied, |e| [sql(
		"INSERT INTO membership_applications (account, branch, status, applied_block) \
		 VALUES ($1, $2, 'Pending', $3) ON CONFLICT (account, branch) DO UPDATE \
		 SET status = 'Pending', applied_block = excluded.applied_block, decided_block = NULL",
		vec![e.who.0.into(), e.branch.into(), n.clone()],
	)]);
	on!(event, out, ev::ApplicationApproved, |e| [
		decided(e.who.0, e.branch, "Approved", n),
		joined(e.who.0, e.branch, n),
	]);
	on!(event, out, ev::ApplicationRejected, |e| [decided(e.who.0, e.branch, "Rejected", n)]);
	on!(event, out, ev::MemberStatusChanged, |e| [sql(
		"UPDATE members SET status = $1 WHERE account = $2",
		vec![variant_name(&e.status).into(), e.who.0.into()],
	)]);
	on!(event, out, ev::HomeBranchMoved, |e| [sql(
		"UPDATE members SET home_branch = $1 WHERE account = $2",
		vec![e.to.into(), e.who.0.into()],
	)]);
	on!(event, out, ev::ExtraMembershipAdded, |e| [sql(
		"INSERT INTO extra_memberships (account, branch, since_block) VALUES ($1, $2, $3) \
		 ON CONFLICT (account, branch) DO NOTHING",
		vec![e.who.0.into(), e.branch.into(), n.clone()],
	)]);
	on!(event, out, ev::ExtraMembershipRemoved, |e| [sql(
		"DELETE FROM extra_memberships WHERE account = $1 AND branch = $2",
		vec![e.who.0.into(), e.branch.into()],
	)]);
	on!(event, out, ev::Rekeyed, |e| [
		sql(
			"INSERT INTO members (account, home_branch, status, joined_block) VALUES ($1, \
			 (SELECT home_branch FROM members WHERE account = $2), \
			 (SELECT status FROM members WHERE account = $2), \
			 (SELECT joined_block FROM members WHERE account = $2))",
			vec![e.new.0.into(), e.old.0.into()],
		),
		sql(
			"UPDATE members SET status = 'Rekeyed', rekeyed_to = $1 WHERE account = $2",
			vec![e.new.0.into(), e.old.0.into()],
		),
	]);
	Ok(())
}

fn decided(who: [u8; 32], branch: u32, status: &'static str, n: &Value) -> Statement {
	sql(
		"UPDATE membership_applications SET status = $1, decided_block = $2 \
		 WHERE account = $3 AND branch = $4",
		vec![status.into(), n.clone(), who.into(), branch.into()],
	)
}

/// `proxy` may act for `member` with `permissions`; `status` is `Active` (the member authorised
/// it) or `Recorded` (staff recorded it, waiting for confirmation).
fn proxy(
	member: [u8; 32],
	proxy: [u8; 32],
	permissions: &ProxyPermissions,
	status: &'static str,
	n: &Value,
) -> Statement {
	sql(
		"INSERT INTO proxies (member, proxy, request_services, confirm_services, \
		 propose_transfers, status, since_block) VALUES ($1, $2, $3, $4, $5, $6, $7) \
		 ON CONFLICT (member, proxy) DO UPDATE SET request_services = excluded.request_services, \
		 confirm_services = excluded.confirm_services, propose_transfers = excluded.propose_transfers, \
		 status = excluded.status, since_block = excluded.since_block",
		vec![
			member.into(),
			proxy.into(),
			flag(permissions.request_services),
			flag(permissions.confirm_services),
			flag(permissions.propose_transfers),
			status.into(),
			n.clone(),
		],
	)
}

fn proxies_and_relations(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	let drop_proxy = |member: [u8; 32], proxy: [u8; 32]| {
		sql(
			"DELETE FROM proxies WHERE member = $1 AND proxy = $2",
			vec![member.into(), proxy.into()],
		)
	};
	on!(event, out, ev::ProxyAuthorised, |e| [proxy(
		e.member.0,
		e.proxy.0,
		&e.permissions,
		"Active",
		n
	)]);
	on!(event, out, ev::ProxyRecorded, |e| [proxy(
		e.member.0,
		e.proxy.0,
		&e.permissions,
		"Recorded",
		n
	)]);
	on!(event, out, ev::ProxyConfirmed, |e| [sql(
		"UPDATE proxies SET status = 'Active', since_block = $1 WHERE member = $2 AND proxy = $3",
		vec![n.clone(), e.member.0.into(), e.proxy.0.into()],
	)]);
	on!(event, out, ev::ProxyRevoked, |e| [drop_proxy(e.member.0, e.proxy.0)]);
	on!(event, out, ev::ProxyRecordCancelled, |e| [drop_proxy(e.member.0, e.proxy.0)]);
	// A relation holds both ways, as on chain: one row per direction, so either side finds it.
	on!(event, out, ev::RelationVerified, |e| [(e.a.0, e.b.0), (e.b.0, e.a.0)].map(|(a, b)| {
		sql(
			"INSERT INTO relations (a, b, since_block) VALUES ($1, $2, $3) ON CONFLICT (a, b) DO NOTHING",
			vec![a.into(), b.into(), n.clone()],
		)
	}));
	on!(event, out, ev::RelationRemoved, |e| [sql(
		"DELETE FROM relations WHERE (a = $1 AND b = $2) OR (a = $2 AND b = $1)",
		vec![e.a.0.into(), e.b.0.into()],
	)]);
	Ok(())
}
