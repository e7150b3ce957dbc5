//! The Time Bank chain's interface for the gateway, generated at compile time from
//! `metadata/timebank.scale` (which `node/tests/it/metadata.rs` keeps equal to the runtime's).
//!
//! Regenerate by exporting the metadata again (`scripts/export-metadata`); nothing here is written
//! by hand. The gateway checks at start that the live node's call hashes match these (see
//! `timebank_gateway::chain`), so a gateway built for another runtime refuses to sign.

// Generated code: the chain's own doc strings are carried over where the metadata has them, but
// not every generated item has one.
#![allow(missing_docs)]

pub use subxt;

/// The metadata this code was generated from (`metadata/timebank.scale`).
pub const METADATA: &[u8] = include_bytes!("../../../metadata/timebank.scale");

/// Calls, events, storage, constants, view functions and errors of the runtime.
///
/// Every type also derives SCALE's plain `Decode`, beside subxt's `DecodeAsType`: the indexer
/// decodes a pallet's events with it when that pallet's event type in the block's runtime is the
/// one in [`METADATA`], about ten times faster than resolving each field's type in the metadata;
/// other events are decoded field by field, by name.
#[subxt::subxt(
	runtime_metadata_path = "../../metadata/timebank.scale",
	derive_for_all_types = "::subxt::ext::codec::Decode",
	attributes_for_all_types = "#[codec(crate = ::subxt::ext::codec)]"
)]
pub mod timebank {}
