//! Weights the runtime measures on this project's machine rather than takes from Substrate's
//! defaults: the database's cost per storage read and write (`scripts/benchmark-database`).
//! The pallets' own call weights live beside each pallet (`pallets/*/src/weights.rs`).

pub mod paritydb_weights;
