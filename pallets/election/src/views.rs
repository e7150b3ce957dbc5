//! What `timebank_validators` reads: the set, each validator's liveness, the candidates and
//! their votes, and the set an election would choose now.

use crate::pallet::*;
use polkadot_sdk::frame_support::traits::{ValidatorRegistration, ValidatorSet};
use timebank_primitives::{CandidateView, ElectionView, ValidatorView};

impl<T: Config> Pallet<T> {
	/// The election's state, for `timebank_validators`.
	pub fn view() -> ElectionView<T::AccountId> {
		let parameters = Parameters::<T>::get();
		let session = T::ValidatorSet::session_index();
		let current = T::ValidatorSet::validators();
		let validators = current
			.iter()
			.map(|account| {
				let liveness = ValidatorLiveness::<T>::get(account);
				ValidatorView {
					account: account.clone(),
					branch: CandidateOf::<T>::get(account),
					authored_this_session: liveness.authored_this_session,
					offline_sessions: liveness.offline_sessions,
					excluded: Self::is_excluded(account),
				}
			})
			.collect();
		let candidates = Candidates::<T>::iter()
			.map(|(branch, c)| CandidateView {
				branch,
				approved: c.approved,
				votes: VotesFor::<T>::get(branch),
				keys_registered: T::KeysRegistered::is_registered(&c.validator),
				excluded: Self::is_excluded(&c.validator),
				validator: c.validator,
			})
			.collect();
		// `new_session(i)` plans session `i` when session `i - 1` starts; the next call is for
		// `session + 2`, and it elects when `i` starts an era.
		let per_era = parameters.sessions_per_era.max(1);
		let planned = session.saturating_add(2);
		let next_election = planned.div_ceil(per_era).saturating_mul(per_era);
		ElectionView {
			session,
			era: CurrentEra::<T>::get(),
			next_election_session: next_election.saturating_sub(1),
			parameters,
			validators,
			candidates,
			projected: Self::plan_validator_set(&current).0,
		}
	}
}
