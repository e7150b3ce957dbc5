//! Deliberate crashes for the crash tests (issue 17): with the `fault-injection` feature, setting
//! `TIMEBANK_GATEWAY_CRASH_AT=<point>:<k>` aborts the process (as SIGKILL would stop it: no
//! destructors, no flush) the k-th time execution passes `<point>`. Points are named after the
//! state just committed (`nonce_assigned`, `signed`, `checked`, `submitted`, `finalized`) plus
//! `sent`, between handing a transaction to the node and recording that. Without the feature,
//! `point` compiles to nothing.

/// Pass a crash point.
#[cfg(feature = "fault-injection")]
pub fn point(name: &str) {
	use std::{
		collections::HashMap,
		sync::{Mutex, OnceLock},
	};
	static TARGET: OnceLock<Option<(String, u32)>> = OnceLock::new();
	static SEEN: OnceLock<Mutex<HashMap<String, u32>>> = OnceLock::new();
	let target = TARGET.get_or_init(|| {
		let spec = std::env::var("TIMEBANK_GATEWAY_CRASH_AT").ok()?;
		let (point, k) = spec.split_once(':')?;
		Some((point.to_owned(), k.parse().ok()?))
	});
	let Some((point, k)) = target else { return };
	if point != name {
		return;
	}
	let mut seen = SEEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
	let count = seen.entry(name.to_owned()).or_default();
	*count += 1;
	if *count == *k {
		eprintln!("fault injection: aborting at {name} (pass {k})");
		std::process::abort();
	}
}

/// Pass a crash point (no-op without the `fault-injection` feature).
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn point(_name: &str) {}
