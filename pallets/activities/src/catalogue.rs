//! The branch's rules for activities: its service catalogue (categories, their risk and the
//! certificate they need) and its activity policy (review, windows, check-in code).

use crate::{ActivityPolicy, Catalogue, Category, Config, Error, Event, Pallet, Policies};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{traits::Zero, DispatchResult},
};
use timebank_primitives::{Authority, BranchId, CategoryId, Certification, OfficerRole};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::set_category`].
	pub(crate) fn do_set_category(
		admin: &T::AccountId,
		branch: BranchId,
		category: CategoryId,
		value: Option<Category>,
	) -> DispatchResult {
		T::Membership::ensure_officer(branch, admin, OfficerRole::Admin)
			.map_err(Error::<T>::from)?;
		Catalogue::<T>::set(branch, category, value);
		Self::deposit_event(Event::CategorySet { branch, category, value });
		Ok(())
	}

	/// The body of [`Pallet::set_activity_policy`].
	pub(crate) fn do_set_activity_policy(
		admin: &T::AccountId,
		branch: BranchId,
		policy: ActivityPolicy<BlockNumberFor<T>>,
	) -> DispatchResult {
		T::Membership::ensure_officer(branch, admin, OfficerRole::Admin)
			.map_err(Error::<T>::from)?;
		let valid =
			|window: BlockNumberFor<T>| !window.is_zero() && window <= T::MaxPolicyWindow::get();
		ensure!(
			valid(policy.confirm_window) && valid(policy.listing_lifetime),
			Error::<T>::InvalidPolicy
		);
		Policies::<T>::insert(branch, policy);
		Self::deposit_event(Event::ActivityPolicySet { branch, policy });
		Ok(())
	}

	/// The branch's activity policy, or the default one.
	pub fn policy(branch: BranchId) -> ActivityPolicy<BlockNumberFor<T>> {
		Policies::<T>::get(branch).unwrap_or_else(Self::default_policy)
	}

	/// No review, no check-in code, the configured windows.
	pub fn default_policy() -> ActivityPolicy<BlockNumberFor<T>> {
		ActivityPolicy {
			review_from_risk: None,
			review_newcomers: false,
			confirm_window: T::DefaultConfirmWindow::get(),
			listing_lifetime: T::DefaultListingLifetime::get(),
			check_in_code: false,
		}
	}

	/// `Ok` when `who` may provide services of `branch`'s `category`: it needs no certificate,
	/// or `who` holds one that `branch` accepts (issued by `branch` or a branch it trusts).
	pub(crate) fn ensure_certified(
		who: &T::AccountId,
		branch: BranchId,
		category: &Category,
	) -> DispatchResult {
		if let Some(skill) = category.required_skill {
			ensure!(
				T::Certification::is_certified(who, skill, branch),
				Error::<T>::MissingCertificate
			);
		}
		Ok(())
	}

	/// `Ok` when `who` may provide services of `branch`'s `category`, which must be in the
	/// catalogue (active or not).
	pub(crate) fn ensure_certified_in(
		branch: BranchId,
		category: CategoryId,
		who: &T::AccountId,
	) -> DispatchResult {
		let category = Catalogue::<T>::get(branch, category).ok_or(Error::<T>::UnknownCategory)?;
		Self::ensure_certified(who, branch, &category)
	}
}
