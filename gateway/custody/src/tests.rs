//! Custody's promises, each with the bad input that must fail.

use super::*;
use polkadot_sdk::sp_core::{sr25519, Pair as _};

fn under(id: u32, byte: u8) -> Custody {
	Custody::new(Kek::from_bytes([byte; KEK_LEN], KekId(id)))
}

#[test]
fn a_generated_key_signs_for_its_account() {
	let custody = under(1, 7);
	let key = custody.generate().expect("a key");
	let signature = custody.sign(&key, b"payload").expect("signs");
	let public = sr25519::Public::from_raw(key.account);
	assert!(sr25519::Pair::verify(&sr25519::Signature::from_raw(signature), b"payload", &public));
	assert!(!sr25519::Pair::verify(&sr25519::Signature::from_raw(signature), b"other", &public));
	// Each key is new.
	assert_ne!(custody.generate().expect("a key").account, key.account);
}

#[test]
fn the_exported_phrase_opens_the_same_account_in_any_substrate_wallet() {
	let custody = under(1, 7);
	let key = custody.generate().expect("a key");
	let phrase = custody.export_phrase(&key).expect("exports");
	assert_eq!(phrase.split(' ').count(), 12);
	let (pair, _) = sr25519::Pair::from_phrase(&phrase, None).expect("a valid phrase");
	assert_eq!(pair.public().0, key.account);
}

#[test]
fn a_wrong_kek_or_altered_bytes_do_not_open() {
	let custody = under(1, 7);
	let key = custody.generate().expect("a key");
	// Another KEK with the same id: the wrapped data key does not open.
	assert!(matches!(custody_with_same_id(&key).sign(&key, b"x"), Err(CustodyError::DoesNotOpen)));
	// Another KEK id: refused before trying.
	assert!(matches!(
		under(2, 7).sign(&key, b"x"),
		Err(CustodyError::OtherKek { sealed: 1, given: 2 })
	));
	let mut flipped = key.clone();
	flipped.sealed_entropy[30] ^= 1;
	assert!(matches!(custody.sign(&flipped, b"x"), Err(CustodyError::DoesNotOpen)));
	let mut truncated = key.clone();
	truncated.wrapped_dek.truncate(10);
	assert!(matches!(custody.sign(&truncated, b"x"), Err(CustodyError::DoesNotOpen)));
	// A sealed key moved to another account's row does not open (the account is bound in).
	let other = custody.generate().expect("a key");
	let moved = SealedKey { account: other.account, ..key.clone() };
	assert!(matches!(custody.sign(&moved, b"x"), Err(CustodyError::DoesNotOpen)));
}

fn custody_with_same_id(key: &SealedKey) -> Custody {
	under(key.kek_id.0, 8)
}

#[test]
fn rotating_the_kek_rewraps_the_data_key_and_the_old_kek_no_longer_opens() {
	let (old, new) = (under(1, 7), under(2, 9));
	let key = old.generate().expect("a key");
	let rewrapped = old.rewrap(&key, &new).expect("rewraps");
	assert_eq!((rewrapped.account, rewrapped.kek_id), (key.account, KekId(2)));
	assert_eq!(rewrapped.sealed_entropy, key.sealed_entropy);
	let signature = new.sign(&rewrapped, b"after rotation").expect("the new KEK opens it");
	let public = sr25519::Public::from_raw(key.account);
	assert!(sr25519::Pair::verify(
		&sr25519::Signature::from_raw(signature),
		b"after rotation",
		&public
	));
	assert!(old.sign(&rewrapped, b"x").is_err());
	// Rewrapping twice is refused: the key already belongs to the new KEK.
	assert!(matches!(old.rewrap(&rewrapped, &new), Err(CustodyError::OtherKek { .. })));
}

#[test]
fn a_field_opens_only_for_its_record_and_kind() {
	let custody = under(1, 7);
	let sealed =
		custody.seal_field(FieldKind::Phone, b"member-1", b"8613800000000").expect("seals");
	assert!(!sealed.0.windows(13).any(|w| w == b"8613800000000"), "not in clear");
	let opened = custody.open_field(FieldKind::Phone, b"member-1", &sealed).expect("opens");
	assert_eq!(opened.as_slice(), b"8613800000000");
	assert!(custody.open_field(FieldKind::Phone, b"member-2", &sealed).is_err());
	assert!(custody.open_field(FieldKind::IdNumber, b"member-1", &sealed).is_err());
	assert!(under(1, 8).open_field(FieldKind::Phone, b"member-1", &sealed).is_err());
	// Sealing twice gives different bytes (a fresh nonce), so equal values do not show.
	let again = custody.seal_field(FieldKind::Phone, b"member-1", b"8613800000000").expect("seals");
	assert_ne!(again, sealed);
}

#[test]
fn blind_indexes_match_equal_values_of_a_kind_under_one_kek_only() {
	let custody = under(1, 7);
	let phone = custody.blind_index(FieldKind::Phone, b"8613800000000");
	assert_eq!(phone, custody.blind_index(FieldKind::Phone, b"8613800000000"));
	assert_ne!(phone, custody.blind_index(FieldKind::Phone, b"8613800000001"));
	assert_ne!(phone, custody.blind_index(FieldKind::IdNumber, b"8613800000000"));
	assert_ne!(phone, under(1, 8).blind_index(FieldKind::Phone, b"8613800000000"));
}

#[test]
fn the_kek_file_must_be_32_bytes_readable_by_its_owner_only() {
	let dir = std::env::temp_dir().join(format!("timebank-custody-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("a temporary directory");
	let path = dir.join("kek");
	let _ = std::fs::remove_file(&path);
	let kek = Kek::generate(KekId(3)).expect("a KEK");
	kek.write_new_file(&path).expect("written");
	assert!(kek.write_new_file(&path).is_err(), "an existing KEK file is never overwritten");
	let read = Kek::from_file(&path, KekId(3)).expect("reads its own file");
	let (a, b) = (Custody::new(kek), Custody::new(read));
	assert_eq!(a.blind_index(FieldKind::Name, b"x"), b.blind_index(FieldKind::Name, b"x"));

	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
		let error = Kek::from_file(&path, KekId(3)).err().expect("refused");
		assert!(matches!(error, CustodyError::KekTooOpen { mode: 0o644, .. }));
		assert!(error.to_string().contains("chmod 600"), "the message says what to do: {error}");
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
	}
	std::fs::write(&path, [1u8; 31]).expect("a short file");
	assert!(matches!(
		Kek::from_file(&path, KekId(3)),
		Err(CustodyError::KekWrongLength { len: 31, .. })
	));
	assert!(matches!(
		Kek::from_file(&dir.join("missing"), KekId(3)),
		Err(CustodyError::KekUnreadable { .. })
	));
	let _ = std::fs::remove_dir_all(&dir);
}
