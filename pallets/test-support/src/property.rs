//! The runner the pallets' property tests share: random sequences of operations, a tally of how
//! often each kind of operation was tried and went through, and a check that each kind went
//! through often enough for the test to prove something.
//!
//! A property test defines its operations (a `proptest` strategy) and a check that applies one
//! sequence on a fresh mock chain, records each step in the [`Tally`] and returns an error when
//! an invariant breaks; [`run_sequences`] does the rest.

use core::{cell::RefCell, fmt::Debug};
use polkadot_sdk::{
	sp_io,
	sp_runtime::{DispatchError, StateVersion},
};
use proptest::{
	strategy::Strategy,
	test_runner::{Config, TestCaseError, TestRunner},
};
use std::collections::BTreeMap;

/// How many sequences a property test runs: `PROPTEST_CASES` if set (500 makes a quick loop),
/// else 10,000.
pub fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

/// Sequences are 1 to 39 operations long.
const SEQUENCE_LENGTH: core::ops::Range<usize> = 1..40;

/// A kind of operation must go through in at least one try in this many, or the generator is
/// producing mostly refused operations and the test proves little.
const MAX_TRIES_PER_SUCCESS: u64 = 20;

/// How often each kind of operation was tried and how often it went through, across all the
/// sequences of one test.
#[derive(Default)]
pub struct Tally(RefCell<BTreeMap<&'static str, (u32, u32)>>);

impl Tally {
	/// Count one try of `kind`, which went through if `passed`.
	pub fn record(&self, kind: &'static str, passed: bool) {
		let mut counts = self.0.borrow_mut();
		let (tried, went_through) = counts.entry(kind).or_default();
		*tried += 1;
		*went_through += u32::from(passed);
	}

	/// Print the table of tries and successes (shown by `cargo test -- --nocapture`).
	pub fn print(&self) {
		let counts = self.0.borrow();
		let width = counts.keys().map(|kind| kind.len()).max().unwrap_or(0).max("operation".len());
		println!("{:<width$} {:>8} {:>8}", "operation", "tried", "passed");
		for (kind, (tried, passed)) in counts.iter() {
			println!("{kind:<width$} {tried:>8} {passed:>8}");
		}
	}

	/// Panic if some kind went through in fewer than one try in [`MAX_TRIES_PER_SUCCESS`].
	pub fn assert_each_kind_went_through(&self) {
		for (kind, (tried, passed)) in self.0.borrow().iter() {
			assert!(
				u64::from(*passed) * MAX_TRIES_PER_SUCCESS >= u64::from(*tried),
				"{kind}: only {passed} of {tried} went through; the generator needs fixing"
			);
		}
	}
}

/// Apply step `step` of a sequence with `apply`, count it in `tally` under `kind`, and fail the
/// case if a refused step changed storage (the state root must be what it was: a refused call
/// leaves no trace). Returns what `apply` returned, for the caller's own checks.
///
/// Must run inside the mock chain's externalities (`new_test_ext().execute_with`).
pub fn apply_step<Op: Debug>(
	step: usize,
	op: &Op,
	kind: &'static str,
	tally: &Tally,
	apply: impl FnOnce(&Op) -> Result<(), DispatchError>,
) -> Result<Result<(), DispatchError>, TestCaseError> {
	let root_before = sp_io::storage::root(StateVersion::V1);
	let result = apply(op);
	tally.record(kind, result.is_ok());
	if result.is_err() {
		let root_after = sp_io::storage::root(StateVersion::V1);
		proptest::prop_assert_eq!(
			root_before,
			root_after,
			"step {} {:?} failed but changed state",
			step,
			op
		);
	}
	Ok(result)
}

/// Run `check` on [`cases`] random sequences of operations drawn from `operation`, without
/// persisting failures to disk; then print the tally and require that every kind of operation
/// went through often (a property test whose operations all fail proves nothing).
///
/// Panics with proptest's report (the shrunk failing sequence) when `check` fails.
pub fn run_sequences<Op: Clone + Debug>(
	operation: impl Strategy<Value = Op>,
	check: impl Fn(&[Op], &Tally) -> Result<(), TestCaseError>,
) {
	let config = Config { cases: cases(), failure_persistence: None, ..Config::default() };
	let mut runner = TestRunner::new(config);
	let tally = Tally::default();
	let sequences = proptest::collection::vec(operation, SEQUENCE_LENGTH);
	if let Err(failure) = runner.run(&sequences, |ops| check(&ops, &tally)) {
		panic!("{failure}");
	}
	tally.print();
	tally.assert_each_kind_went_through();
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_tally_counts_tries_and_successes_per_kind() {
		let tally = Tally::default();
		tally.record("grant", true);
		tally.record("grant", false);
		tally.record("gift", true);
		assert_eq!(tally.0.borrow().get("grant"), Some(&(2, 1)));
		assert_eq!(tally.0.borrow().get("gift"), Some(&(1, 1)));
		tally.assert_each_kind_went_through();
	}

	#[test]
	#[should_panic(expected = "only 0 of 20 went through")]
	fn a_kind_that_never_goes_through_fails_the_test() {
		let tally = Tally::default();
		for _ in 0..20 {
			tally.record("refused", false);
		}
		tally.assert_each_kind_went_through();
	}

	#[test]
	fn run_sequences_checks_every_sequence() {
		let runs = core::cell::Cell::new(0u32);
		run_sequences(0..3u8, |ops, tally| {
			runs.set(runs.get() + 1);
			proptest::prop_assert!(!ops.is_empty() && ops.len() < 40);
			for op in ops {
				tally.record("op", *op < 3);
			}
			Ok(())
		});
		assert!(runs.get() >= cases().min(10), "ran {} sequences", runs.get());
	}
}
