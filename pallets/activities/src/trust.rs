//! Ratings, service records and trust levels: after settlement both sides rate each other once,
//! and completed services and ratings give each member the trust level listings may require.

use crate::{Config, EngagementOf, Engagements, Error, Event, Pallet, Ratings, ServiceRecords};
use polkadot_sdk::{frame_support::ensure, sp_runtime::DispatchResult};
use timebank_primitives::{EngagementId, EngagementState, TrustLevel, MAX_TRUST_LEVEL};

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::rate`].
	pub(crate) fn do_rate(
		by: T::AccountId,
		engagement: EngagementId,
		ratee: T::AccountId,
		stars: u8,
	) -> DispatchResult {
		ensure!((1..=5).contains(&stars), Error::<T>::InvalidRating);
		let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
		ensure!(e.state == EngagementState::Settled, Error::<T>::WrongState);
		let is_receiver = |who: &T::AccountId| e.receivers.iter().any(|r| &r.who == who);
		// A proxy rates as the receiver it acts for.
		let rater = if by == e.provider || is_receiver(&by) {
			by.clone()
		} else {
			e.receivers
				.iter()
				.find(|r| Self::acts_for_receiver(&by, &r.who))
				.map(|r| r.who.clone())
				.ok_or(Error::<T>::NotAParty)?
		};
		let counterpart =
			if rater == e.provider { is_receiver(&ratee) } else { ratee == e.provider };
		ensure!(counterpart, Error::<T>::NotCounterpart);
		let key = (rater.clone(), ratee.clone());
		ensure!(!Ratings::<T>::contains_key(engagement, &key), Error::<T>::AlreadyRated);
		Ratings::<T>::insert(engagement, key, stars);
		ServiceRecords::<T>::mutate(&ratee, |r| {
			r.ratings = r.ratings.saturating_add(1);
			r.rating_sum = r.rating_sum.saturating_add(u32::from(stars));
		});
		Self::deposit_event(Event::Rated { engagement, rater, ratee, stars });
		Ok(())
	}

	/// 0 before any completed service; then 1, rising by one every 5 more services up to
	/// [`MAX_TRUST_LEVEL`], and capped by the average rating once there are 3 ratings.
	pub fn trust_level(who: &T::AccountId) -> TrustLevel {
		let record = ServiceRecords::<T>::get(who);
		let services = record.provided.saturating_add(record.received);
		if services == 0 {
			return 0;
		}
		let experience = (1 + (services - 1) / 5).min(u32::from(MAX_TRUST_LEVEL));
		let rating_cap = if record.ratings >= 3 {
			record.rating_sum / record.ratings
		} else {
			u32::from(MAX_TRUST_LEVEL)
		};
		experience.min(rating_cap) as TrustLevel
	}

	/// Whether `who` has neither given nor received a completed service (a newcomer).
	pub(crate) fn has_no_completed_service(who: &T::AccountId) -> bool {
		let record = ServiceRecords::<T>::get(who);
		record.provided == 0 && record.received == 0
	}

	/// Count a service that paid its provider: one given for the provider, one received for
	/// each receiver.
	pub(crate) fn count_completed_service(e: &EngagementOf<T>) {
		ServiceRecords::<T>::mutate(&e.provider, |r| r.provided = r.provided.saturating_add(1));
		for receiver in e.receivers.iter() {
			ServiceRecords::<T>::mutate(&receiver.who, |r| {
				r.received = r.received.saturating_add(1)
			});
		}
	}
}
