//! The runtime's metadata, checked in at `metadata/timebank.scale` for client code generation
//! (subxt's `runtime_metadata_path`, polkadot-api descriptors): this test fails when the file
//! differs from what the runtime built with this tree serves, like the chain-spec drift check.
//! `scripts/export-metadata` rewrites the file (it runs this test with `UPDATE_METADATA=1`).
//!
//! The metadata comes from the native runtime: the Wasm the node runs is built from the same code
//! with the same features (no documentation stripped), so it serves the same bytes, which
//! `dev_node` checks on a running node; a generic client asks the node for the highest stable
//! version (`Metadata_metadata_versions`), the one taken here.

use std::{fs, path::PathBuf};
use timebank_runtime::Runtime;

/// `RuntimeMetadataPrefixed` starts with these four bytes, then the version as one byte.
const MAGIC: &[u8; 4] = b"meta";

fn checked_in_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../metadata/timebank.scale")
}

/// The checked-in metadata and its version (`dev_node` checks that a node serves these bytes).
pub fn checked_in() -> (u32, Vec<u8>) {
	let path = checked_in_path();
	let bytes = fs::read(&path).unwrap_or_else(|e| {
		panic!("{}: {e}; run scripts/export-metadata and commit the file", path.display())
	});
	(u32::from(bytes[4]), bytes)
}

#[test]
fn checked_in_metadata_matches_the_runtime() {
	let stable = Runtime::metadata_versions().into_iter().filter(|v| *v != u32::MAX).max();
	let version = stable.expect("the runtime offers a stable metadata version");
	let metadata = Runtime::metadata_at_version(version).expect("the runtime offers its version");
	let bytes: &[u8] = &metadata;
	assert_eq!(&bytes[..4], MAGIC, "metadata starts with its magic number");
	assert_eq!(u32::from(bytes[4]), version, "metadata carries the version asked for");

	let path = checked_in_path();
	if std::env::var_os("UPDATE_METADATA").is_some() {
		fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
		println!("wrote {} (metadata v{version}, {} bytes)", path.display(), bytes.len());
		return;
	}
	let (_, checked_in) = checked_in();
	assert!(
		checked_in == bytes,
		"metadata/timebank.scale ({} bytes) differs from the runtime's metadata v{version} ({} \
		 bytes): run scripts/export-metadata and commit the file",
		checked_in.len(),
		bytes.len()
	);
}
