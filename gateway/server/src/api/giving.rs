//! Giving credits away: a gift to a verified relative, a donation to a branch's pool or to a
//! member, a family proxy's proposal that the member (or home staff) co-signs, the time will,
//! and leaving the time bank. Each is one call signed with the caller's key (`write.rs`); the
//! limits (the branch's gift limit, relatives verified by staff, the proxy's permissions) are the
//! chain's, and a refusal carries its reason on the operation.

// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	access,
	error::{ApiError, Code, ErrorBody},
	input::{self, Input, Params},
	session::SignedIn,
	write::{minutes, path_id, send, write_by_path, Sent, WriteAnswers},
	ApiState,
};
use axum::{
	extract::{Path, State},
	http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		bounded_collections::bounded_vec::BoundedVec,
		pallet_timebank_ledger::types::{ExitChoice, TransferTarget},
		sp_arithmetic::per_things::Percent,
		timebank_primitives::ledger::BalanceClass,
	},
};
use utoipa::{IntoParams, ToSchema};

/// The most beneficiaries a time will names (the runtime's `MaxBeneficiaries`).
pub const MAX_BENEFICIARIES: usize = 5;

/// A gift to a relative staff have verified.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Gift {
	/// The relative (SS58).
	pub to: String,
	/// Minutes to give, from the spendable balance (at most the branch's gift limit).
	pub minutes: u64,
}

/// Give minutes to a verified relative (`ledger.gift`).
#[utoipa::path(post, path = "/gifts", tag = "giving", request_body = Gift,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn gift(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Gift>,
) -> Result<Sent, ApiError> {
	let to = AccountId32(input::account("to", &body.to)?);
	let call = timebank::tx().ledger().gift(to, minutes("minutes", body.minutes)?);
	send(&state, session.account, &headers, &call).await
}

/// Where a donation (or a proxy's proposal) goes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
	/// `gift` (to a verified relative), `pool` (the branch's donation pool) or `member`
	/// (donated to one member, who may only spend it on services).
	#[schema(example = "pool")]
	pub kind: String,
	/// The relative or member (SS58), for `gift` and `member`.
	pub to: Option<String>,
	/// The branch whose pool receives it, for `pool`.
	pub branch: Option<u32>,
	/// The balance class it is taken from and kept in: `spendable` (the default),
	/// `donation_only` or `honorary`. Not for `gift`.
	pub class: Option<String>,
	/// How many minutes.
	pub minutes: u64,
}

fn balance_class(text: Option<&str>) -> Result<BalanceClass, ApiError> {
	match text.unwrap_or("spendable") {
		"spendable" => Ok(BalanceClass::Spendable),
		"donation_only" => Ok(BalanceClass::DonationOnly),
		"honorary" => Ok(BalanceClass::Honorary),
		_ => Err(ApiError::new(Code::Malformed).field("class")),
	}
}

fn transfer_target(body: &Transfer) -> Result<TransferTarget<AccountId32>, ApiError> {
	let to = || -> Result<AccountId32, ApiError> {
		let text = body.to.as_deref().ok_or_else(|| ApiError::new(Code::Missing).field("to"))?;
		Ok(AccountId32(input::account("to", text)?))
	};
	match body.kind.as_str() {
		"gift" if body.class.is_some() => Err(ApiError::new(Code::Malformed).field("class")),
		"gift" => Ok(TransferTarget::Gift { to: to()? }),
		"pool" => {
			let branch = body.branch.ok_or_else(|| ApiError::new(Code::Missing).field("branch"))?;
			Ok(TransferTarget::DonationToPool {
				branch,
				class: balance_class(body.class.as_deref())?,
			})
		}
		"member" => Ok(TransferTarget::DonationToMember {
			to: to()?,
			class: balance_class(body.class.as_deref())?,
		}),
		_ => Err(ApiError::new(Code::Malformed).field("kind")),
	}
}

/// Donate minutes to a branch's pool or to a member (`ledger.donate`).
#[utoipa::path(post, path = "/donations", tag = "giving", request_body = Transfer,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn donate(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Transfer>,
) -> Result<Sent, ApiError> {
	if body.kind == "gift" {
		return Err(ApiError::new(Code::Malformed).field("kind"));
	}
	let target = transfer_target(&body)?;
	let call = timebank::tx().ledger().donate(target, minutes("minutes", body.minutes)?);
	send(&state, session.account, &headers, &call).await
}

/// A family proxy proposes a gift or donation from the member's credits
/// (`ledger.propose_transfer`, needs `propose_transfers`); the member or home staff co-sign it.
#[utoipa::path(post, path = "/{account}/transfer-proposals", tag = "giving",
	request_body = Transfer,
	params(("account" = String, Path, description = "The member (SS58)"),
		("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn propose(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Input(body): Input<Transfer>,
) -> Result<Sent, ApiError> {
	let member = AccountId32(input::account("account", &account)?);
	let target = transfer_target(&body)?;
	let amount = minutes("minutes", body.minutes)?;
	let call = timebank::tx().ledger().propose_transfer(member, target, amount);
	send(&state, session.account, &headers, &call).await
}

write_by_path!(
	approve_proposal, "giving", "/transfer-proposals/{id}/approve",
	"Co-sign a proxy's proposal (the member, or staff of the member's home branch): the \
	 transfer is made.",
	"id": u64 = "The proposal",
	proposal = path_id => timebank::tx().ledger().approve_transfer(proposal)
);
write_by_path!(
	cancel_proposal, "giving", "/transfer-proposals/{id}/cancel",
	"Turn a proxy's proposal down (the member, the proxy who made it, or home staff).",
	"id": u64 = "The proposal",
	proposal = path_id => timebank::tx().ledger().cancel_transfer(proposal)
);

/// Filters for a member's proposals.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalFilter {
	/// `Proposed` (waiting to be co-signed; the default), `Approved`, `Cancelled` or `all`.
	pub status: Option<String>,
}

/// A proxy's proposal, as the index has it.
#[derive(Serialize, ToSchema)]
pub struct Proposal {
	/// Its id.
	pub proposal: u64,
	/// The member whose credits it would move (SS58).
	pub member: String,
	/// The proxy who proposed it (SS58).
	pub proxy: String,
	/// `Proposed`, `Approved` or `Cancelled`.
	pub status: String,
	/// The ledger operation that carried it out, once approved.
	pub operation: Option<u64>,
	/// The block it was proposed in.
	pub proposed_block: u64,
}

/// The proposals.
#[derive(Serialize, ToSchema)]
pub struct Proposals {
	/// Newest first (at most 100).
	pub proposals: Vec<Proposal>,
}

/// A member's transfer proposals, for the member, a proxy, home staff or an auditor: the
/// "waiting for me to co-sign" list.
#[utoipa::path(get, path = "/{account}/transfer-proposals", tag = "giving",
	params(("account" = String, Path, description = "The member (SS58)"), ProposalFilter),
	responses(
		(status = 200, body = Proposals),
		(status = 400, description = "input.account, input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not the caller's to see)", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn proposals(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	Path(account): Path<String>,
	Params(filter): Params<ProposalFilter>,
) -> Result<axum::Json<Proposals>, ApiError> {
	let member = input::account("account", &account)?;
	if !access::may_view_member(&state.gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let status = match filter.status.as_deref().unwrap_or("Proposed") {
		"all" => None,
		s @ ("Proposed" | "Approved" | "Cancelled") => Some(s.to_owned()),
		_ => return Err(ApiError::new(Code::Malformed).field("status")),
	};
	let rows = state
		.gateway
		.index
		.query(
			"SELECT proposal, member, proxy, status, operation, proposed_block \
			 FROM transfer_proposals WHERE member = $1 \
			 AND (CAST($2 AS TEXT) IS NULL OR status = $3) ORDER BY proposal DESC LIMIT 100",
			vec![member.into(), status.clone().into(), status.into()],
		)
		.await?;
	let mut proposals = Vec::with_capacity(rows.len());
	for row in rows {
		proposals.push(Proposal {
			proposal: row.uint(0)?,
			member: input::ss58(row.bytes32(1)?),
			proxy: input::ss58(row.bytes32(2)?),
			status: row.text(3)?,
			operation: row.opt_uint(4)?,
			proposed_block: row.uint(5)?,
		});
	}
	Ok(axum::Json(Proposals { proposals }))
}

/// One beneficiary of a time will.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Beneficiary {
	/// A member (SS58), not the testator.
	pub account: String,
	/// Their share, 1 to 100 percent.
	pub percent: u8,
}

/// The whole will: it replaces the one before.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeWill {
	/// Up to five beneficiaries whose shares add up to at most 100; what is not left to them goes
	/// to the branch's pool (none: the will is withdrawn).
	pub beneficiaries: Vec<Beneficiary>,
}

fn beneficiaries(will: &TimeWill) -> Result<Vec<(AccountId32, Percent)>, ApiError> {
	let bad = || ApiError::new(Code::Malformed).field("beneficiaries");
	if will.beneficiaries.len() > MAX_BENEFICIARIES {
		return Err(bad());
	}
	let mut total = 0u32;
	let mut chosen = Vec::with_capacity(will.beneficiaries.len());
	for beneficiary in &will.beneficiaries {
		if !(1..=100).contains(&beneficiary.percent) {
			return Err(bad());
		}
		total += u32::from(beneficiary.percent);
		let account = AccountId32(input::account("beneficiaries", &beneficiary.account)?);
		if chosen.iter().any(|(a, _): &(AccountId32, Percent)| *a == account) {
			return Err(bad());
		}
		chosen.push((account, Percent(beneficiary.percent)));
	}
	if total > 100 {
		return Err(bad());
	}
	Ok(chosen)
}

/// Set (or withdraw) the caller's time will: who receives the credits when they die
/// (`ledger.set_time_will`; carried out within the beneficiaries' storage caps when staff open and
/// a second officer approves the estate; the rest goes to the pool).
#[utoipa::path(put, path = "/time-will", tag = "giving", request_body = TimeWill,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_time_will(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<TimeWill>,
) -> Result<Sent, ApiError> {
	let call = timebank::tx().ledger().set_time_will(BoundedVec(beneficiaries(&body)?));
	send(&state, session.account, &headers, &call).await
}

/// What happens to the credits when a member leaves.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Leave {
	/// `gift_to` (a verified relative, named in `to`), `donate_to_pool` or `dormant` (kept, the
	/// membership paused).
	pub choice: String,
	/// The relative, for `gift_to` (SS58).
	pub to: Option<String>,
}

/// Leave the time bank (`ledger.leave`).
#[utoipa::path(post, path = "/leave", tag = "giving", request_body = Leave,
	params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
	responses(WriteAnswers), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn leave(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Input(body): Input<Leave>,
) -> Result<Sent, ApiError> {
	let choice = match (body.choice.as_str(), body.to.as_deref()) {
		("gift_to", Some(to)) => ExitChoice::GiftTo(AccountId32(input::account("to", to)?)),
		("gift_to", None) => return Err(ApiError::new(Code::Missing).field("to")),
		("donate_to_pool", None) => ExitChoice::DonateToPool,
		("dormant", None) => ExitChoice::Dormant,
		(_, Some(_)) if body.choice != "gift_to" => {
			return Err(ApiError::new(Code::Malformed).field("to"))
		}
		_ => return Err(ApiError::new(Code::Malformed).field("choice")),
	};
	let call = timebank::tx().ledger().leave(choice);
	send(&state, session.account, &headers, &call).await
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

	fn transfer(
		kind: &str,
		to: Option<&str>,
		branch: Option<u32>,
		class: Option<&str>,
	) -> Transfer {
		Transfer {
			kind: kind.into(),
			to: to.map(Into::into),
			branch,
			class: class.map(Into::into),
			minutes: 10,
		}
	}

	#[test]
	fn transfer_targets_need_their_own_fields() {
		let field = |t: Transfer| transfer_target(&t).err().and_then(|e| e.field);
		assert!(matches!(
			transfer_target(&transfer("pool", None, Some(3), Some("honorary"))),
			Ok(TransferTarget::DonationToPool { branch: 3, class: BalanceClass::Honorary })
		));
		assert!(transfer_target(&transfer("member", Some(ALICE), None, None)).is_ok());
		assert_eq!(field(transfer("pool", None, None, None)), Some("branch"));
		assert_eq!(field(transfer("member", None, None, None)), Some("to"));
		assert_eq!(field(transfer("gift", Some(ALICE), None, Some("spendable"))), Some("class"));
		assert_eq!(field(transfer("pool", None, Some(0), Some("gold"))), Some("class"));
		assert_eq!(field(transfer("loan", Some(ALICE), None, None)), Some("kind"));
		assert_eq!(field(transfer("member", Some("nobody"), None, None)), Some("to"));
	}

	#[test]
	fn a_will_names_distinct_beneficiaries_whose_shares_make_at_most_a_whole() {
		let will = |shares: &[(&str, u8)]| TimeWill {
			beneficiaries: shares
				.iter()
				.map(|(a, p)| Beneficiary { account: (*a).into(), percent: *p })
				.collect(),
		};
		assert_eq!(beneficiaries(&will(&[(ALICE, 60), (BOB, 40)])).map(|b| b.len()).ok(), Some(2));
		assert_eq!(beneficiaries(&will(&[])).map(|b| b.len()).ok(), Some(0));
		// The rest of the estate goes to the branch's pool.
		assert_eq!(beneficiaries(&will(&[(ALICE, 60), (BOB, 30)])).map(|b| b.len()).ok(), Some(2));
		for bad in [
			will(&[(ALICE, 60), (BOB, 50)]),
			will(&[(ALICE, 50), (ALICE, 50)]),
			will(&[(ALICE, 0), (BOB, 100)]),
			will(&[(ALICE, 101)]),
			will(&[(ALICE, 20); 6]),
		] {
			assert_eq!(beneficiaries(&bad).err().and_then(|e| e.field), Some("beneficiaries"));
		}
	}
}
