//! Training's part of re-keying (decision 0013, `rekey.rs`): held certificates move to the new
//! key, revoking one afterwards releases it there, and a member with too many skills is refused.

use crate::{mock::*, rekey::MAX_SKILLS_MOVED, tests::*, *};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, BoundedVec};
use timebank_primitives::{Certification, Rekeying};

/// The member's new key.
const NEW: AccountId = 50;

#[test]
fn certificates_follow_the_member_and_revoking_one_releases_it_at_the_new_key() {
	run(|| {
		let certificate = certify(session(course(), 3), VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
		assert_ok!(<T as Rekeying<AccountId>>::can_rekey(&VICTOR, &NEW));
		assert_ok!(<T as Rekeying<AccountId>>::rekey(&VICTOR, &NEW, &STAFF0, H256::zero()));
		// The course's reward moves too (the ledger's part), then the registry's record.
		type Ledger = pallet_timebank_ledger::Pallet<Test>;
		assert_ok!(<Ledger as Rekeying<AccountId>>::rekey(&VICTOR, &NEW, &STAFF0, H256::zero()));
		MockRegistry::rekey(VICTOR, NEW);
		assert!(T::is_certified(&NEW, SKILL, 0));
		assert!(!T::is_certified(&VICTOR, SKILL, 0));
		// The certificate itself stays as issued, naming the old key.
		assert_eq!(Certificates::<Test>::get(certificate).map(|c| c.holder), Some(VICTOR));

		assert_ok!(T::revoke_certificate(signed(STAFF0), certificate, H256::repeat_byte(1)));
		assert!(!T::is_certified(&NEW, SKILL, 0));
		assert!(HeldCertificates::<Test>::iter_prefix(NEW).next().is_none());

		// Retaking the course under the new key certifies again but pays no second reward.
		let paid = spendable(NEW);
		certify(session(0, 3), NEW);
		assert!(T::is_certified(&NEW, SKILL, 0));
		assert_eq!(spendable(NEW), paid);
	});
}

#[test]
fn too_many_skills_to_move_refuses_the_rekey() {
	run(|| {
		for skill in 0..=MAX_SKILLS_MOVED {
			HeldCertificates::<Test>::insert(VICTOR, skill, BoundedVec::new());
		}
		assert_noop!(<T as Rekeying<AccountId>>::can_rekey(&VICTOR, &NEW), E::TooManySkillsToMove);
		HeldCertificates::<Test>::remove(VICTOR, MAX_SKILLS_MOVED);
		assert_ok!(<T as Rekeying<AccountId>>::can_rekey(&VICTOR, &NEW));
		// Empty lists are not held certificates; clear them so the invariants hold.
		let _ = HeldCertificates::<Test>::clear_prefix(VICTOR, u32::MAX, None);
	});
}
