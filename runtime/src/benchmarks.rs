//! The pallets whose calls `timebank-node benchmark pallet` measures (`runtime-benchmarks` only).
//! `scripts/benchmark-pallets` runs them and writes each pallet's `weights.rs`.

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[pallet_timebank_registry, Registry]
	[pallet_timebank_ledger, Ledger]
	[pallet_timebank_activities, Activities]
	[pallet_timebank_audits, Audits]
	[pallet_timebank_training, Training]
	[pallet_timebank_election, Election]
	[pallet_timebank_governance, Governance]
);
