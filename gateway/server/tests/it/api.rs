//! The HTTP API over real HTTP, on a real development node, on SQLite and PostgreSQL: staff sign
//! in and register an elder at the counter; the elder signs in from the mini program and reads
//! home; wrong passwords lock the account; staff reset the password after checking the document;
//! signing out ends the session. Every refusal has its code, words in the caller's language and
//! the request's id; the OpenAPI document lists every route and its documentation page needs no
//! internet.

use crate::common::{
	appoint_officer, config, each_database,
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
pub(crate) async fn serve(gateway: Gateway) -> std::net::SocketAddr {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
	let address = listener.local_addr().expect("address");
	let app = api::router(gateway).into_make_service_with_connect_info::<std::net::SocketAddr>();
	tokio::spawn(async move { axum::serve(listener, app).await });
	address
}

/// A gateway on SQLite in a temporary directory, its workers running, against `node` once it has
/// finalised a block; the directory and the workers live as long as the caller keeps them.
pub(crate) async fn sqlite_gateway(
	node: &DevNode,
) -> (Gateway, tempfile::TempDir, Vec<tokio::task::JoinHandle<()>>) {
	node.ready().await;
	let dir = tempfile::tempdir().expect("temp dir");
	let gateway = Gateway::open(config(node, dir.path(), Location::SqliteDir(dir.path().into())))
		.await
		.expect("gateway opens");
	let workers = gateway.spawn_workers();
	(gateway, dir, workers)
}

/// Repeat `read` until `done` holds of its answer, for at most a minute.
pub(crate) async fn until<F, Fut>(what: &str, mut read: F, done: impl Fn(&Answer) -> bool) -> Answer
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
pub(crate) fn refusal(answer: &Answer, status: u16) -> String {
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
pub(crate) struct Elder {
	pub(crate) account: String,
	pub(crate) phone: String,
	pub(crate) id_number: Value,
	pub(crate) operation_path: String,
}

pub(crate) const ELDER_PASSWORD: &str = "elder-password-1";

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
	use crate::api_service::{
		a_volunteer_serves_the_elder, the_elder_is_granted_and_asks_for_help,
		the_statement_pages_and_is_private, volunteers_find_the_request,
	};
	let slot_start = the_elder_is_granted_and_asks_for_help(&gateway, &elder).await;
	the_statement_pages_and_is_private(&counter, &app, &elder).await;
	volunteers_find_the_request(&app, &elder, slot_start).await;
	a_volunteer_serves_the_elder(&gateway, &http, &counter, &app, &elder, run).await;
	wrong_passwords_lock_the_account(&http, &elder).await;
	staff_reset_the_password(&gateway, &http, &counter, &app, &elder).await;
}

/// The operator's bootstrap of a staff member, who signs in from the counter's browser; the
/// client, with the session cookie.
async fn staff_sign_in_at_the_counter(gateway: &Gateway, http: &Client) -> Client {
	officer_signs_in(gateway, http, STAFF_PHONE, STAFF_PASSWORD, false).await
}

/// An officer of branch 0 (staff, or an admin) with a phone and a password in the vault, signed
/// in from a browser: the client, with the session cookie (and no app header yet).
pub(crate) async fn officer_signs_in(
	gateway: &Gateway,
	http: &Client,
	phone: &str,
	password: &str,
	admin: bool,
) -> Client {
	// The operator's bootstrap: an officer of branch 0, with a phone and a password.
	let officer = gateway.vault.create_key(None).await.expect("officer key");
	gateway
		.vault
		.store_personal(officer, &[(FieldKind::Phone, phone.as_bytes())])
		.await
		.expect("officer phone");
	gateway.store_password(officer, password.to_owned().into(), officer).await.expect("password");
	appoint_officer(&gateway.chain, officer, admin).await;

	// Officers sign in from the browser at the counter: a cookie, no token in the body. The
	// number may be typed with spaces and dashes.
	let typed = format!("{} {}-{}", &phone[..3], &phone[3..7], &phone[7..]);
	let signed_in =
		http.post("/api/v1/auth/sign-in", &json!({ "phone": typed, "password": password })).await;
	assert_eq!(signed_in.status, 200, "{}", signed_in.text());
	assert_eq!(signed_in.json()["token"], Value::Null);
	let cookie = session_cookie(&signed_in);
	let counter = http.with("Cookie", &cookie);
	let me = until(
		"the officer's office is indexed",
		|| counter.get("/api/v1/me"),
		|a| a.status == 200 && a.json()["offices"].as_array().is_some_and(|o| !o.is_empty()),
	)
	.await
	.json();
	let role = if admin { "Admin" } else { "Staff" };
	assert_eq!(me["offices"], json!([{ "branch": 0, "role": role }]), "{me}");
	assert_eq!(me["account"], json!(api::input::ss58(officer)));
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
	let (gateway, _dir, _workers) = sqlite_gateway(&node).await;
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
	let (gateway, _dir, _workers) = sqlite_gateway(&node).await;
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
