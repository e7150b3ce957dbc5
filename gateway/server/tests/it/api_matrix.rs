//! The authorisation matrix: every endpoint of the served OpenAPI document, tried as nobody and
//! as every role of a branch (an elder, her daughter as family proxy, a volunteer who is neither,
//! staff, an auditor), on a real node and gateway.
//!
//! - Reads the gateway authorises (a member's records, a branch's queues, rosters, operations):
//!   each role gets exactly the status the table says; a record that is not the caller's to see
//!   is answered as missing.
//! - Writes the gateway authorises (registration and password reset at the counter): refused to
//!   everyone but staff, before anything is made.
//! - Writes the chain authorises: sent as the volunteer, who holds no right over the elder or
//!   the branch, every one ends `refused` with the chain's reason, and none is carried out.
//!
//! The document is walked, so a new endpoint without a row here fails the test.

use crate::{
	api::{officer_signs_in, refusal, sqlite_gateway},
	common::{alice, http::Client, submit_as_dev, DevNode},
};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use timebank_custody::FieldKind;
use timebank_gateway::Gateway;

/// The roles, in the order of each row's expected statuses.
const ROLES: [&str; 6] = ["nobody", "elder", "daughter", "volunteer", "staff", "auditor"];

/// Open to anyone: no row of the matrix.
const PUBLIC: [(&str, &str); 2] =
	[("post", "/api/v1/auth/sign-in"), ("post", "/api/v1/auth/sign-out")];

struct People {
	clients: Vec<Client>,
	elder: String,
	daughter: String,
	volunteer: String,
	staff: String,
	session: u64,
	operation: i64,
}

#[tokio::test]
async fn every_endpoint_as_every_role() {
	let node = DevNode::start();
	let (gateway, _dir, _workers) = sqlite_gateway(&node).await;
	let http = Client::new(crate::api::serve(gateway.clone()).await);
	let people = the_branch(&gateway, &http).await;
	let document = http.get("/api/openapi.json").await.json();
	let mut covered = BTreeSet::new();
	reads(&people, &mut covered).await;
	counter_writes(&people, &mut covered).await;
	chain_writes(&people, &mut covered).await;
	for (method, path) in PUBLIC {
		covered.insert((method.to_owned(), path.to_owned()));
	}
	let mut missing = Vec::new();
	for (path, item) in document["paths"].as_object().expect("paths") {
		for method in item.as_object().expect("methods").keys() {
			if !covered.contains(&(method.clone(), path.clone())) {
				missing.push(format!("{method} {path}"));
			}
		}
	}
	assert!(missing.is_empty(), "endpoints without a row in the matrix: {missing:?}");
}

/// Staff register the elder, the daughter and the volunteer; the elder makes her daughter a
/// proxy; the council makes an auditor; Alice (branch 0's admin) schedules a training session.
async fn the_branch(gateway: &Gateway, http: &Client) -> People {
	let staff = officer_signs_in(gateway, http, "+8613400000001", "staff-password-1", false)
		.await
		.with("X-Timebank-Client", "web");
	let staff_account =
		staff.get("/api/v1/me").await.json()["account"].as_str().expect("a").to_owned();
	let member = |name: &'static str, n: u32, roles: Value| {
		let staff = staff.clone();
		async move {
			let body = json!({
				"branch": 0, "name": name, "phone": format!("+86134000000{n:02}"),
				"id_type": "resident-id", "id_number": format!("MATRIX{n:04}"), "roles": roles,
				"password": format!("matrix-password-{n}"),
			});
			let answer = staff.post("/api/v1/members", &body).await;
			assert_eq!(answer.status, 202, "{}", answer.text());
			(
				answer.json()["account"].as_str().expect("account").to_owned(),
				answer.json()["operation"].as_i64().expect("op"),
			)
		}
	};
	let (elder, _) = member("矩阵老人", 2, json!({ "recipient": true })).await;
	let (daughter, _) = member("矩阵女儿", 3, json!({ "family_proxy": true })).await;
	let (volunteer, operation) = member("矩阵志愿者", 4, json!({ "volunteer": true })).await;
	crate::service::done(gateway, operation, "the registrations").await;
	let sign_in = |n: u32| {
		let http = http.clone();
		async move {
			let body = json!({ "phone": format!("+86134000000{n:02}"), "password": format!("matrix-password-{n}"), "client": "app" });
			let token = http.post("/api/v1/auth/sign-in", &body).await.json()["token"]
				.as_str()
				.expect("token")
				.to_owned();
			http.with("Authorization", &format!("Bearer {token}"))
		}
	};
	let (elder_app, daughter_app, volunteer_app) =
		(sign_in(2).await, sign_in(3).await, sign_in(4).await);
	let proxy = json!({ "proxy": daughter, "permissions": { "request_services": true } });
	let authorised = elder_app.post("/api/v1/me/proxies", &proxy).await;
	let id = authorised.json()["operation"].as_i64().expect("operation");
	crate::service::done(gateway, id, "the proxy").await;
	let auditor = an_auditor(gateway, http).await;
	let session = a_training_session(gateway).await;
	People {
		clients: vec![http.clone(), elder_app, daughter_app, volunteer_app, staff, auditor],
		elder,
		daughter,
		volunteer,
		staff: staff_account,
		session,
		operation,
	}
}

/// A civil-affairs auditor, appointed by the council (sudo on the development chain), signed in.
async fn an_auditor(gateway: &Gateway, http: &Client) -> Client {
	use timebank_chain_api::timebank::{
		self,
		runtime_types::{
			pallet_timebank_registry::pallet::Call as RegistryCall, timebank_runtime::RuntimeCall,
		},
	};
	let auditor = gateway.vault.create_key(None).await.expect("key");
	let phone = "+8613400000009";
	gateway
		.vault
		.store_personal(auditor, &[(FieldKind::Phone, phone.as_bytes())])
		.await
		.expect("phone");
	gateway
		.store_password(auditor, "auditor-password-1".to_owned().into(), auditor)
		.await
		.expect("password");
	let call = RuntimeCall::Registry(RegistryCall::set_auditor {
		who: subxt::utils::AccountId32(auditor),
		enabled: true,
	});
	submit_as_dev(&gateway.chain, &alice(), &timebank::tx().sudo().sudo(call)).await;
	let body = json!({ "phone": phone, "password": "auditor-password-1", "client": "app" });
	let token = http.post("/api/v1/auth/sign-in", &body).await.json()["token"]
		.as_str()
		.expect("token")
		.to_owned();
	http.with("Authorization", &format!("Bearer {token}"))
}

/// A course and a session of it in branch 0, made by Alice (its admin): the session's id.
async fn a_training_session(gateway: &Gateway) -> u64 {
	use timebank_chain_api::timebank::{
		self, runtime_types::bounded_collections::bounded_vec::BoundedVec,
	};
	let course = timebank::tx().training().create_course(
		0,
		subxt::utils::H256::repeat_byte(1),
		BoundedVec(b"https://example.org/matrix".to_vec()),
		30,
		3,
		0,
		0,
		0,
	);
	submit_as_dev(&gateway.chain, &alice(), &course).await;
	let course = newest(gateway, "SELECT MAX(course) FROM courses").await;
	let course = u32::try_from(course).expect("a course id");
	let starts = now_ms() + 86_400_000;
	let schedule = timebank::tx().training().schedule_session(course, starts, 5);
	submit_as_dev(&gateway.chain, &alice(), &schedule).await;
	newest(gateway, "SELECT MAX(session) FROM training_sessions").await
}

/// The largest id `sql` finds once the index has every finalised block.
async fn newest(gateway: &Gateway, sql: &'static str) -> u64 {
	let (head, _) = gateway.chain.finalized_head().await.expect("head");
	crate::service::indexed_up_to(&gateway.index, head).await;
	let row = gateway.index.query_one(sql, vec![]).await.expect("query").expect("a row");
	row.opt_uint(0).expect("integer").expect("an id")
}

fn now_ms() -> u64 {
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("1970");
	u64::try_from(now.as_millis()).expect("ms")
}

/// Expected status per role (`ROLES` order), for one request.
async fn row(
	people: &People,
	covered: &mut BTreeSet<(String, String)>,
	method: &str,
	template: &str,
	path: &str,
	body: Option<&Value>,
	expected: [u16; 6],
) {
	covered.insert((method.to_lowercase(), template.to_owned()));
	for (client, (role, want)) in people.clients.iter().zip(ROLES.iter().zip(expected)) {
		let bytes = body.map(|b| serde_json::to_vec(b).expect("json"));
		let answer = client.send(method, path, bytes.as_deref()).await;
		assert_eq!(answer.status, want, "{method} {path} as {role}: {}", answer.text());
		if want >= 400 {
			refusal(&answer, want);
		}
	}
}

async fn reads(people: &People, covered: &mut BTreeSet<(String, String)>) {
	const ALL: [u16; 6] = [401, 200, 200, 200, 200, 200];
	// The member, her proxy, home staff, an auditor; the volunteer is told nothing exists.
	const FAMILY: [u16; 6] = [401, 200, 200, 404, 200, 200];
	const BRANCH: [u16; 6] = [401, 403, 403, 403, 200, 200];
	let elder = &people.elder;
	for (template, expected) in [
		("/api/v1/me", ALL),
		("/api/v1/listings", ALL),
		("/api/v1/courses", ALL),
		("/api/v1/candidates", ALL),
		("/api/v1/members/{account}/statement", FAMILY),
		("/api/v1/members/{account}/statement.csv", FAMILY),
		("/api/v1/members/{account}/engagements", FAMILY),
		("/api/v1/members/{account}/family", FAMILY),
		("/api/v1/members/{account}/transfer-proposals", FAMILY),
		("/api/v1/members/{account}/certificates", FAMILY),
		// The inbox is the member's and her proxies' only.
		("/api/v1/members/{account}/notifications", [401, 200, 200, 404, 404, 404]),
		("/api/v1/branches/{branch}/reviews", BRANCH),
		("/api/v1/branches/{branch}/applications", BRANCH),
		("/api/v1/training-sessions/{id}/roster", BRANCH),
		("/api/v1/listings/{id}/applications", ALL),
		("/api/v1/branches/{branch}/summary", BRANCH),
		("/api/v1/branches", [401, 403, 403, 403, 403, 200]),
		// Officers of any branch and auditors (the operator signs in as an officer).
		("/api/v1/status", [401, 403, 403, 403, 200, 200]),
	] {
		let path = template
			.replace("{account}", elder)
			.replace("{branch}", "0")
			.replace("{id}", &people.session.to_string());
		row(people, covered, "GET", template, &path, None, expected).await;
	}
	the_figures_add_up(people).await;
	// An operation is its signer's only (the staff member's registration).
	let path = format!("/api/v1/operations/{}", people.operation);
	row(
		people,
		covered,
		"GET",
		"/api/v1/operations/{id}",
		&path,
		None,
		[401, 404, 404, 404, 200, 404],
	)
	.await;
}

/// Branch 0's figures count its new members; the auditor's overview holds branch 0; the status
/// has the index within a few blocks of the finalised head and the validators.
async fn the_figures_add_up(people: &People) {
	let (staff, auditor) = (&people.clients[4], &people.clients[5]);
	let figures = staff.get("/api/v1/branches/0/summary").await.json();
	assert!(figures["active_members"].as_u64().is_some_and(|n| n >= 3), "{figures}");
	assert!(figures["capacity"]["alert"].is_boolean(), "{figures}");
	assert_eq!(
		refusal(&auditor.get("/api/v1/branches/4000000/summary").await, 404),
		"http.not_found"
	);
	let network = auditor.get("/api/v1/branches").await.json();
	assert_eq!(network["branches"][0]["branch"], json!(0), "{network}");
	let status = staff.get("/api/v1/status").await.json();
	assert!(status["index_lag"].as_u64().is_some_and(|lag| lag < 30), "{status}");
	assert!(status["validators"].as_array().is_some_and(|v| !v.is_empty()), "{status}");
	assert!(status["finalized_block"].as_u64() <= status["best_block"].as_u64(), "{status}");
}

/// Registration and password reset: the gateway refuses all but staff of the home branch.
async fn counter_writes(people: &People, covered: &mut BTreeSet<(String, String)>) {
	let registration = json!({
		"branch": 0, "name": "矩阵新人", "id_type": "resident-id", "id_number": "MATRIX0099",
		"roles": { "volunteer": true },
	});
	row(
		people,
		covered,
		"POST",
		"/api/v1/members",
		"/api/v1/members",
		Some(&registration),
		[401, 403, 403, 403, 202, 403],
	)
	.await;
	let reset = json!({ "id_number": "NOT-THE-NUMBER", "password": "a-new-password" });
	let path = format!("/api/v1/members/{}/password", people.elder);
	// Staff get as far as the document check; everyone else is stopped before it.
	row(
		people,
		covered,
		"PUT",
		"/api/v1/members/{account}/password",
		&path,
		Some(&reset),
		[401, 403, 403, 403, 403, 403],
	)
	.await;
}

/// How a write sent by the volunteer must end.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ends {
	/// Refused by the chain: the volunteer has no right over the target.
	Refused,
	/// Carried out: it is the volunteer's own business.
	CarriedOut,
}
use Ends::{CarriedOut, Refused};

/// Every write the chain authorises: method, path, body, how it must end. In paths, `{account}` is the elder,
/// `{proxy}` her daughter, `{branch}` branch 0, `{category}` category 1, and `{id}` the training
/// session for `/training-sessions/` and an id nothing has elsewhere. In bodies, `$elder`,
/// `$daughter`, `$me` (the volunteer), `$staff`, `$tomorrow` and `$later` (ms, an hour apart) stand for those.
const CHAIN_WRITES: &[(&str, &str, Option<&str>, Ends)] = &[
	(
		"POST",
		"/api/v1/listings",
		Some(
			r#"{"kind":"request","branch":0,"category":1,"slot_start_ms":$tomorrow,"slot_end_ms":$later,"area":1,"estimated_minutes":30,"on_behalf_of":"$elder"}"#,
		),
		Refused,
	),
	("POST", "/api/v1/listings/{id}/apply", None, Refused),
	("POST", "/api/v1/listings/{id}/withdraw", None, Refused),
	("POST", "/api/v1/listings/{id}/accept", Some(r#"{"applicant":"$me"}"#), Refused),
	("POST", "/api/v1/listings/{id}/cancel", None, Refused),
	("POST", "/api/v1/engagements/{id}/check-in", None, Refused),
	("POST", "/api/v1/engagements/{id}/check-out", None, Refused),
	("POST", "/api/v1/engagements/{id}/confirm", None, Refused),
	("POST", "/api/v1/engagements/{id}/cancel", None, Refused),
	("POST", "/api/v1/engagements/{id}/dispute", Some(r#"{"reason":"never came"}"#), Refused),
	("POST", "/api/v1/engagements/{id}/rate", Some(r#"{"ratee":"$elder","stars":1}"#), Refused),
	("POST", "/api/v1/gifts", Some(r#"{"to":"$elder","minutes":5}"#), Refused),
	("POST", "/api/v1/donations", Some(r#"{"kind":"member","to":"$elder","minutes":5}"#), Refused),
	(
		"POST",
		"/api/v1/members/{account}/transfer-proposals",
		Some(r#"{"kind":"pool","branch":0,"minutes":5}"#),
		Refused,
	),
	("POST", "/api/v1/transfer-proposals/{id}/approve", None, Refused),
	("POST", "/api/v1/transfer-proposals/{id}/cancel", None, Refused),
	// The volunteer's own will may name any member (DOMAIN.md rule 10): carried out.
	(
		"PUT",
		"/api/v1/me/time-will",
		Some(r#"{"beneficiaries":[{"account":"$elder","percent":100}]}"#),
		CarriedOut,
	),
	(
		"POST",
		"/api/v1/me/proxies",
		Some(r#"{"proxy":"$staff","permissions":{"request_services":true}}"#),
		Refused,
	),
	(
		"POST",
		"/api/v1/members/{account}/proxies",
		Some(r#"{"proxy":"$me","permissions":{"request_services":true},"evidence":"form 1"}"#),
		Refused,
	),
	("POST", "/api/v1/members/{account}/proxies/recorded/confirm", None, Refused),
	("POST", "/api/v1/members/{account}/proxies/recorded/cancel", None, Refused),
	("POST", "/api/v1/members/{account}/proxies/{proxy}/revoke", None, Refused),
	(
		"POST",
		"/api/v1/members/{account}/relatives",
		Some(r#"{"relative":"$me","evidence":"none"}"#),
		Refused,
	),
	("PUT", "/api/v1/members/{account}/roles", Some(r#"{"volunteer":true}"#), Refused),
	("PUT", "/api/v1/members/{account}/status", Some(r#"{"status":"suspended"}"#), Refused),
	(
		"PUT",
		"/api/v1/members/{account}/eligibility",
		Some(r#"{"eligible":true,"evidence":"assessment"}"#),
		Refused,
	),
	("POST", "/api/v1/members/{account}/estate", Some(r#"{"evidence":"certificate"}"#), Refused),
	("POST", "/api/v1/members/{account}/estate/approve", None, Refused),
	("POST", "/api/v1/members/{account}/estate/cancel", None, Refused),
	(
		"POST",
		"/api/v1/courses",
		Some(
			r#"{"branch":0,"uri":"https://example.org/x","content_hash":"0xcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","minutes":30,"skill":1,"validity_days":0}"#,
		),
		Refused,
	),
	("PUT", "/api/v1/courses/{id}/active", Some(r#"{"active":false}"#), Refused),
	(
		"POST",
		"/api/v1/courses/{id}/sessions",
		Some(r#"{"starts_at_ms":$tomorrow,"capacity":3}"#),
		Refused,
	),
	// Any member may enrol in a session, and then withdraw: the volunteer's own business.
	("POST", "/api/v1/training-sessions/{id}/enrol", None, CarriedOut),
	("POST", "/api/v1/training-sessions/{id}/withdraw", None, CarriedOut),
	("POST", "/api/v1/training-sessions/{id}/close", None, Refused),
	("POST", "/api/v1/training-sessions/{id}/attendance", Some(r#"{"member":"$elder"}"#), Refused),
	("POST", "/api/v1/training-sessions/{id}/completions", Some(r#"{"member":"$elder"}"#), Refused),
	("POST", "/api/v1/certificates/{id}/revoke", Some(r#"{"reason":"fraud"}"#), Refused),
	(
		"POST",
		"/api/v1/reviews/{id}/vote",
		Some(r#"{"decision":"approve","reason":"fine"}"#),
		Refused,
	),
	("POST", "/api/v1/applications/{account}/approve", None, Refused),
	("POST", "/api/v1/applications/{account}/reject", Some(r#"{"reason":"no"}"#), Refused),
	(
		"POST",
		"/api/v1/branches/{branch}/officers",
		Some(r#"{"account":"$me","role":"admin"}"#),
		Refused,
	),
	("POST", "/api/v1/branches/{branch}/officers/{account}/remove", None, Refused),
	(
		"POST",
		"/api/v1/grants",
		Some(r#"{"to":"$me","minutes":600,"justification":"myself"}"#),
		Refused,
	),
	(
		"POST",
		"/api/v1/ledger-operations/{id}/reverse",
		Some(r#"{"reason":"fraud","memo":"x"}"#),
		Refused,
	),
	(
		"PUT",
		"/api/v1/branches/{branch}/categories/{category}",
		Some(r#"{"risk":"low","active":true}"#),
		Refused,
	),
	(
		"PUT",
		"/api/v1/branches/{branch}/review-policy",
		Some(
			r#"{"listing_approvals":1,"dispute_approvals":1,"application_approvals":0,"grant_approvals":0,"large_grant_from":0,"reversal_approvals":0,"policy_change_approvals":0}"#,
		),
		Refused,
	),
	("PUT", "/api/v1/me/vote", Some(r#"{"branch":999}"#), Refused),
	("POST", "/api/v1/me/vote/withdraw", None, Refused),
	("POST", "/api/v1/branches/{branch}/candidacy", Some(r#"{"validator":"$me"}"#), Refused),
	("POST", "/api/v1/branches/{branch}/candidacy/withdraw", None, Refused),
	("POST", "/api/v1/branches/{branch}/candidacy/online", None, Refused),
	// Last: were it carried out, the volunteer would be gone.
	("POST", "/api/v1/me/leave", Some(r#"{"choice":"gift_to","to":"$elder"}"#), Refused),
];

/// Every chain-authorised write, as the volunteer: refused by the chain, with its reason.
async fn chain_writes(people: &People, covered: &mut BTreeSet<(String, String)>) {
	let volunteer = &people.clients[3];
	let tomorrow = now_ms() + 86_400_000;
	let (later, tomorrow) = ((tomorrow + 3_600_000).to_string(), tomorrow.to_string());
	let mut sent = Vec::new();
	for (method, template, body, ends) in CHAIN_WRITES {
		covered.insert((method.to_lowercase(), (*template).to_owned()));
		let id = if template.contains("/training-sessions/") {
			people.session.to_string()
		} else {
			"999999".to_owned()
		};
		// The officer removed is the staff member; elsewhere `{account}` is the elder.
		let account = if template.contains("/officers/") { &people.staff } else { &people.elder };
		let path = template
			.replace("{account}", account)
			.replace("{proxy}", &people.daughter)
			.replace("{branch}", "0")
			.replace("{category}", "1")
			.replace("{id}", &id);
		let body = body.map(|b| {
			b.replace("$elder", &people.elder)
				.replace("$daughter", &people.daughter)
				.replace("$me", &people.volunteer)
				.replace("$staff", &people.staff)
				.replace("$tomorrow", &tomorrow)
				.replace("$later", &later)
		});
		// Nobody is refused before anything is sent.
		let anonymous =
			people.clients[0].send(method, &path, body.as_deref().map(str::as_bytes)).await;
		assert_eq!(refusal(&anonymous, 401), "auth.required", "{method} {path}");
		// Paced under the per-account limit (20 a second), which this test does not exercise.
		tokio::time::sleep(std::time::Duration::from_millis(60)).await;
		let answer = volunteer.send(method, &path, body.as_deref().map(str::as_bytes)).await;
		assert_eq!(answer.status, 202, "{method} {path}: {}", answer.text());
		sent.push((format!("{method} {path}"), answer.json()["operation"].clone(), *ends));
	}
	for (what, operation, ends) in sent {
		let path = format!("/api/v1/operations/{operation}");
		let done =
			crate::api::until(&what, || volunteer.get(&path), |a| a.json()["done"] == json!(true))
				.await
				.json();
		if ends == CarriedOut {
			assert_eq!(done["state"], json!("finalized_ok"), "{what}: {done}");
			continue;
		}
		assert_eq!(done["state"], json!("refused"), "{what} was not refused: {done}");
		assert!(done["outcome"].as_str().is_some_and(|o| o.contains('.')), "{what}: {done}");
	}
	// Nothing the volunteer tried took effect: no office, still an active member.
	let me_now = volunteer.get("/api/v1/me").await.json();
	assert_eq!(me_now["offices"], json!([]), "{me_now}");
	assert_eq!(me_now["membership"]["status"], json!("Active"), "{me_now}");
}
