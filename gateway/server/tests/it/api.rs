//! The HTTP API over real HTTP, on a real development node, on SQLite and PostgreSQL: staff sign
//! in and register an elder at the counter; the elder signs in from the mini program and reads
//! home; wrong passwords lock the account; staff reset the password after checking the document;
//! signing out ends the session. Every refusal has its code, words in the caller's language and
//! the request's id; the OpenAPI document lists every route and its documentation page needs no
//! internet.

use crate::common::{
	appoint_staff, config, each_database,
	http::{Answer, Client},
	DevNode,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use timebank_custody::FieldKind;
use timebank_gateway::{api, store::Location, Gateway};

const STAFF_PHONE: &str = "+8613700000001";
const STAFF_PASSWORD: &str = "counter-password-1";

/// Serve the gateway's router on a loopback port, with the client's address as the real
/// binary serves it.
async fn serve(gateway: Gateway) -> std::net::SocketAddr {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
	let address = listener.local_addr().expect("address");
	let app = api::router(gateway).into_make_service_with_connect_info::<std::net::SocketAddr>();
	tokio::spawn(async move { axum::serve(listener, app).await });
	address
}

/// Repeat `read` until `done` holds of its answer, for at most a minute.
async fn until<F, Fut>(what: &str, mut read: F, done: impl Fn(&Answer) -> bool) -> Answer
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Answer>,
{
	let deadline = Instant::now() + Duration::from_secs(60);
	loop {
		let answer = read().await;
		if done(&answer) {
			return answer;
		}
		assert!(
			Instant::now() < deadline,
			"{what}: last answer {} {}",
			answer.status,
			answer.text()
		);
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// The refusal's code, after checking the refusal's shape: JSON with words and the request id
/// the response header carries.
fn refusal(answer: &Answer, status: u16) -> String {
	assert_eq!(answer.status, status, "{}", answer.text());
	let body = answer.json();
	let id = answer.header("x-request-id").expect("a request id header");
	assert_eq!(body["request_id"], json!(id), "{body}");
	assert!(body["message"].as_str().is_some_and(|m| m.chars().count() > 4), "{body}");
	body["code"].as_str().expect("a code").to_owned()
}

fn session_cookie(answer: &Answer) -> String {
	let set = answer.header("set-cookie").expect("a session cookie");
	for part in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
		assert!(set.contains(part), "{set} lacks {part}");
	}
	set.split(';').next().expect("name=value").to_owned()
}

#[tokio::test]
async fn staff_register_an_elder_who_signs_in_and_is_locked_out_after_wrong_passwords() {
	let node = DevNode::start();
	node.ready().await;
	for (run, (location, _server, dir)) in each_database("api").await.into_iter().enumerate() {
		counter_and_sign_in(&node, location, dir.path(), run).await;
	}
}

/// The elder staff registered: what the tests sign in and reset with.
struct Elder {
	account: String,
	phone: String,
	id_number: Value,
	operation_path: String,
}

const ELDER_PASSWORD: &str = "elder-password-1";

async fn counter_and_sign_in(
	node: &DevNode,
	location: Location,
	dir: &std::path::Path,
	run: usize,
) {
	let gateway = Gateway::open(config(node, dir, location)).await.expect("gateway opens");
	let _workers = gateway.spawn_workers();
	let http = Client::new(serve(gateway.clone()).await);
	let counter = staff_sign_in_at_the_counter(&gateway, &http).await;
	let elder = staff_register_an_elder(&counter, run).await;
	let counter = counter.with("X-Timebank-Client", "web");
	let app = elder_signs_in_and_reads_home(&http, &elder).await;
	let slot_start = the_elder_is_granted_and_asks_for_help(&gateway, &elder).await;
	the_statement_pages_and_is_private(&counter, &app, &elder).await;
	volunteers_find_the_request(&app, &elder, slot_start).await;
	a_volunteer_serves_the_elder(&http, &counter, &app, &elder, run).await;
	wrong_passwords_lock_the_account(&http, &elder).await;
	staff_reset_the_password(&gateway, &http, &counter, &app, &elder).await;
}

/// The operator's bootstrap of a staff member, who signs in from the counter's browser; the
/// client, with the session cookie.
async fn staff_sign_in_at_the_counter(gateway: &Gateway, http: &Client) -> Client {
	// The operator's bootstrap: a staff member of branch 0, with a phone and a password.
	let staff = gateway.vault.create_key(None).await.expect("staff key");
	gateway
		.vault
		.store_personal(staff, &[(FieldKind::Phone, STAFF_PHONE.as_bytes())])
		.await
		.expect("staff phone");
	gateway.store_password(staff, STAFF_PASSWORD.to_owned().into(), staff).await.expect("password");
	appoint_staff(&gateway.chain, staff).await;

	// Staff sign in from the browser at the counter: a cookie, no token in the body.
	let signed_in = http
		.post(
			"/api/v1/auth/sign-in",
			&json!({ "phone": "+86 137-0000-0001", "password": STAFF_PASSWORD }),
		)
		.await;
	assert_eq!(signed_in.status, 200, "{}", signed_in.text());
	assert_eq!(signed_in.json()["token"], Value::Null);
	let cookie = session_cookie(&signed_in);
	let counter = http.with("Cookie", &cookie);
	let me = until(
		"the staff member's office is indexed",
		|| counter.get("/api/v1/me"),
		|a| a.status == 200 && a.json()["offices"].as_array().is_some_and(|o| !o.is_empty()),
	)
	.await
	.json();
	assert_eq!(me["offices"], json!([{ "branch": 0, "role": "Staff" }]), "{me}");
	assert_eq!(me["account"], json!(api::input::ss58(staff)));
	counter
}

/// Staff register an elder with a first password, through the cookie session.
async fn staff_register_an_elder(counter: &Client, run: usize) -> Elder {
	// A write by cookie without the app's header is refused (another site could have sent it).
	let phone = format!("+86 139 0000 {:04}", 1000 + run);
	let registration = json!({
		"branch": 0,
		"name": "测试老人",
		"phone": phone,
		"id_type": "resident-id",
		"id_number": format!("33010619400101{:04}", 1000 + run),
		"roles": { "recipient": true },
		"password": ELDER_PASSWORD,
	});
	let forged = counter.post("/api/v1/members", &registration).await;
	assert_eq!(refusal(&forged, 403), "auth.csrf");
	let counter = counter.with("X-Timebank-Client", "web");

	// Bad input is refused with the field named, before anything is made.
	let mut no_roles = registration.clone();
	no_roles["roles"] = json!({});
	let refused = counter.post("/api/v1/members", &no_roles).await;
	assert_eq!(refusal(&refused, 400), "input.roles");
	let mut bad_phone = registration.clone();
	bad_phone["phone"] = json!("12ab");
	let refused = counter.post("/api/v1/members", &bad_phone).await;
	assert_eq!(refusal(&refused, 400), "input.phone");
	assert_eq!(refused.json()["field"], json!("phone"));
	let mut other_branch = registration.clone();
	other_branch["branch"] = json!(7);
	let refused = counter.post("/api/v1/members", &other_branch).await;
	assert_eq!(refusal(&refused, 403), "auth.not_staff");

	// The registration, sent twice under one Idempotency-Key: one member, one operation.
	let key = format!("registration-{run}");
	let keyed = counter.with("Idempotency-Key", &key);
	let first = keyed.post("/api/v1/members", &registration).await;
	assert_eq!(first.status, 202, "{}", first.text());
	let again = keyed.post("/api/v1/members", &registration).await;
	assert_eq!(again.status, 202, "{}", again.text());
	assert_eq!(first.json(), again.json(), "a retry registers nobody twice");
	let operation = first.json()["operation"].as_i64().expect("operation id");
	let elder_account = first.json()["account"].as_str().expect("account").to_owned();
	let operation_path = format!("/api/v1/operations/{operation}");
	let done = until(
		"the registration is final",
		|| counter.get(&operation_path),
		|a| a.status == 200 && a.json()["done"] == json!(true),
	)
	.await
	.json();
	assert_eq!(done["state"], json!("finalized_ok"), "{done}");
	assert_eq!(
		(done["pallet"].as_str(), done["call"].as_str()),
		(Some("Registry"), Some("register_member"))
	);
	Elder {
		account: elder_account,
		phone,
		id_number: registration["id_number"].clone(),
		operation_path,
	}
}

/// The elder signs in from the mini program and reads home; the client, with the bearer token.
async fn elder_signs_in_and_reads_home(http: &Client, elder: &Elder) -> Client {
	// The elder signs in from the mini program: a bearer token, no cookie.
	let app_sign_in = json!({ "phone": elder.phone, "password": ELDER_PASSWORD, "client": "app" });
	let signed_in = http.post("/api/v1/auth/sign-in", &app_sign_in).await;
	assert_eq!(signed_in.status, 200, "{}", signed_in.text());
	assert!(signed_in.header("set-cookie").is_none());
	let token = signed_in.json()["token"].as_str().expect("a token").to_owned();
	let app = http.with("Authorization", &format!("Bearer {token}"));
	let home = until(
		"the elder is indexed",
		|| app.get("/api/v1/me"),
		|a| a.status == 200 && a.json()["membership"] != Value::Null,
	)
	.await
	.json();
	assert_eq!(home["account"], json!(elder.account));
	assert_eq!(home["membership"], json!({ "home_branch": 0, "status": "Active" }), "{home}");
	assert_eq!(home["offices"], json!([]));
	assert_eq!(home["balances"]["spendable"], json!(0));
	// The staff member's operation is not the elder's to see.
	let hidden = app.get(&elder.operation_path).await;
	assert_eq!(refusal(&hidden, 404), "operation.not_found");
	app
}

/// Branch 0's admin grants the elder 600 minutes, then 30, and the elder asks for help: the
/// statement shows both grants, newest first, to the elder and to home staff and to nobody else;
/// volunteers find the request by branch, category, area and date.
async fn the_elder_is_granted_and_asks_for_help(gateway: &Gateway, elder: &Elder) -> u64 {
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

async fn the_statement_pages_and_is_private(counter: &Client, app: &Client, elder: &Elder) {
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

async fn volunteers_find_the_request(app: &Client, elder: &Elder, start: u64) {
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
async fn finished(client: &Client, accepted: &Answer) -> Value {
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
async fn a_volunteer_serves_the_elder(
	http: &Client,
	counter: &Client,
	app: &Client,
	elder: &Elder,
	run: usize,
) {
	let (volunteer, volunteer_account) = a_volunteer_at_the_counter(http, counter, run).await;
	let engagement = the_elder_asks_and_accepts(app, &volunteer, &volunteer_account, elder).await;
	the_service_is_given_and_confirmed(app, &volunteer, &volunteer_account, elder, engagement)
		.await;
}

/// Staff register a volunteer, who signs in from the app: the client and the account.
async fn a_volunteer_at_the_counter(
	http: &Client,
	counter: &Client,
	run: usize,
) -> (Client, String) {
	let registration = json!({
		"branch": 0,
		"name": "测试志愿者",
		"phone": format!("+86 139 0001 {:04}", 1000 + run),
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

/// Five wrong passwords lock the account: then even the right one waits.
async fn wrong_passwords_lock_the_account(http: &Client, elder: &Elder) {
	let phone = &elder.phone;
	let app_sign_in = json!({ "phone": phone, "password": ELDER_PASSWORD, "client": "app" });
	// Wrong passwords: four refusals, the fifth locks, and then even the right one waits.
	let wrong = json!({ "phone": phone, "password": "not-the-password", "client": "app" });
	for attempt in 1..=5 {
		let refused = http.post("/api/v1/auth/sign-in", &wrong).await;
		assert_eq!(refusal(&refused, 401), "auth.wrong_credentials", "attempt {attempt}");
	}
	let locked = http.post("/api/v1/auth/sign-in", &app_sign_in).await;
	assert_eq!(refusal(&locked, 423), "auth.locked");
	let wait: u64 = locked.header("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After");
	assert!((14 * 60..=15 * 60).contains(&wait), "{wait}");
	assert_eq!(locked.json()["retry_after_s"], json!(wait));
	// A number nobody registered is answered like a wrong password.
	let stranger = json!({ "phone": "+8613011112222", "password": "whatever-it-is" });
	assert_eq!(
		refusal(&http.post("/api/v1/auth/sign-in", &stranger).await, 401),
		"auth.wrong_credentials"
	);
}

/// Staff reset the password after checking the document: the old session ends, the lock lifts;
/// then both sign out.
async fn staff_reset_the_password(
	gateway: &Gateway,
	http: &Client,
	counter: &Client,
	app: &Client,
	elder: &Elder,
) {
	let (phone, elder_account) = (&elder.phone, &elder.account);
	// Staff reset the password at the counter, after checking the document.
	let reset_path = format!("/api/v1/members/{elder_account}/password");
	let reset = json!({ "id_number": elder.id_number, "password": "new-password-22" });
	// Not by the elder (only staff of the home branch may, after checking the document).
	let refused = app.put(&reset_path, &reset).await;
	assert_eq!(refusal(&refused, 403), "auth.not_home_staff");
	let wrong_document =
		json!({ "id_number": "330106194001019999", "password": "new-password-22" });
	let refused = counter.put(&reset_path, &wrong_document).await;
	assert_eq!(refusal(&refused, 403), "auth.wrong_document");
	let short = json!({ "id_number": elder.id_number, "password": "short" });
	assert_eq!(refusal(&counter.put(&reset_path, &short).await, 400), "input.password_length");
	let done = counter.put(&reset_path, &reset).await;
	assert_eq!(done.status, 204, "{}", done.text());
	let member = api::input::parse_account(elder_account).expect("account");
	let trail = gateway.vault.audit_trail(member).await.expect("audit");
	let actions: Vec<&str> = trail.iter().map(|(action, _, _)| action.as_str()).collect();
	assert_eq!(actions, ["password-refused", "password-set"]);

	// The reset ended the old session and lifted the lock.
	assert_eq!(refusal(&app.get("/api/v1/me").await, 401), "auth.required");
	let new_sign_in = json!({ "phone": phone, "password": "new-password-22", "client": "app" });
	let signed_in = http.post("/api/v1/auth/sign-in", &new_sign_in).await;
	assert_eq!(signed_in.status, 200, "{}", signed_in.text());
	let token = signed_in.json()["token"].as_str().expect("a token").to_owned();
	let elder = http.with("Authorization", &format!("Bearer {token}"));
	assert_eq!(elder.get("/api/v1/me").await.status, 200);

	// Signing out ends the session on the gateway; the browser is told to forget its cookie.
	let out = elder.send("POST", "/api/v1/auth/sign-out", None).await;
	assert_eq!(out.status, 204, "{}", out.text());
	assert_eq!(refusal(&elder.get("/api/v1/me").await, 401), "auth.required");
	let out = counter.send("POST", "/api/v1/auth/sign-out", None).await;
	assert_eq!(out.status, 204);
	assert!(out.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
	assert_eq!(refusal(&counter.get("/api/v1/me").await, 401), "auth.required");

	// Nothing the elder typed is in the vault in clear: the password is an argon2id hash.
	let phc = gateway
		.vault
		.db()
		.query_one("SELECT password_phc FROM credentials WHERE account = $1", vec![member.into()])
		.await
		.expect("query")
		.expect("credentials")
		.text(0)
		.expect("text");
	assert!(phc.starts_with("$argon2id$") && !phc.contains("new-password-22"), "{phc}");
}

#[tokio::test]
async fn every_refusal_has_a_code_and_the_documentation_needs_no_internet() {
	let node = DevNode::start();
	node.ready().await;
	let dir = tempfile::tempdir().expect("temp dir");
	let gateway = Gateway::open(config(&node, dir.path(), Location::SqliteDir(dir.path().into())))
		.await
		.expect("gateway opens");
	let _workers = gateway.spawn_workers();
	let http = Client::new(serve(gateway).await);
	health_and_request_ids(&http).await;
	malformed_input_is_refused_with_a_code(&http).await;
	the_document_lists_every_route_and_its_page_is_served_here(&http).await;
}

async fn health_and_request_ids(http: &Client) {
	// Health and readiness.
	assert_eq!(http.get("/health").await.json()["status"], json!("ok"));
	let ready = until("ready", || http.get("/ready"), |a| a.status == 200).await;
	assert_eq!(ready.json()["status"], json!("ready"));
	assert!(http.get("/metrics").await.text().contains("timebank_gateway_"));

	// A request id given by the client is kept; otherwise one is made.
	let answer = http.with("x-request-id", "counter-7-0042").get("/nowhere").await;
	assert_eq!(refusal(&answer, 404), "http.not_found");
	assert_eq!(answer.header("x-request-id"), Some("counter-7-0042"));
	// Words in Chinese by default, in English when asked.
	let zh = http.get("/nowhere").await.json();
	let en = http.with("Accept-Language", "en-US,en;q=0.9").get("/nowhere").await.json();
	assert_eq!(zh["message"], json!("找不到这个地址。"));
	assert_eq!(en["message"], json!("There is nothing at this address."));
}

/// One malformed request: method, body, content type, and the status and code it must get.
struct Case {
	method: &'static str,
	body: Option<Vec<u8>>,
	content_type: &'static str,
	status: u16,
	code: &'static str,
}

async fn malformed_input_is_refused_with_a_code(http: &Client) {
	// Malformed input of every kind is a 4xx with a code, never a 5xx.
	let sign_in = "/api/v1/auth/sign-in";
	let json = "application/json";
	let case = |method, body: Option<&[u8]>, content_type, status, code| Case {
		method,
		body: body.map(<[u8]>::to_vec),
		content_type,
		status,
		code,
	};
	let huge = vec![b'['; 100 * 1024];
	let cases = [
		case("POST", Some(b"{not json"), json, 400, "input.malformed"),
		case("POST", Some(br#"{"phone": 5, "password": []}"#), json, 400, "input.malformed"),
		case("POST", Some(br#"{"phone": "1"}"#), json, 400, "input.malformed"),
		case(
			"POST",
			Some(br#"{"phone": "+8613800000000", "password": "x", "admin": true}"#),
			json,
			400,
			"input.malformed",
		),
		case(
			"POST",
			Some(br#"{"phone": "' OR 1=1 --", "password": "x"}"#),
			json,
			400,
			"input.phone",
		),
		case(
			"POST",
			Some(b"phone=1&password=2"),
			"application/x-www-form-urlencoded",
			415,
			"input.content_type",
		),
		case("POST", Some(&huge), json, 413, "input.too_large"),
		case("GET", None, json, 405, "http.method_not_allowed"),
	];
	for Case { method, body, content_type, status, code } in cases {
		let answer =
			http.with("Content-Type", content_type).send(method, sign_in, body.as_deref()).await;
		assert_eq!(refusal(&answer, status), code, "{method} {content_type}");
	}
	let malformed = http.send("POST", sign_in, Some(b"{\"phone\": 5}")).await.json();
	assert!(
		malformed["detail"].as_str().is_some_and(|d| d.contains("invalid type")),
		"{malformed}"
	);
	// Endpoints that need a session refuse without one, or with a made-up one.
	for path in ["/api/v1/me", "/api/v1/operations/1"] {
		assert_eq!(refusal(&http.get(path).await, 401), "auth.required", "{path}");
		let forged = http.with("Authorization", "Bearer bm90LWEtc2Vzc2lvbg").get(path).await;
		assert_eq!(refusal(&forged, 401), "auth.required", "{path}");
	}
}

async fn the_document_lists_every_route_and_its_page_is_served_here(http: &Client) {
	// The OpenAPI document lists every route with its refusals.
	let document = http.get("/api/openapi.json").await.json();
	let paths = document["paths"].as_object().expect("paths");
	for (path, method) in [
		("/api/v1/auth/sign-in", "post"),
		("/api/v1/auth/sign-out", "post"),
		("/api/v1/me", "get"),
		("/api/v1/members", "post"),
		("/api/v1/members/{account}/password", "put"),
		("/api/v1/operations/{id}", "get"),
	] {
		let operation = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))[method];
		assert!(operation["responses"].as_object().is_some_and(|r| r.len() >= 2), "{path}");
	}
	assert!(document["components"]["schemas"]["ErrorBody"].is_object());
	assert_eq!(document, serde_json::to_value(api::openapi()).expect("document"));

	// The documentation page and every file it loads come from the gateway itself.
	let page = until("the docs page", || http.get("/api/docs/"), |a| a.status == 200).await.text();
	let mut loaded = 0;
	for attribute in ["src=\"", "href=\""] {
		for piece in page.split(attribute).skip(1) {
			let target = piece.split('"').next().unwrap_or("");
			assert!(
				!target.starts_with("http://")
					&& !target.starts_with("https://")
					&& !target.starts_with("//"),
				"{target} is outside"
			);
			let path = format!("/api/docs/{}", target.trim_start_matches("./"));
			let file = http.get(&path).await;
			assert_eq!(file.status, 200, "{path}");
			loaded += 1;
		}
	}
	assert!(loaded >= 3, "the page loads its scripts and styles ({loaded})");
	let initializer = http.get("/api/docs/swagger-initializer.js").await.text();
	assert!(initializer.contains("/api/openapi.json"), "{initializer}");
}

/// The demo branch `scripts/run-dev` sets up: its staff and members sign in with the printed
/// passwords at once; setting it up again changes nothing.
#[tokio::test]
async fn the_demo_branch_lets_a_newcomer_sign_in_at_once() {
	use timebank_gateway::demo::{MEMBERS, STAFF};
	let node = DevNode::start();
	node.ready().await;
	let dir = tempfile::tempdir().expect("temp dir");
	let gateway = Gateway::open(config(&node, dir.path(), Location::SqliteDir(dir.path().into())))
		.await
		.expect("gateway opens");
	let _workers = gateway.spawn_workers();
	let people = gateway.seed_demo().await.expect("the demo is set up");
	assert_eq!(people.len(), 1 + MEMBERS.len());
	let keys = "SELECT COUNT(*) FROM member_keys";
	let count = |db: timebank_gateway::store::Db| async move {
		db.query_one(keys, vec![]).await.expect("count").expect("row").int(0).expect("int")
	};
	let made = count(gateway.vault.db().clone()).await;
	assert_eq!(made, 4, "a key for the staff member and each member");
	gateway.seed_demo().await.expect("again");
	assert_eq!(count(gateway.vault.db().clone()).await, made, "nothing made twice");

	let http = Client::new(serve(gateway.clone()).await);
	for person in people {
		let sign_in =
			json!({ "phone": person.phone, "password": person.password, "client": "app" });
		let answer = http.post("/api/v1/auth/sign-in", &sign_in).await;
		assert_eq!(answer.status, 200, "{}: {}", person.role, answer.text());
		let token = answer.json()["token"].as_str().expect("token").to_owned();
		let me = http.with("Authorization", &format!("Bearer {token}"));
		let home = until(
			&format!("{} indexed", person.role),
			|| me.get("/api/v1/me"),
			|a| {
				a.status == 200
					&& (a.json()["membership"] != Value::Null
						|| a.json()["offices"].as_array().is_some_and(|o| !o.is_empty()))
			},
		)
		.await
		.json();
		if person.phone == STAFF.phone {
			assert_eq!(home["offices"], json!([{ "branch": 0, "role": "Staff" }]));
		} else {
			let elder = person.phone == MEMBERS[0].0.phone;
			assert_eq!(home["balances"]["spendable"], json!(if elder { 600 } else { 0 }), "{home}");
		}
	}
}
