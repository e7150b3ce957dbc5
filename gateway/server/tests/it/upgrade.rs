//! A runtime upgrade under a running gateway. The chain starts as spec 110 built it
//! (`tests/fixtures/README.md`: the last runtime before the dry-run API of spec 111), so the
//! gateway's dry run takes its fallback there. Staff register a member through the gateway; the development
//! sudo key sets this tree's runtime as the code; staff register another; both finalise. The
//! indexer, following all along, shows both; and a gateway meeting the chain for the first time
//! at the upgrade block decodes that block (run by the old code, whose own state already holds the
//! new code) and the next, each with the runtime that ran it: the old one's events field by field,
//! by name, this tree's as the generated types.

use crate::common::{alice, appoint_staff, config, submit_as_dev, DevNode};
use serde_json::Value;
use std::time::{Duration, Instant};
use timebank_chain_api::timebank::{
	self,
	runtime_types::{frame_system::pallet::Call as SystemCall, timebank_runtime::RuntimeCall},
};
use timebank_gateway::{
	chain::Chain,
	members::{PersonalData, Roles},
	outbox::State,
	store::Location,
	Gateway,
};

/// The development chain as spec 110 built it (`tests/fixtures/README.md`): the chain starts on
/// that runtime.
const PREVIOUS_SPEC: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev-spec110.raw.json");
/// `:code`, hex-encoded, as a raw chain spec keys it.
const CODE_KEY: &str = "0x3a636f6465";

/// This tree's runtime, as its node puts it in a development chain's genesis.
fn current_runtime() -> Vec<u8> {
	let output = std::process::Command::new(crate::common::node_binary())
		.args(["export-chain-spec", "--chain", "dev", "--raw"])
		.output()
		.expect("run timebank-node export-chain-spec");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let spec: Value = serde_json::from_slice(&output.stdout).expect("a JSON chain spec");
	let code = spec["genesis"]["raw"]["top"][CODE_KEY].as_str().expect("the spec holds :code");
	hex::decode(code.trim_start_matches("0x")).expect(":code is hex")
}

async fn spec_version(node: &DevNode) -> u64 {
	node.rpc("state_getRuntimeVersion", vec![]).await["specVersion"].as_u64().expect("specVersion")
}

fn person(name: &str) -> PersonalData {
	PersonalData {
		name: name.into(),
		phone: None,
		id_type: "resident-id".into(),
		id_number: format!("UPGRADE-{name}"),
		address: None,
		birth_date: None,
	}
}

/// Staff register `name` through the gateway; the new account and the block it finalised in.
async fn register(gateway: &Gateway, staff: [u8; 32], name: &str) -> ([u8; 32], u64) {
	let roles = Roles { recipient: true, ..Default::default() };
	let registration =
		gateway.register_member(staff, 0, roles, &person(name), None).await.expect("enqueued");
	let op = gateway
		.outbox
		.wait_terminal(registration.operation, Duration::from_secs(90))
		.await
		.expect("outbox")
		.unwrap_or_else(|| panic!("{name}'s registration did not end within 90 s"));
	assert_eq!(op.state, State::FinalizedOk, "{name}: {:?}", op.outcome);
	(registration.account, op.block_number.expect("a block"))
}

async fn indexed_member(gateway: &Gateway, account: [u8; 32]) -> bool {
	gateway
		.index
		.query_one("SELECT 1 FROM members WHERE account = $1", vec![account.into()])
		.await
		.expect("index")
		.is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gateway_and_its_indexer_carry_on_through_a_runtime_upgrade() {
	let node = DevNode::start_with(&["--chain", PREVIOUS_SPEC]);
	let chain = node.ready().await;
	let before = spec_version(&node).await;

	let data = tempfile::tempdir().expect("temp dir");
	let location = Location::SqliteDir(data.path().to_owned());
	let gateway = Gateway::open(config(&node, data.path(), location)).await.expect("gateway");
	let workers = gateway.spawn_workers();
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	appoint_staff(&chain, staff).await;

	// On the old runtime: the dry run has no `TransactionPreview` and falls back.
	let (first, _) = register(&gateway, staff, "BeforeUpgrade").await;

	let (before_upgrade, _) = chain.finalized_head().await.expect("head");
	let set_code = RuntimeCall::System(SystemCall::set_code { code: current_runtime() });
	submit_as_dev(&chain, &alice(), &timebank::tx().sudo().sudo(set_code)).await;
	let deadline = Instant::now() + Duration::from_secs(60);
	while spec_version(&node).await == before {
		assert!(Instant::now() < deadline, "the runtime did not change:\n{}", node.log_tail(30));
		tokio::time::sleep(Duration::from_millis(300)).await;
	}
	let after = spec_version(&node).await;
	assert!(after > before, "upgraded from spec {before} to {after}");

	// On the new runtime: the dry run through `TransactionPreview`.
	let (second, second_block) = register(&gateway, staff, "AfterUpgrade").await;

	crate::service::indexed_up_to(&gateway.index, second_block).await;
	assert!(indexed_member(&gateway, first).await, "the member registered before the upgrade");
	assert!(indexed_member(&gateway, second).await, "the member registered after the upgrade");
	let upgrade_block = gateway
		.index
		.query_one(
			"SELECT MIN(block) FROM extrinsics WHERE pallet = 'Sudo' AND ok = 1 AND block > $1",
			vec![(before_upgrade as i64).into()],
		)
		.await
		.expect("index")
		.and_then(|row| row.opt_int(0).ok().flatten())
		.expect("the upgrade's sudo call is indexed") as u64;
	for worker in workers {
		worker.abort();
	}

	// A gateway that meets the chain first at the upgrade block: no decoder made earlier helps.
	let fresh = Chain::connect(&node.url()).await.expect("connect");
	for number in [upgrade_block, upgrade_block + 1] {
		let hash = fresh.block_hash(number).await.expect("hash").expect("finalised");
		let block = fresh
			.block(number, hash)
			.await
			.unwrap_or_else(|e| panic!("block {number} around the upgrade: {e}"));
		assert!(
			block.extrinsics.iter().all(|x| x.refusal.is_none()),
			"block {number}: {:?}",
			block.extrinsics
		);
		if number == upgrade_block {
			assert!(
				block.extrinsics.iter().any(|x| x.pallet == "Sudo" && x.call == "sudo"),
				"the upgrade block holds the sudo call: {:?}",
				block.extrinsics
			);
		}
	}
	// Both runtimes' blocks were decoded each with their own decoder; this tree's runtime's events
	// all as the generated types, the old runtime's where its event types are the same.
	let versions = fresh.pallets_with_generated_events_by_version();
	let numbers: Vec<u64> = versions.iter().map(|(v, _)| u64::from(*v)).collect();
	assert_eq!(numbers, vec![before, after]);
	let all = timebank_gateway::chain::pallets_with_events();
	assert_eq!(versions[1].1, all);
	assert!(versions[0].1.iter().all(|p| all.contains(p)), "{versions:?}");
	assert!(versions[0].1.contains(&"Ledger".to_owned()), "{versions:?}");
}
