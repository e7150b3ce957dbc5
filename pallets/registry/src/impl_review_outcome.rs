//! The registry as [`timebank_primitives::ReviewOutcome`]: reviewers' decisions on the
//! applications a branch sends to review.

use crate::pallet::*;
use polkadot_sdk::{sp_core::H256, sp_runtime::DispatchResult};
use timebank_primitives::{Decision, ReviewOutcome, ReviewSubject};

/// Reviewers' decisions on applications the branch sends to review.
impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		matches!(subject, ReviewSubject::Application(_))
			&& matches!(decision, Decision::Approve | Decision::Reject)
	}

	/// The applicant (who is also the review's requester).
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		matches!(subject, ReviewSubject::Application(applicant) if applicant == who)
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		actor: &T::AccountId,
	) -> DispatchResult {
		let ReviewSubject::Application(applicant) = subject else {
			return Err(Error::<T>::WrongDecision.into());
		};
		match decision {
			Decision::Approve => {
				Self::do_approve_application(actor, applicant.clone())?;
				ApplicationsUnderReview::<T>::remove(applicant);
				Ok(())
			}
			Decision::Reject => {
				Self::do_reject_application(actor, applicant.clone(), H256::zero())?;
				ApplicationsUnderReview::<T>::remove(applicant);
				Ok(())
			}
			Decision::Arbitrate(_) => Err(Error::<T>::WrongDecision.into()),
		}
	}
}
