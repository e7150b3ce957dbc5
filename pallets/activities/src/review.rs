//! The audits pallet's way in: [`ReviewOutcome`] for the subjects this pallet owns, listings in
//! review and disputed engagements. The runtime's `ReviewRouter` sends them here.

use crate::{Config, Engagements, Error, Listings, Pallet};
use polkadot_sdk::sp_runtime::DispatchResult;
use timebank_primitives::{Authority, Decision, ReviewOutcome, ReviewSubject};

impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		match subject {
			ReviewSubject::Listing(_) => matches!(decision, Decision::Approve | Decision::Reject),
			ReviewSubject::Dispute(_) => matches!(decision, Decision::Arbitrate(_)),
			_ => false,
		}
	}

	/// The owner and publisher of a listing; the provider, the receivers, their proxies and
	/// the listing's publisher for an engagement.
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		match subject {
			ReviewSubject::Listing(id) => {
				Listings::<T>::get(id).is_some_and(|l| &l.owner == who || &l.published_by == who)
			}
			ReviewSubject::Dispute(id) => Engagements::<T>::get(id).is_some_and(|e| {
				&e.provider == who
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
			(ReviewSubject::Listing(listing), Decision::Approve | Decision::Reject) => {
				Self::decide_review(*listing, *decision == Decision::Approve, actor)
			}
			(ReviewSubject::Dispute(engagement), Decision::Arbitrate(outcome)) => {
				Self::arbitrate(*engagement, *outcome, actor)
			}
			_ => Err(Error::<T>::WrongDecision.into()),
		}
	}
}
