//! How an election chooses the validator set: the ranking, then the limits that keep finality
//! safe while the set changes.

use crate::pallet::*;
use alloc::vec::Vec;
use polkadot_sdk::frame_support::traits::{Get, ValidatorRegistration, ValidatorSet};
use timebank_primitives::{BranchId, SessionIndex};

impl<T: Config> Pallet<T> {
	/// The approved candidates with session keys that are not excluded, best first: most
	/// counted votes (`CountedVotes`), then incumbents (so ties never churn the set), then the
	/// lower branch number.
	fn ranked_candidates(current: &[T::AccountId]) -> Vec<(BranchId, T::AccountId, u32)> {
		let mut ranked: Vec<(BranchId, T::AccountId, u32)> = Candidates::<T>::iter()
			.filter(|(_, c)| {
				c.approved
					&& T::KeysRegistered::is_registered(&c.validator)
					&& !Self::is_excluded(&c.validator)
			})
			.map(|(branch, c)| (branch, c.validator, CountedVotes::<T>::get(branch)))
			.collect();
		ranked.sort_by(|(branch_a, a, votes_a), (branch_b, b, votes_b)| {
			votes_b
				.cmp(votes_a)
				.then_with(|| current.contains(b).cmp(&current.contains(a)))
				.then_with(|| branch_a.cmp(branch_b))
		});
		ranked
	}

	/// How much an incumbent should stay when an election may not drop it: one that can
	/// validate (keys registered, not excluded) first, then an approved candidate, then by
	/// counted votes.
	fn keep_priority(validator: &T::AccountId) -> (bool, bool, u32) {
		let able = T::KeysRegistered::is_registered(validator) && !Self::is_excluded(validator);
		match CandidateOf::<T>::get(validator) {
			Some(branch) => (
				able,
				Candidates::<T>::get(branch).is_some_and(|c| c.approved),
				CountedVotes::<T>::get(branch),
			),
			None => (able, false, 0),
		}
	}

	/// The set an election held now would choose given the `current` set, and how many
	/// candidates were eligible.
	///
	/// The ranking's top `max_validators`, then three limits in this order: incumbents fill
	/// the set up to `min_validators`; at most `(n - 1) / 3` incumbents leave (GRANDPA's fault
	/// tolerance of the current `n`); and newcomers stay few enough that the incumbents alone
	/// are more than two thirds of the new set (at most `(kept - 1) / 2`, but one always
	/// may join), so newcomers whose nodes do not vote cannot stop finality.
	pub fn plan_validator_set(current: &[T::AccountId]) -> (Vec<T::AccountId>, u32) {
		let parameters = Parameters::<T>::get();
		let max = parameters.max_validators.min(T::MaxValidators::get()) as usize;
		let min = parameters.min_validators as usize;
		let ranked = Self::ranked_candidates(current);
		let eligible = ranked.len() as u32;
		// In rank order, so the last newcomer is the lowest-ranked one.
		let mut chosen: Vec<T::AccountId> =
			ranked.into_iter().take(max).map(|(_, validator, _)| validator).collect();

		// Incumbents the election drops, the ones that should stay most first. One without
		// session keys cannot sit at all (`pallet-session` skips it), so it is never kept.
		let mut dropped: Vec<T::AccountId> =
			current.iter().filter(|v| !chosen.contains(v)).cloned().collect();
		dropped.sort_by_key(|v| core::cmp::Reverse(Self::keep_priority(v)));
		let mut keepable: Vec<T::AccountId> =
			dropped.iter().filter(|v| T::KeysRegistered::is_registered(v)).cloned().collect();
		let is_newcomer = |v: &T::AccountId| !current.contains(v);

		// Never below the minimum: incumbents fill the set.
		while chosen.len() < min && !keepable.is_empty() {
			chosen.push(keepable.remove(0));
		}
		// Never remove more validators at once than the current set tolerates failing.
		let tolerated = current.len().saturating_sub(1) / 3;
		let removed =
			|chosen: &[T::AccountId]| current.iter().filter(|v| !chosen.contains(v)).count();
		while removed(&chosen) > tolerated && !keepable.is_empty() {
			if chosen.len() >= max {
				// Make room by deferring the lowest-ranked newcomer to a later election.
				if let Some(position) = chosen.iter().rposition(is_newcomer) {
					chosen.remove(position);
				}
			}
			chosen.push(keepable.remove(0));
		}
		// Never more newcomers than the incumbents could outvote if none of them voted.
		loop {
			let newcomers = chosen.iter().filter(|v| is_newcomer(v)).count();
			let kept = chosen.len() - newcomers;
			if newcomers <= (kept.saturating_sub(1) / 2).max(1) {
				break;
			}
			if let Some(position) = chosen.iter().rposition(is_newcomer) {
				chosen.remove(position);
			}
		}
		while chosen.len() < min && !keepable.is_empty() {
			chosen.push(keepable.remove(0));
		}
		(chosen, eligible)
	}

	/// Hold an election for session `session` if it starts an era.
	pub(crate) fn elect(session: SessionIndex) -> Option<Vec<T::AccountId>> {
		let parameters = Parameters::<T>::get();
		if !session.is_multiple_of(parameters.sessions_per_era) {
			return None;
		}
		let era = CurrentEra::<T>::mutate(|era| {
			*era = era.saturating_add(1);
			*era
		});
		let current = T::ValidatorSet::validators();
		let (chosen, eligible) = Self::plan_validator_set(&current);
		if eligible < parameters.min_validators {
			Self::deposit_event(Event::ShortOfCandidates {
				era,
				eligible,
				minimum: parameters.min_validators,
			});
		}
		let unchanged = chosen.len() == current.len() && chosen.iter().all(|v| current.contains(v));
		if unchanged || chosen.is_empty() {
			Self::deposit_event(Event::ValidatorSetUnchanged { era });
			return None;
		}
		let removed_offline = current
			.iter()
			.filter(|v| !chosen.contains(v) && Self::is_excluded(v))
			.cloned()
			.collect();
		Self::deposit_event(Event::NewValidatorSet {
			era,
			from_session: session,
			validators: chosen.clone(),
			removed_offline,
		});
		Some(chosen)
	}
}
