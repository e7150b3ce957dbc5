//! The service over HTTP, after `api.rs` has staff register an elder who signs in: her statement
//! and the listings search; then a volunteer registered at the counter (sharing her phone) applies,
//! is accepted, checks in and out, and is confirmed, every step through the API, followed to
//! finality by its operation.

use crate::{
	api::{refusal, until, Elder, ELDER_PASSWORD},
	common::http::{Answer, Client},
};
use serde_json::{json, Value};
use timebank_gateway::{api, Gateway};

/// Branch 0's admin grants the elder 600 minutes, then 30, and the elder asks for help: the
/// statement shows both grants, newest first, to the elder and to home staff and to nobody else;
/// volunteers find the request by branch, category, area and date.
pub(crate) async fn the_elder_is_granted_and_asks_for_help(
	gateway: &Gateway,
	elder: &Elder,
) -> u64 {
	use crate::service::{branch_setup, done, indexed_up_to, AREA, COMPANIONSHIP};
	use timebank_chain_api::timebank::{
		self,
		runtime_types::{
			pallet_timebank_activities::types::{Funding, ListingDraft},
			timebank_primitives::activities::ListingKind,
		},
	};
	let account = api::input::parse_account(&elder.account).expect("account");
	branch_setup(gateway, account).await;
	let bonus = timebank::tx().ledger().grant(
		subxt::utils::AccountId32(account),
		30,
		subxt::utils::H256::zero(),
	);
	crate::common::submit_as_dev(&gateway.chain, &crate::common::alice(), &bonus).await;
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("1970");
	let start = u64::try_from(now.as_millis()).expect("ms") + 86_400_000;
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
		details_hash: subxt::utils::H256::zero(),
	};
	let publish = timebank::tx().activities().publish(draft, None);
	let op = gateway.submit(account, &publish, None).await.expect("enqueue");
	let block = done(gateway, op, "publish").await;
	indexed_up_to(&gateway.index, block).await;
	start
}

pub(crate) async fn the_statement_pages_and_is_private(
	counter: &Client,
	app: &Client,
	elder: &Elder,
) {
	let path = format!("/api/v1/members/{}/statement", elder.account);
	let statement = app.get(&path).await;
	assert_eq!(statement.status, 200, "{}", statement.text());
	let lines = statement.json()["lines"].clone();
	let summary: Vec<(String, String, i64)> = lines
		.as_array()
		.expect("lines")
		.iter()
		.map(|l| {
			let text = |f: &str| l[f].as_str().expect("text").to_owned();
			(text("kind"), text("direction"), l["amount"].as_i64().expect("amount"))
		})
		.collect();
	assert_eq!(
		summary,
		[("Grant".into(), "in".into(), 30), ("Grant".into(), "in".into(), 600)],
		"{lines}"
	);
	assert_eq!(
		lines[1]["counterparty"],
		json!({ "side": "grant", "account": null, "class": null, "branch": 0 })
	);
	assert_eq!(lines[1]["class"], json!("Spendable"));
	// Pages: one line, then the other, then none.
	let first = app.get(&format!("{path}?limit=1")).await.json();
	assert_eq!(first["lines"].as_array().map(Vec::len), Some(1));
	let before = first["next_before"].as_u64().expect("a next page");
	let second = app.get(&format!("{path}?limit=1&before={before}")).await.json();
	assert_eq!(second["lines"][0]["amount"], json!(600));
	assert_eq!(second["next_before"], Value::Null);
	// Home staff may read it; the elder may not read the staff member's; bad pages are 400.
	assert_eq!(counter.get(&path).await.status, 200);
	let staff = counter.get("/api/v1/me").await.json()["account"].as_str().expect("a").to_owned();
	let other = app.get(&format!("/api/v1/members/{staff}/statement")).await;
	assert_eq!(refusal(&other, 404), "member.not_found");
	for bad in ["limit=0", "limit=101", "limit=ten", "before=-1", "colour=red"] {
		let answer = app.get(&format!("{path}?{bad}")).await;
		assert_eq!(refusal(&answer, 400), "input.malformed", "{bad}");
	}
}

pub(crate) async fn volunteers_find_the_request(app: &Client, elder: &Elder, start: u64) {
	use crate::service::{AREA, COMPANIONSHIP};
	// Volunteers find the request; filters that do not match find nothing.
	let found = until(
		"the listing is indexed",
		|| app.get("/api/v1/listings?branch=0"),
		|a| a.status == 200 && a.json()["listings"].as_array().is_some_and(|l| !l.is_empty()),
	)
	.await
	.json();
	let listing = &found["listings"][0];
	assert_eq!(listing["owner"], json!(elder.account));
	assert_eq!(
		(listing["kind"].as_str(), listing["status"].as_str()),
		(Some("Request"), Some("Open"))
	);
	assert_eq!(listing["slot_start_ms"], json!(start));
	let day = format!("starts_from_ms={}&starts_before_ms={}", start - 1, start + 1);
	let narrow = format!(
		"/api/v1/listings?branch=0&category={COMPANIONSHIP}&area={AREA}&kind=Request&{day}"
	);
	let narrow = app.get(&narrow).await.json();
	assert!(
		narrow["listings"]
			.as_array()
			.is_some_and(|l| l.iter().any(|x| x["owner"] == json!(elder.account))),
		"{narrow}"
	);
	for miss in ["branch=9", "category=999", "kind=Offer", "status=Closed", "area=1"] {
		let answer = app.get(&format!("/api/v1/listings?{miss}")).await.json();
		let mine = answer["listings"]
			.as_array()
			.expect("listings")
			.iter()
			.any(|x| x["owner"] == json!(elder.account));
		assert!(!mine, "{miss}: {answer}");
	}
	for bad in ["status=Lost", "kind=Gift", "limit=0", "branch=-1"] {
		assert_eq!(
			refusal(&app.get(&format!("/api/v1/listings?{bad}")).await, 400),
			"input.malformed",
			"{bad}"
		);
	}
}

/// Follow an operation until it is done; its last state.
pub(crate) async fn finished(client: &Client, accepted: &Answer) -> Value {
	assert_eq!(accepted.status, 202, "{}", accepted.text());
	let path = format!("/api/v1/operations/{}", accepted.json()["operation"]);
	until(
		"the operation is done",
		|| client.get(&path),
		|a| a.status == 200 && a.json()["done"] == json!(true),
	)
	.await
	.json()
}

async fn finished_ok(client: &Client, accepted: &Answer) {
	let operation = finished(client, accepted).await;
	assert_eq!(operation["state"], json!("finalized_ok"), "{operation}");
}

/// The whole service over HTTP: staff register a volunteer at the counter; the elder asks for
/// help now; the volunteer applies; the elder sees the application and accepts; the volunteer
/// checks in and out; the elder confirms; the engagement is settled. A call the chain refuses
/// comes back as a refused operation with the chain's reason.
pub(crate) async fn a_volunteer_serves_the_elder(
	gateway: &Gateway,
	http: &Client,
	counter: &Client,
	app: &Client,
	elder: &Elder,
	run: usize,
) {
	let (volunteer, volunteer_account) =
		a_volunteer_at_the_counter(gateway, http, counter, elder, run).await;
	let engagement = the_elder_asks_and_accepts(app, &volunteer, &volunteer_account, elder).await;
	the_service_is_given_and_confirmed(app, &volunteer, &volunteer_account, elder, engagement)
		.await;
}

/// Staff register a volunteer, who signs in from the app: the client and the account.
///
/// The volunteer shares the elder's phone number (a family's one phone): each signs in with their
/// own password, and neither's sign-in counts as a wrong password against the other.
async fn a_volunteer_at_the_counter(
	gateway: &Gateway,
	http: &Client,
	counter: &Client,
	elder: &Elder,
	run: usize,
) -> (Client, String) {
	let registration = json!({
		"branch": 0,
		"name": "测试志愿者",
		"phone": elder.phone,
		"id_type": "resident-id",
		"id_number": format!("33010619800101{:04}", 1000 + run),
		"roles": { "volunteer": true },
		"password": "volunteer-password-1",
	});
	let registered = counter.post("/api/v1/members", &registration).await;
	let volunteer_account = registered.json()["account"].as_str().expect("account").to_owned();
	finished_ok(counter, &registered).await;
	let sign_in = json!({ "phone": registration["phone"], "password": "volunteer-password-1", "client": "app" });
	let token = http.post("/api/v1/auth/sign-in", &sign_in).await.json()["token"]
		.as_str()
		.expect("token")
		.to_owned();
	let volunteer = http.with("Authorization", &format!("Bearer {token}"));
	let failures = |account: &str| {
		let account = api::input::parse_account(account).expect("account");
		async move {
			let sql = "SELECT failed_attempts FROM credentials WHERE account = $1";
			let row = gateway.vault.db().query_one(sql, vec![account.into()]).await.expect("query");
			row.expect("credentials").int(0).expect("int")
		}
	};
	assert_eq!(
		failures(&elder.account).await,
		0,
		"the volunteer's sign-in counted against the elder"
	);
	let elder_again = json!({ "phone": elder.phone, "password": ELDER_PASSWORD, "client": "app" });
	assert_eq!(http.post("/api/v1/auth/sign-in", &elder_again).await.status, 200);
	assert_eq!(
		failures(&volunteer_account).await,
		0,
		"the elder's sign-in counted against the volunteer"
	);
	(volunteer, volunteer_account)
}

/// The elder asks for help now, the volunteer applies, the elder accepts: the engagement.
async fn the_elder_asks_and_accepts(
	app: &Client,
	volunteer: &Client,
	volunteer_account: &str,
	elder: &Elder,
) -> Value {
	use crate::service::{AREA, COMPANIONSHIP};
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("1970");
	let now = u64::try_from(now.as_millis()).expect("ms");
	let ask = json!({
		"kind": "request", "branch": 0, "category": COMPANIONSHIP, "slot_start_ms": now,
		"slot_end_ms": now + 3_600_000, "area": AREA, "estimated_minutes": 30,
	});
	let mut backwards = ask.clone();
	backwards["slot_end_ms"] = json!(now - 1);
	assert_eq!(refusal(&app.post("/api/v1/listings", &backwards).await, 400), "input.malformed");
	finished_ok(app, &app.post("/api/v1/listings", &ask).await).await;
	let mine = until(
		"the new listing is indexed",
		|| app.get("/api/v1/listings?branch=0"),
		|a| {
			a.json()["listings"].as_array().is_some_and(|l| {
				l.iter()
					.any(|x| x["owner"] == json!(elder.account) && x["slot_start_ms"] == json!(now))
			})
		},
	)
	.await
	.json();
	let listing = mine["listings"]
		.as_array()
		.expect("listings")
		.iter()
		.find(|x| x["slot_start_ms"] == json!(now))
		.expect("mine")["listing"]
		.clone();

	finished_ok(
		volunteer,
		&volunteer.send("POST", &format!("/api/v1/listings/{listing}/apply"), None).await,
	)
	.await;
	let applications = format!("/api/v1/listings/{listing}/applications");
	until(
		"the application is indexed",
		|| app.get(&applications),
		|a| {
			a.json()["applications"]
				.as_array()
				.is_some_and(|l| l.iter().any(|x| x["applicant"] == json!(volunteer_account)))
		},
	)
	.await;
	let accept = json!({ "applicant": volunteer_account });
	finished_ok(app, &app.post(&format!("/api/v1/listings/{listing}/accept"), &accept).await).await;
	let engagements = format!("/api/v1/members/{volunteer_account}/engagements");
	let found = until(
		"the engagement is indexed",
		|| volunteer.get(&engagements),
		|a| {
			a.json()["engagements"]
				.as_array()
				.is_some_and(|l| l.iter().any(|x| x["listing"] == listing))
		},
	)
	.await
	.json();
	let engagement = found["engagements"][0]["engagement"].clone();
	assert_eq!(found["engagements"][0]["role"], json!("provider"));

	engagement
}

/// Check-in, a refused confirmation, check-out, the elder's confirmation: settled.
async fn the_service_is_given_and_confirmed(
	app: &Client,
	volunteer: &Client,
	volunteer_account: &str,
	elder: &Elder,
	engagement: Value,
) {
	let engagements = format!("/api/v1/members/{volunteer_account}/engagements");
	let step = |path: &str| format!("/api/v1/engagements/{engagement}/{path}");
	finished_ok(volunteer, &volunteer.send("POST", &step("check-in"), None).await).await;
	// The volunteer cannot confirm their own service: the chain's refusal, with its reason.
	let refused = finished(volunteer, &volunteer.send("POST", &step("confirm"), None).await).await;
	assert_eq!(refused["state"], json!("refused"), "{refused}");
	assert!(refused["outcome"].as_str().is_some_and(|o| o.starts_with("Activities.")), "{refused}");
	finished_ok(volunteer, &volunteer.send("POST", &step("check-out"), None).await).await;
	finished_ok(app, &app.send("POST", &step("confirm"), None).await).await;
	let bad_stars = json!({ "ratee": volunteer_account, "stars": 9 });
	assert_eq!(refusal(&app.post(&step("rate"), &bad_stars).await, 400), "input.malformed");
	let empty = json!({ "reason": "  " });
	assert_eq!(refusal(&app.post(&step("dispute"), &empty).await, 400), "input.missing");
	let settled = until(
		"the settlement is indexed",
		|| volunteer.get(&engagements),
		|a| a.json()["engagements"][0]["status"] == json!("Settled"),
	)
	.await
	.json();
	assert_eq!(settled["engagements"][0]["engagement"], engagement, "{settled}");
	// The elder sees it as a receiver.
	let theirs = app.get(&format!("/api/v1/members/{}/engagements", elder.account)).await.json();
	assert!(
		theirs["engagements"].as_array().is_some_and(|l| l
			.iter()
			.any(|x| x["engagement"] == engagement && x["role"] == json!("receiver"))),
		"{theirs}"
	);
}
