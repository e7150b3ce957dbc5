//! The transaction extension that keeps fee-free calls from becoming free spam.
//!
//! Members pay no fees, so something else must bound what one account can push into blocks. This
//! check runs in transaction validation, before a transaction enters the pool: a members-only call
//! from a non-member is invalid, and each account has a quota of block execution time for its
//! fee-free calls. The quota is counted in weight, not calls (security review H4): a call counts
//! its declared weight, which is what the block is charged when the call fails, so failing heavy
//! calls exhaust their sender's quota as fast as they would fill blocks. The allowance drains
//! continuously (a leaky bucket), so no window edge lets an account spend two allowances at once
//! (review L6). With the runtime's figures, the whole normal-class budget of a window covers the
//! allowances of the number of accounts the chain must tolerate at once (a runtime test checks
//! the arithmetic). The quota's bookkeeping (`Quota`) lives here too: this file is its only writer.

use crate::{Auditors, Config, OfficerRoleCount, Pallet, Quota, QuotaUsage, RekeyedTo};
use codec::{Decode, DecodeWithMemTracking, Encode, HasCompact};
use core::marker::PhantomData;
use polkadot_sdk::sp_runtime::{traits::PostDispatchInfoOf, DispatchResult};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchInfo, PostDispatchInfo},
		traits::{Contains, Get, IsSubType},
		weights::Weight,
	},
	frame_system,
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, TransactionExtension,
			UniqueSaturatedInto, ValidateResult, Zero,
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
/// `InvalidTransaction::Custom` code: the account used up its fee-free allowance for now; it
/// refills continuously, all of it over one quota window.
pub const QUOTA_EXHAUSTED: u8 = 2;
/// `InvalidTransaction::Custom` code: the account was retired by a re-key (decision 0013); the
/// member signs with their new key. Every call is refused, fee-free or not.
pub const ACCOUNT_RETIRED: u8 = 4;

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
	T::RuntimeCall: Dispatchable<
			RuntimeOrigin = T::RuntimeOrigin,
			Info = DispatchInfo,
			PostInfo = PostDispatchInfo,
		> + IsSubType<crate::Call<T>>,
	T::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckMemberQuota";
	type Implicit = ();
	/// The account whose quota `prepare` consumes and the charge, if the call is fee-free.
	type Val = Option<(T::AccountId, u32)>;
	/// What `prepare` charged, so `post_dispatch` can give back what the call did not use.
	type Pre = Option<(T::AccountId, u32)>;

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		// Retired-key mark, member record, officer count, auditor flag and the quota record; one
		// quota write, and the same record again after dispatch.
		<T as frame_system::Config>::DbWeight::get().reads_writes(6, 2)
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: (),
		inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		refuse_retired::<T>(&origin)?;
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
		let charge = Pallet::<T>::quota_charge_for(call, info.total_weight());
		// L6: the sender's transactions still ahead of this one in the pool will use the quota
		// first; each counts at least the minimum charge, so an account cannot queue more than
		// its allowance however many future nonces it signs.
		let ahead = transactions_ahead::<T>(who, inherited_implication);
		let min_charge = Pallet::<T>::quota_charge(Weight::zero());
		let needed = charge.saturating_add(ahead.saturating_mul(min_charge));
		if Pallet::<T>::quota_remaining(who) < needed {
			return Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED).into());
		}
		let who = who.clone();
		Ok((ValidTransaction::default(), Some((who, charge)), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &T::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		// The block's state may have retired the key since the pool validated it.
		refuse_retired::<T>(origin)?;
		if let Some((who, charge)) = &val {
			// Validation ran against the pool's view; check again against the block's state.
			if Pallet::<T>::quota_remaining(who) < *charge {
				return Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED).into());
			}
			Pallet::<T>::consume_quota(who, *charge);
		}
		Ok(val)
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		if let Some((who, charged)) = pre {
			// (An import was charged the minimum: `quota_charge` of what it used is at least
			// that, so nothing comes back.)
			// A call that reports using less than it declared (also when it fails early and
			// says so) gets the difference back; one that does not keeps its full charge, as
			// the block keeps it too.
			let used = info.total_weight().saturating_sub(post_info.calc_unspent(info));
			let due = Pallet::<T>::quota_charge(used);
			Pallet::<T>::refund_quota(&who, charged.saturating_sub(due));
		}
		// The quota changes no block weight; the refund of the dispatch's unspent weight is
		// `CheckWeight`'s.
		Ok(Weight::zero())
	}
}

/// Whether `call` confirms an import, whose block time the branch's import limit bounds instead.
fn is_import_confirmation<T: Config>(call: &T::RuntimeCall) -> bool
where
	T::RuntimeCall: IsSubType<crate::Call<T>>,
{
	matches!(call.is_sub_type(), Some(crate::Call::confirm_import { .. }))
}

/// How many of `who`'s transactions come before this one: its nonce less the account's.
///
/// The nonce is the first thing the later extensions imply when this extension sits right
/// before `CheckNonce` (the runtime's `TxExtension` says why it does); anywhere else, or where
/// nothing follows (the pallet's unit tests), nothing decodes as a nonce and none are ahead.
fn transactions_ahead<T: Config>(who: &T::AccountId, implication: &impl Implication) -> u32 {
	let explicit = implication.parts().explicit.encode();
	let Ok(nonce) = <T::Nonce as HasCompact>::Type::decode(&mut &explicit[..]) else {
		return 0;
	};
	let nonce: T::Nonce = nonce.into();
	let current = frame_system::Pallet::<T>::account_nonce(who);
	polkadot_sdk::sp_runtime::Saturating::saturating_sub(nonce, current).unique_saturated_into()
}

/// Microseconds of reference time in a weight.
fn micros(weight: Weight) -> u64 {
	weight.ref_time() / 1_000_000
}

impl<T: Config> Pallet<T> {
	/// Whether `who` may submit members-only fee-free calls: an active member, a branch
	/// officer or an auditor. Runs in transaction validation, so it reads at most three items.
	pub fn is_participant(who: &T::AccountId) -> bool {
		Self::is_active_member(who) || Self::acts_for_others(who)
	}

	/// Officers and auditors, whose work is done for many members: they get the larger quota.
	fn acts_for_others(who: &T::AccountId) -> bool {
		OfficerRoleCount::<T>::get(who) > 0 || Auditors::<T>::contains_key(who)
	}

	/// `who`'s allowance per quota window, in microseconds of reference time.
	pub fn quota_allowance(who: &T::AccountId) -> u32 {
		let quota =
			if Self::acts_for_others(who) { T::OfficerQuota::get() } else { T::MemberQuota::get() };
		micros(quota).unique_saturated_into()
	}

	/// What a call of `weight` counts against a quota, in microseconds: at least the minimum
	/// charge.
	pub fn quota_charge(weight: Weight) -> u32 {
		micros(weight.max(T::MinCallCharge::get())).unique_saturated_into()
	}

	/// What `call`, declaring `weight`, counts against its sender's quota when validated: its
	/// weight, except a confirmed import, whose block time is bounded per branch instead
	/// (`ImportsPerWindow`, `imports.rs`): counted against the confirming admin's own allowance
	/// it would make a branch's paper records take hours. It still counts the minimum, so the
	/// number of such calls stays bounded.
	pub fn quota_charge_for(call: &T::RuntimeCall, weight: Weight) -> u32
	where
		T::RuntimeCall: IsSubType<crate::Call<T>>,
	{
		if is_import_confirmation::<T>(call) {
			Self::quota_charge(Weight::zero())
		} else {
			Self::quota_charge(weight)
		}
	}

	/// What `who` has used and not yet drained at the current block.
	fn quota_used_now(who: &T::AccountId, allowance: u32) -> u32 {
		let now: u32 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		let Some(usage) = Quota::<T>::get(who) else { return 0 };
		let window: u64 = T::QuotaWindow::get().unique_saturated_into();
		let elapsed = u64::from(now.saturating_sub(usage.at));
		// The whole allowance drains over one window; `window` is at least one block
		// (integrity_test), `max(1)` only keeps the division total.
		let drained = elapsed.saturating_mul(u64::from(allowance)) / window.max(1);
		let drained: u32 = drained.unique_saturated_into();
		usage.used.saturating_sub(drained)
	}

	/// The quota's constants make sense (the pallet's `integrity_test`).
	pub(crate) fn check_quota_constants() {
		assert!(
			T::MinCallCharge::get().ref_time() >= 1_000_000,
			"a call must count at least a microsecond against a quota"
		);
		for quota in [T::MemberQuota::get(), T::OfficerQuota::get()] {
			assert!(
				quota.ref_time() >= T::MinCallCharge::get().ref_time(),
				"a quota below one call would lock its holders out"
			);
		}
		assert!(
			T::RegistrationsPerWindow::get() > 0,
			"a zero registration limit would stop every branch from registering members"
		);
		assert!(!T::QuotaWindow::get().is_zero(), "the quota window must be at least one block");
	}

	/// Microseconds of fee-free execution `who` may still use now.
	pub fn quota_remaining(who: &T::AccountId) -> u32 {
		let allowance = Self::quota_allowance(who);
		allowance.saturating_sub(Self::quota_used_now(who, allowance))
	}

	/// Count `charge` microseconds against `who`'s quota.
	pub(crate) fn consume_quota(who: &T::AccountId, charge: u32) {
		let allowance = Self::quota_allowance(who);
		let used = Self::quota_used_now(who, allowance).saturating_add(charge);
		let at = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		Quota::<T>::insert(who, QuotaUsage { at, used });
	}

	/// Give back `refund` microseconds a call was charged but did not use.
	fn refund_quota(who: &T::AccountId, refund: u32) {
		if refund == 0 {
			return;
		}
		Quota::<T>::mutate(who, |usage| {
			if let Some(usage) = usage {
				usage.used = usage.used.saturating_sub(refund);
			}
		});
	}
}

/// Refuse any transaction signed by a key a re-key retired (decision 0013): the old key can do
/// nothing afterwards, whatever the call, fee-free or paid.
fn refuse_retired<T: Config>(origin: &T::RuntimeOrigin) -> Result<(), TransactionValidityError>
where
	T::RuntimeOrigin: AsSystemOriginSigner<T::AccountId>,
{
	match origin.as_system_origin_signer() {
		Some(who) if RekeyedTo::<T>::contains_key(who) => {
			Err(InvalidTransaction::Custom(ACCOUNT_RETIRED).into())
		}
		_ => Ok(()),
	}
}
