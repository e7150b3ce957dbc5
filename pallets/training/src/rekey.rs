//! Training's part of re-keying a member (decision 0013, [`Rekeying`]): the certificates a
//! member holds move to the new key, so `is_certified` answers for it at once. The certificates
//! themselves (`Certificates`) keep naming the old key as history; revoking one looks up the
//! current key (`Membership::rekeyed_to`). Open enrolments are not moved: the new key enrols
//! again.

use crate::{Config, Error, HeldCertificates, Pallet};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::Rekeying;

/// The most skills one re-keying moves: the skills a member can hold certificates in are the
/// branches' categories, a few dozen; a member beyond this is refused rather than the call
/// being unbounded.
pub const MAX_SKILLS_MOVED: u32 = 32;

impl<T: Config> Rekeying<T::AccountId> for Pallet<T> {
	fn can_rekey(old: &T::AccountId, _: &T::AccountId) -> DispatchResult {
		let skills =
			HeldCertificates::<T>::iter_key_prefix(old).take(MAX_SKILLS_MOVED as usize + 1).count();
		ensure!(skills <= MAX_SKILLS_MOVED as usize, Error::<T>::TooManySkillsToMove);
		Ok(())
	}

	fn rekey(old: &T::AccountId, new: &T::AccountId, _: &T::AccountId, _: H256) -> DispatchResult {
		let held: Vec<_> =
			HeldCertificates::<T>::drain_prefix(old).take(MAX_SKILLS_MOVED as usize).collect();
		for (skill, certificates) in held {
			HeldCertificates::<T>::insert(new, skill, certificates);
		}
		Ok(())
	}

	/// Counting the skills, then reading, removing and writing each.
	fn rekey_weight() -> Weight {
		let skills = u64::from(MAX_SKILLS_MOVED);
		T::DbWeight::get().reads_writes(skills.saturating_mul(2).saturating_add(1), skills * 2)
	}
}
