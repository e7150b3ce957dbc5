//! The node's integration tests, in one test binary: real `timebank-node` processes on loopback
//! ports in temporary directories, driven over JSON-RPC, and the runtime's genesis presets.
//!
//! One binary links the node's and the runtime's dependencies once instead of once per file.
//! Each file is a module; filter by its name, e.g.
//! `cargo test --release --locked -p timebank-node --test it -- faults::`.
//!
//! On two cores a test that starts a network of validators runs alone, and tests that start
//! single nodes run beside each other but never beside a network: see
//! [`common::one_network_at_a_time`] and [`common::no_network_meanwhile`].

mod common;

mod activities_dev_node;
mod bad_input;
mod dev_node;
mod election_live;
mod faults;
mod four_branches;
mod ledger_rpc;
mod metadata;
mod rpc_hostile;
mod runtime;
mod runtime_genesis;
