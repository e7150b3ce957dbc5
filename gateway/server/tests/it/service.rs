//! A whole service through the gateway on a real development node, every signature made by the
//! gateway for members who never see a key: staff register an elder, her daughter (a family
//! proxy) and a volunteer; the elder lets her daughter act for her; the daughter asks for help
//! for her mother and accepts the volunteer; the volunteer checks in and out; the daughter
//! confirms and the service settles; the elder rates the volunteer. Then the index shows every
//! step as the chain does (`timebank_listing`, `timebank_engagement`, `timebank_statement`),
//! and `reconcile` finds no difference in members or balances. Then the volunteer moves to a new key
//! and takes his words home (`keys.rs`). On SQLite and PostgreSQL.

use crate::common::{alice, appoint_staff, config, each_database, submit_as_dev, DevNode};
use polkadot_sdk::sp_core::crypto::{AccountId32 as CoreAccount, Ss58Codec};
use serde_json::{json, Value as Json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subxt::utils::{AccountId32, H256};
use timebank_chain_api::timebank::{
	self,
	runtime_types::{
		pallet_timebank_activities::types::{ActivityPolicy, Category, Funding, ListingDraft},
		pallet_timebank_ledger::types::{
			AccountingModel, LedgerPolicy, OverflowRule, RedemptionRule,
		},
		timebank_primitives::{
			activities::{ListingKind, RiskLevel},
			membership::ProxyPermissions,
		},
	},
};
use timebank_gateway::{
	members::{PersonalData, Roles},
	outbox::{OperationId, State},
	store::{Db, Location, Value},
	Gateway,
};

pub(crate) const COMPANIONSHIP: u16 = 1;

/// Alice's development key signs the setup of both runs; one at a time, so their nonces do not
/// collide.
static ALICE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
pub(crate) const AREA: u32 = 310_104;

fn person(name: &str, run: &str, number: u32) -> PersonalData {
	PersonalData {
		name: format!("{name}{run}"),
		phone: None,
		id_type: "resident-id".into(),
		id_number: format!("SERVICE{run}{number:04}"),
		address: None,
		birth_date: None,
	}
}

/// Wait for operation `id` to finalise successfully; its block.
pub(crate) async fn done(gateway: &Gateway, id: OperationId, what: &str) -> u64 {
	let op = gateway.outbox.wait_terminal(id, Duration::from_secs(90)).await.expect("outbox");
	let op = op.unwrap_or_else(|| panic!("{what}: not finished within 90 s"));
	assert_eq!(op.state, State::FinalizedOk, "{what}: {:?}", op.outcome);
	op.block_number.expect("finalised in a block")
}

pub(crate) async fn indexed_up_to(index: &Db, block: u64) {
	let deadline = std::time::Instant::now() + Duration::from_secs(60);
	while timebank_gateway::indexer::head(index).await.expect("head").map_or(0, |h| h.0) < block {
		assert!(std::time::Instant::now() < deadline, "the indexer did not reach block {block}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

async fn one_int(index: &Db, sql: &'static str, params: Vec<Value>) -> i64 {
	let row = index.query_one(sql, params).await.expect("query").expect("a row");
	row.int(0).expect("integer")
}

fn ss58(account: [u8; 32]) -> String {
	CoreAccount::from(account).to_ss58check()
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as u64
}

/// The members, all keys in the gateway's custody.
struct People {
	elder: [u8; 32],
	daughter: [u8; 32],
	volunteer: [u8; 32],
}

async fn register_people(gateway: &Gateway, staff: [u8; 32], run: &str) -> People {
	let mut accounts = Vec::new();
	let roles = [
		("Elder", Roles { recipient: true, ..Default::default() }),
		("Daughter", Roles { family_proxy: true, ..Default::default() }),
		("Volunteer", Roles { volunteer: true, ..Default::default() }),
	];
	for (n, (name, roles)) in roles.into_iter().enumerate() {
		let registration = gateway
			.register_member(staff, 0, roles, &person(name, run, n as u32), None)
			.await
			.expect("registration enqueued");
		done(gateway, registration.operation, name).await;
		accounts.push(registration.account);
	}
	People { elder: accounts[0], daughter: accounts[1], volunteer: accounts[2] }
}

/// Branch 0's admin (Alice, a development key) opens a category, a policy without check-in
/// codes, rounds services to the minute (so a one-minute test service pays), and grants the
/// elder 600 minutes.
pub(crate) async fn branch_setup(gateway: &Gateway, elder: [u8; 32]) {
	let chain = &gateway.chain;
	let category = Category { risk: RiskLevel::Low, required_skill: None, active: true };
	let set_category = timebank::tx().activities().set_category(0, COMPANIONSHIP, Some(category));
	submit_as_dev(chain, &alice(), &set_category).await;
	let policy = ActivityPolicy {
		review_from_risk: None,
		review_newcomers: false,
		confirm_window: 10_000,
		listing_lifetime: 10_000,
		check_in_code: false,
	};
	submit_as_dev(chain, &alice(), &timebank::tx().activities().set_activity_policy(0, policy))
		.await;
	let ledger_policy = LedgerPolicy {
		accounting: AccountingModel::Prepaid,
		rounding_step: 1,
		storage_cap: Some(90_000),
		overflow: OverflowRule::ToDonationOnly,
		max_gift: 600,
		redemption: RedemptionRule::AnyMember,
		clearing_limit: 6_000,
		expiry_days: None,
	};
	submit_as_dev(chain, &alice(), &timebank::tx().ledger().set_policy(0, ledger_policy)).await;
	let grant = timebank::tx().ledger().grant(AccountId32(elder), 600, H256::zero());
	submit_as_dev(chain, &alice(), &grant).await;
}

/// The service itself, each step signed by the gateway for its member; the last block.
async fn serve(gateway: &Gateway, people: &People) -> (u64, u64, u64) {
	let tx = || timebank::tx().activities();
	let permissions = ProxyPermissions {
		request_services: true,
		confirm_services: true,
		propose_transfers: false,
	};
	let authorise =
		timebank::tx().registry().authorise_proxy(AccountId32(people.daughter), permissions);
	let op = gateway.submit(people.elder, &authorise, None).await.expect("enqueue");
	done(gateway, op, "authorise the daughter").await;

	let start = now_ms();
	let draft = ListingDraft {
		kind: ListingKind::Request,
		branch: 0,
		category: COMPANIONSHIP,
		slot_start: start,
		slot_end: start + 3_600_000,
		area: AREA,
		estimated_minutes: 60,
		min_trust: 0,
		max_participants: 1,
		funding: Funding::Own,
		details_hash: H256::zero(),
	};
	let publish = tx().publish(draft, Some(AccountId32(people.elder)));
	let key = Some(("daughter-phone".to_owned(), "ask-for-help-1".to_owned()));
	let op = gateway.submit(people.daughter, &publish, key.clone()).await.expect("enqueue");
	let published = done(gateway, op, "publish").await;
	let again = gateway.submit(people.daughter, &publish, key).await.expect("retry");
	assert_eq!(again, op, "a retried request is the same operation");
	indexed_up_to(&gateway.index, published).await;
	let listing = one_int(
		&gateway.index,
		"SELECT listing FROM listings WHERE owner = $1 AND published_by = $2",
		vec![people.elder.into(), people.daughter.into()],
	)
	.await as u64;

	let op = gateway.submit(people.volunteer, &tx().apply(listing), None).await.expect("enqueue");
	done(gateway, op, "apply").await;
	let accept = tx().accept(listing, AccountId32(people.volunteer));
	let op = gateway.submit(people.daughter, &accept, None).await.expect("enqueue");
	let accepted = done(gateway, op, "accept").await;
	indexed_up_to(&gateway.index, accepted).await;
	let engagement = one_int(
		&gateway.index,
		"SELECT engagement FROM engagements WHERE listing = $1",
		vec![(listing as i64).into()],
	)
	.await as u64;

	let op = gateway
		.submit(people.volunteer, &tx().check_in(engagement, None), None)
		.await
		.expect("enqueue");
	let checked_in = done(gateway, op, "check in").await;
	// A minute of service, so the volunteer earns one (the chain measures whole minutes).
	indexed_up_to(&gateway.index, checked_in).await;
	tokio::time::sleep(Duration::from_secs(61)).await;
	let op =
		gateway.submit(people.volunteer, &tx().check_out(engagement), None).await.expect("enqueue");
	done(gateway, op, "check out").await;
	let op =
		gateway.submit(people.daughter, &tx().confirm(engagement), None).await.expect("enqueue");
	done(gateway, op, "confirm").await;
	let rate = tx().rate(engagement, AccountId32(people.volunteer), 5);
	let op = gateway.submit(people.elder, &rate, None).await.expect("enqueue");
	let last = done(gateway, op, "rate").await;
	(listing, engagement, last)
}

async fn rpc(node: &DevNode, method: &str, params: Vec<Json>) -> Json {
	node.rpc(method, params).await
}

/// The index shows each step as the chain does.
async fn the_index_shows_the_service(
	node: &DevNode,
	gateway: &Gateway,
	people: &People,
	(listing, engagement, last): (u64, u64, u64),
) {
	let index = &gateway.index;
	indexed_up_to(index, last).await;
	let listing_id = Value::Int(listing as i64);

	the_genesis_branch_shows(index).await;

	let proxy = index
		.query_one(
			"SELECT status, request_services, confirm_services, propose_transfers FROM proxies \
			 WHERE member = $1 AND proxy = $2",
			vec![people.elder.into(), people.daughter.into()],
		)
		.await
		.expect("query")
		.expect("the proxy is indexed");
	assert_eq!(proxy.text(0).expect("status"), "Active");
	assert_eq!((proxy.int(1).unwrap(), proxy.int(2).unwrap(), proxy.int(3).unwrap()), (1, 1, 0));

	let on_chain = rpc(node, "timebank_listing", vec![json!(listing)]).await;
	let row = index
		.query_one(
			"SELECT kind, status, category, area, estimated_minutes, slot_start, max_participants \
			 FROM listings WHERE listing = $1",
			vec![listing_id.clone()],
		)
		.await
		.expect("query")
		.expect("the listing is indexed");
	assert_eq!(row.text(0).unwrap().to_lowercase(), on_chain["kind"].as_str().unwrap());
	assert_eq!(row.text(1).unwrap().to_lowercase(), on_chain["status"].as_str().unwrap());
	assert_eq!(row.int(2).unwrap(), on_chain["category"].as_i64().unwrap());
	assert_eq!(row.int(3).unwrap(), i64::from(AREA));
	assert_eq!(row.int(4).unwrap(), 60);
	assert_eq!(row.int(5).unwrap(), on_chain["slotStart"].as_i64().unwrap());
	assert_eq!(row.int(6).unwrap(), 1);
	let application = index
		.query_one(
			"SELECT status FROM listing_applications WHERE listing = $1 AND applicant = $2",
			vec![listing_id.clone(), people.volunteer.into()],
		)
		.await
		.expect("query")
		.expect("the application is indexed");
	assert_eq!(application.text(0).unwrap(), "Accepted");

	the_engagement_shows(node, index, people, engagement).await;
	the_statement_matches(node, index, people.elder).await;
	the_statement_matches(node, index, people.volunteer).await;
	let differences =
		timebank_gateway::indexer::reconcile(index, &gateway.chain).await.expect("reconcile");
	assert!(differences.is_empty(), "{differences:?}");

	// An entry that drifts from the chain shows in the member's balance and the branch's pool
	// or liability.
	let tamper =
		"UPDATE entries SET amount = amount + $1 WHERE kind = 'Grant' AND credit_member = $2";
	index.execute(tamper, vec![Value::Int(1), people.elder.into()]).await.expect("tamper");
	let differences =
		timebank_gateway::indexer::reconcile(index, &gateway.chain).await.expect("reconcile");
	assert_eq!(differences.len(), 2, "{differences:?}");
	let balances = rpc(node, "timebank_balances", vec![json!(ss58(people.elder))]).await;
	let spendable = balances["spendable"].as_i64().expect("spendable");
	let expected = format!("spendable {} in the index, {spendable} on chain", spendable + 1);
	assert!(differences[0].contains(&expected), "{differences:?}");
	assert!(differences[1].contains("branch 0: redemptionLiability"), "{differences:?}");
	index.execute(tamper, vec![Value::Int(-1), people.elder.into()]).await.expect("restore");
}

/// Branch 0 comes from the genesis state (no event announced it), with its admin, its validator
/// candidacy and the first validator set.
async fn the_genesis_branch_shows(index: &Db) {
	let genesis_branch = index
		.query_one("SELECT admin, status, registered_block FROM branches WHERE branch = 0", vec![])
		.await
		.expect("query")
		.expect("the genesis branch is indexed");
	let alice = polkadot_sdk::sp_core::Pair::public(&alice()).0;
	assert_eq!(genesis_branch.bytes32(0).unwrap(), alice);
	assert_eq!(
		(genesis_branch.text(1).unwrap(), genesis_branch.int(2).unwrap()),
		("Active".into(), 0)
	);
	let role = index
		.query_one(
			"SELECT role FROM officers WHERE branch = 0 AND account = $1",
			vec![alice.into()],
		)
		.await
		.expect("query")
		.expect("the genesis admin is indexed");
	assert_eq!(role.text(0).unwrap(), "Admin");
	// The development chain's one validator: branch 0's approved candidacy, and era 0's set.
	let candidate = index
		.query_one(
			"SELECT validator, status, since_block FROM validator_candidates WHERE branch = 0",
			vec![],
		)
		.await
		.expect("query")
		.expect("the genesis candidacy is indexed");
	assert_eq!(candidate.bytes32(0).unwrap(), alice);
	assert_eq!((candidate.text(1).unwrap(), candidate.int(2).unwrap()), ("Approved".into(), 0));
	let first_set = index
		.query(
			"SELECT m.validator FROM validator_eras e JOIN validator_era_members m \
			 ON m.era = e.era WHERE e.era = 0 AND e.block = 0",
			vec![],
		)
		.await
		.expect("query");
	assert_eq!(
		first_set.iter().map(|row| row.bytes32(0).unwrap()).collect::<Vec<_>>(),
		vec![alice],
		"era 0's validators"
	);
}

/// The engagement, its receiver and the rating, as the chain has them.
async fn the_engagement_shows(node: &DevNode, index: &Db, people: &People, engagement: u64) {
	let engagement_id = Value::Int(engagement as i64);
	let on_chain = rpc(node, "timebank_engagement", vec![json!(engagement)]).await;
	assert_eq!(on_chain["state"], json!("settled"), "{on_chain}");
	let row = index
		.query_one(
			"SELECT provider, status, measured_minutes, settled_minutes, to_provider, refunded, \
			 checked_in_at, checked_out_at FROM engagements WHERE engagement = $1",
			vec![engagement_id.clone()],
		)
		.await
		.expect("query")
		.expect("the engagement is indexed");
	assert_eq!(row.bytes32(0).unwrap(), people.volunteer);
	assert_eq!(row.text(1).unwrap(), "Settled");
	assert_eq!(row.int(2).unwrap(), on_chain["measuredMinutes"].as_i64().unwrap());
	let payout = &on_chain["payout"];
	assert_eq!(row.int(3).unwrap(), payout["roundedMinutes"].as_i64().unwrap());
	assert_eq!(row.int(4).unwrap(), payout["toProvider"].as_i64().unwrap());
	assert_eq!(row.int(5).unwrap(), payout["refunded"].as_i64().unwrap());
	assert_eq!(row.int(6).unwrap(), on_chain["checkedInAt"].as_i64().unwrap());
	assert_eq!(row.int(7).unwrap(), on_chain["checkedOutAt"].as_i64().unwrap());
	let receiver = index
		.query_one(
			"SELECT receiver, held FROM engagement_receivers WHERE engagement = $1",
			vec![engagement_id.clone()],
		)
		.await
		.expect("query")
		.expect("the receiver is indexed");
	assert_eq!((receiver.bytes32(0).unwrap(), receiver.int(1).unwrap()), (people.elder, 60));
	let stars = one_int(
		index,
		"SELECT stars FROM ratings WHERE engagement = $1 AND rater = $2 AND ratee = $3",
		vec![engagement_id, people.elder.into(), people.volunteer.into()],
	)
	.await;
	assert_eq!(stars, 5);
}

/// The member's entries in the index are the chain's statement: same entries, kinds, amounts.
async fn the_statement_matches(node: &DevNode, index: &Db, who: [u8; 32]) {
	let chain = rpc(node, "timebank_statement", vec![json!(ss58(who)), json!(0), json!(100)]).await;
	let expected: Vec<(i64, String, i64)> = chain["lines"]
		.as_array()
		.expect("lines")
		.iter()
		.map(|l| {
			let kind = l["kind"].as_str().expect("kind").replace(['_', '-'], "").to_lowercase();
			(l["entry"].as_i64().expect("entry"), kind, l["amount"].as_i64().expect("amount"))
		})
		.collect();
	assert!(!expected.is_empty(), "the member has a statement: {chain}");
	let rows = index
		.query(
			"SELECT entry, kind, amount FROM entries WHERE debit_member = $1 OR credit_member = $1 \
			 ORDER BY entry",
			vec![who.into()],
		)
		.await
		.expect("query");
	let indexed: Vec<(i64, String, i64)> = rows
		.iter()
		.map(|r| (r.int(0).unwrap(), r.text(1).unwrap().to_lowercase(), r.int(2).unwrap()))
		.collect();
	assert_eq!(indexed, expected);
}

async fn a_service_end_to_end(
	node: &DevNode,
	location: Location,
	dir: &std::path::Path,
	run: String,
) {
	let gateway = Gateway::open(config(node, dir, location)).await.expect("gateway opens");
	let workers = gateway.spawn_workers();
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	{
		let _alice = ALICE.lock().await;
		appoint_staff(&gateway.chain, staff).await;
	}
	let people = register_people(&gateway, staff, &run).await;
	{
		let _alice = ALICE.lock().await;
		branch_setup(&gateway, people.elder).await;
	}
	let steps = serve(&gateway, &people).await;
	the_index_shows_the_service(node, &gateway, &people, steps).await;
	let (elder, volunteer) = (people.elder, people.volunteer);
	let volunteer_now =
		crate::keys::the_account_moves_to_a_new_key(node, &gateway, staff, volunteer, elder).await;
	let id_number = person("Volunteer", &run, 2).id_number;
	crate::keys::the_member_takes_the_words_home(&gateway, staff, volunteer_now, elder, &id_number)
		.await;
	for worker in workers {
		worker.abort();
	}
}

#[tokio::test]
async fn a_proxy_asks_for_help_a_volunteer_serves_it_settles_and_the_index_shows_every_step() {
	let node = DevNode::start();
	node.ready().await;
	let databases = each_database("service").await;
	// Both databases at once, each with its own gateway, staff and members: most of a run is
	// waiting for finality and for the minute of service.
	let runs = databases.iter().enumerate().map(|(run, (location, _server, dir))| {
		a_service_end_to_end(&node, location.clone(), dir.path(), (run + 1).to_string())
	});
	futures::future::join_all(runs).await;
	both_decodings_agree(&node).await;
}

/// Every block of the chain the service ran on decodes to the same rows both ways: as plain SCALE
/// into the generated types (the indexer's way for this runtime) and field by field, by name (its
/// way for other runtimes).
async fn both_decodings_agree(node: &DevNode) {
	let chain = timebank_gateway::chain::Chain::connect(&node.url()).await.expect("connect");
	let (head, _) = chain.finalized_head().await.expect("head");
	let mut changes = 0;
	for number in 1..=head {
		let hash = chain.block_hash(number).await.expect("hash").expect("finalised");
		let generated = chain.block(number, hash).await.expect("decoded as generated");
		let by_name = chain.block_decoded_by_field_name(number, hash).await.expect("by name");
		assert_eq!(generated, by_name, "block {number}");
		changes += generated.changes.len();
	}
	let spec = node.rpc("state_getRuntimeVersion", vec![]).await["specVersion"].as_u64();
	let spec = spec.and_then(|v| u32::try_from(v).ok()).expect("specVersion");
	assert_eq!(
		chain.pallets_with_generated_events_by_version(),
		vec![(spec, timebank_gateway::chain::pallets_with_events())],
		"every event of this tree's runtime decodes as the generated types"
	);
	// Two services with their members, listings, entries and ratings: far more than none.
	assert!(changes > 50, "only {changes} changes to compare in blocks 1..={head}");
}
