//! A member's key beyond signing, after the service of `service.rs` (same node, same gateway,
//! both databases): the volunteer's account moves to a new custodial key on chain, and he takes
//! his words home. (Not the elder: the chain refuses to move her while her request's listing or
//! its no-show check is still open, and the dry run says so in those words.)

use crate::common::DevNode;
use polkadot_sdk::sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_ledger::types::TransferTarget, timebank_primitives::ledger::BalanceClass,
	},
};
use timebank_gateway::{
	keys::{KeyError, Reauthentication},
	outbox::{OperationId, State},
	vault::VaultError,
	Gateway, GatewayError,
};

async fn finished(gateway: &Gateway, id: OperationId, what: &str) -> (State, String, u64) {
	let op = gateway.outbox.wait_terminal(id, Duration::from_secs(90)).await.expect("outbox");
	let op = op.unwrap_or_else(|| panic!("{what}: not finished within 90 s"));
	(op.state, op.outcome.unwrap_or_default(), op.block_number.unwrap_or(0))
}

async fn done(gateway: &Gateway, id: OperationId, what: &str) -> u64 {
	let (state, outcome, block) = finished(gateway, id, what).await;
	assert_eq!(state, State::FinalizedOk, "{what}: {outcome}");
	block
}

/// `member` asks to move to a new key (a retried request asks for the same one), staff
/// approve, and once the index shows it final the old key is retired: the gateway refuses to
/// sign with it, the new key signs (a donation to `recipient`), the index and the chain still agree.
pub async fn the_account_moves_to_a_new_key(
	node: &DevNode,
	gateway: &Gateway,
	staff: [u8; 32],
	member: [u8; 32],
	recipient: [u8; 32],
) -> [u8; 32] {
	let request = Some(("counter", "rekey-volunteer"));
	let rekey = gateway.request_rekey(member, request).await.expect("re-key enqueued");
	let again = gateway.request_rekey(member, request).await.expect("retried");
	assert_eq!(again, rekey, "a retried re-key is the same request for the same key");
	assert_ne!(rekey.new, member);
	done(gateway, rekey.operation, "request the re-key").await;
	let pending = node.rpc("timebank_member", vec![serde_json::json!(ss58(member))]).await;
	assert!(pending.is_object(), "the member is still a member under the old key: {pending}");

	let approve = timebank::tx().registry().approve_rekey(AccountId32(member));
	let op = gateway.submit(staff, &approve, None).await.expect("enqueue");
	done(gateway, op, "approve the re-key").await;

	// The settler (a worker) retires the old key once the index shows `Rekeyed` final.
	let deadline = Instant::now() + Duration::from_secs(60);
	while gateway.vault.sealed_key(member).await.is_ok() {
		assert!(Instant::now() < deadline, "the old key was not retired within 60 s");
		tokio::time::sleep(Duration::from_millis(300)).await;
	}
	assert!(matches!(gateway.vault.sealed_key(member).await, Err(VaultError::Retired(_))));
	let moved = gateway
		.index
		.query_one("SELECT status, rekeyed_to FROM members WHERE account = $1", vec![member.into()])
		.await
		.expect("query")
		.expect("the old key is indexed");
	assert_eq!((moved.text(0).unwrap(), moved.bytes32(1).unwrap()), ("Rekeyed".into(), rekey.new));

	let target = TransferTarget::DonationToMember {
		to: AccountId32(recipient),
		class: BalanceClass::Spendable,
	};
	let donation = timebank::tx().ledger().donate(target, 1);
	let op = gateway.submit(member, &donation, None).await.expect("enqueue");
	let (state, outcome, _) = finished(gateway, op, "a donation from the old key").await;
	assert_eq!(state, State::Refused);
	assert!(outcome.starts_with("Gateway.AccountRetired"), "{outcome}");
	let op = gateway.submit(rekey.new, &donation, None).await.expect("enqueue");
	let last = done(gateway, op, "a donation from the new key").await;

	crate::service::indexed_up_to(&gateway.index, last).await;
	let differences = timebank_gateway::indexer::reconcile(&gateway.index, &gateway.chain)
		.await
		.expect("reconcile");
	assert!(differences.is_empty(), "after the re-key: {differences:?}");
	let trail = gateway.vault.audit_trail(member).await.expect("audit");
	let actions: Vec<&str> = trail.iter().map(|(action, _, _)| action.as_str()).collect();
	assert_eq!(actions, ["rekey-requested", "rekey-completed"]);
	rekey.new
}

/// The member's words, shown only to a home officer who typed the document's number again:
/// other officers and wrong numbers are refused (and wrong numbers audited, five a day at
/// most); the words open the member's account in any wallet.
pub async fn the_member_takes_the_words_home(
	gateway: &Gateway,
	staff: [u8; 32],
	member: [u8; 32],
	not_staff: [u8; 32],
	id_number: &str,
) {
	let counter = |officer: [u8; 32], number: &str| Reauthentication::Counter {
		officer,
		id_number: number.to_owned(),
	};
	let refused = |result: Result<_, GatewayError>| match result {
		Err(GatewayError::Key(e)) => e,
		Err(other) => panic!("refused for another reason: {other}"),
		Ok(_) => panic!("the words were shown"),
	};
	let export = |reauthentication: Reauthentication| async move {
		gateway.export_key(member, &reauthentication).await
	};
	assert_eq!(refused(export(counter(not_staff, id_number)).await), KeyError::NotHomeStaff);
	assert_eq!(refused(export(counter(staff, "WRONG0000")).await), KeyError::WrongDocument);

	// Typed with spaces and in lower case, the number is still the registered one.
	let typed = format!(" {} ", id_number.to_lowercase());
	let phrase = export(counter(staff, &typed)).await.expect("the words");
	assert_eq!(phrase.split(' ').count(), 12);
	let (pair, _) = sr25519::Pair::from_phrase(&phrase, None).expect("a wallet imports the words");
	assert_eq!(pair.public().0, member, "the words open the member's account");

	for _ in 1..timebank_gateway::keys::EXPORT_ATTEMPTS_PER_DAY {
		assert_eq!(refused(export(counter(staff, "WRONG0000")).await), KeyError::WrongDocument);
	}
	assert_eq!(refused(export(counter(staff, id_number)).await), KeyError::TooManyAttempts);

	let trail = gateway.vault.audit_trail(member).await.expect("audit");
	let exports: Vec<(&str, [u8; 32])> = trail
		.iter()
		.filter(|(action, _, _)| action.starts_with("export"))
		.map(|(action, actor, _)| (action.as_str(), *actor))
		.collect();
	let mut expected = vec![("export-refused", staff), ("export", staff)];
	expected.extend(vec![("export-refused", staff); 4]);
	assert_eq!(exports, expected);
	let exported_at = gateway
		.vault
		.db()
		.query_one("SELECT exported_at FROM member_keys WHERE account = $1", vec![member.into()])
		.await
		.expect("query")
		.expect("the key");
	assert!(exported_at.int(0).expect("an export time") > 0);
}

fn ss58(account: [u8; 32]) -> String {
	use polkadot_sdk::sp_core::crypto::{AccountId32 as CoreAccount, Ss58Codec};
	CoreAccount::from(account).to_ss58check()
}
