//! A family and its branch over HTTP, on SQLite and PostgreSQL: staff register an elder, her
//! daughter and a volunteer; staff verify the relation and the elder makes her daughter a proxy;
//! the elder gives, the daughter proposes a donation that the elder co-signs, the elder writes a
//! time will; the admin sends large grants to review and a staff member approves one from the
//! queue; the admin creates a course, staff schedule it, the volunteer enrols and attends. Every
//! step goes through the API and is followed to finality; the chain's refusals come back with its
//! reasons, and each list is private to those who may see it.

use crate::{
	api::{officer_signs_in, refusal, until},
	api_service::finished,
	common::{
		each_database,
		http::{Answer, Client},
		DevNode,
	},
};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use timebank_gateway::{api, Gateway};

async fn ok(client: &Client, path: &str, body: &Value) {
	let operation = finished(client, &client.post(path, body).await).await;
	assert_eq!(operation["state"], json!("finalized_ok"), "{path}: {operation}");
}

async fn ok_put(client: &Client, path: &str, body: &Value) {
	let operation = finished(client, &client.put(path, body).await).await;
	assert_eq!(operation["state"], json!("finalized_ok"), "{path}: {operation}");
}

/// A write without a body.
async fn ok_bare(client: &Client, path: &str) {
	let operation = finished(client, &client.send("POST", path, None).await).await;
	assert_eq!(operation["state"], json!("finalized_ok"), "{path}: {operation}");
}

fn now_ms() -> u64 {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
	u64::try_from(now.as_millis()).expect("ms")
}

/// The chain refused the write: its reason names `pallet`.
async fn refused_by_chain(client: &Client, answer: &Answer, pallet: &str) {
	let operation = finished(client, answer).await;
	assert_eq!(operation["state"], json!("refused"), "{operation}");
	let outcome = operation["outcome"].as_str().unwrap_or_default();
	assert!(outcome.starts_with(&format!("{pallet}.")), "{operation}");
}

/// The people of one run, each signed in.
struct Family {
	staff: Client,
	admin: Client,
	elder: (Client, String),
	daughter: (Client, String),
	volunteer: (Client, String),
}

#[tokio::test]
async fn a_family_gives_trains_and_is_reviewed_over_http() {
	let node = DevNode::start();
	node.ready().await;
	for (run, (location, _server, dir)) in each_database("family").await.into_iter().enumerate() {
		let gateway = Gateway::open(crate::common::config(&node, dir.path(), location))
			.await
			.expect("gateway opens");
		let _workers = gateway.spawn_workers();
		let http = Client::new(crate::api::serve(gateway.clone()).await);
		let family = the_family_at_the_counter(&gateway, &http, run).await;
		relatives_and_proxies(&family).await;
		gifts_proposals_and_the_will(&family).await;
		grants_wait_for_review(&family, run).await;
		training(&family, run).await;
	}
}

/// Register a member at the counter and sign them in from the app: the client and the account.
async fn member(
	http: &Client,
	staff: &Client,
	who: (&str, &str, &str),
	roles: Value,
	run: usize,
) -> (Client, String) {
	let (name, phone, id) = who;
	let password = format!("{id}-password");
	let registration = json!({
		"branch": 0, "name": name, "phone": phone, "id_type": "resident-id",
		"id_number": format!("{id}{run}"), "roles": roles, "password": password,
	});
	let registered = staff.post("/api/v1/members", &registration).await;
	let account = registered.json()["account"].as_str().expect("account").to_owned();
	let operation = finished(staff, &registered).await;
	assert_eq!(operation["state"], json!("finalized_ok"), "{operation}");
	let sign_in = json!({ "phone": phone, "password": password, "client": "app" });
	let token = http.post("/api/v1/auth/sign-in", &sign_in).await.json()["token"]
		.as_str()
		.expect("token")
		.to_owned();
	let client = http.with("Authorization", &format!("Bearer {token}"));
	until(
		"the member is indexed",
		|| client.get("/api/v1/me"),
		|a| a.status == 200 && a.json()["membership"] != Value::Null,
	)
	.await;
	(client, account)
}

async fn the_family_at_the_counter(gateway: &Gateway, http: &Client, run: usize) -> Family {
	let staff = officer_signs_in(gateway, http, "+8613600000001", "staff-password-1", false)
		.await
		.with("X-Timebank-Client", "web");
	let admin = officer_signs_in(gateway, http, "+8613600000002", "admin-password-1", true)
		.await
		.with("X-Timebank-Client", "web");
	let phone = |n: usize| format!("+86135000{:02}{:03}", run, n);
	let elder = member(
		http,
		&staff,
		("家庭测试老人", &phone(1), "3301061940"),
		json!({ "recipient": true }),
		run,
	)
	.await;
	let daughter = member(
		http,
		&staff,
		("家庭测试女儿", &phone(2), "3301061970"),
		json!({ "family_proxy": true, "volunteer": true }),
		run,
	)
	.await;
	let volunteer = member(
		http,
		&staff,
		("家庭测试志愿者", &phone(3), "3301061990"),
		json!({ "volunteer": true }),
		run,
	)
	.await;
	let account = api::input::parse_account(&elder.1).expect("account");
	crate::service::branch_setup(gateway, account).await;
	Family { staff, admin, elder, daughter, volunteer }
}

/// Staff verify the relation; the elder makes her daughter a proxy; the family page shows both
/// ways, to the family only.
async fn relatives_and_proxies(family: &Family) {
	let (elder, elder_account) = (&family.elder.0, &family.elder.1);
	let (daughter, daughter_account) = (&family.daughter.0, &family.daughter.1);
	let relatives = format!("/api/v1/members/{elder_account}/relatives");
	let same = json!({ "relative": elder_account, "evidence": "户口簿第3页" });
	assert_eq!(refusal(&family.staff.post(&relatives, &same).await, 400), "input.malformed");
	let relation = json!({ "relative": daughter_account, "evidence": "户口簿第3页" });
	ok(&family.staff, &relatives, &relation).await;
	let nothing = json!({ "proxy": daughter_account, "permissions": {} });
	let refused = elder.post("/api/v1/me/proxies", &nothing).await;
	assert_eq!(refusal(&refused, 400), "input.malformed");
	assert_eq!(refused.json()["field"], json!("permissions"));
	let proxy = json!({ "proxy": daughter_account,
		"permissions": { "request_services": true, "propose_transfers": true } });
	ok(elder, "/api/v1/me/proxies", &proxy).await;

	let page = format!("/api/v1/members/{elder_account}/family");
	let seen = until(
		"the proxy is indexed",
		|| elder.get(&page),
		|a| a.status == 200 && a.json()["acting_for_me"].as_array().is_some_and(|l| !l.is_empty()),
	)
	.await
	.json();
	assert_eq!(seen["acting_for_me"][0]["account"], json!(daughter_account), "{seen}");
	assert_eq!(seen["acting_for_me"][0]["status"], json!("Active"));
	assert_eq!(
		seen["acting_for_me"][0]["permissions"],
		json!({ "request_services": true, "confirm_services": false, "propose_transfers": true })
	);
	assert_eq!(seen["relatives"], json!([daughter_account]));
	let hers = daughter.get(&format!("/api/v1/members/{daughter_account}/family")).await.json();
	assert_eq!(hers["i_act_for"][0]["account"], json!(elder_account), "{hers}");
	// The proxy may read the elder's page; the volunteer may not learn it exists.
	assert_eq!(daughter.get(&page).await.status, 200);
	assert_eq!(refusal(&family.volunteer.0.get(&page).await, 404), "member.not_found");
}

/// A gift, a refused gift, a proxy's proposal co-signed by the elder, a will.
async fn gifts_proposals_and_the_will(family: &Family) {
	let (elder, elder_account) = (&family.elder.0, &family.elder.1);
	let (daughter, daughter_account) = (&family.daughter.0, &family.daughter.1);
	let (volunteer, _) = &family.volunteer;
	let zero = json!({ "to": daughter_account, "minutes": 0 });
	assert_eq!(refusal(&elder.post("/api/v1/gifts", &zero).await, 400), "input.malformed");
	ok(elder, "/api/v1/gifts", &json!({ "to": daughter_account, "minutes": 30 })).await;
	the_statement_exports_as_csv(family).await;
	// The volunteer is nobody's relative here: the chain refuses, and says why.
	let stranger = json!({ "to": elder_account, "minutes": 5 });
	refused_by_chain(volunteer, &volunteer.post("/api/v1/gifts", &stranger).await, "Ledger").await;

	let proposals = format!("/api/v1/members/{elder_account}/transfer-proposals");
	let donation = json!({ "kind": "pool", "branch": 0, "minutes": 20 });
	ok(daughter, &proposals, &donation).await;
	let waiting = until(
		"the proposal is indexed",
		|| elder.get(&proposals),
		|a| a.status == 200 && a.json()["proposals"].as_array().is_some_and(|l| !l.is_empty()),
	)
	.await
	.json();
	let proposal = &waiting["proposals"][0];
	assert_eq!(proposal["proxy"], json!(daughter_account), "{waiting}");
	assert_eq!(proposal["status"], json!("Proposed"));
	assert_eq!(refusal(&volunteer.get(&proposals).await, 404), "member.not_found");
	the_inbox_tells_the_family(family, &proposal["proposal"]).await;
	assert_eq!(
		refusal(&elder.get(&format!("{proposals}?status=Lost")).await, 400),
		"input.malformed"
	);
	let approve = format!("/api/v1/transfer-proposals/{}/approve", proposal["proposal"]);
	ok_bare(elder, &approve).await;
	let approved_path = format!("{proposals}?status=Approved");
	let approved = until(
		"the approval is indexed",
		|| elder.get(&approved_path),
		|a| a.json()["proposals"].as_array().is_some_and(|l| !l.is_empty()),
	)
	.await
	.json();
	assert!(approved["proposals"][0]["operation"].is_u64(), "{approved}");

	let over = json!({ "beneficiaries": [{ "account": daughter_account, "percent": 101 }] });
	assert_eq!(refusal(&elder.put("/api/v1/me/time-will", &over).await, 400), "input.malformed");
	let will = json!({ "beneficiaries": [{ "account": daughter_account, "percent": 100 }] });
	ok_put(elder, "/api/v1/me/time-will", &will).await;
}

/// The admin has large grants reviewed; the admin's own grant waits in the queue, which staff
/// see (and the elder may not), and a staff member's approval carries it out.
async fn grants_wait_for_review(family: &Family, run: usize) {
	let elder_account = &family.elder.1;
	let policy = json!({
		"listing_approvals": 1, "dispute_approvals": 2, "application_approvals": 0,
		"grant_approvals": 1, "large_grant_from": 700, "reversal_approvals": 0,
		"policy_change_approvals": 0,
	});
	// The second run finds the policy already set; setting it again is no change.
	if run == 0 {
		ok_put(&family.admin, "/api/v1/branches/0/review-policy", &policy).await;
	}
	let grant = json!({ "to": elder_account, "minutes": 800, "justification": "重阳节慰问" });
	ok(&family.admin, "/api/v1/grants", &grant).await;
	let queue = until(
		"the grant's review is indexed",
		|| family.staff.get("/api/v1/branches/0/reviews"),
		|a| {
			a.status == 200
				&& a.json()["reviews"].as_array().is_some_and(|l| {
					l.iter().any(|r| r["subject_kind"] == json!("Grant") && r["decision"].is_null())
				})
		},
	)
	.await
	.json();
	let review = queue["reviews"]
		.as_array()
		.and_then(|l| l.iter().find(|r| r["subject_kind"] == json!("Grant")))
		.expect("the grant's review")
		.clone();
	assert_eq!(review["required"], json!(1), "{review}");
	assert_eq!(
		refusal(&family.elder.0.get("/api/v1/branches/0/reviews").await, 403),
		"auth.not_staff"
	);
	let vote = format!("/api/v1/reviews/{}/vote", review["review"]);
	let no_reason = json!({ "decision": "approve", "reason": " " });
	assert_eq!(refusal(&family.staff.post(&vote, &no_reason).await, 400), "input.missing");
	ok(&family.staff, &vote, &json!({ "decision": "approve", "reason": "符合慰问标准" })).await;
	let decided = until(
		"the decision is indexed",
		|| family.staff.get("/api/v1/branches/0/reviews?status=decided"),
		|a| {
			a.json()["reviews"]
				.as_array()
				.is_some_and(|l| l.iter().any(|r| r["review"] == review["review"]))
		},
	)
	.await
	.json();
	let mine = decided["reviews"]
		.as_array()
		.and_then(|l| l.iter().find(|r| r["review"] == review["review"]));
	assert_eq!(mine.map(|r| r["decision"].clone()), Some(json!("Approve")), "{decided}");
	let statement = format!("/api/v1/members/{elder_account}/statement?limit=1");
	let newest = until(
		"the grant reaches the statement",
		|| family.elder.0.get(&statement),
		|a| a.json()["lines"][0]["amount"] == json!(800),
	)
	.await
	.json();
	assert_eq!(newest["lines"][0]["kind"], json!("Grant"), "{newest}");
	let applications = family.staff.get("/api/v1/branches/0/applications").await;
	assert_eq!(applications.status, 200, "{}", applications.text());
}

/// The admin creates a course (a bad address first); staff schedule a session of it starting at
/// `starts`: the session's id.
async fn a_course_and_a_session(family: &Family, run: usize, starts: u64) -> Value {
	let volunteer = &family.volunteer.0;
	// Both runs share the chain: each its own skill, to find its own course.
	let skill = json!(7 + run);
	let course = json!({
		"branch": 0, "uri": "https://example.org/courses/first-aid",
		"content_hash": format!("0x{}", "ab".repeat(32)), "minutes": 90, "skill": skill,
		"validity_days": 365,
	});
	let mut bad = course.clone();
	bad["uri"] = json!("ftp://example.org");
	assert_eq!(refusal(&family.admin.post("/api/v1/courses", &bad).await, 400), "input.malformed");
	ok(&family.admin, "/api/v1/courses", &course).await;
	let listed = until(
		"the course is indexed",
		|| volunteer.get("/api/v1/courses?branch=0"),
		|a| a.json()["courses"].as_array().is_some_and(|l| l.iter().any(|c| c["skill"] == skill)),
	)
	.await
	.json();
	let id = listed["courses"]
		.as_array()
		.and_then(|l| l.iter().find(|c| c["skill"] == skill))
		.expect("the course")["course"]
		.clone();
	let session = json!({ "starts_at_ms": starts, "capacity": 10 });
	ok(&family.staff, &format!("/api/v1/courses/{id}/sessions"), &session).await;
	let scheduled = until(
		"the session is indexed",
		|| volunteer.get("/api/v1/courses?branch=0"),
		|a| {
			a.json()["courses"].as_array().is_some_and(|l| {
				l.iter().any(|c| {
					c["course"] == id && c["sessions"].as_array().is_some_and(|s| !s.is_empty())
				})
			})
		},
	)
	.await
	.json();
	let entry = scheduled["courses"].as_array().and_then(|l| l.iter().find(|c| c["course"] == id));
	entry.expect("the course")["sessions"][0]["session"].clone()
}

/// The volunteer enrols in a new session and attends; the roster is staff's, not the
/// volunteer's.
async fn training(family: &Family, run: usize) {
	let (volunteer, volunteer_account) = (&family.volunteer.0, &family.volunteer.1);
	let starts = now_ms() + 8_000;
	let session_id = a_course_and_a_session(family, run, starts).await;
	let base = format!("/api/v1/training-sessions/{session_id}");
	let roster_path = format!("{base}/roster");
	ok_bare(volunteer, &format!("{base}/enrol")).await;
	let roster = until(
		"the enrolment is indexed",
		|| family.staff.get(&roster_path),
		|a| a.json()["entries"].as_array().is_some_and(|l| !l.is_empty()),
	)
	.await
	.json();
	assert_eq!(roster["entries"], json!([{ "member": volunteer_account, "status": "Enrolled" }]));
	assert_eq!(refusal(&volunteer.get(&roster_path).await, 403), "auth.not_staff");
	assert_eq!(
		refusal(&volunteer.get("/api/v1/training-sessions/999999/roster").await, 404),
		"http.not_found"
	);
	// Attendance is recorded once the session has begun.
	let wait = starts.saturating_sub(now_ms());
	tokio::time::sleep(Duration::from_millis(wait + 1_500)).await;
	ok(&family.staff, &format!("{base}/attendance"), &json!({ "member": volunteer_account })).await;
	until(
		"the attendance is indexed",
		|| family.staff.get(&roster_path),
		|a| a.json()["entries"][0]["status"] == json!("Attended"),
	)
	.await;
	let certificates =
		volunteer.get(&format!("/api/v1/members/{volunteer_account}/certificates")).await;
	assert_eq!(certificates.json(), json!({ "certificates": [] }), "not complete yet");
}

/// The elder's statement as a spreadsheet file: a byte-order mark, Chinese headers, the gift as
/// 30 minutes out with its date; English on request; nobody else's to download.
async fn the_statement_exports_as_csv(family: &Family) {
	let (elder, elder_account) = (&family.elder.0, &family.elder.1);
	let path = format!("/api/v1/members/{elder_account}/statement.csv");
	let file = until(
		"the gift is indexed",
		|| elder.get(&path),
		|a| a.status == 200 && a.text().contains(",赠与,"),
	)
	.await;
	assert_eq!(file.header("content-type"), Some("text/csv; charset=utf-8"));
	let text = file.text();
	assert!(text.starts_with("\u{feff}时间,区块,分录,业务,类型,方向,分钟,小时,"), "{text}");
	let gift = text.lines().find(|l| l.contains(",赠与,")).expect("the gift's row");
	let cells: Vec<&str> = gift.split(',').collect();
	assert_eq!(&cells[4..8], ["赠与", "支出", "-30", "-0.50"], "{gift}");
	assert_eq!(cells[9], family.daughter.1, "{gift}");
	// A date in China Standard Time: YYYY-MM-DD HH:MM.
	assert!(cells[0].len() == 16 && cells[0].as_bytes()[10] == b' ', "{gift}");
	let english = elder.with("Accept-Language", "en").get(&path).await.text();
	assert!(english.contains(",Gift,out,-30,-0.50,"), "{english}");
	assert_eq!(refusal(&family.volunteer.0.get(&path).await, 404), "member.not_found");
	let backwards = format!("{path}?from_ms=2000&to_ms=1000");
	assert_eq!(refusal(&elder.get(&backwards).await, 400), "input.malformed");
	let before_any = elder.get(&format!("{path}?to_ms=1000")).await.text();
	assert_eq!(before_any.lines().count(), 1, "only the header: {before_any}");
}

/// The elder's inbox has her daughter's proposal waiting (her daughter, as proxy, reads it too);
/// the daughter's own inbox has the elder's gift.
async fn the_inbox_tells_the_family(family: &Family, proposal: &Value) {
	let (elder, elder_account) = (&family.elder.0, &family.elder.1);
	let (daughter, daughter_account) = (&family.daughter.0, &family.daughter.1);
	let inbox = format!("/api/v1/members/{elder_account}/notifications");
	let hers = elder.get(&inbox).await.json();
	let waiting = hers["notifications"]
		.as_array()
		.and_then(|l| l.iter().find(|n| n["kind"] == json!("proposal_waiting")))
		.unwrap_or_else(|| panic!("no proposal waiting: {hers}"));
	assert_eq!((&waiting["proposal"], &waiting["from"]), (proposal, &json!(daughter_account)));
	assert!(waiting["time_ms"].is_u64(), "{waiting}");
	assert_eq!(daughter.get(&inbox).await.json(), hers, "the proxy reads the same inbox");
	let own = daughter.get(&format!("/api/v1/members/{daughter_account}/notifications")).await;
	let gift = own.json()["notifications"]
		.as_array()
		.and_then(|l| l.iter().find(|n| n["kind"] == json!("gift_received")).cloned())
		.unwrap_or_else(|| panic!("no gift: {}", own.text()));
	assert_eq!((&gift["minutes"], &gift["from"]), (&json!(30), &json!(elder_account)));
}
