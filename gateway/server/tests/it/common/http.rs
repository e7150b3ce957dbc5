//! A small HTTP/1.1 client for the tests: one request per connection (`Connection: close`), so
//! the tests need no HTTP client crate (adding one would change the node's shared dependencies'
//! features and rebuild it).

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer.
#[derive(Debug)]
pub struct Answer {
	pub status: u16,
	pub headers: Vec<(String, String)>,
	pub body: Vec<u8>,
}

impl Answer {
	/// The first header called `name` (case-insensitive).
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
	}

	/// The body as JSON (panics with the body's text if it is not).
	pub fn json(&self) -> Value {
		serde_json::from_slice(&self.body).unwrap_or_else(|e| {
			panic!("{e}: status {} body {}", self.status, String::from_utf8_lossy(&self.body))
		})
	}

	/// The body as text.
	pub fn text(&self) -> String {
		String::from_utf8_lossy(&self.body).into_owned()
	}
}

/// A gateway's address, and the headers to send with every request.
#[derive(Clone)]
pub struct Client {
	pub address: SocketAddr,
	pub headers: Vec<(String, String)>,
}

impl Client {
	pub fn new(address: SocketAddr) -> Self {
		Self { address, headers: Vec::new() }
	}

	/// The same client with one more header on every request.
	pub fn with(&self, name: &str, value: &str) -> Self {
		let mut client = self.clone();
		client.headers.push((name.to_owned(), value.to_owned()));
		client
	}

	pub async fn get(&self, path: &str) -> Answer {
		self.send("GET", path, None).await
	}

	pub async fn post(&self, path: &str, body: &Value) -> Answer {
		self.send("POST", path, Some(body.to_string().as_bytes())).await
	}

	pub async fn put(&self, path: &str, body: &Value) -> Answer {
		self.send("PUT", path, Some(body.to_string().as_bytes())).await
	}

	/// Any method, any body (sent as JSON unless a Content-Type header was set).
	pub async fn send(&self, method: &str, path: &str, body: Option<&[u8]>) -> Answer {
		let mut stream =
			tokio::net::TcpStream::connect(self.address).await.expect("connect to the gateway");
		let mut head =
			format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
		for (name, value) in &self.headers {
			head.push_str(&format!("{name}: {value}\r\n"));
		}
		if let Some(body) = body {
			if !self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
				head.push_str("Content-Type: application/json\r\n");
			}
			head.push_str(&format!("Content-Length: {}\r\n", body.len()));
		}
		head.push_str("\r\n");
		stream.write_all(head.as_bytes()).await.expect("write");
		if let Some(body) = body {
			stream.write_all(body).await.expect("write body");
		}
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw).await.expect("read");
		parse(&raw)
	}
}

fn parse(raw: &[u8]) -> Answer {
	let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
	let head = String::from_utf8_lossy(&raw[..split]).into_owned();
	let mut lines = head.split("\r\n");
	let status_line = lines.next().expect("status line");
	let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
	let headers: Vec<(String, String)> = lines
		.filter_map(|line| line.split_once(':'))
		.map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
		.collect();
	let mut body = raw[split + 4..].to_vec();
	let chunked = headers.iter().any(|(n, v)| {
		n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
	});
	if chunked {
		body = unchunk(&body);
	}
	Answer { status, headers, body }
}

fn unchunk(mut raw: &[u8]) -> Vec<u8> {
	let mut body = Vec::new();
	loop {
		let end = raw.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
		let size_text = String::from_utf8_lossy(&raw[..end]).into_owned();
		let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
			.expect("chunk size");
		if size == 0 {
			return body;
		}
		body.extend_from_slice(&raw[end + 2..end + 2 + size]);
		raw = &raw[end + 2 + size + 2..];
	}
}
