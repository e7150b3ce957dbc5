//! Benchmarks of every audits call. `vote` is measured on the deciding vote of a two-officer
//! review, the owning pallet's work included: the runtime's helper opens the dearest subject it
//! has (a disputed group service with a provider of another branch), so the arbitration's ledger
//! entries are in the figure.

use super::*;
use crate::Pallet as Audits;
use frame_system::RawOrigin;
use polkadot_sdk::frame_benchmarking::v2::*;
use polkadot_sdk::frame_support::traits::Get;
use timebank_primitives::ReviewQueue;

/// Branches, officers, auditors and a subject to review, set up through the runtime's pallets.
pub trait BenchmarkHelper<AccountId> {
	/// A root branch with `admin` as its admin.
	fn branch(admin: &AccountId) -> BranchId;
	/// Make `who` an officer of `branch` with `role`.
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole);
	/// Make `who` an auditor.
	fn auditor(who: &AccountId);
	/// A subject under review whose decision `decision` the owning pallet can carry out, as
	/// `requester` of `branch` opened it.
	fn subject(branch: BranchId, requester: &AccountId) -> (ReviewSubject<AccountId>, Decision);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The dearest path: a second admin confirms a policy that reviews less, which a first
	/// admin proposed (the current policy, the proposal and the new policy are read and written).
	#[benchmark]
	fn set_review_policy() {
		let admin: T::AccountId = account("admin", 0, 0);
		let second: T::AccountId = account("admin", 1, 0);
		let branch = T::BenchmarkHelper::branch(&admin);
		T::BenchmarkHelper::officer(branch, &second, OfficerRole::Admin);
		let strict = ReviewPolicy { listing_approvals: 2, ..Default::default() };
		Audits::<T>::set_review_policy(RawOrigin::Signed(admin.clone()).into(), branch, strict)
			.expect("stricter: one admin");
		let lax = ReviewPolicy::default();
		Audits::<T>::set_review_policy(RawOrigin::Signed(admin).into(), branch, lax)
			.expect("weaker: proposed");
		#[extrinsic_call]
		_(RawOrigin::Signed(second), branch, lax);
		assert_eq!(Audits::<T>::policy(branch), lax);
		assert!(ProposedReviewPolicies::<T>::get(branch).is_none());
	}

	#[benchmark]
	fn vote() {
		let admin: T::AccountId = account("admin", 0, 0);
		let branch = T::BenchmarkHelper::branch(&admin);
		let first: T::AccountId = account("officer", 0, 0);
		let second: T::AccountId = account("officer", 1, 0);
		T::BenchmarkHelper::officer(branch, &first, OfficerRole::Staff);
		T::BenchmarkHelper::officer(branch, &second, OfficerRole::Staff);
		let requester: T::AccountId = account("requester", 0, 0);
		let (subject, decision) = T::BenchmarkHelper::subject(branch, &requester);
		let review = match OpenReviews::<T>::get(&subject) {
			Some(review) => review,
			None => {
				Audits::<T>::open(branch, subject.clone(), &requester).expect("review opens");
				NextReviewId::<T>::get() - 1
			}
		};
		let policy =
			ReviewPolicy { listing_approvals: 2, dispute_approvals: 2, ..Default::default() };
		Audits::<T>::set_review_policy(RawOrigin::Signed(admin).into(), branch, policy)
			.expect("stricter or equal: one admin sets it");
		Reviews::<T>::mutate(review, |r| {
			if let Some(r) = r {
				r.required = 2;
			}
		});
		Audits::<T>::vote(RawOrigin::Signed(first).into(), review, decision, H256::zero())
			.expect("first officer votes");
		// A full review: every other vote is a different arbitration, so none decides, and the
		// deciding vote checks each voter is still an officer and no party (L2).
		if let Decision::Arbitrate(_) = decision {
			for i in 2..MaxVotes::get() {
				let officer: T::AccountId = account("officer", i, 0);
				T::BenchmarkHelper::officer(branch, &officer, OfficerRole::Staff);
				let share = sp_runtime::Percent::from_percent(i as u8);
				let other =
					Decision::Arbitrate(timebank_primitives::ArbitrationOutcome::Split(share));
				if other == decision {
					continue;
				}
				Audits::<T>::vote(RawOrigin::Signed(officer).into(), review, other, H256::zero())
					.expect("another officer disagrees");
			}
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(second), review, decision, H256::zero());
		assert_eq!(
			Reviews::<T>::get(review).map(|r| r.status),
			Some(ReviewStatus::Decided(decision))
		);
	}

	#[benchmark]
	fn flag() {
		let auditor: T::AccountId = account("auditor", 0, 0);
		T::BenchmarkHelper::auditor(&auditor);
		let subject = AuditSubject::Member(auditor.clone());
		#[extrinsic_call]
		_(RawOrigin::Signed(auditor), subject, H256::zero());
	}
}
