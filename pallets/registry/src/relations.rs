//! Family proxies and verified relatives: who may act for a member, and whose gifts are allowed.
//!
//! `ProxyCount` follows `Proxies`, and `VerifiedRelations` holds each relation in both
//! directions: these functions are their only writers (with the benchmark fixtures).

use crate::pallet::*;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_core::H256,
	sp_runtime::DispatchResult,
};
use timebank_primitives::{Authority, MemberStatus, ProxyPermissions};

impl<T: Config> Pallet<T> {
	/// `member` authorises `proxy` (an active family proxy) within `permissions`, or changes an
	/// existing proxy's permissions.
	pub(crate) fn do_authorise_proxy(
		member: T::AccountId,
		proxy: T::AccountId,
		permissions: ProxyPermissions,
	) -> DispatchResult {
		ensure!(member != proxy, Error::<T>::SelfReference);
		ensure!(permissions != ProxyPermissions::default(), Error::<T>::EmptyPermissions);
		Self::ensure_active_member(&member)?;
		let proxy_record = Members::<T>::get(&proxy).ok_or(Error::<T>::ProxyNotMember)?;
		ensure!(proxy_record.status == MemberStatus::Active, Error::<T>::ProxyNotMember);
		ensure!(proxy_record.roles.family_proxy, Error::<T>::NotAFamilyProxy);
		if !Proxies::<T>::contains_key(&member, &proxy) {
			let count = ProxyCount::<T>::get(&member);
			ensure!(count < T::MaxProxiesPerMember::get(), Error::<T>::TooManyProxies);
			ProxyCount::<T>::insert(&member, count + 1);
		}
		Proxies::<T>::insert(&member, &proxy, permissions);
		Self::deposit_event(Event::ProxyAuthorised { member, proxy, permissions });
		Ok(())
	}

	/// The member, the proxy itself, or staff of the member's home branch revoke a proxy.
	pub(crate) fn do_revoke_proxy(
		by: T::AccountId,
		member: T::AccountId,
		proxy: T::AccountId,
	) -> DispatchResult {
		ensure!(Proxies::<T>::contains_key(&member, &proxy), Error::<T>::NotProxy);
		let allowed = by == member || by == proxy || Self::is_home_staff(&member, &by);
		ensure!(allowed, Error::<T>::NotAllowed);
		Proxies::<T>::remove(&member, &proxy);
		ProxyCount::<T>::mutate(&member, |c| *c = c.saturating_sub(1));
		Self::deposit_event(Event::ProxyRevoked { member, proxy, by });
		Ok(())
	}

	/// Staff of either member's home branch record that `a` and `b` are relatives.
	pub(crate) fn do_verify_relation(
		by: T::AccountId,
		a: T::AccountId,
		b: T::AccountId,
		evidence: H256,
	) -> DispatchResult {
		ensure!(a != b, Error::<T>::SelfReference);
		ensure!(Members::<T>::contains_key(&a), Error::<T>::NotMember);
		ensure!(Members::<T>::contains_key(&b), Error::<T>::NotMember);
		Self::ensure_home_staff_of_either(&a, &b, &by)?;
		ensure!(!VerifiedRelations::<T>::contains_key(&a, &b), Error::<T>::RelationExists);
		VerifiedRelations::<T>::insert(&a, &b, evidence);
		VerifiedRelations::<T>::insert(&b, &a, evidence);
		Self::deposit_event(Event::RelationVerified { a, b, evidence, by });
		Ok(())
	}

	/// Staff of either member's home branch remove the relation of `a` and `b`.
	pub(crate) fn do_remove_relation(
		by: T::AccountId,
		a: T::AccountId,
		b: T::AccountId,
	) -> DispatchResult {
		ensure!(VerifiedRelations::<T>::contains_key(&a, &b), Error::<T>::NoSuchRelation);
		Self::ensure_home_staff_of_either(&a, &b, &by)?;
		VerifiedRelations::<T>::remove(&a, &b);
		VerifiedRelations::<T>::remove(&b, &a);
		Self::deposit_event(Event::RelationRemoved { a, b, by });
		Ok(())
	}

	/// `Ok` when `by` is staff of `a`'s or of `b`'s home branch, else `NotBranchOfficer`.
	fn ensure_home_staff_of_either(
		a: &T::AccountId,
		b: &T::AccountId,
		by: &T::AccountId,
	) -> DispatchResult {
		ensure!(
			Self::is_home_staff(a, by) || Self::is_home_staff(b, by),
			Error::<T>::NotBranchOfficer
		);
		Ok(())
	}
}
