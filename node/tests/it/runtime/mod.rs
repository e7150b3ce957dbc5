//! Tests on the real runtime (issue 15): `timebank_runtime` with all its pallets, no mocks,
//! driven through its runtime APIs with signed extrinsics that carry the runtime's real
//! transaction extensions, so validation, the member quota, `CheckWeight` and fees run as on a
//! node. The harness is in [`harness`] (blocks, transactions, events, invariants) and [`setup`]
//! (branches, officers and members through real calls); each other file tests one concern and
//! names the review finding it reproduces (`shared/reference/runtime-security-review.md`).
//!
//! Run: `cargo test --release --locked -p timebank-node --test it -- runtime::`.

mod call_types;
mod harness;
mod raw;
pub(crate) mod rng;
mod setup;

mod council;
mod harness_self_check;
mod hostile;
mod imports;
mod preview;
mod quota;
mod rekeying;
mod roles;
mod unbounded_payloads;
