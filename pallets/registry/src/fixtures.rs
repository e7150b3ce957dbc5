//! Benchmark fixtures: the registry state other pallets' benchmarks start from.
//!
//! Other pallets and the runtime never write registry storage themselves; they call these,
//! which go through the same helpers as the calls, so `MemberCountsByBranch`, `AdminCount`,
//! `OfficerRoleCount` and `ProxyCount` stay right (`do_try_state` holds after a fixture).

use crate::pallet::*;
use polkadot_sdk::sp_core::H256;
use timebank_primitives::{
	BranchId, MemberRoles, MemberStatus, MembershipFixtures, OfficerRole, ProxyPermissions,
};

impl<T: Config> MembershipFixtures<T::AccountId> for Pallet<T> {
	fn branch(admin: &T::AccountId) -> BranchId {
		Self::do_register_branch(None, admin.clone(), H256::zero())
			.expect("benchmark setup: a root branch can always be registered")
	}

	fn member(who: &T::AccountId, branch: BranchId) {
		let roles = MemberRoles { recipient: true, volunteer: true, ..Default::default() };
		Self::insert_member(who, branch, H256::repeat_byte(1), roles, MemberStatus::Active);
		Self::ensure_provider(who);
	}

	fn officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) {
		Self::insert_officer(branch, who, role);
	}

	fn relatives(a: &T::AccountId, b: &T::AccountId) {
		VerifiedRelations::<T>::insert(a, b, H256::zero());
		VerifiedRelations::<T>::insert(b, a, H256::zero());
	}

	fn proxy(member: &T::AccountId, proxy: &T::AccountId, permissions: ProxyPermissions) {
		Proxies::<T>::insert(member, proxy, permissions);
		ActingFor::<T>::insert(proxy, member, ());
		ProxyCount::<T>::mutate(member, |c| *c = c.saturating_add(1));
	}
}

impl<T: Config> Pallet<T> {
	/// Benchmark fixture: `who` becomes a member of `branch` (as
	/// [`MembershipFixtures::member`] makes one) with `status`, counted under that status in
	/// `MemberCountsByBranch`. For benchmarks that need a suspended, departed or deceased
	/// member.
	pub fn member_with_status(who: &T::AccountId, branch: BranchId, status: MemberStatus) {
		<Self as MembershipFixtures<T::AccountId>>::member(who, branch);
		Self::change_status(who, status)
			.expect("benchmark setup: the member record was just created");
	}
}
