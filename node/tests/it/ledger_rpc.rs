//! The member registry and the time-credit ledger on a real development node, driven by signed
//! extrinsics and read back over the `timebank_*` RPC methods.
//!
//! Alice is the sudo key and the admin of genesis branch 0. The members are fresh accounts with no
//! native tokens: that they can transact at all shows member calls are fee-free.

use crate::common::{
	chain::{must_submit, submit, wait_until, Signer},
	no_network_meanwhile, Node, NodeConfig,
};
use pallet_timebank_ledger::{Call as LedgerCall, TransferTarget};
use pallet_timebank_registry::Call as RegistryCall;
use polkadot_sdk::{pallet_sudo, sp_core::H256};
use serde_json::{json, Value};
use std::time::Duration;
use timebank_primitives::{BalanceClass, MemberRoles, ReversalReason};
use timebank_runtime::RuntimeCall;

fn balances(node: &Node, who: &Signer) -> Value {
	node.rpc("timebank_balances", json!([who.address()]))
}

fn wait_for_spendable(node: &Node, who: &Signer, expected: i64) -> Value {
	wait_until(node, "timebank_balances", json!([who.address()]), |b| {
		b["spendable"] == json!(expected)
	})
}

// Over 70 lines: one journey on one chain, each step starting from the state the step before
// left, so it reads top to bottom like the user guide it follows.
#[test]
fn members_grants_gifts_donations_and_reversals_over_timebank_rpc() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let node = Node::start(NodeConfig::dev(dir.path()));
	node.wait_for_finalized(1, Duration::from_secs(60));

	let alice = Signer::new("//Alice");
	let bob = Signer::new("//Bob");
	let grandma = Signer::new("//Grandma");
	let daughter = Signer::new("//Daughter");
	let elder = Signer::new("//ElderInBranch1");
	let outsider = Signer::new("//Ferdie");

	// The council's job, done with sudo on the dev chain: a second branch under branch 0.
	let register_branch = RuntimeCall::Registry(RegistryCall::register_branch {
		parent: Some(0),
		admin: bob.account.clone(),
		profile_hash: H256::repeat_byte(0xb1),
	});
	must_submit(
		&node,
		&alice,
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(register_branch) }),
	);
	let branch1 = wait_until(&node, "timebank_branchSummary", json!([1]), |s| !s.is_null());
	assert_eq!(branch1["parent"], json!(0));

	// Staff-assisted registration: the members never held a token.
	let register = |who: &Signer, branch: u32, n: u8, roles: MemberRoles| {
		RuntimeCall::Registry(RegistryCall::register_member {
			who: who.account.clone(),
			branch,
			identity_commitment: H256::repeat_byte(n),
			roles,
		})
	};
	let recipient = MemberRoles { recipient: true, ..Default::default() };
	let volunteering = MemberRoles { volunteer: true, ..Default::default() };
	must_submit(&node, &alice, register(&grandma, 0, 1, recipient));
	must_submit(&node, &alice, register(&daughter, 0, 2, volunteering));
	must_submit(&node, &bob, register(&elder, 1, 3, recipient));
	let member = wait_until(&node, "timebank_member", json!([elder.address()]), |m| !m.is_null());
	assert_eq!(member["homeBranch"], json!(1));
	let grandma_record =
		wait_until(&node, "timebank_member", json!([grandma.address()]), |m| !m.is_null());
	assert_eq!(grandma_record["status"], json!("active"));
	assert_eq!(grandma_record["roles"]["recipient"], json!(true));
	assert_eq!(grandma_record["identityCommitment"], json!(format!("0x{}", "01".repeat(32))));

	// A non-member's ledger call is refused before it reaches the pool.
	let refused = submit(
		&node,
		&outsider,
		RuntimeCall::Ledger(LedgerCall::gift { to: grandma.account.clone(), amount: 1 }),
	);
	let error = refused.expect_err("a non-member's call must be refused");
	assert!(error.contains("1010") || error.contains("Invalid"), "unexpected error: {error}");

	// Grants from branch 0's grant account, a relation verified by staff, then a gift.
	must_submit(
		&node,
		&alice,
		RuntimeCall::Registry(RegistryCall::verify_relation {
			a: grandma.account.clone(),
			b: daughter.account.clone(),
			evidence: H256::repeat_byte(7),
		}),
	);
	let grant = |to: &Signer, amount: u64| {
		RuntimeCall::Ledger(LedgerCall::grant {
			to: to.account.clone(),
			amount,
			memo: H256::zero(),
		})
	};
	must_submit(&node, &alice, grant(&daughter, 600));
	must_submit(&node, &alice, grant(&grandma, 120));
	wait_for_spendable(&node, &daughter, 600);
	wait_for_spendable(&node, &grandma, 120);

	must_submit(
		&node,
		&daughter,
		RuntimeCall::Ledger(LedgerCall::gift { to: grandma.account.clone(), amount: 60 }),
	);
	wait_for_spendable(&node, &grandma, 180);

	// Donations: to branch 0's pool, and across branches to a named elder (through clearing).
	must_submit(
		&node,
		&grandma,
		RuntimeCall::Ledger(LedgerCall::donate {
			target: TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable },
			amount: 30,
		}),
	);
	must_submit(
		&node,
		&daughter,
		RuntimeCall::Ledger(LedgerCall::donate {
			target: TransferTarget::DonationToMember {
				to: elder.account.clone(),
				class: BalanceClass::Spendable,
			},
			amount: 45,
		}),
	);
	wait_for_spendable(&node, &elder, 45);
	wait_for_spendable(&node, &grandma, 150);
	let summary = node.rpc("timebank_branchSummary", json!([0]));
	assert_eq!(summary["redemptionLiability"], json!(720), "summary: {summary}");
	assert_eq!(summary["poolBalance"], json!(30));
	assert_eq!(summary["activeMembers"], json!(2));
	assert_eq!(summary["clearingPositions"], json!([[1, 45]]));

	// The daughter's statement: grant, gift, donation, with block numbers and extrinsic indices.
	let statement = node.rpc("timebank_statement", json!([daughter.address(), 0, 10]));
	let lines = statement["lines"].as_array().expect("lines");
	let kinds: Vec<&str> = lines.iter().filter_map(|l| l["kind"].as_str()).collect();
	assert_eq!(kinds, ["grant", "gift", "donation"], "statement: {statement}");
	assert!(lines.iter().all(|l| l["blockNumber"].as_u64().is_some_and(|n| n > 0)));
	assert!(lines.iter().all(|l| l["extrinsicIndex"].as_u64().is_some_and(|i| i > 0)));
	let donation_operation = lines[2]["operation"].as_u64().expect("operation id");

	// The cross-branch donation was a mistake: branch 0's admin asks to reverse it, and since
	// it takes credits back from a member of branch 1, branch 1's admin must approve
	// (security review L5).
	must_submit(
		&node,
		&alice,
		RuntimeCall::Ledger(LedgerCall::reverse {
			operation: donation_operation,
			reason: ReversalReason::EnteredInError,
			memo: H256::repeat_byte(9),
		}),
	);
	must_submit(
		&node,
		&bob,
		RuntimeCall::Audits(pallet_timebank_audits::Call::vote {
			review: 0,
			decision: timebank_primitives::Decision::Approve,
			reason: H256::repeat_byte(10),
		}),
	);
	wait_for_spendable(&node, &elder, 0);
	assert_eq!(balances(&node, &daughter)["spendable"], json!(600 - 60));
	let statement = node.rpc("timebank_statement", json!([daughter.address(), 2, 10]));
	assert_eq!(statement["total"], json!(4));
	let reversal = &statement["lines"][1];
	assert_eq!(reversal["kind"], json!("reversal"));
	assert_eq!(reversal["reverses"], json!(donation_operation));
	let summary = node.rpc("timebank_branchSummary", json!([0]));
	assert_eq!(summary["clearingPositions"], json!([[1, 0]]));

	// Bad input gets a clear error; unknown things are null.
	let error = node
		.try_rpc("timebank_statement", json!([daughter.address(), 0, 1000]))
		.expect_err("a page above the maximum is refused");
	assert!(error.contains("limit must be between 1 and 100"), "unexpected error: {error}");
	assert_eq!(node.rpc("timebank_branchSummary", json!([42])), Value::Null);
	assert_eq!(node.rpc("timebank_member", json!([outsider.address()])), Value::Null);
	assert!(node.try_rpc("timebank_balances", json!(["not-an-address"])).is_err());
}
