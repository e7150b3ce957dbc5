//! Every endpoint the OpenAPI document lists, as nobody and as a signed-in member, with bodies,
//! query strings and path values made to break it: malformed JSON, wrong types, huge and deeply
//! nested values, negative and overlong numbers, injection strings. No answer may be a 5xx, and
//! every refusal must have the error shape with a code. Endpoints that need a session refuse
//! without one. The list comes from the served document, so a new endpoint is covered the day it
//! is added.

use crate::{
	api::{serve, sqlite_gateway},
	common::{
		http::{Answer, Client},
		DevNode,
	},
};
use serde_json::{json, Value};

/// Values a field may be given instead of what it expects.
fn wrong_values() -> Vec<Value> {
	vec![
		Value::Null,
		json!(-1),
		json!(18_446_744_073_709_551_615_u64),
		json!(1.5e300),
		json!(""),
		json!("x".repeat(5_000)),
		json!("' OR 1=1; DROP TABLE members; --"),
		json!("<script>alert(1)</script>"),
		json!("\u{0}\u{202e}\u{feff}时间银行"),
		json!(true),
		json!({}),
		json!([1, 2, 3]),
	]
}

/// Whole bodies that are not what any endpoint takes.
fn wrong_bodies() -> Vec<Vec<u8>> {
	let mut bodies: Vec<Vec<u8>> =
		["", "null", "[]", "{}", "\"text\"", "0", "{\"a\":", "{'single': 1}", "1e400"]
			.iter()
			.map(|b| b.as_bytes().to_vec())
			.collect();
	bodies.push(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes());
	bodies.push(vec![0xff, 0xfe, 0x00, 0x80]);
	bodies.push(format!("{{\"x\": \"{}\"}}", "y".repeat(60 * 1024)).into_bytes());
	bodies
}

/// The property names of an operation's JSON body, from the document's components.
fn body_fields(document: &Value, operation: &Value) -> Vec<String> {
	let reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
		.as_str()
		.unwrap_or("");
	let name = reference.rsplit('/').next().unwrap_or("");
	document["components"]["schemas"][name]["properties"]
		.as_object()
		.map(|p| p.keys().cloned().collect())
		.unwrap_or_default()
}

/// A signed-in request, paced under the per-account limit (20 a second) so that each one
/// reaches its handler instead of the rate limiter.
async fn paced(client: &Client, method: &str, path: &str, body: Option<&[u8]>) -> Answer {
	tokio::time::sleep(std::time::Duration::from_millis(55)).await;
	client.send(method, path, body).await
}

fn check(answer: &Answer, what: &str) {
	assert!(answer.status < 500, "{what}: {} {}", answer.status, answer.text());
	if answer.status >= 400 {
		let body = answer.json();
		assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "{what}: {body}");
		assert!(body["request_id"].is_string(), "{what}: {body}");
	}
}

/// The clients the fuzzing uses, and the signed-in member's account.
struct Callers {
	nobody: Client,
	member: Client,
	account: String,
}

/// One operation of the document: its template, method and description.
struct Endpoint<'a> {
	template: &'a str,
	method: String,
	operation: &'a Value,
}

#[tokio::test]
async fn no_input_makes_any_endpoint_fail_and_none_serves_nobody() {
	let node = DevNode::start();
	let (gateway, _dir, _workers) = sqlite_gateway(&node).await;
	gateway.seed_demo().await.expect("demo");
	let nobody = Client::new(serve(gateway).await);

	let elder = &timebank_gateway::demo::MEMBERS[0].0;
	let sign_in = json!({ "phone": elder.phone, "password": elder.password, "client": "app" });
	let signed_in = nobody.post("/api/v1/auth/sign-in", &sign_in).await;
	let account = signed_in.json()["account"].as_str().expect("account").to_owned();
	let token = signed_in.json()["token"].as_str().expect("token").to_owned();
	let member = nobody.with("Authorization", &format!("Bearer {token}"));
	let callers = Callers { nobody, member, account };

	let document = callers.nobody.get("/api/openapi.json").await.json();
	let mut requests = 0;
	for (template, item) in document["paths"].as_object().expect("paths") {
		for (method, operation) in item.as_object().expect("methods") {
			let endpoint = Endpoint { template, method: method.to_uppercase(), operation };
			requests += fuzz(&callers, &document, &endpoint).await;
		}
	}
	println!("fuzz: {requests} requests, none answered 5xx");
	assert!(requests > 400, "the document lists the endpoints ({requests} requests)");
}

/// Everything thrown at one endpoint; how many requests.
async fn fuzz(callers: &Callers, document: &Value, endpoint: &Endpoint<'_>) -> usize {
	let Callers { nobody, member, account } = callers;
	let Endpoint { template, method, operation } = endpoint;
	let mut requests = 0;
	let path = template.replace("{account}", account).replace("{id}", "1");
	let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
	if secured {
		let answer = nobody.send(method, &path, Some(b"{}")).await;
		assert_eq!(answer.status, 401, "{method} {template} served nobody: {}", answer.text());
		assert_eq!(answer.json()["code"], json!("auth.required"));
		requests += 1;
	}
	// Signing out would end the member's session for the endpoints after it.
	if *template == "/api/v1/auth/sign-out" {
		return requests;
	}
	// Path values that are not ids or accounts.
	for value in ["-1", "99999999999999999999999", "%27%20OR%201%3D1", "%E6%97%B6", "0x"] {
		let odd = template.replace("{account}", value).replace("{id}", value);
		if odd != *template {
			let answer = paced(member, method, &odd, Some(b"{}")).await;
			check(&answer, &format!("{method} {odd}"));
			requests += 1;
		}
	}
	if method == "GET" {
		for query in
			["limit=-5", "limit=99999999999", "before=abc", "branch=1e9", "x=%00", "status=%27"]
		{
			let answer = paced(member, "GET", &format!("{path}?{query}"), None).await;
			check(&answer, &format!("GET {path}?{query}"));
			requests += 1;
		}
		return requests;
	}
	for body in wrong_bodies() {
		check(&paced(member, method, &path, Some(&body)).await, &format!("{method} {path}"));
		requests += 1;
	}
	for field in body_fields(document, operation) {
		for value in wrong_values() {
			let body = json!({ field.clone(): value });
			let answer = paced(member, method, &path, Some(body.to_string().as_bytes())).await;
			check(&answer, &format!("{method} {path} {body}"));
			requests += 1;
		}
	}
	requests
}
