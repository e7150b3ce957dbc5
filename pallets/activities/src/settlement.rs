//! Escrow and payment: the only file of this pallet that calls the ledger (`T::Ledger`).
//!
//! Acceptance holds the paying side's credits here, cancellation releases them, and settlement
//! and arbitration pay the provider from them, never beyond what they hold. Every other file
//! reads a hold through [`Pallet::held`] and moves credits through the functions below, so a
//! reader checking where credits move reads this file only.

use crate::{Config, EngagementOf, Engagements, Error, Event, Pallet};
use polkadot_sdk::{
	frame_support::ensure,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	round_duration, ArbitrationOutcome, BranchId, EngagementId, EngagementState, HoldId, Ledger,
	LedgerAccount, Minutes, Payout,
};

/// How much of what the holds hold the provider is paid.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Pay {
	/// Everything the holds still hold (arbitration paying the provider in full).
	AllHeld,
	/// These minutes, split evenly among the receivers, at most what each hold holds.
	Exactly(Minutes),
}

impl<T: Config> Pallet<T> {
	/// Hold `minutes` of `payer`'s credits in escrow for a service in `branch`.
	pub(crate) fn hold_escrow(
		branch: BranchId,
		payer: LedgerAccount<T::AccountId>,
		minutes: Minutes,
		actor: &T::AccountId,
	) -> Result<HoldId, DispatchError> {
		T::Ledger::hold(branch, payer, minutes, actor)
	}

	/// What `hold` still holds; `None` once it was settled or released.
	pub(crate) fn held(hold: HoldId) -> Option<Minutes> {
		T::Ledger::held(hold)
	}

	/// Release one receiver's hold if it holds anything; what it returned to the payer.
	pub(crate) fn release_receiver(
		hold: HoldId,
		actor: &T::AccountId,
	) -> Result<Minutes, DispatchError> {
		let refunded = Self::held(hold).unwrap_or(0);
		if refunded > 0 {
			T::Ledger::release(hold, actor)?;
		}
		Ok(refunded)
	}

	/// Release every open hold of the engagement; what they returned to their payers.
	pub(crate) fn release_all(
		e: &EngagementOf<T>,
		actor: &T::AccountId,
	) -> Result<Minutes, DispatchError> {
		let mut refunded: Minutes = 0;
		for receiver in e.receivers.iter() {
			if let Some(held) = Self::held(receiver.hold) {
				T::Ledger::release(receiver.hold, actor)?;
				refunded = refunded.saturating_add(held);
			}
		}
		// What went back to a grant account may be held again for another volunteer.
		Self::return_grant_budget(e.listing, refunded);
		Ok(refunded)
	}

	/// The measured duration, rounded once by the branch's ledger policy.
	fn rounded(minutes: Minutes, branch: BranchId) -> Minutes {
		round_duration(minutes, T::Ledger::rounding_step(branch))
	}

	/// Pay the provider the rounded measured duration and finish the engagement.
	pub(crate) fn settle_measured(
		engagement: EngagementId,
		e: EngagementOf<T>,
		branch: BranchId,
		actor: &T::AccountId,
	) -> DispatchResult {
		let rounded = Self::rounded(e.measured_minutes, branch);
		let payout = Self::pay_out(&e, Pay::Exactly(rounded), actor)?;
		let provider = e.provider.clone();
		Self::finish(engagement, e, payout);
		Self::deposit_event(Event::Settled { engagement, provider, payout });
		Ok(())
	}

	/// Decide a disputed engagement, once the audits pallet's reviewers agree (through
	/// [`ReviewOutcome::execute`](timebank_primitives::ReviewOutcome::execute)). `actor` is
	/// recorded on the ledger entries.
	pub fn arbitrate(
		engagement: EngagementId,
		outcome: ArbitrationOutcome,
		actor: &T::AccountId,
	) -> DispatchResult {
		let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
		ensure!(e.state == EngagementState::Disputed, Error::<T>::WrongState);
		let branch = Self::branch_of(&e)?;
		let pay = match outcome {
			ArbitrationOutcome::Reject => Pay::Exactly(Self::rounded(e.measured_minutes, branch)),
			ArbitrationOutcome::PayProvider => Pay::AllHeld,
			ArbitrationOutcome::RefundReceivers => Pay::Exactly(0),
			ArbitrationOutcome::Split(share) => {
				let held: Minutes = e.receivers.iter().filter_map(|r| Self::held(r.hold)).sum();
				Pay::Exactly(share.mul_floor(held))
			}
		};
		let payout = Self::pay_out(&e, pay, actor)?;
		Self::finish(engagement, e, payout);
		Self::deposit_event(Event::Arbitrated { engagement, outcome, payout });
		Ok(())
	}

	/// Pay the provider what `pay` says, split evenly among the receivers, each share rounded
	/// up; what the rounding collects beyond the amount goes to the pool (DOMAIN.md rule 6); the
	/// rest of every hold returns to its payer.
	fn pay_out(
		e: &EngagementOf<T>,
		pay: Pay,
		actor: &T::AccountId,
	) -> Result<Payout, DispatchError> {
		let count = e.receivers.len() as u64;
		// `share` caps what one hold is charged, `owed` what the provider is still due.
		let (share, mut owed) = match pay {
			// No cap: every hold is charged in full, and all of it goes to the provider.
			Pay::AllHeld => (Minutes::MAX, Minutes::MAX),
			Pay::Exactly(minutes) => {
				(if count == 0 { 0 } else { minutes.div_ceil(count) }, minutes)
			}
		};
		let mut payout = Payout::default();
		for receiver in e.receivers.iter() {
			let Some(held) = Self::held(receiver.hold) else { continue };
			let charged = share.min(held);
			let to_provider = charged.min(owed);
			if to_provider > 0 {
				T::Ledger::settle(receiver.hold, &e.provider, to_provider, actor)?;
			}
			let to_pool = charged - to_provider;
			if to_pool > 0 {
				T::Ledger::settle_to_pool(receiver.hold, to_pool, actor)?;
			}
			owed -= to_provider;
			let refunded = held - charged;
			if refunded > 0 {
				T::Ledger::release(receiver.hold, actor)?;
			}
			payout.to_provider = payout.to_provider.saturating_add(to_provider);
			payout.to_pool = payout.to_pool.saturating_add(to_pool);
			payout.refunded = payout.refunded.saturating_add(refunded);
		}
		payout.rounded_minutes = match pay {
			// What the holds held is what the service was worth.
			Pay::AllHeld => payout.to_provider,
			Pay::Exactly(minutes) => minutes,
		};
		Ok(payout)
	}

	/// Mark the engagement settled with `payout`, count the service when it paid the provider,
	/// and close its offer.
	fn finish(engagement: EngagementId, mut e: EngagementOf<T>, payout: Payout) {
		if payout.to_provider > 0 {
			Self::count_completed_service(&e);
		}
		e.state = EngagementState::Settled;
		Self::count_engagement_ended(&e);
		e.confirm_due = None;
		e.payout = Some(payout);
		Self::close_offer(e.listing);
		Engagements::<T>::insert(engagement, e);
	}
}
