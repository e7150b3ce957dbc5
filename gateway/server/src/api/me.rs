//! `/api/v1/me`: the signed-in person's home: who they are on chain and their balances.

use super::{
	error::{ApiError, ErrorBody},
	input::ss58,
	session::SignedIn,
	ApiState,
};
use axum::extract::State;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

/// A member's balances in minutes, at the latest finalised block.
#[derive(Serialize, ToSchema, Default)]
pub struct Balances {
	/// Credits to spend; negative in a mutual-credit overdraft.
	pub spendable: i64,
	/// Credits that may only be given away (donated).
	pub donation_only: i64,
	/// Honorary credits (recognition, not spendable).
	pub honorary: i64,
	/// Credits held for services not yet confirmed.
	pub in_escrow: i64,
}

/// Membership, as the index has it.
#[derive(Serialize, ToSchema)]
pub struct Membership {
	/// The home branch.
	pub home_branch: u32,
	/// `Active`, `Suspended`, `Deceased`, …
	pub status: String,
}

/// An office the person holds.
#[derive(Serialize, ToSchema)]
pub struct Office {
	/// The branch.
	pub branch: u32,
	/// `Admin` or `Staff`.
	pub role: String,
}

/// The signed-in person.
#[derive(Serialize, ToSchema)]
pub struct Me {
	/// The account (SS58).
	pub account: String,
	/// Membership; absent while the registration is not final.
	pub membership: Option<Membership>,
	/// Offices held in branches.
	pub offices: Vec<Office>,
	/// Whether the person is an auditor.
	pub auditor: bool,
	/// Balances at the latest finalised block.
	pub balances: Balances,
	/// The block those balances are read at.
	pub finalized_block: u64,
	/// When this session ends, milliseconds since 1970.
	pub session_expires_at_ms: i64,
}

fn minutes(value: &serde_json::Value, field: &str) -> i64 {
	value.get(field).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// The signed-in person's home: membership, offices and balances.
#[utoipa::path(get, path = "/me", tag = "me",
	responses(
		(status = 200, body = Me),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 503, description = "chain.unavailable", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn me(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
) -> Result<axum::Json<Me>, ApiError> {
	let gateway = &state.gateway;
	let account = session.account;
	let membership = gateway
		.index
		.query_one(
			"SELECT home_branch, status FROM members WHERE account = $1",
			vec![account.into()],
		)
		.await?
		.map(|row| -> Result<Membership, crate::store::StoreError> {
			Ok(Membership {
				home_branch: u32::try_from(row.int(0)?).unwrap_or(u32::MAX),
				status: row.text(1)?,
			})
		})
		.transpose()?;
	let offices = gateway
		.index
		.query(
			"SELECT branch, role FROM officers WHERE account = $1 ORDER BY branch",
			vec![account.into()],
		)
		.await?
		.iter()
		.map(|row| {
			Ok(Office {
				branch: u32::try_from(row.int(0)?).unwrap_or(u32::MAX),
				role: row.text(1)?,
			})
		})
		.collect::<Result<Vec<_>, crate::store::StoreError>>()?;
	let auditor = gateway
		.index
		.query_one("SELECT 1 FROM auditors WHERE account = $1", vec![account.into()])
		.await?
		.is_some();
	let (finalized_block, hash) = gateway.chain.finalized_head().await?;
	let at = json!(format!("0x{}", hex::encode(hash.0)));
	let on_chain =
		gateway.chain.request("timebank_balances", vec![json!(ss58(account)), at]).await?;
	let balances = Balances {
		spendable: minutes(&on_chain, "spendable"),
		donation_only: minutes(&on_chain, "donationOnly"),
		honorary: minutes(&on_chain, "honorary"),
		in_escrow: minutes(&on_chain, "inEscrow"),
	};
	Ok(axum::Json(Me {
		account: ss58(account),
		membership,
		offices,
		auditor,
		balances,
		finalized_block,
		session_expires_at_ms: session.expires_at_ms,
	}))
}
