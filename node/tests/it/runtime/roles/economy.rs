//! R8 rows for the Registry's and the Ledger's calls that act on an object of the scene
//! (a pending application, a home move, a proposed transfer, an estate...), and the stage
//! that adds those objects.

use super::{super::harness::Harness, Cast, Row};

/// The objects the rows of this file act on.
pub(super) struct Stage {}

/// Adds this file's objects to the scene, through real calls.
pub(super) fn stage(_chain: &mut Harness, _cast: &Cast) -> Stage {
	Stage {}
}

pub(super) fn rows() -> Vec<Row> {
	Vec::new()
}
