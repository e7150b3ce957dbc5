//! The key-encryption key: read from a file only its owner may read, used only to derive the
//! per-purpose keys.

use crate::CustodyError;
use hkdf::Hkdf;
use sha2::Sha256;
use std::path::Path;
use zeroize::Zeroizing;

/// Bytes in a KEK.
pub const KEK_LEN: usize = 32;

/// Which KEK sealed a key; stored with every sealed key so rotation can proceed in batches and
/// resume after a crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KekId(pub u32);

/// A key-encryption key. It has no `Debug`: printing it is a compile error.
pub struct Kek {
	id: KekId,
	key: Zeroizing<[u8; KEK_LEN]>,
}

impl Kek {
	/// The KEK in `path`: exactly 32 bytes, in a file nobody but its owner may read or write.
	pub fn from_file(path: &Path, id: KekId) -> Result<Self, CustodyError> {
		let shown = path.display().to_string();
		let unreadable = |e: std::io::Error| CustodyError::KekUnreadable {
			path: shown.clone(),
			reason: e.to_string(),
		};
		check_owner_only(path).map_err(|mode| match mode {
			Ok(mode) => CustodyError::KekTooOpen { path: shown.clone(), mode },
			Err(e) => unreadable(e),
		})?;
		let bytes = Zeroizing::new(std::fs::read(path).map_err(unreadable)?);
		let key: [u8; KEK_LEN] = bytes
			.as_slice()
			.try_into()
			.map_err(|_| CustodyError::KekWrongLength { path: shown.clone(), len: bytes.len() })?;
		Ok(Self::from_bytes(key, id))
	}

	/// A KEK from its bytes (tests, and providers other than a file).
	pub fn from_bytes(key: [u8; KEK_LEN], id: KekId) -> Self {
		Self { id, key: Zeroizing::new(key) }
	}

	/// A new random KEK, for `kek generate` and tests.
	pub fn generate(id: KekId) -> Result<Self, CustodyError> {
		Ok(Self { id, key: crate::random::<KEK_LEN>()? })
	}

	/// Write this KEK to a new file readable by its owner only; refuses to overwrite.
	pub fn write_new_file(&self, path: &Path) -> Result<(), CustodyError> {
		use std::io::Write;
		let unwritable = |e: std::io::Error| CustodyError::KekUnreadable {
			path: path.display().to_string(),
			reason: e.to_string(),
		};
		let mut options = std::fs::OpenOptions::new();
		options.write(true).create_new(true);
		#[cfg(unix)]
		std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
		let mut file = options.open(path).map_err(unwritable)?;
		file.write_all(self.key.as_ref()).map_err(unwritable)?;
		file.sync_all().map_err(unwritable)
	}

	/// Its id.
	pub fn id(&self) -> KekId {
		self.id
	}

	/// The key for one purpose, named by `label` (HKDF-SHA256, the KEK as input key material).
	pub(crate) fn derive(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
		let mut out = Zeroizing::new([0u8; 32]);
		Hkdf::<Sha256>::new(None, self.key.as_ref())
			.expand(label, out.as_mut())
			.expect("32 bytes is a valid HKDF-SHA256 output length");
		out
	}
}

/// `Ok(())` when only the owner may read or write `path`; else `Err(Ok(mode))`, or `Err(Err(_))`
/// when its metadata cannot be read.
#[cfg(unix)]
fn check_owner_only(path: &Path) -> Result<(), Result<u32, std::io::Error>> {
	use std::os::unix::fs::PermissionsExt;
	let mode = std::fs::metadata(path).map_err(Err)?.permissions().mode() & 0o777;
	if mode & 0o077 == 0 {
		Ok(())
	} else {
		Err(Ok(mode))
	}
}

#[cfg(not(unix))]
fn check_owner_only(_: &Path) -> Result<(), Result<u32, std::io::Error>> {
	Ok(())
}
