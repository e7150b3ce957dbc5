//! Block propagation from the nodes' own logs: every node logs `Imported #N (parent → hash)` with a
//! millisecond timestamp when a block enters its database, the author's node first. The nodes of
//! a local network share one clock, so for each block the spread between the first and the last
//! node's import is its propagation time (TARGETS P5), to the millisecond, without polling.

use serde_json::{json, Value};
use std::{collections::HashMap, path::Path};

/// A block as the informant names it: number and shortened hash (`0x1234…abcd`).
type BlockKey = (u64, String);

/// When each block was imported by one node, in milliseconds since the Unix epoch.
fn imports(log: &Path) -> Result<HashMap<BlockKey, i64>, String> {
	let text = std::fs::read_to_string(log).map_err(|e| format!("{}: {e}", log.display()))?;
	let mut seen = HashMap::new();
	for line in text.lines().filter(|l| l.contains("Imported #")) {
		let line = strip_colours(line);
		let Some(at) = line.get(..23).and_then(parse_timestamp) else { continue };
		let Some(rest) = line.split("Imported #").nth(1) else { continue };
		let Some((number, rest)) = rest.split_once(' ') else { continue };
		let Ok(number) = number.parse::<u64>() else { continue };
		let Some(hash) = rest.split("→ ").nth(1).map(|h| h.trim_end_matches(')').to_string())
		else {
			continue;
		};
		seen.entry((number, hash)).or_insert(at);
	}
	Ok(seen)
}

/// Figures for the blocks numbered `first..=last` that every node imported.
pub fn measure(logs: &[impl AsRef<Path>], first: u64, last: u64) -> Result<Value, String> {
	let per_node: Vec<HashMap<BlockKey, i64>> =
		logs.iter().map(|l| imports(l.as_ref())).collect::<Result<_, _>>()?;
	let Some((reference, others)) = per_node.split_first() else {
		return Ok(Value::Null);
	};
	let mut spreads = Vec::new();
	let mut missing = 0u64;
	for (key, &at) in reference.iter().filter(|((n, _), _)| (first..=last).contains(n)) {
		let times: Option<Vec<i64>> = others.iter().map(|node| node.get(key).copied()).collect();
		match times {
			Some(times) => {
				let earliest = times.iter().copied().chain([at]).min().unwrap_or(at);
				let latest = times.iter().copied().chain([at]).max().unwrap_or(at);
				spreads.push((latest - earliest) as f64 / 1000.0);
			}
			None => missing += 1,
		}
	}
	Ok(json!({
		"nodes": logs.len(),
		"seconds": crate::report::percentiles(spreads),
		"blocksNotImportedByAll": missing,
	}))
}

fn strip_colours(line: &str) -> String {
	let mut out = String::with_capacity(line.len());
	let mut chars = line.chars();
	while let Some(c) = chars.next() {
		if c == '\u{1b}' {
			// An escape sequence `ESC [ … letter`.
			for c in chars.by_ref() {
				if c.is_ascii_alphabetic() {
					break;
				}
			}
		} else {
			out.push(c);
		}
	}
	out
}

/// `2026-11-26 00:13:53.123` (the node's log clock, UTC here) → milliseconds since the epoch.
fn parse_timestamp(text: &str) -> Option<i64> {
	let field = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
	let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
	let (hour, minute, second, milli) =
		(field(11..13)?, field(14..16)?, field(17..19)?, field(20..23)?);
	// Days from the civil date (Howard Hinnant's algorithm).
	let y = if month <= 2 { year - 1 } else { year };
	let era = y.div_euclid(400);
	let yoe = y - era * 400;
	let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
	let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	let days = era * 146_097 + doe - 719_468;
	Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + milli)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn timestamps_count_from_the_epoch() {
		assert_eq!(parse_timestamp("1970-01-01 00:00:01.250"), Some(1250));
		assert_eq!(parse_timestamp("2026-11-26 00:00:00.000"), Some(1_795_651_200_000));
		assert_eq!(parse_timestamp("not a time at all, no"), None);
	}

	#[test]
	fn spread_is_first_to_last_import_of_the_same_block() {
		let dir = std::env::temp_dir().join(format!("propagation-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let line = |t: &str, n: u64, h: &str| {
			format!("{t}  INFO tokio-runtime-worker substrate: \u{1b}[1m🏆 Imported #{n}\u{1b}[0m (0xaaaa…aaaa → {h})\n")
		};
		let a = dir.join("a.log");
		let b = dir.join("b.log");
		std::fs::write(
			&a,
			line("2026-11-26 00:00:01.000", 5, "0x1234…abcd")
				+ &line("2026-11-26 00:00:02.000", 6, "0x5678…ef01"),
		)
		.unwrap();
		std::fs::write(
			&b,
			line("2026-11-26 00:00:01.040", 5, "0x1234…abcd")
				+ &line("2026-11-26 00:00:01.990", 6, "0x5678…ef01"),
		)
		.unwrap();
		let figures = measure(&[a, b], 5, 6).unwrap();
		assert_eq!(figures["seconds"]["count"], 2);
		assert_eq!(figures["seconds"]["max"], 0.04);
		assert_eq!(figures["seconds"]["min"], 0.01);
		assert_eq!(measure(&[dir.join("a.log")], 7, 9).unwrap()["seconds"], Value::Null);
		std::fs::remove_dir_all(dir).unwrap();
	}
}
