//! What the runtime API reads from the registry (`timebank_member`, `timebank_branchSummary`).

use crate::{pallet::*, BranchStatus, KeysView, MemberCounts};
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::sp_runtime::traits::UniqueSaturatedInto;
use timebank_primitives::{BranchId, MemberView};

impl<T: Config> Pallet<T> {
	/// The member as `timebank_member` shows it.
	pub fn member_view(who: &T::AccountId) -> Option<MemberView> {
		Members::<T>::get(who).map(|m| MemberView {
			identity_commitment: m.identity_commitment,
			home_branch: m.home_branch,
			extra_branches: m.extra_branches.into_inner(),
			status: m.status,
			roles: m.roles,
			redemption_eligible: m.redemption_eligible,
			joined_at: m.joined_at.unique_saturated_into(),
		})
	}

	/// Parent, status and member counts of a branch, for `timebank_branchSummary`.
	pub fn branch_overview(
		branch: BranchId,
	) -> Option<(Option<BranchId>, BranchStatus, MemberCounts)> {
		Branches::<T>::get(branch)
			.map(|b| (b.parent, b.status, MemberCountsByBranch::<T>::get(branch)))
	}

	/// `who`'s keys, as the `keys` view function shows them.
	pub fn keys_view(who: &T::AccountId) -> KeysView<T::AccountId, BlockNumberFor<T>> {
		KeysView {
			pending: PendingRekeys::<T>::get(who),
			rekeyed_to: RekeyedTo::<T>::get(who),
			previous_keys: PreviousKeys::<T>::get(who)
				.map(|keys| keys.into_inner())
				.unwrap_or_default(),
		}
	}
}
