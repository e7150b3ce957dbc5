//! Onboarding without tokens (clients-plan finding F1): a brand-new account may send one
//! application for membership, fee-free, although it holds nothing.
//!
//! `frame_system::CheckNonce` refuses any sender with no provider reference ("Inability to pay
//! some fees"), because storing its nonce would be storage nobody paid for. A custodial account
//! made for a new member has none until staff approve it, so the one call open to non-members
//! could not be sent. [`CheckNonceOrFirstApplication`] takes `CheckNonce`'s place in the
//! runtime: for every transaction it is `CheckNonce`, except the first transaction (nonce 0) of
//! an account with no provider when that transaction is `registry.apply_for_membership` to a
//! branch that can take it. That transaction is valid; when it is included the account gets the
//! registry's provider reference (so its nonce is stored legitimately) and the application is
//! recorded.
//!
//! What bounds the spam: one free application per account (afterwards the account is an ordinary
//! one and pays nothing only through the registry's quota), the branch's queue of pending
//! applications (`MaxPendingApplications`, checked in validation, so a full queue keeps such
//! transactions out of the pool), and the applicant's fee-free quota (`CheckMemberQuota`).
//!
//! The extension has `CheckNonce`'s identifier and encoding (a compact nonce), so generic clients
//! (polkadot.js, subxt) fill it in as they fill in `CheckNonce`.

use crate::{Call, Config, MemberCountsByBranch, Members, Pallet};
use codec::{Decode, DecodeWithMemTracking, Encode};
use polkadot_sdk::sp_core::H256;
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchInfo, PostDispatchInfo},
		traits::{Get, IsSubType},
		weights::Weight,
	},
	frame_system::{self, CheckNonce},
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, PostDispatchInfoOf,
			TransactionExtension, ValidateResult, Zero,
		},
		transaction_validity::{
			InvalidTransaction, TransactionLongevity, TransactionSource, TransactionValidityError,
			ValidTransaction,
		},
		DispatchResult,
	},
};
use scale_info::TypeInfo;
use timebank_primitives::{BranchId, IdentityCommitment};

/// `InvalidTransaction::Custom` code: a new account's free application cannot be taken: the
/// branch is unknown or not active, its queue of applications is full, or the identity
/// commitment is all zeros. (Everything the application's dispatch checks is checked here
/// first: a first application that failed in dispatch would leave an account behind with no
/// pending record, outside the queue's bound.)
pub const APPLICATION_NOT_TAKEN: u8 = 3;

/// `CheckNonce`, plus one fee-free application for an account that has nothing yet.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckNonceOrFirstApplication<T: Config>(#[codec(compact)] pub T::Nonce);

impl<T: Config> CheckNonceOrFirstApplication<T> {
	/// The extension for a transaction signed with `nonce`.
	pub fn from(nonce: T::Nonce) -> Self {
		Self(nonce)
	}

	fn inner(&self) -> CheckNonce<T> {
		CheckNonce::from(self.0)
	}
}

impl<T: Config> core::fmt::Debug for CheckNonceOrFirstApplication<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckNonceOrFirstApplication")
	}
}

/// What `validate` passes to `prepare`.
pub enum Val<T: Config, Inner> {
	/// An ordinary transaction: `CheckNonce`'s own.
	Nonce(Inner),
	/// The first application of an account with no provider, with what it applies for.
	FirstApplication(T::AccountId, Application),
}

/// What `prepare` passes to `post_dispatch_details`.
pub enum Pre<Inner> {
	/// An ordinary transaction: `CheckNonce`'s own.
	Nonce(Inner),
	/// A first application, already prepared.
	FirstApplication,
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall>
	for CheckNonceOrFirstApplication<T>
where
	T::RuntimeCall: Dispatchable<
			RuntimeOrigin = T::RuntimeOrigin,
			Info = DispatchInfo,
			PostInfo = PostDispatchInfo,
		> + IsSubType<Call<T>>,
	T::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckNonce";
	type Implicit = ();
	type Val = Val<T, <CheckNonce<T> as TransactionExtension<T::RuntimeCall>>::Val>;
	type Pre = Pre<<CheckNonce<T> as TransactionExtension<T::RuntimeCall>>::Pre>;

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		// `CheckNonce`'s, plus for an application: the branch, its member counts and the
		// applicant's record read; the provider reference and its marker written.
		let application = if Self::application(call).is_some() {
			<T as frame_system::Config>::DbWeight::get().reads_writes(3, 2)
		} else {
			Weight::zero()
		};
		self.inner().weight(call).saturating_add(application)
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		_self_implicit: (),
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if let Some((who, application)) = Self::first_application(&origin, call, self.0) {
			if !application.would_be_taken::<T>(&who) {
				return Err(InvalidTransaction::Custom(APPLICATION_NOT_TAKEN).into());
			}
			let validity = ValidTransaction {
				priority: 0,
				requires: alloc::vec![],
				provides: alloc::vec![(who.clone(), self.0).encode()],
				longevity: TransactionLongevity::MAX,
				propagate: true,
			};
			return Ok((validity, Val::FirstApplication(who, application), origin));
		}
		let (validity, val, origin) =
			self.inner().validate(origin, call, info, len, (), inherited_implication, source)?;
		Ok((validity, Val::Nonce(val), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &T::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			Val::Nonce(val) => self.inner().prepare(val, origin, call, info, len).map(Pre::Nonce),
			Val::FirstApplication(who, application) => {
				// Validation ran against the pool's view; the queue may have filled since.
				if !application.would_be_taken::<T>(&who) {
					return Err(InvalidTransaction::Custom(APPLICATION_NOT_TAKEN).into());
				}
				Pallet::<T>::ensure_provider(&who);
				CheckNonce::<T>::prepare_nonce_for_account(&who, self.0)?;
				Ok(Pre::FirstApplication)
			}
		}
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		match pre {
			Pre::Nonce(pre) => {
				CheckNonce::<T>::post_dispatch_details(pre, info, post_info, len, result)
			}
			Pre::FirstApplication => Ok(Weight::zero()),
		}
	}
}

impl<T: Config> CheckNonceOrFirstApplication<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
	T::RuntimeOrigin: AsSystemOriginSigner<T::AccountId>,
{
	/// What `call` applies for, when it is `apply_for_membership`.
	fn application(call: &T::RuntimeCall) -> Option<Application> {
		match call.is_sub_type()? {
			Call::apply_for_membership { branch, identity_commitment } => {
				Some(Application { branch: *branch, identity_commitment: *identity_commitment })
			}
			_ => None,
		}
	}

	/// The signer and application when this is the first transaction (`nonce` is the account's,
	/// which is 0 for an account that never sent one) of an account with no provider or
	/// sufficient reference, and it applies for membership.
	fn first_application(
		origin: &T::RuntimeOrigin,
		call: &T::RuntimeCall,
		nonce: T::Nonce,
	) -> Option<(T::AccountId, Application)> {
		let application = Self::application(call)?;
		let who = origin.as_system_origin_signer()?;
		let account = frame_system::Account::<T>::get(who);
		let nothing = account.providers.is_zero() && account.sufficients.is_zero();
		(nothing && nonce == account.nonce).then(|| (who.clone(), application))
	}
}

/// An application for membership, as its call carries it.
pub struct Application {
	branch: BranchId,
	identity_commitment: IdentityCommitment,
}

impl Application {
	/// Whether `apply_for_membership` would record it for `who`: the branch is active with
	/// room in its queue, the commitment is not all zeros, and `who` has no record. The
	/// dispatch (`Pallet::do_apply_for_membership`) checks the same.
	fn would_be_taken<T: Config>(&self, who: &T::AccountId) -> bool {
		Pallet::<T>::ensure_branch_active(self.branch).is_ok()
			&& MemberCountsByBranch::<T>::get(self.branch).pending
				< T::MaxPendingApplications::get()
			&& self.identity_commitment != H256::zero()
			&& !Members::<T>::contains_key(who)
	}
}
