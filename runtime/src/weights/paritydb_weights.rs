//! Database weights measured on this project's machine by `scripts/benchmark-database`
//! (`benchmark storage`, Substrate benchmark CLI 64.0.0), 2026-11-26 (Y/M/D).
//! Host `vm`, CPU `Intel(R) Xeon(R) Processor`; database `ParityDb`, state at block Number(329).
//! Metric: Average × 1.1 + 0 ns; trie cache off (a cold node).
//!
//! Command:
//!   /root/.cache/timebank/target/release/timebank-node-benchmarks
//!   benchmark
//!   storage
//!   --chain
//!   /work/notes/dev-spec.json
//!   --base-path
//!   /tmp/tmp.flKF3Jaw2m
//!   --database
//!   paritydb
//!   --state-version
//!   1
//!   --mul
//!   1.1
//!   --batch-size
//!   2000
//!   --template-path
//!   scripts/db-weight-template.hbs
//!   --weight-path
//!   runtime/src/weights

use polkadot_sdk::frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight},
};

parameter_types! {
	/// Cost of one storage read and one storage write in `ParityDb` on this machine.
	pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		// Reads, ns: min 592, median 4_685, average 5_091, p95 6_266, p99 9_874, max 554_398.
		read: 5_601 * WEIGHT_REF_TIME_PER_NANOS,
		// Writes, ns: min 10_499, median 15_923, average 15_743, p95 17_388, p99 21_069, max 21_069.
		write: 17_318 * WEIGHT_REF_TIME_PER_NANOS,
	};
}
