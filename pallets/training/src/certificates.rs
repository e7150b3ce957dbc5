//! The certificates each member holds per skill, with their issuing branch: which of them a
//! branch accepts (its own and those of branches it trusts), and keeping the record bounded.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use timebank_primitives::{BranchId, CertificateId, SkillId};

use crate::{Certificates, Config, HeldCertificates, Pallet, TrustedIssuers};

/// One certificate a member holds for a skill, as `HeldCertificates` keeps it. Encoded in
/// storage: never reorder the fields.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeldCertificate {
	/// The certificate's number.
	pub id: CertificateId,
	/// The branch that issued it.
	pub branch: BranchId,
	/// When it expires, in milliseconds since the Unix epoch; `None` for never.
	pub expires_at: Option<u64>,
}

impl HeldCertificate {
	/// Whether it is still unexpired at `now` (milliseconds since the Unix epoch).
	fn is_current(&self, now: u64) -> bool {
		self.expires_at.is_none_or(|end| end > now)
	}

	/// Its expiry for ordering: never expiring sorts last.
	fn end(&self) -> u64 {
		self.expires_at.unwrap_or(u64::MAX)
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `who` holds an unexpired, unrevoked certificate for `skill` that `branch` accepts:
	/// issued by `branch` or by a branch it trusts. Revoked certificates are no longer kept.
	pub(crate) fn holds_accepted(who: &T::AccountId, skill: SkillId, branch: BranchId) -> bool {
		let held = HeldCertificates::<T>::get(who, skill);
		if held.is_empty() {
			return false;
		}
		let trusted = TrustedIssuers::<T>::get(branch);
		let now = Self::now_ms();
		held.iter()
			.any(|h| h.is_current(now) && (h.branch == branch || trusted.contains(&h.branch)))
	}

	/// Keep `new` on `who`'s record for `skill`. Expired certificates drop out first; when the
	/// record is still full, the branch holding the most entries (the new certificate's own on a
	/// tie) loses its soonest-expiring one, so one branch's certificates never push out
	/// another's. The new certificate itself is left out only when its own branch holds the most
	/// and all of them outlive it.
	pub(crate) fn hold_certificate(who: &T::AccountId, skill: SkillId, new: HeldCertificate) {
		let now = Self::now_ms();
		HeldCertificates::<T>::mutate(who, skill, |held| {
			held.retain(|h| h.is_current(now));
			let Err(new) = held.try_push(new) else { return };
			let count = |branch: BranchId| {
				held.iter().filter(|h| h.branch == branch).count()
					+ usize::from(branch == new.branch)
			};
			let crowded = held.iter().map(|h| h.branch).fold(new.branch, |most, b| {
				if count(b) > count(most) {
					b
				} else {
					most
				}
			});
			let soonest = held
				.iter()
				.enumerate()
				.filter(|(_, h)| h.branch == crowded)
				.min_by_key(|(_, h)| h.end())
				.map(|(i, h)| (i, h.end()));
			match soonest {
				Some((i, end)) if crowded != new.branch || end < new.end() => {
					if let Some(slot) = held.get_mut(i) {
						*slot = new;
					}
				}
				_ => {}
			}
		});
	}

	/// Drop a revoked certificate from its holder's record; their other certificates for the
	/// skill stay.
	pub(crate) fn release_certificate(who: &T::AccountId, skill: SkillId, id: CertificateId) {
		HeldCertificates::<T>::mutate_exists(who, skill, |maybe| {
			if let Some(held) = maybe {
				held.retain(|h| h.id != id);
				if held.is_empty() {
					*maybe = None;
				}
			}
		});
	}

	/// Whether `certificate` is unrevoked and unexpired now.
	pub fn is_valid(certificate: &crate::CertificateOf<T>) -> bool {
		!certificate.revoked && certificate.expires_at.is_none_or(|end| end > Self::now_ms())
	}

	/// A certificate as `timebank_certificate` returns it, with its storage key for proofs.
	pub fn certificate(id: CertificateId) -> Option<(crate::CertificateOf<T>, Vec<u8>)> {
		Certificates::<T>::get(id).map(|c| (c, Certificates::<T>::hashed_key_for(id)))
	}
}
