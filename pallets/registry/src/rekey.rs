//! Re-keying (clients-plan finding F11, decision 0013): a member's account moves to a new key.
//!
//! The member asks with the old key (`request_rekey`, rotating a custodial key or moving to
//! their own device), or staff of the home branch ask for a member who lost it
//! (`request_rekey_for`, with the hash of the evidence checked at the counter; it waits
//! `RekeyDelay` so the member's devices can object). Either way the new key signs
//! [`Pallet::rekey_message`], so an account never moves to a mistyped key or one nobody holds,
//! and another officer of the home branch approves (`approve_rekey`).
//!
//! Approval moves the member's state in one bounded call: here the record, proxies both ways,
//! verified relations and the quota; the other pallets their parts (`T::Rekeying`: balances by
//! `Rekey` ledger entries, the will, the service record, certificates, the vote, and an entry
//! in both audit logs). What is keyed by ids and cannot be found by account in one call (open
//! holds, listings, engagements, an estate case, a pending move or proxy) refuses the re-key
//! until it is closed. The old key is then retired (`RekeyedTo`): `CheckMemberQuota` refuses
//! every transaction it signs, and no path makes it a member or officer again. History stays
//! under the old key; `PreviousKeys` links it.

use crate::{
	pallet::*, ActingFor, Auditors, Members, OfficerRoleCount, PendingMoves, PendingProxies,
	PendingRekey, Proxies, ProxyCount, Quota, VerifiedRelations,
};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::{
		traits::{Saturating, Verify, Zero},
		DispatchResult,
	},
};
use timebank_primitives::{Authority, MemberStatus, Membership, Rekeying};

/// What the new key signs, before the genesis hash and both keys: binds the proof to this use.
pub const REKEY_TAG: [u8; 14] = *b"timebank/rekey";

/// The most verified relatives, and the most members one acts for as a proxy, that one re-key
/// moves; a member beyond either is refused (`TooManyToMove`) rather than the call unbounded.
pub const MAX_LINKS_MOVED: u32 = 16;

impl<T: Config> Pallet<T> {
	/// The bytes the new key signs to consent to `old`'s account moving to it: `REKEY_TAG`, the
	/// chain's genesis hash, `old` and `new`, SCALE-encoded (the tag without a length prefix).
	pub fn rekey_message(old: &T::AccountId, new: &T::AccountId) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		(REKEY_TAG, genesis, old, new).encode()
	}

	/// `by` asks to move `member` to `new`: the member themself (evidence zero), or staff of the
	/// member's home branch with the evidence's hash.
	pub(crate) fn do_request_rekey(
		by: T::AccountId,
		member: T::AccountId,
		new: T::AccountId,
		proof: T::RekeyProof,
		evidence: H256,
	) -> DispatchResult {
		let by_staff = by != member;
		if by_staff {
			Self::ensure_member_record(&member)?;
			ensure!(Self::is_home_staff(&member, &by), Error::<T>::NotBranchOfficer);
			ensure!(evidence != H256::zero(), Error::<T>::EmptyEvidence);
		}
		ensure!(!PendingRekeys::<T>::contains_key(&member), Error::<T>::RekeyPending);
		Self::ensure_rekeyable(&member, &new)?;
		ensure!(
			proof.verify(&Self::rekey_message(&member, &new)[..], &new),
			Error::<T>::BadRekeyProof
		);
		let requested_at = frame_system::Pallet::<T>::block_number();
		PendingRekeys::<T>::insert(
			&member,
			PendingRekey {
				new: new.clone(),
				requested_by: by.clone(),
				by_staff,
				evidence,
				requested_at,
			},
		);
		Self::deposit_event(Event::RekeyRequested { member, new, requested_by: by, evidence });
		Ok(())
	}

	/// `by`, staff of the member's home branch, approves the waiting re-key and it happens.
	pub(crate) fn do_approve_rekey(by: T::AccountId, old: T::AccountId) -> DispatchResult {
		let request = PendingRekeys::<T>::get(&old).ok_or(Error::<T>::NoPendingRekey)?;
		let home = Self::ensure_member_record(&old)?;
		let since = <Self as Membership<T::AccountId>>::officer_since(home, &by)
			.ok_or(Error::<T>::NotBranchOfficer)?;
		ensure!(request.requested_by != by, Error::<T>::SameOfficer);
		// As for estates (review M11): someone appointed after the request cannot approve it.
		ensure!(since <= Self::block_u64(request.requested_at), Error::<T>::AppointedAfterRequest);
		if request.by_staff {
			let due = request.requested_at.saturating_add(T::RekeyDelay::get());
			ensure!(frame_system::Pallet::<T>::block_number() >= due, Error::<T>::RekeyTooEarly);
		}
		let new = request.new;
		Self::ensure_rekeyable(&old, &new)?;
		PendingRekeys::<T>::remove(&old);
		// The other pallets first: the ledger finds the member's home through the old record.
		T::Rekeying::rekey(&old, &new, &by, request.evidence)?;
		Self::move_registry_state(&old, &new);
		Self::retire(&old, &new)?;
		Self::deposit_event(Event::Rekeyed {
			old,
			new,
			requested_by: request.requested_by,
			approved_by: by,
			evidence: request.evidence,
		});
		Ok(())
	}

	/// Withdraw or refuse `member`'s waiting re-key: the member, whoever asked, or home staff.
	pub(crate) fn do_cancel_rekey(by: T::AccountId, member: T::AccountId) -> DispatchResult {
		let request = PendingRekeys::<T>::get(&member).ok_or(Error::<T>::NoPendingRekey)?;
		ensure!(
			by == member || by == request.requested_by || Self::is_home_staff(&member, &by),
			Error::<T>::NotAllowed
		);
		PendingRekeys::<T>::remove(&member);
		Self::deposit_event(Event::RekeyCancelled { member, by });
		Ok(())
	}

	/// Refuse unless everything of `old` can move to `new` now (decision 0013, section c).
	fn ensure_rekeyable(old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		let member = Members::<T>::get(old).ok_or(Error::<T>::NotMember)?;
		ensure!(
			matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
			Error::<T>::MemberNotActive
		);
		ensure!(
			OfficerRoleCount::<T>::get(old) == 0 && !Auditors::<T>::contains_key(old),
			Error::<T>::OfficersCannotRekey
		);
		ensure!(!PendingMoves::<T>::contains_key(old), Error::<T>::MovePending);
		ensure!(!PendingProxies::<T>::contains_key(old), Error::<T>::ProxyPending);
		let history = PreviousKeys::<T>::decode_len(old).unwrap_or(0) as u32;
		ensure!(history < T::MaxKeyHistory::get(), Error::<T>::KeyHistoryFull);
		let limit = MAX_LINKS_MOVED as usize;
		ensure!(
			VerifiedRelations::<T>::iter_key_prefix(old).nth(limit).is_none()
				&& ActingFor::<T>::iter_key_prefix(old).nth(limit).is_none(),
			Error::<T>::TooManyToMove
		);
		ensure!(new != old, Error::<T>::NewKeyInUse);
		ensure!(
			!Members::<T>::contains_key(new)
				&& !RekeyedTo::<T>::contains_key(new)
				&& OfficerRoleCount::<T>::get(new) == 0
				&& !Auditors::<T>::contains_key(new)
				&& Proxies::<T>::iter_key_prefix(new).next().is_none()
				&& ActingFor::<T>::iter_key_prefix(new).next().is_none()
				&& VerifiedRelations::<T>::iter_key_prefix(new).next().is_none(),
			Error::<T>::NewKeyInUse
		);
		T::Rekeying::can_rekey(old, new)
	}

	/// The registry's own part: the record, proxies both ways, relations and the quota.
	fn move_registry_state(old: &T::AccountId, new: &T::AccountId) {
		if let Some(record) = Members::<T>::take(old) {
			Members::<T>::insert(new, record);
		}
		let proxies: Vec<_> = Proxies::<T>::drain_prefix(old).collect();
		for (proxy, permissions) in proxies {
			Proxies::<T>::insert(new, &proxy, permissions);
			ActingFor::<T>::remove(&proxy, old);
			ActingFor::<T>::insert(&proxy, new, ());
		}
		ProxyCount::<T>::insert(new, ProxyCount::<T>::take(old));
		let acting_for: Vec<_> = ActingFor::<T>::drain_prefix(old).collect();
		for (principal, ()) in acting_for {
			if let Some(permissions) = Proxies::<T>::take(&principal, old) {
				Proxies::<T>::insert(&principal, new, permissions);
			}
			ActingFor::<T>::insert(new, &principal, ());
		}
		let relations: Vec<_> = VerifiedRelations::<T>::drain_prefix(old).collect();
		for (relative, evidence) in relations {
			VerifiedRelations::<T>::remove(&relative, old);
			VerifiedRelations::<T>::insert(&relative, new, evidence);
			VerifiedRelations::<T>::insert(new, &relative, evidence);
		}
		if let Some(usage) = Quota::<T>::take(old) {
			Quota::<T>::insert(new, usage);
		}
		Self::ensure_provider(new);
	}

	/// Mark `old` retired, pointing it and every earlier key of the member at `new`.
	fn retire(old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		let mut history = PreviousKeys::<T>::take(old).unwrap_or_default();
		for earlier in history.iter() {
			RekeyedTo::<T>::insert(earlier, new);
		}
		history.try_push(old.clone()).map_err(|_| Error::<T>::KeyHistoryFull)?;
		PreviousKeys::<T>::insert(new, history);
		RekeyedTo::<T>::insert(old, new);
		Ok(())
	}

	/// Refuse an account that was retired by a re-key: it may not become a member, officer or
	/// auditor again (its history would mix with the member's new key).
	pub(crate) fn ensure_not_retired(who: &T::AccountId) -> DispatchResult {
		ensure!(!RekeyedTo::<T>::contains_key(who), Error::<T>::AccountRetired);
		Ok(())
	}

	/// The home branch of `who`'s record, or `NotMember`.
	fn ensure_member_record(who: &T::AccountId) -> Result<timebank_primitives::BranchId, Error<T>> {
		Members::<T>::get(who).map(|m| m.home_branch).ok_or(Error::<T>::NotMember)
	}

	fn block_u64(block: BlockNumberFor<T>) -> u64 {
		polkadot_sdk::sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(block)
	}

	/// The current key of a member whose earlier key is `who`, if `who` was retired.
	pub(crate) fn current_key(who: &T::AccountId) -> Option<T::AccountId> {
		RekeyedTo::<T>::get(who)
	}
}

/// Makes new keys and their proofs for the benchmarks, which cannot sign generically.
#[cfg(feature = "runtime-benchmarks")]
pub trait RekeyBenchmarkHelper<AccountId, Proof> {
	/// A key nobody uses yet, whose secret the helper holds.
	fn new_key() -> AccountId;
	/// `new`'s signature over `message`.
	fn sign(new: &AccountId, message: &[u8]) -> Proof;
}
