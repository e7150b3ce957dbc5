//! Review decisions on course reward budgets ([`ReviewSubject::CourseRewards`]).
//!
//! Placeholder until reward budgets exist: no decision fits, so a review of this kind can
//! never be decided, and nothing is paid through it.

use timebank_primitives::{Decision, ReviewOutcome, ReviewSubject};

use crate::{Config, Pallet};

impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(_: &ReviewSubject<T::AccountId>, _: &Decision) -> bool {
		false
	}
	fn is_party(_: &ReviewSubject<T::AccountId>, _: &T::AccountId) -> bool {
		false
	}
	fn execute(
		_: &ReviewSubject<T::AccountId>,
		_: &Decision,
		_: &T::AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		Err(polkadot_sdk::sp_runtime::DispatchError::Other("no course reward reviews yet"))
	}
}
