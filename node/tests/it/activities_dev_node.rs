//! Activities, audits and training on a real development node, driven by signed extrinsics and
//! read back over `timebank_*` RPC: a trained volunteer serves an elder's proxy's request, a group
//! activity splits its provider's time, a volunteer of another branch is paid through clearing, a
//! disputed service is settled by two officers, an unconfirmed one settles itself, and a
//! certificate is checked against a finalised block with a storage proof. After every step the
//! runtime's invariant checks (`timebank_checkInvariants`) must hold.
//!
//! Times come from the chain, so the test lets a little over a minute pass between check-in and
//! check-out, and branch 0 rounds to the minute.

use crate::common::{
	chain::{must_submit, wait_until, Signer},
	no_network_meanwhile, Node, NodeConfig,
};
use codec::Decode;
use pallet_timebank_activities::{ActivityPolicy, Call as ActivitiesCall, Category, Funding};
use pallet_timebank_audits::{Call as AuditsCall, ReviewPolicy};
use pallet_timebank_ledger::{Call as LedgerCall, LedgerPolicy};
use pallet_timebank_registry::Call as RegistryCall;
use pallet_timebank_training::Call as TrainingCall;
use polkadot_sdk::{
	pallet_sudo,
	sp_core::H256,
	sp_runtime::{traits::BlakeTwo256, Percent},
	sp_state_machine::read_proof_check,
	sp_trie::StorageProof,
};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use timebank_bench::rpc::{from_hex, header_number};
use timebank_primitives::{
	ArbitrationOutcome, Certificate, Decision, ListingKind, MemberRoles, OfficerRole,
	ProxyPermissions, RiskLevel,
};
use timebank_runtime::{AccountId, RuntimeCall};

const COMPANIONSHIP: u16 = 1;
const BATHING: u16 = 2;
const BATHING_SKILL: u32 = 7;

fn activities(call: ActivitiesCall<timebank_runtime::Runtime>) -> RuntimeCall {
	RuntimeCall::Activities(call)
}

fn spendable(node: &Node, who: &Signer) -> i64 {
	node.rpc("timebank_balances", json!([who.address()]))["spendable"].as_i64().expect("number")
}

fn engagement(node: &Node, id: u64) -> Value {
	node.rpc("timebank_engagement", json!([id]))
}

fn wait_for_engagement(node: &Node, id: u64, state: &str) -> Value {
	wait_until(node, "timebank_engagement", json!([id]), |e| e["state"] == json!(state))
}

fn assert_invariants(node: &Node, after: &str) {
	let report = node.rpc("timebank_checkInvariants", json!([]));
	assert_eq!(report["holds"], json!(true), "after {after}: {report}");
}

/// Wait until `count` more blocks are built (what was submitted before is then in a block).
fn wait_blocks(node: &Node, count: u64) {
	let target = node.best_number() + count;
	wait_until(node, "chain_getHeader", json!([]), |h| {
		header_number(h).is_some_and(|number| number >= target)
	});
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as u64
}

/// A one-hour listing of branch 0 starting now (check-in opens at the slot).
fn draft(
	kind: ListingKind,
	category: u16,
	participants: u32,
) -> pallet_timebank_activities::ListingDraft {
	let start = now_ms();
	pallet_timebank_activities::ListingDraft {
		kind,
		branch: 0,
		category,
		slot_start: start,
		slot_end: start + 3_600_000,
		area: 310_104,
		estimated_minutes: 60,
		min_trust: 0,
		max_participants: participants,
		funding: Funding::Own,
		details_hash: Default::default(),
	}
}

/// `owner` (or `publisher` for them) publishes; each of `applicants` applies and is accepted by
/// `acceptor`; the escrow holds must appear.
fn publish_and_accept(
	node: &Node,
	publisher: &Signer,
	owner: Option<&Signer>,
	listing_draft: pallet_timebank_activities::ListingDraft,
	acceptor: &Signer,
	applicants: &[&Signer],
	listing: u64,
) {
	must_submit(
		node,
		publisher,
		activities(ActivitiesCall::publish {
			draft: listing_draft,
			owner: owner.map(|o| o.account.clone()),
		}),
	);
	wait_until(node, "timebank_listing", json!([listing]), |l| l["status"] == json!("open"));
	for applicant in applicants {
		must_submit(node, applicant, activities(ActivitiesCall::apply { listing }));
	}
	wait_until(node, "timebank_listing", json!([listing]), |l| {
		l["applications"] == json!(applicants.len())
	});
	for applicant in applicants {
		must_submit(
			node,
			acceptor,
			activities(ActivitiesCall::accept { listing, applicant: applicant.account.clone() }),
		);
	}
	wait_until(node, "timebank_listing", json!([listing]), |l| {
		l["accepted"] == json!(applicants.len())
	});
}

// Over 70 lines: one journey on one chain, each step starting from the state the step before
// left, so it reads top to bottom like the user guide it follows.
#[test]
fn services_from_request_to_settlement_disputes_groups_and_certificates_on_a_dev_node() {
	let _turn = no_network_meanwhile();
	let dir = tempfile::tempdir().expect("temp dir");
	let node = Node::start(NodeConfig::dev(dir.path()));
	node.wait_for_finalized(1, Duration::from_secs(60));

	let alice = Signer::new("//Alice");
	let bob = Signer::new("//Bob");
	let charlie = Signer::new("//Charlie");
	let grandma = Signer::new("//Grandma");
	let daughter = Signer::new("//Daughter");
	let victor = Signer::new("//Victor");
	let wendy = Signer::new("//Wendy");
	let xavier = Signer::new("//Xavier");
	let rose = Signer::new("//Rose");
	let ruth = Signer::new("//Ruth");

	// Setup: branch 1 under branch 0, Charlie a second officer of branch 0, the members.
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
	wait_until(&node, "timebank_branchSummary", json!([1]), |s| !s.is_null());
	// Branch 0 has one admin, so the council (here sudo) appoints (a lone admin cannot).
	let appoint = RuntimeCall::Registry(RegistryCall::appoint_officer {
		branch: 0,
		who: charlie.account.clone(),
		role: OfficerRole::Staff,
	});
	must_submit(
		&node,
		&alice,
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(appoint) }),
	);
	let register = |who: &Signer, branch: u32, n: u8, roles: MemberRoles| {
		RuntimeCall::Registry(RegistryCall::register_member {
			who: who.account.clone(),
			branch,
			identity_commitment: H256::repeat_byte(n),
			roles,
		})
	};
	let recipient = MemberRoles { recipient: true, ..Default::default() };
	let volunteer = MemberRoles { volunteer: true, ..Default::default() };
	let proxy = MemberRoles { family_proxy: true, ..Default::default() };
	must_submit(&node, &alice, register(&grandma, 0, 1, recipient));
	must_submit(&node, &alice, register(&daughter, 0, 2, proxy));
	must_submit(&node, &alice, register(&victor, 0, 3, volunteer));
	must_submit(&node, &alice, register(&wendy, 0, 4, volunteer));
	must_submit(&node, &alice, register(&rose, 0, 5, recipient));
	must_submit(&node, &alice, register(&ruth, 0, 6, recipient));
	must_submit(&node, &bob, register(&xavier, 1, 7, volunteer));
	wait_until(&node, "timebank_member", json!([xavier.address()]), |m| !m.is_null());
	wait_until(&node, "timebank_member", json!([ruth.address()]), |m| !m.is_null());
	must_submit(
		&node,
		&grandma,
		RuntimeCall::Registry(RegistryCall::authorise_proxy {
			proxy: daughter.account.clone(),
			permissions: ProxyPermissions {
				request_services: true,
				confirm_services: true,
				..Default::default()
			},
		}),
	);

	// Branch 0: catalogue, minute rounding, a long confirmation window, and credits.
	let category = |risk, required_skill| Category { risk, required_skill, active: true };
	for (id, value) in [
		(COMPANIONSHIP, category(RiskLevel::Low, None)),
		(BATHING, category(RiskLevel::High, Some(BATHING_SKILL))),
	] {
		must_submit(
			&node,
			&alice,
			activities(ActivitiesCall::set_category {
				branch: 0,
				category: id,
				value: Some(value),
			}),
		);
	}
	let policy = |confirm_window| ActivityPolicy {
		review_from_risk: None,
		review_newcomers: false,
		confirm_window,
		listing_lifetime: 10_000,
		check_in_code: false,
	};
	must_submit(
		&node,
		&alice,
		activities(ActivitiesCall::set_activity_policy { branch: 0, policy: policy(10_000) }),
	);
	must_submit(
		&node,
		&alice,
		RuntimeCall::Ledger(LedgerCall::set_policy {
			branch: 0,
			policy: LedgerPolicy { rounding_step: 1, ..Default::default() },
		}),
	);
	for (who, amount) in [(&grandma, 600), (&rose, 300), (&ruth, 300)] {
		must_submit(
			&node,
			&alice,
			RuntimeCall::Ledger(LedgerCall::grant {
				to: who.account.clone(),
				amount,
				memo: H256::zero(),
			}),
		);
	}
	wait_until(&node, "timebank_balances", json!([ruth.address()]), |b| {
		b["spendable"] == json!(300)
	});
	assert_invariants(&node, "setup");

	// Branch 0 wants a second officer on grants of 1,000 minutes and more.
	must_submit(
		&node,
		&alice,
		RuntimeCall::Audits(AuditsCall::set_review_policy {
			branch: 0,
			policy: ReviewPolicy {
				grant_approvals: 1,
				large_grant_from: 1_000,
				..Default::default()
			},
		}),
	);
	must_submit(
		&node,
		&alice,
		RuntimeCall::Ledger(LedgerCall::grant {
			to: daughter.account.clone(),
			amount: 1_000,
			memo: H256::repeat_byte(0x9),
		}),
	);
	let review = wait_until(&node, "timebank_auditLog", json!([{ "ledgerAction": 0 }]), |l| {
		l["total"] == json!(1)
	});
	assert_eq!(review["entries"][0]["actor"], json!(alice.address()));
	assert_eq!(spendable(&node, &daughter), 0, "the grant waits for review");
	must_submit(
		&node,
		&charlie,
		RuntimeCall::Audits(AuditsCall::vote {
			review: 0,
			decision: Decision::Approve,
			reason: H256::repeat_byte(3),
		}),
	);
	wait_until(&node, "timebank_balances", json!([daughter.address()]), |b| {
		b["spendable"] == json!(1_000)
	});
	assert_invariants(&node, "the reviewed grant");

	// Training: Victor completes the bathing course; the certificate earns 60 minutes (a budget
	// of one completion, below the branch's review threshold). Attendance is recorded once the
	// session has started and completion once it has lasted the course's length: a one-minute
	// course starting in ten seconds.
	must_submit(
		&node,
		&alice,
		RuntimeCall::Training(TrainingCall::create_course {
			branch: 0,
			content: H256::repeat_byte(0xc0),
			uri: b"https://training.example/bathing".to_vec().try_into().expect("a short link"),
			minutes: 1,
			skill: BATHING_SKILL,
			validity_days: 365,
			reward: 60,
			rewarded_completions: 1,
		}),
	);
	let session_start = now_ms() + 10_000;
	let schedule = RuntimeCall::Training(TrainingCall::schedule_session {
		course: 0,
		starts_at: session_start,
		capacity: 10,
	});
	// Alice's calls go in nonce order; another signer's wait for them to be in a block.
	must_submit(&node, &alice, schedule);
	wait_blocks(&node, 2);
	must_submit(&node, &victor, RuntimeCall::Training(TrainingCall::enrol { session: 0 }));
	wait_blocks(&node, 2);
	let sleep_until =
		|ms: u64| std::thread::sleep(Duration::from_millis(ms.saturating_sub(now_ms())));
	sleep_until(session_start + 2_000);
	must_submit(
		&node,
		&alice,
		RuntimeCall::Training(TrainingCall::record_attendance {
			session: 0,
			who: victor.account.clone(),
		}),
	);
	wait_blocks(&node, 2);
	sleep_until(session_start + 62_000);
	must_submit(
		&node,
		&charlie,
		RuntimeCall::Training(TrainingCall::complete { session: 0, who: victor.account.clone() }),
	);
	wait_until(&node, "timebank_balances", json!([victor.address()]), |b| {
		b["spendable"] == json!(60)
	});
	assert_invariants(&node, "training");

	// The certificate, proved against a finalised block's state root.
	let proof = wait_until(&node, "timebank_certificate", json!([0]), |c| !c.is_null());
	assert_eq!(proof["certificate"]["holder"], json!(victor.address()));
	assert_eq!(proof["certificate"]["skill"], json!(BATHING_SKILL));
	let header = node.rpc("chain_getHeader", json!([proof["blockHash"]]));
	assert_eq!(header["stateRoot"], proof["stateRoot"]);
	let finalized_number = node.finalized_number();
	assert!(proof["blockNumber"].as_u64().is_some_and(|n| n <= finalized_number));
	let hex = |v: &Value| from_hex(v.as_str().expect("hex string")).expect("hex digits");
	let root = H256::from_slice(&hex(&proof["stateRoot"]));
	let key = hex(&proof["storageKey"]);
	let nodes = proof["proof"].as_array().expect("proof nodes").iter().map(hex);
	let values =
		read_proof_check::<BlakeTwo256, _>(root, StorageProof::new(nodes), [key.as_slice()])
			.expect("the proof checks against the state root");
	let encoded = values.get(&key).cloned().flatten().expect("the proof shows the certificate");
	let proved = Certificate::<AccountId, u32>::decode(&mut &encoded[..]).expect("a certificate");
	assert_eq!(
		(proved.holder, proved.skill, proved.revoked),
		(victor.account.clone(), BATHING_SKILL, false)
	);
	assert_eq!(node.rpc("timebank_certificate", json!([99])), Value::Null);

	// Five services at once: the proxy's bathing request (listing 0), Victor's group offer for
	// Rose and Ruth (1), Grandma's request served by Xavier of branch 1 (2), Rose's request that
	// will be disputed (3) and Ruth's that nobody will confirm (4).
	publish_and_accept(
		&node,
		&daughter,
		Some(&grandma),
		draft(ListingKind::Request, BATHING, 1),
		&daughter,
		&[&victor],
		0,
	);
	publish_and_accept(
		&node,
		&victor,
		None,
		draft(ListingKind::Offer, COMPANIONSHIP, 2),
		&victor,
		&[&rose, &ruth],
		1,
	);
	publish_and_accept(
		&node,
		&grandma,
		None,
		draft(ListingKind::Request, COMPANIONSHIP, 1),
		&grandma,
		&[&xavier],
		2,
	);
	publish_and_accept(
		&node,
		&rose,
		None,
		draft(ListingKind::Request, COMPANIONSHIP, 1),
		&rose,
		&[&wendy],
		3,
	);
	publish_and_accept(
		&node,
		&ruth,
		None,
		draft(ListingKind::Request, COMPANIONSHIP, 1),
		&ruth,
		&[&wendy],
		4,
	);
	assert_eq!(node.rpc("timebank_balances", json!([grandma.address()]))["inEscrow"], json!(120));
	assert_eq!(
		engagement(&node, 1)["receivers"],
		json!([[rose.address(), 30], [ruth.address(), 30]])
	);
	assert_invariants(&node, "acceptance");

	// A provider is checked in to one service at a time: Victor and Wendy serve their second
	// services after their first. Ruth's (4) stays checked in until later.
	let first_round = [(0, &victor), (2, &xavier), (3, &wendy)];
	let second_round = [(1, &victor), (4, &wendy)];
	for round in [&first_round[..], &second_round[..]] {
		for (id, provider) in round {
			must_submit(
				&node,
				provider,
				activities(ActivitiesCall::check_in { engagement: *id, proof: None }),
			);
		}
		for (id, _) in round {
			wait_for_engagement(&node, *id, "checkedIn");
		}
		std::thread::sleep(Duration::from_secs(62));
		for (id, provider) in round.iter().filter(|(id, _)| *id != 4) {
			must_submit(&node, provider, activities(ActivitiesCall::check_out { engagement: *id }));
		}
		for (id, _) in round.iter().filter(|(id, _)| *id != 4) {
			let e = wait_for_engagement(&node, *id, "checkedOut");
			assert!(e["measuredMinutes"].as_u64().is_some_and(|m| m >= 1), "{e}");
		}
	}
	assert_invariants(&node, "check-out");

	// The proxy confirms for Grandma: Victor is paid the measured minutes from escrow.
	must_submit(&node, &daughter, activities(ActivitiesCall::confirm { engagement: 0 }));
	let settled = wait_for_engagement(&node, 0, "settled");
	let paid = settled["payout"]["toProvider"].as_i64().expect("paid");
	assert_eq!(paid, settled["measuredMinutes"].as_i64().expect("measured"));
	assert_eq!(spendable(&node, &victor), 60 + paid);
	must_submit(
		&node,
		&daughter,
		activities(ActivitiesCall::rate { engagement: 0, ratee: victor.account.clone(), stars: 5 }),
	);
	must_submit(
		&node,
		&victor,
		activities(ActivitiesCall::rate {
			engagement: 0,
			ratee: grandma.account.clone(),
			stars: 5,
		}),
	);
	assert_invariants(&node, "the proxy's confirmation");

	// Staff confirm the group: each receiver pays their rounded-up share.
	must_submit(&node, &charlie, activities(ActivitiesCall::confirm { engagement: 1 }));
	let group = wait_for_engagement(&node, 1, "settled");
	let minutes = group["measuredMinutes"].as_i64().expect("measured");
	let share = (minutes + 1) / 2;
	assert_eq!(group["payout"]["toProvider"], json!(minutes));
	assert_eq!(group["payout"]["toPool"], json!(2 * share - minutes));
	assert_eq!(spendable(&node, &rose), 300 - 60 - share, "the dispute's hold is still open");
	assert_invariants(&node, "the group's settlement");

	// Grandma confirms Xavier's service: paid through the clearing accounts of branches 0 and 1.
	must_submit(&node, &grandma, activities(ActivitiesCall::confirm { engagement: 2 }));
	let cross = wait_for_engagement(&node, 2, "settled");
	let cross_paid = cross["payout"]["toProvider"].as_i64().expect("paid");
	assert_eq!(spendable(&node, &xavier), cross_paid);
	assert_eq!(spendable(&node, &grandma), 600 - paid - cross_paid);
	let summary = node.rpc("timebank_branchSummary", json!([0]));
	assert_eq!(summary["clearingPositions"], json!([[1, cross_paid]]), "{summary}");
	assert_invariants(&node, "the cross-branch settlement");

	// Rose disputes; two officers of branch 0 agree to split what escrow holds.
	must_submit(
		&node,
		&rose,
		activities(ActivitiesCall::dispute { engagement: 3, reason: H256::repeat_byte(0xd1) }),
	);
	wait_for_engagement(&node, 3, "disputed");
	let split = Decision::Arbitrate(ArbitrationOutcome::Split(Percent::from_percent(50)));
	must_submit(
		&node,
		&alice,
		RuntimeCall::Audits(AuditsCall::vote {
			review: 1,
			decision: split,
			reason: H256::repeat_byte(1),
		}),
	);
	wait_blocks(&node, 2);
	assert_eq!(engagement(&node, 3)["state"], json!("disputed"), "one officer is not enough");
	must_submit(
		&node,
		&charlie,
		RuntimeCall::Audits(AuditsCall::vote {
			review: 1,
			decision: split,
			reason: H256::repeat_byte(2),
		}),
	);
	let arbitrated = wait_for_engagement(&node, 3, "settled");
	assert_eq!(arbitrated["payout"]["toProvider"], json!(30));
	assert_eq!(arbitrated["payout"]["refunded"], json!(30));
	let log = node.rpc("timebank_auditLog", json!([{ "engagement": 3 }]));
	assert_eq!(log["total"], json!(4), "opened, two votes, decided: {log}");
	assert_eq!(log["entries"][0]["actor"], json!(rose.address()));
	assert_eq!(log["entries"][3]["actor"], json!(charlie.address()));
	assert_invariants(&node, "the arbitration");
	// Real responses, for docs/RPC.md.
	println!("timebank_listing [0]: {}", node.rpc("timebank_listing", json!([0])));
	println!("timebank_engagement [1]: {}", engagement(&node, 1));
	println!("timebank_auditLog [engagement 3]: {log}");
	println!("timebank_checkInvariants: {}", node.rpc("timebank_checkInvariants", json!([])));
	println!("timebank_certificate [0]: {proof}");

	// Nobody confirms Ruth's service: with a 3-block window it settles by itself.
	must_submit(
		&node,
		&alice,
		activities(ActivitiesCall::set_activity_policy { branch: 0, policy: policy(3) }),
	);
	wait_blocks(&node, 2);
	must_submit(&node, &wendy, activities(ActivitiesCall::check_out { engagement: 4 }));
	let automatic = wait_for_engagement(&node, 4, "settled");
	let auto_paid = automatic["payout"]["toProvider"].as_i64().expect("paid");
	assert!(auto_paid >= 1);
	assert_eq!(spendable(&node, &wendy), 30 + auto_paid);
	assert_invariants(&node, "the automatic confirmation");

	// Everything settled: nothing left in escrow, and the books balance.
	for who in [&grandma, &rose, &ruth] {
		assert_eq!(node.rpc("timebank_balances", json!([who.address()]))["inEscrow"], json!(0));
	}
	let liability = node.rpc("timebank_branchSummary", json!([0]))["redemptionLiability"].clone();
	assert_eq!(liability, json!(600 + 300 + 300 + 60 + 1_000));
	assert!(node.try_rpc("timebank_auditLog", json!([{ "engagement": 3 }, 0, 0])).is_err());
}
