//! Engagements from acceptance to their end: accepting an applicant into escrow, the one-time
//! check-in code, check-in and check-out, confirmation, disputes, cancellation and a group
//! receiver's withdrawal; and who speaks for an engagement's receivers.
//!
//! Credits move only through `settlement.rs`.

use crate::{
	Applications, CheckInCode, Config, DueTask, Engagement, EngagementOf, Engagements, Error,
	Event, Funding, ListingOf, Listings, NextEngagementId, OfferEngagement, Pallet, Receiver,
	ReceiversOf,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::UnixTime, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_io,
	sp_runtime::{traits::Saturating, DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BalanceClass, BranchId, EngagementId, EngagementState, HoldId, LedgerAccount,
	ListingId, ListingKind, ListingStatus, Membership, Minutes, ProxyPermission, ReviewQueue,
	ReviewSubject,
};

/// Where an accepted applicant goes.
enum Placement {
	/// A volunteer to a request: a new engagement with the request's owner as receiver.
	Volunteer,
	/// The first receiver of an offer: the offer's group engagement is created.
	NewGroup,
	/// A further receiver of an offer: they join its group engagement.
	JoinGroup(EngagementId),
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::accept`]: every check and the placement first, then the hold and
	/// the writes.
	pub(crate) fn do_accept(
		by: T::AccountId,
		listing: ListingId,
		applicant: T::AccountId,
	) -> DispatchResult {
		let record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
		let branch = record.draft.branch;
		ensure!(
			by != applicant
				&& T::Membership::speaks_for(&by, &record.owner, ProxyPermission::RequestServices),
			Error::<T>::NotPermitted
		);
		ensure!(record.status == ListingStatus::Open, Error::<T>::ListingNotOpen);
		ensure!(Applications::<T>::contains_key(listing, &applicant), Error::<T>::NotAnApplicant);
		ensure!(record.accepted < record.draft.max_participants, Error::<T>::ListingFull);
		// Facts may have changed since the application.
		ensure!(T::Membership::is_active_member(&applicant), Error::<T>::NotActiveMember);
		let placement = match record.draft.kind {
			ListingKind::Request => {
				// A certificate may have lapsed since the application.
				Self::ensure_certified_in(branch, record.draft.category, &applicant)?;
				Placement::Volunteer
			}
			ListingKind::Offer => match OfferEngagement::<T>::get(listing) {
				Some(group) => {
					let state = Engagements::<T>::get(group).map(|e| e.state);
					ensure!(state == Some(EngagementState::Accepted), Error::<T>::WrongState);
					Placement::JoinGroup(group)
				}
				None => Placement::NewGroup,
			},
		};

		let (payer, held) = Self::escrow_terms(&record, &applicant);
		Self::spend_grant_budget(listing, &record, held)?;
		let hold = Self::hold_escrow(branch, payer, held, &by)?;
		let engagement = Self::place(listing, &record, placement, applicant.clone(), hold)?;
		if by != record.owner {
			Self::note_actor(engagement, &by);
		}
		Self::note_acceptance(listing, record, &applicant);
		Self::deposit_event(Event::Accepted { listing, engagement, applicant, by, hold, held });
		Ok(())
	}

	/// Who pays and how much goes into escrow: a request's funding holds the whole estimate
	/// for each volunteer; each receiver of an offer holds their share of it, rounded up.
	fn escrow_terms(
		record: &ListingOf<T>,
		applicant: &T::AccountId,
	) -> (LedgerAccount<T::AccountId>, Minutes) {
		let draft = &record.draft;
		match draft.kind {
			ListingKind::Request => {
				let payer = match draft.funding {
					Funding::Own => LedgerAccount::Member {
						who: record.owner.clone(),
						class: BalanceClass::Spendable,
					},
					Funding::BranchPool => LedgerAccount::Pool(draft.branch),
					Funding::BranchGrant => LedgerAccount::Grant(draft.branch),
				};
				(payer, draft.estimated_minutes)
			}
			ListingKind::Offer => {
				let payer = LedgerAccount::Member {
					who: applicant.clone(),
					class: BalanceClass::Spendable,
				};
				(payer, draft.estimated_minutes.div_ceil(u64::from(draft.max_participants)))
			}
		}
	}

	/// Create or extend the engagement the applicant was placed in, with `hold` paying for the
	/// receiver; a new engagement's no-show check is scheduled.
	fn place(
		listing: ListingId,
		record: &ListingOf<T>,
		placement: Placement,
		applicant: T::AccountId,
		hold: HoldId,
	) -> Result<EngagementId, DispatchError> {
		match placement {
			Placement::Volunteer => {
				let receivers = Self::sole_receiver(Receiver { who: record.owner.clone(), hold })?;
				let engagement = Self::new_engagement(listing, applicant, receivers)?;
				Self::schedule_no_show(record, engagement)?;
				Ok(engagement)
			}
			Placement::NewGroup => {
				let receivers = Self::sole_receiver(Receiver { who: applicant, hold })?;
				let engagement = Self::new_engagement(listing, record.owner.clone(), receivers)?;
				OfferEngagement::<T>::insert(listing, engagement);
				Self::schedule_no_show(record, engagement)?;
				Ok(engagement)
			}
			Placement::JoinGroup(engagement) => {
				Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
					let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
					e.receivers
						.try_push(Receiver { who: applicant, hold })
						.map_err(|_| Error::<T>::ListingFull)?;
					Ok(())
				})?;
				Ok(engagement)
			}
		}
	}

	fn sole_receiver(receiver: Receiver<T::AccountId>) -> Result<ReceiversOf<T>, Error<T>> {
		let mut receivers = BoundedVec::new();
		receivers.try_push(receiver).map_err(|_| Error::<T>::ListingFull)?;
		Ok(receivers)
	}

	/// The application became a place.
	fn note_acceptance(listing: ListingId, mut record: ListingOf<T>, applicant: &T::AccountId) {
		Applications::<T>::remove(listing, applicant);
		record.applications = record.applications.saturating_sub(1);
		// INVARIANT: `accepted < max_participants`, checked by `do_accept`.
		record.accepted += 1;
		Listings::<T>::insert(listing, record);
	}

	fn new_engagement(
		listing: ListingId,
		provider: T::AccountId,
		receivers: ReceiversOf<T>,
	) -> Result<EngagementId, DispatchError> {
		let id = NextEngagementId::<T>::get();
		NextEngagementId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Engagements::<T>::insert(
			id,
			Engagement {
				listing,
				provider,
				receivers,
				state: EngagementState::Accepted,
				check_in_code: None,
				checked_in_at: None,
				checked_out_at: None,
				measured_minutes: 0,
				confirm_due: None,
				payout: None,
			},
		);
		Ok(id)
	}

	/// The body of [`Pallet::set_check_in_code`].
	pub(crate) fn do_set_check_in_code(
		by: T::AccountId,
		engagement: EngagementId,
		code_hash: H256,
	) -> DispatchResult {
		Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
			let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
			let branch = Self::branch_of(e)?;
			ensure!(Self::speaks_for_receiver(&by, e, branch), Error::<T>::NotAParty);
			ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
			e.check_in_code = Some(code_hash);
			Ok(())
		})?;
		Self::deposit_event(Event::CheckInCodeSet { engagement, by });
		Ok(())
	}

	/// The body of [`Pallet::check_in`].
	pub(crate) fn do_check_in(
		by: T::AccountId,
		engagement: EngagementId,
		code: Option<CheckInCode>,
	) -> DispatchResult {
		let at = T::UnixTime::now().as_millis() as u64;
		Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
			let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
			let branch = Self::branch_of(e)?;
			// A provider who is also staff still needs the receiver's code.
			let staff = by != e.provider && T::Membership::is_staff(branch, &by);
			ensure!(by == e.provider || staff, Error::<T>::NotAParty);
			ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
			if Self::policy(branch).check_in_code && !staff {
				let given = code.map(|c| H256(sp_io::hashing::blake2_256(&c)));
				ensure!(given.is_some() && given == e.check_in_code, Error::<T>::WrongCheckInCode);
			}
			if staff {
				Self::note_actor(engagement, &by);
			}
			e.state = EngagementState::CheckedIn;
			e.checked_in_at = Some(at);
			e.check_in_code = None;
			// A group that has started takes nobody else: its offer closes.
			Self::close_offer(e.listing);
			Ok(())
		})?;
		Self::deposit_event(Event::CheckedIn { engagement, at, by });
		Ok(())
	}

	/// The body of [`Pallet::check_out`].
	pub(crate) fn do_check_out(by: T::AccountId, engagement: EngagementId) -> DispatchResult {
		let at = T::UnixTime::now().as_millis() as u64;
		let mut e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
		let branch = Self::branch_of(&e)?;
		ensure!(by == e.provider || T::Membership::is_staff(branch, &by), Error::<T>::NotAParty);
		ensure!(e.state == EngagementState::CheckedIn, Error::<T>::WrongState);
		let started = e.checked_in_at.unwrap_or(at);
		let measured_minutes = at.saturating_sub(started) / 60_000;
		let due = frame_system::Pallet::<T>::block_number()
			.saturating_add(Self::policy(branch).confirm_window);
		if by != e.provider {
			Self::note_actor(engagement, &by);
		}
		e.state = EngagementState::CheckedOut;
		e.checked_out_at = Some(at);
		e.measured_minutes = measured_minutes;
		e.confirm_due = Some(Self::schedule(due, DueTask::AutoConfirm(engagement))?);
		Engagements::<T>::insert(engagement, e);
		Self::deposit_event(Event::CheckedOut { engagement, at, measured_minutes, by });
		Ok(())
	}

	/// The body of [`Pallet::confirm`]: the number of receivers settled.
	pub(crate) fn do_confirm(
		by: T::AccountId,
		engagement: EngagementId,
	) -> Result<u32, DispatchError> {
		let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
		let branch = Self::branch_of(&e)?;
		ensure!(Self::speaks_for_receiver(&by, &e, branch), Error::<T>::NotAParty);
		// One receiver does not settle for a whole group: staff confirm groups (or the
		// window ends, or someone disputes).
		ensure!(
			e.receivers.len() == 1 || T::Membership::is_staff(branch, &by),
			Error::<T>::GroupNeedsStaff
		);
		ensure!(e.state == EngagementState::CheckedOut, Error::<T>::WrongState);
		let receivers = e.receivers.len() as u32;
		Self::deposit_event(Event::Confirmed { engagement, by: Some(by.clone()) });
		Self::settle_measured(engagement, e, branch, &by)?;
		Ok(receivers)
	}

	/// The body of [`Pallet::dispute`].
	pub(crate) fn do_dispute(
		by: T::AccountId,
		engagement: EngagementId,
		reason: H256,
	) -> DispatchResult {
		let branch =
			Engagements::<T>::try_mutate(engagement, |maybe| -> Result<_, DispatchError> {
				let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
				let branch = Self::branch_of(e)?;
				ensure!(
					by == e.provider || Self::speaks_for_receiver(&by, e, branch),
					Error::<T>::NotAParty
				);
				ensure!(
					matches!(
						e.state,
						EngagementState::Accepted
							| EngagementState::CheckedIn
							| EngagementState::CheckedOut
					),
					Error::<T>::WrongState
				);
				e.state = EngagementState::Disputed;
				e.confirm_due = None;
				Ok(branch)
			})?;
		T::Reviews::open(branch, ReviewSubject::Dispute(engagement), &by)?;
		Self::deposit_event(Event::Disputed { engagement, by, reason });
		Ok(())
	}

	/// The body of [`Pallet::cancel_engagement`]: the number of receivers whose holds were
	/// released.
	pub(crate) fn do_cancel_engagement(
		by: T::AccountId,
		engagement: EngagementId,
	) -> Result<u32, DispatchError> {
		let e = Engagements::<T>::get(engagement).ok_or(Error::<T>::UnknownEngagement)?;
		let branch = Self::branch_of(&e)?;
		ensure!(
			by == e.provider || Self::speaks_for_receiver(&by, &e, branch),
			Error::<T>::NotAParty
		);
		ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
		let receivers = e.receivers.len() as u32;
		let for_everyone = by == e.provider || T::Membership::is_staff(branch, &by);
		let own_place = e.receivers.iter().position(|r| Self::acts_for_receiver(&by, &r.who));
		match own_place {
			// In a group, a receiver (or their proxy) withdraws only themselves.
			Some(index) if receivers > 1 && !for_everyone => {
				Self::withdraw_receiver(engagement, e, index, &by)?;
				Ok(1)
			}
			_ => {
				Self::cancel(engagement, e, &by, Some(by.clone()))?;
				Ok(receivers)
			}
		}
	}

	/// Call the engagement off, releasing every hold; `by` is `None` for a no-show.
	pub(crate) fn cancel(
		engagement: EngagementId,
		mut e: EngagementOf<T>,
		actor: &T::AccountId,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		let refunded = Self::release_all(&e, actor)?;
		let freed = match Listings::<T>::get(e.listing).map(|l| l.draft.kind) {
			Some(ListingKind::Offer) => {
				OfferEngagement::<T>::remove(e.listing);
				e.receivers.len() as u32
			}
			_ => 1,
		};
		Listings::<T>::mutate(e.listing, |maybe| {
			if let Some(l) = maybe {
				l.accepted = l.accepted.saturating_sub(freed);
			}
		});
		e.state = EngagementState::Cancelled;
		Engagements::<T>::insert(engagement, e);
		Self::deposit_event(Event::EngagementCancelled { engagement, by, refunded });
		Ok(())
	}

	/// Take one receiver out of a group that has not started, releasing their hold.
	fn withdraw_receiver(
		engagement: EngagementId,
		mut e: EngagementOf<T>,
		index: usize,
		actor: &T::AccountId,
	) -> DispatchResult {
		let receiver = e.receivers.remove(index);
		let refunded = Self::release_receiver(receiver.hold, actor)?;
		Listings::<T>::mutate(e.listing, |maybe| {
			if let Some(l) = maybe {
				l.accepted = l.accepted.saturating_sub(1);
			}
		});
		Engagements::<T>::insert(engagement, e);
		Self::deposit_event(Event::ReceiverWithdrew {
			engagement,
			receiver: receiver.who,
			refunded,
		});
		Ok(())
	}

	/// The branch the engagement's listing is in.
	pub(crate) fn branch_of(e: &EngagementOf<T>) -> Result<BranchId, DispatchError> {
		Listings::<T>::get(e.listing)
			.map(|l| l.draft.branch)
			.ok_or_else(|| Error::<T>::UnknownListing.into())
	}

	/// `by` speaks for the engagement's receivers: a receiver, a receiver's proxy with
	/// `confirm_services`, or staff of `branch` (the listing's branch, which may not be the
	/// receivers' home branch); and never the provider, so nobody confirms their own service.
	pub(crate) fn speaks_for_receiver(
		by: &T::AccountId,
		e: &EngagementOf<T>,
		branch: BranchId,
	) -> bool {
		by != &e.provider
			&& (T::Membership::is_staff(branch, by)
				|| e.receivers.iter().any(|r| Self::acts_for_receiver(by, &r.who)))
	}

	/// `by` is `receiver`, or their proxy with `confirm_services`.
	pub(crate) fn acts_for_receiver(by: &T::AccountId, receiver: &T::AccountId) -> bool {
		by == receiver
			|| T::Membership::is_proxy_with(receiver, by, ProxyPermission::ConfirmServices)
	}
}
