//! Benchmarks of every election call and of the per-block author count. Elections themselves
//! run inside `pallet-session`'s rotation, which claims the whole block.

use super::*;
use crate::Pallet as Election;
use frame_system::RawOrigin;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{EnsureOrigin, Hooks},
};
use timebank_primitives::MemberStatus;

/// Branches, members and a block author, set up through the runtime's pallets.
pub trait BenchmarkHelper<AccountId> {
	/// A root branch with `admin` as its admin.
	fn branch(admin: &AccountId) -> BranchId;
	/// Register `who` as a member of `branch` with `status`.
	fn member(who: &AccountId, branch: BranchId, status: MemberStatus);
	/// Put a pre-runtime digest naming a current validator into the block being built.
	fn author_digest();
}

fn admin_and_branch<T: Config>(index: u32) -> (T::AccountId, BranchId) {
	let admin: T::AccountId = account("admin", index, 0);
	let branch = T::BenchmarkHelper::branch(&admin);
	(admin, branch)
}

/// An approved candidacy of a fresh branch.
fn approved_candidate<T: Config>(index: u32) -> (T::AccountId, BranchId, T::AccountId) {
	let (admin, branch) = admin_and_branch::<T>(index);
	let validator: T::AccountId = account("validator", index, 0);
	Candidates::<T>::insert(branch, Candidate { validator: validator.clone(), approved: true });
	CandidateOf::<T>::insert(&validator, branch);
	(admin, branch, validator)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn note_author() {
		T::BenchmarkHelper::author_digest();
		#[block]
		{
			Election::<T>::on_initialize(1u32.into());
		}
		assert_eq!(BlocksThisSession::<T>::get(), 1);
	}

	#[benchmark]
	fn propose_candidate() {
		let (admin, branch) = admin_and_branch::<T>(0);
		let validator: T::AccountId = account("validator", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, validator);
		assert!(Candidates::<T>::contains_key(branch));
	}

	#[benchmark]
	fn approve_candidate() -> Result<(), BenchmarkError> {
		let (_, branch, _) = approved_candidate::<T>(0);
		Candidates::<T>::mutate(branch, |c| {
			if let Some(c) = c {
				c.approved = false
			}
		});
		let origin =
			T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, branch);
		Ok(())
	}

	#[benchmark]
	fn withdraw_candidate() {
		let (admin, branch, _) = approved_candidate::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch);
		assert!(!Candidates::<T>::contains_key(branch));
	}

	#[benchmark]
	fn vote() {
		let (_, first, _) = approved_candidate::<T>(0);
		let (_, second, _) = approved_candidate::<T>(1);
		let voter: T::AccountId = account("voter", 0, 0);
		T::BenchmarkHelper::member(&voter, first, MemberStatus::Active);
		Election::<T>::vote(RawOrigin::Signed(voter.clone()).into(), first)
			.expect("a member votes");
		// Moving a vote is the dearer path: two counts change.
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), second);
		assert_eq!(VotesFor::<T>::get(second), 1);
	}

	#[benchmark]
	fn unvote() {
		let (_, branch, _) = approved_candidate::<T>(0);
		let voter: T::AccountId = account("voter", 0, 0);
		T::BenchmarkHelper::member(&voter, branch, MemberStatus::Active);
		Election::<T>::vote(RawOrigin::Signed(voter.clone()).into(), branch)
			.expect("a member votes");
		#[extrinsic_call]
		_(RawOrigin::Signed(voter));
		assert_eq!(VotesFor::<T>::get(branch), 0);
	}

	#[benchmark]
	fn remove_stale_vote() {
		let (_, branch, _) = approved_candidate::<T>(0);
		let voter: T::AccountId = account("voter", 0, 0);
		T::BenchmarkHelper::member(&voter, branch, MemberStatus::Left);
		Election::<T>::add_vote(&voter, branch, branch);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), voter);
		assert_eq!(VotesFor::<T>::get(branch), 0);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let parameters = ElectionParameters {
			session_blocks: T::MaxValidators::get() * 2,
			max_validators: T::MaxValidators::get(),
			min_validators: 1,
			..ElectionParameters::default()
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters);
		Ok(())
	}

	#[benchmark]
	fn declare_online() {
		let (admin, branch, validator) = approved_candidate::<T>(0);
		ValidatorLiveness::<T>::insert(
			&validator,
			Liveness { authored_this_session: 0, offline_sessions: 5 },
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch);
		assert_eq!(ValidatorLiveness::<T>::get(&validator).offline_sessions, 0);
	}
}
