//! XChaCha20-Poly1305 with a random 24-byte nonce stored in front of the ciphertext. A random
//! nonce of that length never repeats in practice, so no counter has to survive a crash.

use crate::CustodyError;
use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use zeroize::Zeroizing;

/// Bytes of nonce in front of every ciphertext.
pub(crate) const NONCE_LEN: usize = 24;
/// Bytes of authentication tag after every ciphertext.
pub(crate) const TAG_LEN: usize = 16;

/// Encrypt `plain` under `key`, bound to `aad`: nonce ‖ ciphertext ‖ tag.
pub(crate) fn seal(key: &[u8; 32], aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, CustodyError> {
	let nonce = crate::random::<NONCE_LEN>()?;
	let cipher = XChaCha20Poly1305::new(key.into());
	let sealed = cipher
		.encrypt(XNonce::from_slice(nonce.as_ref()), Payload { msg: plain, aad })
		.map_err(|_| CustodyError::DoesNotOpen)?;
	let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
	out.extend_from_slice(nonce.as_ref());
	out.extend_from_slice(&sealed);
	Ok(out)
}

/// Decrypt what [`seal`] made under `key` and `aad`; any change to either, or to the bytes, is
/// `DoesNotOpen`.
pub(crate) fn open(
	key: &[u8; 32],
	aad: &[u8],
	sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CustodyError> {
	if sealed.len() < NONCE_LEN + TAG_LEN {
		return Err(CustodyError::DoesNotOpen);
	}
	let (nonce, body) = sealed.split_at(NONCE_LEN);
	XChaCha20Poly1305::new(key.into())
		.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
		.map(Zeroizing::new)
		.map_err(|_| CustodyError::DoesNotOpen)
}
