//! What the `timebank_listing` and `timebank_engagement` RPCs return (through the runtime API):
//! the stored records, flattened into the JSON types of `timebank-primitives`.

use crate::{Config, Engagements, Listings, Pallet};
use polkadot_sdk::sp_runtime::traits::UniqueSaturatedInto;
use timebank_primitives::{EngagementId, EngagementView, ListingId, ListingView};

impl<T: Config> Pallet<T> {
	/// A listing as `timebank_listing` shows it.
	pub fn listing_view(id: ListingId) -> Option<ListingView<T::AccountId>> {
		let l = Listings::<T>::get(id)?;
		let d = l.draft;
		Some(ListingView {
			kind: d.kind,
			branch: d.branch,
			category: d.category,
			slot_start: d.slot_start,
			slot_end: d.slot_end,
			area: d.area,
			estimated_minutes: d.estimated_minutes,
			min_trust: d.min_trust,
			max_participants: d.max_participants,
			details_hash: d.details_hash,
			owner: l.owner,
			published_by: l.published_by,
			status: l.status,
			accepted: l.accepted,
			applications: l.applications,
			expires_at: l.expires_at.unique_saturated_into(),
		})
	}

	/// An engagement as `timebank_engagement` shows it, with what each hold still holds.
	pub fn engagement_view(id: EngagementId) -> Option<EngagementView<T::AccountId>> {
		let e = Engagements::<T>::get(id)?;
		Some(EngagementView {
			listing: e.listing,
			provider: e.provider,
			receivers: e
				.receivers
				.into_iter()
				.map(|r| (r.who, Self::held(r.hold).unwrap_or(0)))
				.collect(),
			state: e.state,
			checked_in_at: e.checked_in_at,
			checked_out_at: e.checked_out_at,
			measured_minutes: e.measured_minutes,
			confirm_due: e.confirm_due.map(|b| b.unique_saturated_into()),
			payout: e.payout,
		})
	}
}
