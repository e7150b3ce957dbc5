//! Re-keying (decision 0013): a member's account moves to a new key and the old key is retired.
//!
//! The registry owns the flow (request, second-officer approval, retiring the old key). Every
//! other pallet that keeps a member's state under the account implements [`Rekeying`]: it says
//! what it cannot move (refusing the re-key until the member closes it) and moves the rest when
//! the registry asks. The runtime hands the registry a tuple of them.

use polkadot_sdk::{frame_support::weights::Weight, sp_core::H256, sp_runtime::DispatchResult};

/// A pallet's part of moving a member from `old` to `new`.
pub trait Rekeying<AccountId> {
	/// Refuse (with the pallet's own error) while `old` has state this pallet cannot move in one
	/// bounded call: open holds, listings, engagements, an estate case, a validator candidacy…
	/// Called before anything changes; the registry refuses the re-key on the first error.
	/// `new` is the key the account moves to, for checks that it holds nothing yet.
	fn can_rekey(_old: &AccountId, _new: &AccountId) -> DispatchResult {
		Ok(())
	}

	/// Move `old`'s state to `new`. `actor` is the officer who approved and `evidence` the hash
	/// of the off-chain record of the request. Called after every part's [`Self::can_rekey`]
	/// passed and before the registry moves the member's record (so `Membership::member(old)`
	/// still answers); the registry's storage layer undoes everything if any part fails.
	fn rekey(
		_old: &AccountId,
		_new: &AccountId,
		_actor: &AccountId,
		_evidence: H256,
	) -> DispatchResult {
		Ok(())
	}

	/// The most [`Self::can_rekey`] and [`Self::rekey`] together may cost, at the bounds the
	/// registry enforces.
	fn rekey_weight() -> Weight {
		Weight::zero()
	}
}

impl<AccountId> Rekeying<AccountId> for () {}

macro_rules! impl_rekeying_for_tuple {
	($($part:ident),+) => {
		impl<AccountId, $($part: Rekeying<AccountId>),+> Rekeying<AccountId> for ($($part,)+) {
			fn can_rekey(old: &AccountId, new: &AccountId) -> DispatchResult {
				$($part::can_rekey(old, new)?;)+
				Ok(())
			}

			fn rekey(
				old: &AccountId,
				new: &AccountId,
				actor: &AccountId,
				evidence: H256,
			) -> DispatchResult {
				$($part::rekey(old, new, actor, evidence)?;)+
				Ok(())
			}

			fn rekey_weight() -> Weight {
				Weight::zero()$(.saturating_add($part::rekey_weight()))+
			}
		}
	};
}

impl_rekeying_for_tuple!(A);
impl_rekeying_for_tuple!(A, B);
impl_rekeying_for_tuple!(A, B, C);
impl_rekeying_for_tuple!(A, B, C, D);
impl_rekeying_for_tuple!(A, B, C, D, E);
impl_rekeying_for_tuple!(A, B, C, D, E, F);
