//! A node whose transaction pool holds only a few transactions (`--pool-limit 4`) under a burst
//! from many members: the pool refuses some submissions, drops others it had taken, and bans the
//! hashes it dropped for a while. The outbox waits, sends again or signs again with the same
//! nonce, and in the end every operation is finalised exactly once: each member's nonce on
//! chain equals the operations the gateway sent for them.

use crate::common::{alice, config, DevNode};
use polkadot_sdk::sp_core::Pair as _;
use serde_json::json;
use std::time::{Duration, Instant};
use subxt::utils::{AccountId32, H256};
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_ledger::types::TransferTarget,
		pallet_timebank_registry::pallet::Call as RegistryCall,
		timebank_primitives::{ledger::BalanceClass, membership::MemberRoles},
		timebank_runtime::RuntimeCall,
	},
};
use timebank_gateway::{chain::Chain, store::Location, Gateway};

const MEMBERS: usize = 16;
const OPERATIONS_EACH: usize = 5;

/// Register `members` and grant each 600 minutes as Alice: every transaction sent at once with
/// consecutive nonces (the node's pool is still the default one), then wait for the last grant
/// to be final.
async fn register_at_once(node: &DevNode, chain: &Chain, members: &[[u8; 32]]) {
	let pair = alice();
	let account = pair.public().0;
	let mut nonce = chain.next_index(account).await.expect("nonce");
	for who in members {
		let register = RuntimeCall::Registry(RegistryCall::register_member {
			who: AccountId32(*who),
			branch: 0,
			identity_commitment: H256(sp_crypto_hashing::blake2_256(who)),
			roles: MemberRoles { volunteer: true, recipient: true, family_proxy: false },
		});
		let grant = timebank::tx().ledger().grant(AccountId32(*who), 600, H256::zero());
		let calls = [
			chain.encode_call(&timebank::tx().sudo().sudo(register)).await.expect("encode"),
			chain.encode_call(&grant).await.expect("encode"),
		];
		for call in calls {
			let at = chain.sign_at(64).await.expect("head");
			let signed = chain
				.sign(account, &call, nonce, at, |p| Ok::<_, String>(pair.sign(p).0))
				.await
				.expect("sign")
				.expect("signature");
			let answer = chain.submit(&signed.bytes).await.expect("submit");
			assert_eq!(answer, timebank_gateway::chain::Submitted::Accepted, "setup refused");
			nonce += 1;
		}
	}
	let last = AccountId32(*members.last().expect("members")).to_string();
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let (_, head) = chain.finalized_head().await.expect("head");
		let at = json!(format!("0x{}", hex::encode(head.0)));
		let balances = node.rpc("timebank_balances", vec![json!(last), at]).await;
		if balances["spendable"] == json!(600) {
			return;
		}
		assert!(Instant::now() < deadline, "the setup was not final within two minutes");
		tokio::time::sleep(Duration::from_millis(300)).await;
	}
}

#[tokio::test]
async fn a_pool_that_refuses_and_drops_transactions_loses_nothing_and_doubles_nothing() {
	let mut node = DevNode::start();
	node.ready().await;
	let dir = tempfile::tempdir().expect("temp dir");
	let location = Location::SqliteDir(dir.path().to_owned());
	let gateway = Gateway::open(config(&node, dir.path(), location)).await.expect("gateway opens");
	let mut members = Vec::new();
	for _ in 0..MEMBERS {
		members.push(gateway.vault.create_key(None).await.expect("key"));
	}
	register_at_once(&node, &gateway.chain, &members).await;
	// The same chain, now with a pool of four transactions.
	node.restart_with(&["--pool-limit", "4"]);
	node.ready().await;
	gateway.chain.reconnect().await.expect("the gateway reaches the restarted node");
	let workers = gateway.spawn_workers();

	let mut ids = Vec::new();
	for _ in 0..OPERATIONS_EACH {
		for (i, from) in members.iter().enumerate() {
			let to = AccountId32(members[(i + 1) % MEMBERS]);
			let target = TransferTarget::DonationToMember { to, class: BalanceClass::Spendable };
			let donation = timebank::tx().ledger().donate(target, 1);
			ids.push(gateway.submit(*from, &donation, None).await.expect("enqueued"));
		}
	}
	let deadline = Instant::now() + Duration::from_secs(300);
	for id in &ids {
		let left = deadline.saturating_duration_since(Instant::now());
		let op = gateway.outbox.wait_terminal(*id, left).await.expect("outbox");
		let counts = gateway.outbox.counts().await.expect("counts");
		let op = op.unwrap_or_else(|| panic!("operation {id} still open; outbox: {counts:?}"));
		assert_eq!(op.state, timebank_gateway::outbox::State::FinalizedOk, "{:?}", op.outcome);
	}
	for worker in workers {
		worker.abort();
	}

	// The pool did push back: some operations waited (refused as full, or banned).
	let waited = gateway
		.outbox
		.db()
		.query_one("SELECT COUNT(*) FROM operations WHERE attempts > 0", vec![])
		.await
		.expect("query")
		.expect("a count")
		.int(0)
		.expect("integer");
	assert!(waited > 0, "the pool never refused: the test did not test anything");

	// Exactly once: each member's nonce on chain is the number of operations sent for them, and
	// every balance is back to 600 (each gave five minutes and received five).
	for who in &members {
		let address = AccountId32(*who).to_string();
		let nonce = node.rpc("system_accountNextIndex", vec![json!(address)]).await;
		assert_eq!(nonce, json!(OPERATIONS_EACH), "{address}");
		let balances = node.rpc("timebank_balances", vec![json!(address)]).await;
		assert_eq!(balances["spendable"], json!(600), "{address}");
	}
}
