//! Staff register an elder through the gateway on a real development node: the key is made and
//! sealed in the vault, the personal data is sealed there too, and only the account and a salted
//! commitment reach the chain. A refused registration costs no nonce; a retried one makes nothing
//! twice. Then every planted personal value is searched for in the chain's state and blocks and in
//! the gateway's `ops` and `index` databases and its log: none may appear. On SQLite and PostgreSQL.

use crate::common::{appoint_staff, config, each_database, DevNode};
use polkadot_sdk::sp_core::crypto::{AccountId32, Ss58Codec};
use serde_json::{json, Value};
use std::{
	io::Write,
	sync::{Arc, Mutex},
	time::Duration,
};
use timebank_custody::FieldKind;
use timebank_gateway::{
	members::{PersonalData, Roles},
	outbox::{Operation, State},
	store::Location,
	Gateway,
};

/// Values that must never leave the vault. Distinct per database run, so one run's leak cannot
/// hide behind the other's.
fn planted(run: &str) -> PersonalData {
	PersonalData {
		name: format!("Plantedname{run}"),
		phone: Some(format!("+8613900{run}777")),
		id_type: "resident-id".into(),
		id_number: format!("PLANTEDID{run}4321"),
		address: Some(format!("Planted Road {run}, Hangzhou")),
		birth_date: Some("1941-07-15".into()),
	}
}

fn needles(person: &PersonalData) -> Vec<Vec<u8>> {
	[
		Some(person.name.clone()),
		person.phone.clone(),
		Some(person.id_number.clone()),
		person.address.clone(),
		person.birth_date.clone(),
	]
	.into_iter()
	.flatten()
	.map(String::into_bytes)
	.collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every finalised block body and every storage value of the chain, as bytes.
async fn chain_bytes(node: &DevNode) -> Vec<u8> {
	let mut all = Vec::new();
	let head = node.rpc("chain_getFinalizedHead", vec![]).await;
	let header = node.rpc("chain_getHeader", vec![head.clone()]).await;
	let number = u64::from_str_radix(
		header["number"].as_str().expect("number").trim_start_matches("0x"),
		16,
	)
	.expect("hex number");
	for n in 0..=number {
		let hash = node.rpc("chain_getBlockHash", vec![json!(n)]).await;
		let block = node.rpc("chain_getBlock", vec![hash]).await;
		for extrinsic in block["block"]["extrinsics"].as_array().expect("extrinsics") {
			all.extend(
				hex::decode(extrinsic.as_str().expect("hex").trim_start_matches("0x"))
					.expect("hex"),
			);
		}
	}
	let mut start: Value = Value::Null;
	loop {
		let keys = node
			.rpc("state_getKeysPaged", vec![json!("0x"), json!(1000), start.clone(), head.clone()])
			.await;
		let keys = keys.as_array().expect("keys").clone();
		for key in &keys {
			let value = node.rpc("state_getStorage", vec![key.clone(), head.clone()]).await;
			if let Some(v) = value.as_str() {
				all.extend(hex::decode(v.trim_start_matches("0x")).expect("hex"));
			}
		}
		if keys.len() < 1000 {
			break;
		}
		start = keys.last().cloned().unwrap_or(Value::Null);
	}
	all
}

/// Every byte the `ops` and `index` databases hold (SQLite: the files themselves, free pages
/// and the write-ahead log included; PostgreSQL: every row of every table, as text).
async fn database_bytes(location: &Location) -> Vec<u8> {
	match location {
		Location::SqliteDir(dir) => {
			let mut all = Vec::new();
			for name in ["ops", "index"] {
				for suffix in ["sqlite", "sqlite-wal"] {
					if let Ok(bytes) = std::fs::read(dir.join(format!("{name}.{suffix}"))) {
						all.extend(bytes);
					}
				}
			}
			all
		}
		Location::Postgres(url) => {
			let (client, connection) =
				tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
			tokio::spawn(connection);
			let tables = client
				.query(
					"SELECT table_schema, table_name FROM information_schema.tables \
					 WHERE table_schema IN ('ops', 'index')",
					&[],
				)
				.await
				.expect("tables");
			assert!(tables.len() >= 5, "the schemas hold the gateway's tables");
			let mut all = Vec::new();
			for table in tables {
				let (schema, name): (String, String) = (table.get(0), table.get(1));
				for row in client
					.query(&format!("SELECT t::text FROM \"{schema}\".\"{name}\" t"), &[])
					.await
					.expect("rows")
				{
					let text: String = row.get(0);
					all.extend(text.into_bytes());
				}
			}
			all
		}
	}
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
	fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
		self.0.lock().expect("log buffer").extend_from_slice(buf);
		Ok(buf.len())
	}
	fn flush(&mut self) -> std::io::Result<()> {
		Ok(())
	}
}

/// The operation once it has ended (within a minute).
async fn ended(gateway: &Gateway, id: timebank_gateway::outbox::OperationId) -> Operation {
	let op = gateway.outbox.wait_terminal(id, Duration::from_secs(60)).await.expect("outbox");
	op.expect("finished within a minute")
}

async fn member(node: &DevNode, account: [u8; 32]) -> Value {
	node.rpc("timebank_member", vec![json!(AccountId32::from(account).to_ss58check())]).await
}

/// A registration the chain would refuse is refused before sending: in words, and without
/// using the staff member's nonce or quota; the next operation takes that nonce.
async fn a_refused_registration_uses_no_nonce(
	gateway: &Gateway,
	staff: [u8; 32],
	run: &str,
) -> u64 {
	let elder = Roles { recipient: true, ..Default::default() };
	let nonce_before = gateway.chain.next_index(staff).await.expect("nonce");
	let refused = gateway
		.register_member(staff, 999, elder, &planted(&format!("{run}9")), None)
		.await
		.expect("enqueued");
	let refused = ended(gateway, refused.operation).await;
	assert_eq!(refused.state, State::Refused);
	let outcome = refused.outcome.expect("a reason");
	assert!(outcome.starts_with("Registry."), "{outcome}");
	assert!(outcome.len() > "Registry.X: ".len() + 10, "the reason has words: {outcome}");
	assert_eq!(refused.nonce, None);
	let nonce_after = gateway.chain.next_index(staff).await.expect("nonce");
	assert_eq!(nonce_after, nonce_before, "no nonce used");

	let volunteer = Roles { volunteer: true, ..Default::default() };
	let next = gateway
		.register_member(staff, 0, volunteer, &planted(&format!("{run}8")), None)
		.await
		.expect("enqueued");
	let next = ended(gateway, next.operation).await;
	assert_eq!((next.state, next.nonce), (State::FinalizedOk, Some(nonce_before)));
	next.block_number.expect("finalised in a block")
}

/// The indexer shows every step: the officer, the members, the staff member's transactions (and
/// not the refused one, which was never sent); and `reconcile` finds no difference.
async fn the_index_shows_it(gateway: &Gateway, staff: [u8; 32], elder: [u8; 32], up_to: u64) {
	let deadline = std::time::Instant::now() + Duration::from_secs(60);
	while timebank_gateway::indexer::head(&gateway.index).await.expect("head").map_or(0, |h| h.0)
		< up_to
	{
		assert!(std::time::Instant::now() < deadline, "the indexer did not reach block {up_to}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	let index = &gateway.index;
	let officer = index
		.query_one(
			"SELECT role FROM officers WHERE branch = 0 AND account = $1",
			vec![staff.into()],
		)
		.await
		.expect("query")
		.expect("the staff member is indexed");
	assert_eq!(officer.text(0).expect("role"), "Staff");
	let member = index
		.query_one("SELECT home_branch, status FROM members WHERE account = $1", vec![elder.into()])
		.await
		.expect("query")
		.expect("the elder is indexed");
	assert_eq!(
		(member.int(0).expect("branch"), member.text(1).expect("status")),
		(0, "Active".to_owned())
	);
	let sent = index
		.query(
			"SELECT pallet, call, ok FROM extrinsics WHERE signer = $1 ORDER BY nonce",
			vec![staff.into()],
		)
		.await
		.expect("query");
	let sent: Vec<(String, String, i64)> = sent
		.iter()
		.map(|r| (r.text(0).expect("pallet"), r.text(1).expect("call"), r.int(2).expect("ok")))
		.collect();
	let registration = ("Registry".to_owned(), "register_member".to_owned(), 1);
	assert_eq!(
		sent,
		vec![registration.clone(), registration],
		"two registrations, the refused one never sent"
	);
	let differences =
		timebank_gateway::indexer::reconcile(index, &gateway.chain).await.expect("reconcile");
	assert!(differences.is_empty(), "{differences:?}");

	// A projection that drifts from the chain is caught.
	index
		.execute("UPDATE members SET home_branch = 5 WHERE account = $1", vec![elder.into()])
		.await
		.expect("tamper");
	let differences =
		timebank_gateway::indexer::reconcile(index, &gateway.chain).await.expect("reconcile");
	assert_eq!(differences.len(), 1, "{differences:?}");
	assert!(differences[0].contains("home branch 5 in the index, 0 on chain"), "{differences:?}");
	index
		.execute("UPDATE members SET home_branch = 0 WHERE account = $1", vec![elder.into()])
		.await
		.expect("restore");
}

async fn register_an_elder(
	node: &DevNode,
	location: Location,
	data_dir: &std::path::Path,
	run: &str,
) {
	let gateway =
		Gateway::open(config(node, data_dir, location.clone())).await.expect("gateway opens");
	let workers = gateway.spawn_workers();
	let chain = gateway.chain.clone();

	// Setup: a staff member of branch 0 whose key only the gateway holds.
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	appoint_staff(&chain, staff).await;

	// Staff register an elder.
	let person = planted(run);
	let elder = Roles { recipient: true, ..Default::default() };
	let request = Some(("counter-1", "registration-1"));
	let registration =
		gateway.register_member(staff, 0, elder, &person, request).await.expect("registration");
	let op = ended(&gateway, registration.operation).await;
	assert_eq!(op.state, State::FinalizedOk, "{:?}", op.outcome);
	let record = member(node, registration.account).await;
	assert_eq!(record["homeBranch"], json!(0), "{record}");
	let commitment = gateway
		.vault
		.db()
		.query_one(
			"SELECT commitment FROM identities WHERE account = $1",
			vec![registration.account.into()],
		)
		.await
		.expect("vault")
		.expect("identity row")
		.bytes(0)
		.expect("bytes");
	assert_eq!(record["identityCommitment"], json!(format!("0x{}", hex::encode(&commitment))));
	// The vault opens what it sealed, and finds the member by phone.
	let name = gateway
		.vault
		.personal(registration.account, FieldKind::Name)
		.await
		.expect("open")
		.expect("name");
	assert_eq!(name.as_slice(), person.name.as_bytes());
	let phone = person.normalised().expect("valid").phone.expect("phone");
	assert_eq!(
		gateway.vault.find(FieldKind::Phone, phone.as_bytes()).await.expect("find"),
		vec![registration.account]
	);

	// Retrying the same request makes no second member and no second operation.
	let again = gateway.register_member(staff, 0, elder, &person, request).await.expect("retry");
	assert_eq!(again, registration);

	let last_block = a_refused_registration_uses_no_nonce(&gateway, staff, run).await;
	the_index_shows_it(&gateway, staff, registration.account, last_block).await;

	for worker in workers {
		worker.abort();
	}

	// No planted value anywhere but the vault. The searches do reach the data: the chain's
	// bytes hold the commitment, the databases the staff account.
	let chain_data = chain_bytes(node).await;
	let databases = database_bytes(&location).await;
	assert!(contains(&chain_data, &commitment), "the chain scan missed the member's record");
	assert!(
		contains(&databases, &staff) || contains(&databases, hex::encode(staff).as_bytes()),
		"the database scan missed the outbox"
	);
	for needle in needles(&person) {
		let text = String::from_utf8_lossy(&needle).into_owned();
		assert!(!contains(&chain_data, &needle), "{text} is on chain");
		assert!(!contains(&databases, &needle), "{text} is in the ops or index database");
		let hexed = hex::encode(&needle).into_bytes();
		assert!(!contains(&databases, &hexed), "{text} is in the ops or index database (hex)");
	}
}

#[tokio::test]
async fn staff_register_an_elder_and_no_personal_data_leaves_the_vault() {
	// The process-wide subscriber: tracing caches which call sites are enabled across threads,
	// so a per-thread one would miss lines logged while other tests run. Other tests' lines land
	// here too, which only widens the search.
	static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
	let log = LOG
		.get_or_init(|| {
			let log = Captured::default();
			let writer = log.clone();
			let subscriber = tracing_subscriber::fmt()
				.with_writer(move || writer.clone())
				.with_ansi(false)
				.finish();
			let _ = tracing::subscriber::set_global_default(subscriber);
			log
		})
		.clone();

	let node = DevNode::start();
	node.ready().await;
	for (run, (location, _server, dir)) in each_database("journey").await.into_iter().enumerate() {
		let run = (run + 1).to_string();
		register_an_elder(&node, location, dir.path(), &run).await;
		let logged = log.0.lock().expect("log").clone();
		assert!(contains(&logged, b"operation moved"), "the log was captured");
		for needle in needles(&planted(&run)) {
			assert!(
				!contains(&logged, &needle),
				"{} is in the log",
				String::from_utf8_lossy(&needle)
			);
		}
	}
}
