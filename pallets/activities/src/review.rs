//! The audits pallet's way in: [`ReviewOutcome`] for the subjects this pallet owns, listings in
//! review (grant-funded ones as `FundedListing`) and disputed engagements. The runtime's
//! `ReviewRouter` sends them here.

use crate::{Acted, Config, Engagements, Error, Listings, Pallet};
use polkadot_sdk::sp_runtime::DispatchResult;
use timebank_primitives::{Authority, Decision, EngagementId, ReviewOutcome, ReviewSubject};

impl<T: Config> Pallet<T> {
	/// Remember that `by` acted in `engagement` for one side (accepted, checked in or out), so
	/// they may not vote on its dispute (L2). Callers skip the provider and the listing's owner.
	pub(crate) fn note_actor(engagement: EngagementId, by: &T::AccountId) {
		Acted::<T>::insert(engagement, by, ());
	}
}

impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		match subject {
			ReviewSubject::Listing(_) | ReviewSubject::FundedListing(_) => {
				matches!(decision, Decision::Approve | Decision::Reject)
			}
			ReviewSubject::Dispute(_) => matches!(decision, Decision::Arbitrate(_)),
			_ => false,
		}
	}

	/// The owner and publisher of a listing; the provider, the receivers, their proxies, the
	/// listing's publisher and whoever else acted in the service (staff who accepted, checked in
	/// or out) for an engagement.
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		match subject {
			ReviewSubject::Listing(id) | ReviewSubject::FundedListing(id) => {
				Listings::<T>::get(id).is_some_and(|l| &l.owner == who || &l.published_by == who)
			}
			ReviewSubject::Dispute(id) => Engagements::<T>::get(id).is_some_and(|e| {
				&e.provider == who
					|| Acted::<T>::contains_key(id, who)
					|| T::Membership::is_any_proxy(&e.provider, who)
					|| Listings::<T>::get(e.listing).is_some_and(|l| &l.published_by == who)
					|| e.receivers
						.iter()
						.any(|r| &r.who == who || T::Membership::is_any_proxy(&r.who, who))
			}),
			_ => false,
		}
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		actor: &T::AccountId,
	) -> DispatchResult {
		match (subject, decision) {
			(
				ReviewSubject::Listing(listing) | ReviewSubject::FundedListing(listing),
				Decision::Approve | Decision::Reject,
			) => Self::decide_review(*listing, *decision == Decision::Approve, actor),
			(ReviewSubject::Dispute(engagement), Decision::Arbitrate(outcome)) => {
				Self::arbitrate(*engagement, *outcome, actor)
			}
			_ => Err(Error::<T>::WrongDecision.into()),
		}
	}
}
