//! A JSON-RPC client over one kept-alive HTTP/1.1 connection: the load generator sends thousands
//! of requests a second, too many to open a connection for each. The node's integration tests use
//! the same client (one connection per call there, see `node/tests/it/common`).
//!
//! Bytes travel as `0x…` hex, written and read by sp-core's codec; block numbers are read from
//! headers by [`header_number`] only.

use polkadot_sdk::sp_core::{bytes, H256};
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	time::Duration,
};
use timebank_runtime::signing::SigningContext;

/// How long a call waits for its answer unless the caller chose otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// One connection to a node's JSON-RPC port; calls on it are answered in order.
pub struct Rpc {
	address: String,
	reader: BufReader<TcpStream>,
	writer: TcpStream,
}

impl Rpc {
	/// Connects to `address` (`host:port`), waiting up to [`DEFAULT_TIMEOUT`] for each answer.
	pub fn connect(address: &str) -> Result<Self, String> {
		Self::connect_with_timeout(address, DEFAULT_TIMEOUT)
	}

	/// Connects to `address` (`host:port`), waiting up to `timeout` for each answer.
	pub fn connect_with_timeout(address: &str, timeout: Duration) -> Result<Self, String> {
		let stream =
			TcpStream::connect(address).map_err(|e| format!("cannot connect to {address}: {e}"))?;
		stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
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

	/// The number of the node's best block.
	pub fn best_number(&mut self) -> Result<u64, String> {
		let header = self.call("chain_getHeader", json!([]))?;
		header_number(&header).ok_or_else(|| format!("a header without a number: {header}"))
	}

	/// The number of the node's finalised head.
	pub fn finalised_number(&mut self) -> Result<u64, String> {
		let head = self.call("chain_getFinalizedHead", json!([]))?;
		let header = self.call("chain_getHeader", json!([head]))?;
		header_number(&header).ok_or_else(|| format!("a header without a number: {header}"))
	}

	/// The bytes stored under `key` in the state of block `at` (a block hash as the node gave it;
	/// `None`: the best block), or `None` when nothing is stored there.
	pub fn storage(&mut self, key: &[u8], at: Option<&Value>) -> Result<Option<Vec<u8>>, String> {
		match self.call("state_getStorage", json!([to_hex(key), at]))? {
			Value::Null => Ok(None),
			value => value
				.as_str()
				.ok_or_else(|| format!("state_getStorage returned {value}"))
				.and_then(from_hex)
				.map(Some),
		}
	}

	/// What a transaction signed now commits to: the chain's genesis hash and the versions of the
	/// runtime the node runs now (which may differ from the runtime this crate was built with,
	/// around a runtime upgrade).
	pub fn signing_context(&mut self) -> Result<SigningContext, String> {
		let genesis = self.call("chain_getBlockHash", json!([0]))?;
		let genesis: H256 = genesis
			.as_str()
			.and_then(|h| h.parse().ok())
			.ok_or("the node returned no genesis hash")?;
		let version = self.call("state_getRuntimeVersion", json!([]))?;
		let number = |field: &str| {
			version[field]
				.as_u64()
				.map(|v| v as u32)
				.ok_or(format!("runtime version lacks {field}"))
		};
		Ok(SigningContext {
			genesis,
			spec_version: number("specVersion")?,
			transaction_version: number("transactionVersion")?,
		})
	}
}

/// A block header's number (JSON-RPC gives it in hex).
pub fn header_number(header: &Value) -> Option<u64> {
	header["number"].as_str().and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
}

/// `0x`-prefixed lower-case hex of `bytes`, every byte two digits (sp-core's codec).
pub fn to_hex(bytes: &[u8]) -> String {
	bytes::to_hex(bytes, false)
}

/// The bytes of hex text as the node writes it (`0x` prefix optional); an odd number of digits
/// reads as if a leading `0` were written (sp-core's codec), bad digits are an error.
pub fn from_hex(text: &str) -> Result<Vec<u8>, String> {
	bytes::from_hex(text).map_err(|e| format!("bad hex {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips_and_odd_or_bad_digits_do_not_panic() {
		assert_eq!(to_hex(&[]), "0x");
		assert_eq!(to_hex(&[0, 0xab, 7]), "0x00ab07");
		assert_eq!(from_hex("0x00ab07"), Ok(vec![0, 0xab, 7]));
		assert_eq!(from_hex("00AB07"), Ok(vec![0, 0xab, 7]));
		// The hand-written decoder this replaced sliced two characters at a time and panicked on
		// an odd length.
		assert_eq!(from_hex("0xabc"), Ok(vec![0x0a, 0xbc]));
		assert!(from_hex("0xzz").is_err_and(|e| e.contains("bad hex")));
	}

	#[test]
	fn header_numbers_are_hex() {
		assert_eq!(header_number(&json!({ "number": "0x1f" })), Some(31));
		assert_eq!(header_number(&json!({ "number": "0x0" })), Some(0));
		assert_eq!(header_number(&json!({ "number": 31 })), None);
		assert_eq!(header_number(&json!(null)), None);
	}
}
