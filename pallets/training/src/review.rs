//! Course reward budgets and their review ([`ReviewSubject::CourseRewards`]).
//!
//! A course's rewards are new credits from its branch's grant account, so the admin who creates
//! a rewarding course sets how many completions it rewards, and the whole budget (reward ×
//! completions) goes through the branch's review policy like a grant of that amount. Completions
//! pay only within an approved budget, once per member, and never more often than it allows.

use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_runtime::{DispatchError, DispatchResult},
};
use scale_info::TypeInfo;
use timebank_primitives::{
	BranchId, CourseId, Decision, Ledger, Membership, Minutes, ReviewKind, ReviewOutcome,
	ReviewQueue, ReviewSubject,
};

use crate::{Config, CourseOf, Error, Event, Pallet, RewardBudgets, RewardsPaid};

/// Where a course's reward budget stands. Encoded in storage: never reorder the variants.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum BudgetStatus {
	/// Waiting for reviewers; completions are not recorded until it is decided.
	InReview,
	/// Approved (or small enough to need no review): completions earn the reward.
	Approved,
	/// Rejected: completions issue certificates but earn no reward.
	Rejected,
}

/// A course's reward budget. Encoded in storage: never reorder the fields.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RewardBudget {
	/// Most completions the course rewards.
	pub completions: u32,
	/// Completions rewarded so far.
	pub paid: u32,
	/// Whether the budget may be paid from.
	pub status: BudgetStatus,
}

impl<T: Config> Pallet<T> {
	/// Record a new course's reward budget: `completions` rewards of `reward` each, sent to
	/// review when the branch's policy reviews grants of that total.
	pub(crate) fn open_reward_budget(
		course: CourseId,
		branch: BranchId,
		reward: Minutes,
		completions: u32,
		by: &T::AccountId,
	) -> DispatchResult {
		if reward == 0 {
			ensure!(completions == 0, Error::<T>::InvalidRewardBudget);
			return Ok(());
		}
		ensure!(
			(1..=T::MaxRewardedCompletions::get()).contains(&completions),
			Error::<T>::InvalidRewardBudget
		);
		// At most `MaxReward` × `MaxRewardedCompletions`: far below `u64::MAX`.
		let budget = reward.saturating_mul(Minutes::from(completions));
		let in_review = T::Reviews::needs_review(branch, ReviewKind::Grant, budget);
		let status = if in_review { BudgetStatus::InReview } else { BudgetStatus::Approved };
		RewardBudgets::<T>::insert(course, RewardBudget { completions, paid: 0, status });
		if in_review {
			T::Reviews::open(branch, ReviewSubject::CourseRewards(course), by)?;
		}
		Self::deposit_event(Event::RewardBudgetSet { course, completions, budget, in_review });
		Ok(())
	}

	/// Whether the member was paid `course_id`'s reward, under `who` or a key they had before
	/// re-keying (decision 0013).
	fn reward_paid(course_id: CourseId, who: &T::AccountId) -> bool {
		RewardsPaid::<T>::contains_key(course_id, who)
			|| T::Membership::previous_keys(who)
				.iter()
				.any(|earlier| RewardsPaid::<T>::contains_key(course_id, earlier))
	}

	/// Pay `who` the course's reward from its branch's grant account: once per member and course
	/// (retaking a course renews the certificate only), and only from an approved budget that
	/// has completions left. Returns what was paid; refuses while the budget is in review.
	pub(crate) fn pay_reward(
		course_id: CourseId,
		course: &CourseOf<T>,
		who: &T::AccountId,
		by: &T::AccountId,
	) -> Result<Minutes, DispatchError> {
		if course.reward == 0 || Self::reward_paid(course_id, who) {
			return Ok(0);
		}
		// Courses created before budgets existed have none: they pay nothing.
		let Some(mut budget) = RewardBudgets::<T>::get(course_id) else { return Ok(0) };
		match budget.status {
			BudgetStatus::InReview => Err(Error::<T>::RewardBudgetInReview.into()),
			BudgetStatus::Rejected => Ok(0),
			BudgetStatus::Approved if budget.paid >= budget.completions => Ok(0),
			BudgetStatus::Approved => {
				T::Ledger::reward(course.branch, who, course.reward, by)?;
				RewardsPaid::<T>::insert(course_id, who, ());
				// Below `completions` (checked above), so no overflow.
				budget.paid = budget.paid.saturating_add(1);
				RewardBudgets::<T>::insert(course_id, budget);
				Ok(course.reward)
			}
		}
	}
}

impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		matches!(subject, ReviewSubject::CourseRewards(_))
			&& matches!(decision, Decision::Approve | Decision::Reject)
	}

	/// A budget has no beneficiary while it waits (nobody can be paid from it yet); the audits
	/// pallet already keeps the admin who asked from deciding.
	fn is_party(_: &ReviewSubject<T::AccountId>, _: &T::AccountId) -> bool {
		false
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		_actor: &T::AccountId,
	) -> DispatchResult {
		let ReviewSubject::CourseRewards(course) = subject else {
			return Err(Error::<T>::WrongDecision.into());
		};
		let approved = match decision {
			Decision::Approve => true,
			Decision::Reject => false,
			Decision::Arbitrate(_) => return Err(Error::<T>::WrongDecision.into()),
		};
		RewardBudgets::<T>::try_mutate(course, |maybe| -> DispatchResult {
			let budget = maybe.as_mut().ok_or(Error::<T>::NoRewardBudgetInReview)?;
			ensure!(budget.status == BudgetStatus::InReview, Error::<T>::NoRewardBudgetInReview);
			budget.status = if approved { BudgetStatus::Approved } else { BudgetStatus::Rejected };
			Ok(())
		})?;
		Self::deposit_event(Event::RewardBudgetDecided { course: *course, approved });
		Ok(())
	}
}
