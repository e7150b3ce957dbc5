//! A JSON-RPC client over one kept-alive HTTP/1.1 connection per thread: the load generator sends
//! thousands of requests a second, too many to open a connection for each.

use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	time::Duration,
};

pub struct Rpc {
	address: String,
	reader: BufReader<TcpStream>,
	writer: TcpStream,
}

impl Rpc {
	pub fn connect(address: &str) -> Result<Self, String> {
		let stream =
			TcpStream::connect(address).map_err(|e| format!("cannot connect to {address}: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
		stream.set_nodelay(true).map_err(|e| e.to_string())?;
		let writer = stream.try_clone().map_err(|e| e.to_string())?;
		Ok(Self { address: address.to_string(), reader: BufReader::new(stream), writer })
	}

	/// Calls `method`; `Err` carries a transport error or the JSON-RPC error object as text.
	pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let request = format!(
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
			self.address,
			body.len()
		);
		self.writer.write_all(request.as_bytes()).map_err(|e| format!("{method}: {e}"))?;
		let mut length = None;
		loop {
			let mut line = String::new();
			if self.reader.read_line(&mut line).map_err(|e| format!("{method}: {e}"))? == 0 {
				return Err(format!("{method}: the node closed the connection"));
			}
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some((name, value)) = line.split_once(':') {
				if name.eq_ignore_ascii_case("content-length") {
					length = value.trim().parse::<usize>().ok();
				}
			}
		}
		let length = length.ok_or_else(|| format!("{method}: response without Content-Length"))?;
		let mut payload = vec![0; length];
		self.reader.read_exact(&mut payload).map_err(|e| format!("{method}: {e}"))?;
		let reply: Value =
			serde_json::from_slice(&payload).map_err(|e| format!("{method}: {e}"))?;
		match reply.get("error") {
			Some(error) => Err(error.to_string()),
			None => Ok(reply["result"].clone()),
		}
	}
}

pub fn hex(bytes: &[u8]) -> String {
	let mut out = String::with_capacity(2 + bytes.len() * 2);
	out.push_str("0x");
	for b in bytes {
		out.push_str(&format!("{b:02x}"));
	}
	out
}

pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
	let text = text.trim_start_matches("0x");
	(0..text.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| format!("bad hex: {e}")))
		.collect()
}
