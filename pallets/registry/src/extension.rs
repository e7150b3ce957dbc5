//! The transaction extension that keeps fee-free calls from becoming free spam.
//!
//! Members pay no fees, so something else must bound what one account can push into blocks. This
//! check runs in transaction validation, before a transaction enters the pool: a members-only call
//! from a non-member is invalid, and each account has a quota of fee-free calls per window.
//! The quota's bookkeeping (`Quota`) lives here too: this file is its only writer.

use crate::{Auditors, Config, OfficerRoleCount, Pallet, Quota, QuotaUsage};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		traits::{Contains, Get},
		weights::Weight,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, TransactionExtension,
			UniqueSaturatedInto, ValidateResult,
		},
		transaction_validity::{
			InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
		},
	},
};
use scale_info::TypeInfo;
use timebank_primitives::Membership;

/// `InvalidTransaction::Custom` code: the call is for members, officers and auditors only.
pub const NOT_A_MEMBER: u8 = 1;
/// `InvalidTransaction::Custom` code: the account used its fee-free calls for this window.
pub const QUOTA_EXHAUSTED: u8 = 2;

/// Refuses members-only calls from non-members and counts fee-free calls against a quota.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMemberQuota<T>(PhantomData<T>);

impl<T> CheckMemberQuota<T> {
	/// The extension, as the runtime lists it in its transaction extensions.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for CheckMemberQuota<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> core::fmt::Debug for CheckMemberQuota<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckMemberQuota")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckMemberQuota<T>
where
	T::RuntimeCall: Dispatchable<RuntimeOrigin = T::RuntimeOrigin>,
	T::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckMemberQuota";
	type Implicit = ();
	/// The account whose quota `prepare` consumes, if the call is fee-free.
	type Val = Option<T::AccountId>;
	type Pre = ();

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		// Member record, officer count, auditor flag and the quota record; one quota write.
		<T as frame_system::Config>::DbWeight::get().reads_writes(4, 1)
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: (),
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let members_only = T::MemberCalls::contains(call);
		if !members_only && !T::OpenCalls::contains(call) {
			return Ok((ValidTransaction::default(), None, origin));
		}
		let Some(who) = origin.as_system_origin_signer() else {
			// Unsigned or root-dispatched: the pallets' own origin checks decide.
			return Ok((ValidTransaction::default(), None, origin));
		};
		if members_only && !Pallet::<T>::is_participant(who) {
			return Err(InvalidTransaction::Custom(NOT_A_MEMBER).into());
		}
		if Pallet::<T>::quota_remaining(who) == 0 {
			return Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED).into());
		}
		let who = who.clone();
		Ok((ValidTransaction::default(), Some(who), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &T::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if let Some(who) = val {
			// Validation ran against the pool's view; check again against the block's state.
			if Pallet::<T>::quota_remaining(&who) == 0 {
				return Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED).into());
			}
			Pallet::<T>::consume_quota(&who);
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `who` may submit members-only fee-free calls: an active member, a branch
	/// officer or an auditor. Runs in transaction validation, so it reads at most three items.
	pub fn is_participant(who: &T::AccountId) -> bool {
		Self::is_active_member(who)
			|| OfficerRoleCount::<T>::get(who) > 0
			|| Auditors::<T>::contains_key(who)
	}

	/// The quota window that `block` falls in.
	pub(crate) fn quota_window(block: BlockNumberFor<T>) -> u32 {
		(block / T::QuotaWindow::get()).unique_saturated_into()
	}

	/// Fee-free calls `who` may still submit in the current window.
	pub fn quota_remaining(who: &T::AccountId) -> u32 {
		let window = Self::quota_window(frame_system::Pallet::<T>::block_number());
		let used = Quota::<T>::get(who).filter(|q| q.window == window).map_or(0, |q| q.used);
		T::CallsPerQuotaWindow::get().saturating_sub(used)
	}

	/// Count one fee-free call of `who` in the current window.
	pub(crate) fn consume_quota(who: &T::AccountId) {
		let window = Self::quota_window(frame_system::Pallet::<T>::block_number());
		Quota::<T>::mutate(who, |usage| {
			let current =
				usage.filter(|q| q.window == window).unwrap_or(QuotaUsage { window, used: 0 });
			*usage = Some(QuotaUsage { window, used: current.used.saturating_add(1) });
		});
	}
}
