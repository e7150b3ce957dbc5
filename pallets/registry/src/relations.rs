//! Family proxies and verified relatives: who may act for a member, and whose gifts are allowed.
//!
//! `ProxyCount` and the reverse index `ActingFor` follow `Proxies`, and `VerifiedRelations` holds
//! each relation in both directions: these functions are their only writers (with the benchmark
//! fixtures and the v2 migration, which builds `ActingFor`).
//!
//! A member who cannot sign (no smartphone) gets a proxy through staff: one officer of the home
//! branch records it with the evidence, and it takes effect when a second officer of that branch
//! or the member confirms it (`PendingProxies`, at most one per member).

use crate::{pallet::*, PendingProxy};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	frame_system,
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
		Self::ensure_proxy_allowed(&member, &proxy, permissions)?;
		if !Proxies::<T>::contains_key(&member, &proxy) {
			let count = ProxyCount::<T>::get(&member);
			ensure!(count < T::MaxProxiesPerMember::get(), Error::<T>::TooManyProxies);
			ProxyCount::<T>::insert(&member, count + 1);
		}
		Proxies::<T>::insert(&member, &proxy, permissions);
		ActingFor::<T>::insert(&proxy, &member, ());
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
		ActingFor::<T>::remove(&proxy, &member);
		ProxyCount::<T>::mutate(&member, |c| *c = c.saturating_sub(1));
		Self::deposit_event(Event::ProxyRevoked { member, proxy, by });
		Ok(())
	}

	/// The checks every authorisation passes: two different accounts, some permission, an
	/// active member, and an active member holding the family-proxy role as the proxy.
	fn ensure_proxy_allowed(
		member: &T::AccountId,
		proxy: &T::AccountId,
		permissions: ProxyPermissions,
	) -> DispatchResult {
		ensure!(member != proxy, Error::<T>::SelfReference);
		ensure!(permissions != ProxyPermissions::default(), Error::<T>::EmptyPermissions);
		Self::ensure_active_member(member)?;
		let proxy_record = Members::<T>::get(proxy).ok_or(Error::<T>::ProxyNotMember)?;
		ensure!(proxy_record.status == MemberStatus::Active, Error::<T>::ProxyNotMember);
		ensure!(proxy_record.roles.family_proxy, Error::<T>::NotAFamilyProxy);
		Ok(())
	}

	/// Staff of `member`'s home branch record `proxy` for `member`, pending confirmation.
	pub(crate) fn do_record_proxy(
		by: T::AccountId,
		member: T::AccountId,
		proxy: T::AccountId,
		permissions: ProxyPermissions,
		evidence: H256,
	) -> DispatchResult {
		ensure!(Members::<T>::contains_key(&member), Error::<T>::NotMember);
		ensure!(Self::is_home_staff(&member, &by), Error::<T>::NotBranchOfficer);
		ensure!(evidence != H256::zero(), Error::<T>::EmptyEvidence);
		Self::ensure_proxy_allowed(&member, &proxy, permissions)?;
		ensure!(!PendingProxies::<T>::contains_key(&member), Error::<T>::ProxyPending);
		let recorded_at = frame_system::Pallet::<T>::block_number();
		PendingProxies::<T>::insert(
			&member,
			PendingProxy {
				proxy: proxy.clone(),
				permissions,
				evidence,
				recorded_by: by.clone(),
				recorded_at,
			},
		);
		Self::deposit_event(Event::ProxyRecorded { member, proxy, permissions, evidence, by });
		Ok(())
	}

	/// The member, or home staff other than the recorder, confirm a recorded proxy: it is
	/// authorised as if the member had signed (`ProxyAuthorised`).
	pub(crate) fn do_confirm_proxy(by: T::AccountId, member: T::AccountId) -> DispatchResult {
		let pending = PendingProxies::<T>::get(&member).ok_or(Error::<T>::NoPendingProxy)?;
		if by != member {
			ensure!(Self::is_home_staff(&member, &by), Error::<T>::NotAllowed);
			ensure!(by != pending.recorded_by, Error::<T>::SameOfficer);
		}
		PendingProxies::<T>::remove(&member);
		Self::deposit_event(Event::ProxyConfirmed {
			member: member.clone(),
			proxy: pending.proxy.clone(),
			by,
		});
		// The member's and the proxy's records are checked again: either may have changed since.
		Self::do_authorise_proxy(member, pending.proxy, pending.permissions)
	}

	/// The member, the proxy, or home staff withdraw or refuse a recorded proxy.
	pub(crate) fn do_cancel_proxy(by: T::AccountId, member: T::AccountId) -> DispatchResult {
		let pending = PendingProxies::<T>::get(&member).ok_or(Error::<T>::NoPendingProxy)?;
		let allowed = by == member || by == pending.proxy || Self::is_home_staff(&member, &by);
		ensure!(allowed, Error::<T>::NotAllowed);
		PendingProxies::<T>::remove(&member);
		Self::deposit_event(Event::ProxyRecordCancelled { member, proxy: pending.proxy, by });
		Ok(())
	}

	/// The members `proxy` may act for, with the permissions each gave.
	pub(crate) fn members_acted_for(proxy: &T::AccountId) -> Vec<(T::AccountId, ProxyPermissions)> {
		ActingFor::<T>::iter_key_prefix(proxy)
			.filter_map(|member| {
				Proxies::<T>::get(&member, proxy).map(|permissions| (member, permissions))
			})
			.collect()
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
