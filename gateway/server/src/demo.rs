//! A demo branch on the development chain (`timebank-gateway demo`, run by `scripts/run-dev`):
//! staff and members with known phone numbers and passwords, so a newcomer can sign in at once.
//!
//! It refuses any chain but the development chain, whose sudo and branch-0 admin is the public
//! development key `//Alice`; every demo person is named 演示 (demo) so nobody mistakes them for
//! real members. Running it again changes nothing.

use crate::{
	chain::{Chain, Submitted},
	members::{PersonalData, Roles},
	outbox::State,
	Gateway, GatewayError,
};
use polkadot_sdk::sp_core::{sr25519, Pair as _};
use std::time::Duration;
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_registry::pallet::Call as RegistryCall,
		timebank_primitives::membership::OfficerRole, timebank_runtime::RuntimeCall,
	},
};
use timebank_custody::FieldKind;

/// The development chain's name (`node/src/chain_spec.rs`).
pub const DEVELOPMENT_CHAIN: &str = "Time Bank Development";

/// One demo person.
#[derive(Clone, Copy, Debug)]
pub struct DemoPerson {
	/// Who they are, for the printed table.
	pub role: &'static str,
	/// Their name in the vault.
	pub name: &'static str,
	/// The phone number they sign in with.
	pub phone: &'static str,
	/// Their password.
	pub password: &'static str,
}

/// Staff of branch 0.
pub const STAFF: DemoPerson = DemoPerson {
	role: "staff of branch 0 (registers members, resets passwords)",
	name: "演示工作人员",
	phone: "+8613800000001",
	password: "demo-staff-1",
};

/// The members staff register: an elder with 600 minutes, her daughter as family proxy, and a
/// volunteer.
pub const MEMBERS: [(DemoPerson, Roles, &str); 3] = [
	(
		DemoPerson {
			role: "elder (receives services; 600 minutes granted)",
			name: "演示老人",
			phone: "+8613800000002",
			password: "demo-elder-1",
		},
		Roles { volunteer: false, recipient: true, family_proxy: false },
		"DEMO00000002",
	),
	(
		DemoPerson {
			role: "family proxy",
			name: "演示家属",
			phone: "+8613800000003",
			password: "demo-family-1",
		},
		Roles { volunteer: false, recipient: false, family_proxy: true },
		"DEMO00000003",
	),
	(
		DemoPerson {
			role: "volunteer",
			name: "演示志愿者",
			phone: "+8613800000004",
			password: "demo-volunteer-1",
		},
		Roles { volunteer: true, recipient: false, family_proxy: false },
		"DEMO00000004",
	),
];

/// Why the demo could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
	/// Not the development chain.
	#[error(
		"the node runs \"{0}\", not the development chain: the demo branch is only for \
		 `scripts/run-dev` (it signs with the public development key //Alice)"
	)]
	NotDevelopment(String),
	/// The chain refused or failed a setup call.
	#[error("the chain did not take the demo's {what}: {reason}")]
	Refused {
		/// Which call.
		what: &'static str,
		/// The chain's reason.
		reason: String,
	},
	/// A setup call was not final in time.
	#[error("the demo's {0} was not final within two minutes: is the node producing blocks?")]
	Timeout(&'static str),
}

/// Sign `call` with a development key outside custody, send it and wait until a finalised block
/// holds it. Only for development chains (the demo, and the tests' setup).
pub async fn submit_with_dev_key(
	chain: &Chain,
	pair: &sr25519::Pair,
	call: &impl subxt::tx::Payload,
	what: &'static str,
) -> Result<(), GatewayError> {
	let account = pair.public().0;
	let nonce = chain.next_index(account).await?;
	let bytes = chain.encode_call(call).await?;
	let at = chain.sign_at(64).await?;
	let signed = chain
		.sign(account, &bytes, nonce, at, |payload| Ok::<_, String>(pair.sign(payload).0))
		.await?
		.map_err(|reason| DemoError::Refused { what, reason })?;
	match chain.submit(&signed.bytes).await? {
		Submitted::Accepted => {}
		other => return Err(DemoError::Refused { what, reason: format!("{other:?}") }.into()),
	}
	let deadline = std::time::Instant::now() + Duration::from_secs(120);
	let mut next = at.birth.0 + 1;
	loop {
		let (head, _) = chain.finalized_head().await?;
		while next <= head {
			if let Some(hash) = chain.block_hash(next).await? {
				for tx in chain.included(next, hash).await? {
					if tx.hash == signed.hash {
						return match tx.refusal {
							None => Ok(()),
							Some(refusal) => Err(DemoError::Refused {
								what,
								reason: format!("{}: {}", refusal.code, refusal.words),
							}
							.into()),
						};
					}
				}
			}
			next += 1;
		}
		if std::time::Instant::now() > deadline {
			return Err(DemoError::Timeout(what).into());
		}
		tokio::time::sleep(Duration::from_millis(300)).await;
	}
}

impl Gateway {
	/// Set up the demo branch on the development chain, unless it is there already; the people
	/// who can sign in.
	pub async fn seed_demo(&self) -> Result<Vec<DemoPerson>, GatewayError> {
		let chain_name = self.chain.request("system_chain", vec![]).await?;
		let chain_name = chain_name.as_str().unwrap_or_default().to_owned();
		if chain_name != DEVELOPMENT_CHAIN {
			return Err(DemoError::NotDevelopment(chain_name).into());
		}
		let mut people = vec![STAFF];
		people.extend(MEMBERS.iter().map(|(person, _, _)| *person));
		if !self.vault.find(FieldKind::Phone, STAFF.phone.as_bytes()).await?.is_empty() {
			tracing::info!("the demo branch is already set up");
			return Ok(people);
		}
		let alice = sr25519::Pair::from_string("//Alice", None).map_err(|e| {
			DemoError::Refused { what: "development key", reason: format!("{e:?}") }
		})?;
		// Each step can be run again after a failure: the key and the registrations are made
		// under idempotency keys, the appointment and the grant are skipped once on chain.
		let staff = self.vault.create_key(Some(("demo", "staff"))).await?;
		if !self.holds_office_in(staff, 0).await? {
			let appoint = RuntimeCall::Registry(RegistryCall::appoint_officer {
				branch: 0,
				who: subxt::utils::AccountId32(staff),
				role: OfficerRole::Staff,
			});
			let sudo = timebank::tx().sudo().sudo(appoint);
			submit_with_dev_key(&self.chain, &alice, &sudo, "officer").await?;
		}
		for (person, roles, id_number) in MEMBERS {
			self.seed_demo_member(staff, &alice, person, roles, id_number).await?;
		}
		// The staff member's phone last: its presence says the demo is complete.
		self.vault
			.store_personal(
				staff,
				&[
					(FieldKind::Name, STAFF.name.as_bytes()),
					(FieldKind::Phone, STAFF.phone.as_bytes()),
				],
			)
			.await?;
		self.store_password(staff, STAFF.password.to_owned().into(), staff).await?;
		Ok(people)
	}

	/// Register one demo member (staff sign), give them their password, and grant an elder 600
	/// minutes unless they already have credits.
	async fn seed_demo_member(
		&self,
		staff: [u8; 32],
		alice: &sr25519::Pair,
		person: DemoPerson,
		roles: Roles,
		id_number: &str,
	) -> Result<(), GatewayError> {
		let details = PersonalData {
			name: person.name.into(),
			phone: Some(person.phone.into()),
			id_type: "demo-card".into(),
			id_number: id_number.into(),
			address: None,
			birth_date: None,
		};
		let registration =
			self.register_member(staff, 0, roles, &details, Some(("demo", person.phone))).await?;
		let done = self.outbox.wait_terminal(registration.operation, Duration::from_secs(120));
		match done.await?.map(|op| (op.state, op.outcome)) {
			Some((State::FinalizedOk, _)) => {}
			Some((_, outcome)) => {
				let reason = outcome.unwrap_or_default();
				return Err(DemoError::Refused { what: "registration", reason }.into());
			}
			None => return Err(DemoError::Timeout("registration").into()),
		}
		self.store_password(registration.account, person.password.to_owned().into(), staff).await?;
		let balances = self
			.chain
			.request(
				"timebank_balances",
				vec![
					serde_json::json!(subxt::utils::AccountId32(registration.account).to_string()),
				],
			)
			.await?;
		let unfunded = balances.get("spendable").and_then(serde_json::Value::as_i64) == Some(0);
		if roles.recipient && unfunded {
			let grant = timebank::tx().ledger().grant(
				subxt::utils::AccountId32(registration.account),
				600,
				subxt::utils::H256::zero(),
			);
			submit_with_dev_key(&self.chain, alice, &grant, "grant").await?;
		}
		Ok(())
	}
}
