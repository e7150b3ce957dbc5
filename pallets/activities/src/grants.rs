//! Requests paid from the branch's grant account issue new credits (H3). Issuance is an admin
//! power, so only an admin of the listing's branch publishes one (`listings.rs`), and its whole
//! budget (estimate × participants) goes through the branch's review policy for grants: when
//! `needs_review(Grant, budget)` says so, the listing waits in review as
//! `ReviewSubject::FundedListing`. Acceptances then hold from the grant account only within the
//! approved budget, which cancelled services give back.
//!
//! Requests paid from the branch's pool need neither: the pool holds credits members donated,
//! already issued, and it pays only what it holds, so they issue nothing.

use crate::{Config, Error, Funding, GrantBudgets, ListingDraft, ListingOf, Pallet};
use polkadot_sdk::sp_runtime::DispatchResult;
use timebank_primitives::{ListingId, ListingKind, Minutes, ReviewKind, ReviewQueue};

impl<T: Config> Pallet<T> {
	/// The whole budget of a request paid from the grant account (estimate × participants);
	/// `None` for every other listing.
	pub(crate) fn grant_budget(draft: &ListingDraft) -> Result<Option<Minutes>, Error<T>> {
		if draft.funding != Funding::BranchGrant || draft.kind != ListingKind::Request {
			return Ok(None);
		}
		draft
			.estimated_minutes
			.checked_mul(u64::from(draft.max_participants))
			.map(Some)
			.ok_or(Error::<T>::Overflow)
	}

	/// Whether the branch's review policy sends this grant budget to review.
	pub(crate) fn budget_needs_review(draft: &ListingDraft, budget: Option<Minutes>) -> bool {
		budget
			.is_some_and(|budget| T::Reviews::needs_review(draft.branch, ReviewKind::Grant, budget))
	}

	/// Take `held` minutes from the listing's grant budget, for an acceptance that holds them
	/// from the grant account; nothing for listings paid otherwise.
	pub(crate) fn spend_grant_budget(
		listing: ListingId,
		record: &ListingOf<T>,
		held: Minutes,
	) -> DispatchResult {
		if Self::grant_budget(&record.draft)?.is_none() {
			return Ok(());
		}
		GrantBudgets::<T>::try_mutate(listing, |budget| -> DispatchResult {
			let left = budget.unwrap_or(0);
			*budget = Some(left.checked_sub(held).ok_or(Error::<T>::GrantBudgetExceeded)?);
			Ok(())
		})
	}

	/// Give `minutes` released to the grant account back to the listing's budget (a service
	/// called off before it took place); nothing for listings without one.
	pub(crate) fn return_grant_budget(listing: ListingId, minutes: Minutes) {
		GrantBudgets::<T>::mutate_exists(listing, |budget| {
			if let Some(left) = budget {
				*left = left.saturating_add(minutes);
			}
		});
	}
}
