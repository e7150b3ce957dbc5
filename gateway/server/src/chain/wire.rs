//! The node's two replies for a block read (`blocks.rs`), decoded from JSON straight into bytes.
//! The typed replies of subxt decode their hex through impl-serde a character at a time, which
//! was about 6 % of an indexer catch-up; here a table maps each pair of digits to its byte.

use serde::{de, Deserialize, Deserializer};
use std::fmt;

/// `chain_getBlock`'s reply: the block, of which the header's parent and the body are used.
#[derive(Deserialize)]
pub(super) struct SignedBlock {
	pub block: BlockBody,
}

/// A block's header and extrinsics.
#[derive(Deserialize)]
pub(super) struct BlockBody {
	pub header: Header,
	pub extrinsics: Vec<HexBytes>,
}

/// The header fields used.
#[derive(Deserialize)]
pub(super) struct Header {
	#[serde(rename = "parentHash")]
	pub parent_hash: HexBytes,
}

/// One of `state_queryStorageAt`'s change sets: each key asked for, and its value if any.
#[derive(Deserialize)]
pub(super) struct StorageChangeSet {
	pub changes: Vec<(HexBytes, Option<HexBytes>)>,
}

/// Bytes the node sends as a `0x`-prefixed string of hex digits.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct HexBytes(pub Vec<u8>);

impl<'de> Deserialize<'de> for HexBytes {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		struct Visitor;
		impl de::Visitor<'_> for Visitor {
			type Value = HexBytes;
			fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				f.write_str("a 0x-prefixed string of hex digits")
			}
			fn visit_str<E: de::Error>(self, text: &str) -> Result<HexBytes, E> {
				// The text itself is left out of the error: a block's body can be megabytes.
				decode(text).map(HexBytes).ok_or_else(|| {
					E::custom(format_args!(
						"{} characters that are not a 0x-prefixed string of hex digits",
						text.len()
					))
				})
			}
		}
		deserializer.deserialize_str(Visitor)
	}
}

/// Marks a byte that is not a hex digit in [`DIGITS`].
const NOT_A_DIGIT: u8 = 0xff;

/// Each byte's value as a hex digit (either case), or [`NOT_A_DIGIT`].
static DIGITS: [u8; 256] = {
	let mut table = [NOT_A_DIGIT; 256];
	let mut i = 0;
	while i < 10 {
		table[b'0' as usize + i] = i as u8;
		i += 1;
	}
	let mut i = 0;
	while i < 6 {
		table[b'a' as usize + i] = 10 + i as u8;
		table[b'A' as usize + i] = 10 + i as u8;
		i += 1;
	}
	table
};

/// The bytes `text` spells as `0x` and pairs of hex digits; `None` for anything else.
pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
	let digits = text.strip_prefix("0x")?.as_bytes();
	if digits.len() % 2 != 0 {
		return None;
	}
	let mut bytes = Vec::with_capacity(digits.len() / 2);
	for pair in digits.chunks_exact(2) {
		let (high, low) = (DIGITS[usize::from(pair[0])], DIGITS[usize::from(pair[1])]);
		if high > 0x0f || low > 0x0f {
			return None;
		}
		bytes.push(high << 4 | low);
	}
	Some(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_decodes_both_cases_and_nothing_else() {
		assert_eq!(decode("0x"), Some(vec![]));
		assert_eq!(decode("0x00ff7Fa0"), Some(vec![0x00, 0xff, 0x7f, 0xa0]));
		let every_byte: Vec<u8> = (0..=255).collect();
		assert_eq!(decode(&format!("0x{}", hex::encode(&every_byte))), Some(every_byte.clone()));
		assert_eq!(decode(&format!("0x{}", hex::encode_upper(&every_byte))), Some(every_byte));
		for bad in ["", "00", "0x0", "0x0g", "0xg0", "0x 0", "0x00\u{e9}", "0X00"] {
			assert_eq!(decode(bad), None, "{bad:?}");
		}
	}

	#[test]
	fn replies_decode_and_bad_hex_is_a_short_error() {
		let block: SignedBlock = serde_json::from_str(
			r#"{"block":{"header":{"parentHash":"0x0102","number":"0x5"},"extrinsics":["0x0a","0x"]},"justifications":null}"#,
		)
		.expect("a block reply");
		assert_eq!(block.block.header.parent_hash, HexBytes(vec![1, 2]));
		assert_eq!(block.block.extrinsics, [HexBytes(vec![10]), HexBytes(vec![])]);
		let sets: Vec<StorageChangeSet> =
			serde_json::from_str(r#"[{"block":"0x01","changes":[["0xaa","0xbb"],["0xcc",null]]}]"#)
				.expect("a storage reply");
		assert_eq!(
			sets[0].changes,
			[(HexBytes(vec![0xaa]), Some(HexBytes(vec![0xbb]))), (HexBytes(vec![0xcc]), None)]
		);
		let error = serde_json::from_str::<HexBytes>(r#""0xzz""#).expect_err("not hex");
		assert!(error.to_string().starts_with("4 characters that are not"), "{error}");
	}
}
