//! Engagements from acceptance to their end: accepting an applicant into escrow, the one-time
//! check-in code, check-in and check-out, confirmation, disputes, cancellation and a group
//! receiver's withdrawal; and who speaks for an engagement's receivers.
//!
//! Who may act: a proxy accepts for a member only with both `request_services` (choosing the
//! volunteer) and `confirm_services` (the credits then settle without another signature), and
//! officers act for a receiver only as staff of that receiver's home branch, never as staff of
//! the listing's branch. A member takes one place per listing, a provider is checked in to one
//! service at a time, and only within its slot.
//!
//! Credits move only through `settlement.rs`.

use crate::{
	Applications, CheckInProof, CheckInSalt, CheckedInProviders, Config, DueTask, Engagement,
	EngagementOf, Engagements, Error, Event, Funding, ListingOf, ListingParticipants, Listings,
	NextEngagementId, OfferEngagement, OpenEngagements, Pallet, Receiver, ReceiversOf,
	CHECK_IN_COMMITMENT_TAG, CHECK_IN_EARLY_MS,
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{ensure, traits::UnixTime, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_io,
	sp_runtime::{traits::Saturating, DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BalanceClass, BranchId, EngagementId, EngagementState, HoldId, LedgerAccount,
	ListingId, ListingKind, ListingStatus, MemberStatus, Membership, Minutes, OfficerRole,
	ProxyPermission, ReviewQueue, ReviewSubject,
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
		ensure!(by != applicant && Self::may_accept_for(&by, &record), Error::<T>::NotPermitted);
		ensure!(record.status == ListingStatus::Open, Error::<T>::ListingNotOpen);
		ensure!(Applications::<T>::contains_key(listing, &applicant), Error::<T>::NotAnApplicant);
		// M1: one place per member and listing (an application made before a first acceptance).
		ensure!(
			!ListingParticipants::<T>::contains_key(listing, &applicant),
			Error::<T>::AlreadyEngaged
		);
		ensure!(record.accepted < record.draft.max_participants, Error::<T>::ListingFull);
		// Facts may have changed since the application.
		ensure!(T::Membership::is_active_member(&applicant), Error::<T>::NotActiveMember);
		let placement = match record.draft.kind {
			ListingKind::Request => {
				// A certificate may have lapsed since the application.
				Self::ensure_certified_in(branch, record.draft.category, &applicant)?;
				Self::ensure_branch_funding_still_allowed(&record)?;
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
		ListingParticipants::<T>::insert(listing, &applicant, engagement);
		Self::note_acceptance(listing, record, &applicant);
		Self::deposit_event(Event::Accepted { listing, engagement, applicant, by, hold, held });
		Ok(())
	}

	/// Whether `by` may accept applicants to `record` for its owner. Acceptance puts the paying
	/// side's credits in escrow, and they settle when the confirmation window ends without
	/// anyone's further signature: so a proxy accepts for a request's owner only when it may
	/// also confirm services (`confirm_services`) besides choosing volunteers
	/// (`request_services`). An offer's owner (or their home staff) accepts receivers, who
	/// applied with their own credits; proxies publish and accept requests only.
	fn may_accept_for(by: &T::AccountId, record: &ListingOf<T>) -> bool {
		let owner = &record.owner;
		match record.draft.kind {
			ListingKind::Request => {
				T::Membership::speaks_for(by, owner, ProxyPermission::RequestServices)
					&& T::Membership::speaks_for(by, owner, ProxyPermission::ConfirmServices)
			}
			ListingKind::Offer => by == owner || T::Membership::is_home_staff(owner, by),
		}
	}

	/// A request paid by the branch (pool or grant account) still meets, at each acceptance,
	/// what publishing it required (DOMAIN.md rule 8): its owner is an active member of the
	/// branch and redemption-eligible, and its publisher still holds the office that funding
	/// needs (staff for the pool, admin for new credits).
	fn ensure_branch_funding_still_allowed(record: &ListingOf<T>) -> DispatchResult {
		let role = match record.draft.funding {
			Funding::Own => return Ok(()),
			Funding::BranchPool => OfficerRole::Staff,
			Funding::BranchGrant => OfficerRole::Admin,
		};
		let facts = T::Membership::member(&record.owner)
			.filter(|facts| facts.status == MemberStatus::Active)
			.ok_or(Error::<T>::OwnerNotActive)?;
		ensure!(facts.home_branch == record.draft.branch, Error::<T>::OwnerLeftBranch);
		ensure!(facts.redemption_eligible, Error::<T>::NotEligibleForRedemption);
		ensure!(
			T::Membership::ensure_officer(record.draft.branch, &record.published_by, role).is_ok(),
			Error::<T>::PublisherNotOfficer
		);
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
						.try_push(Receiver { who: applicant.clone(), hold })
						.map_err(|_| Error::<T>::ListingFull)?;
					Self::count_open_engagement(&applicant, true);
					Ok(())
				})?;
				Ok(engagement)
			}
		}
	}

	/// Count one more (`true`) or one fewer running engagement for `who` in `OpenEngagements`.
	pub(crate) fn count_open_engagement(who: &T::AccountId, open: bool) {
		OpenEngagements::<T>::mutate_exists(who, |count| {
			let now = count.unwrap_or(0);
			let next = if open { now.saturating_add(1) } else { now.saturating_sub(1) };
			*count = (next > 0).then_some(next);
		});
	}

	/// An engagement was settled or cancelled: it no longer counts for its participants.
	pub(crate) fn count_engagement_ended(e: &EngagementOf<T>) {
		Self::count_open_engagement(&e.provider, false);
		for receiver in e.receivers.iter() {
			Self::count_open_engagement(&receiver.who, false);
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
		Self::count_open_engagement(&provider, true);
		for receiver in receivers.iter() {
			Self::count_open_engagement(&receiver.who, true);
		}
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
			ensure!(Self::speaks_for_receiver(&by, e), Error::<T>::NotAParty);
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
		proof: Option<CheckInProof>,
	) -> DispatchResult {
		let at = T::UnixTime::now().as_millis() as u64;
		Engagements::<T>::try_mutate(engagement, |maybe| -> DispatchResult {
			let e = maybe.as_mut().ok_or(Error::<T>::UnknownEngagement)?;
			let draft = Listings::<T>::get(e.listing).ok_or(Error::<T>::UnknownListing)?.draft;
			// Only staff of every receiver's home branch check in without the code; a provider
			// who is also staff still needs it.
			let staff = Self::is_staff_for_receivers(&by, e);
			ensure!(by == e.provider || staff, Error::<T>::NotAParty);
			ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
			// M1: within the slot (a little early is fine), one service at a time.
			ensure!(
				at >= draft.slot_start.saturating_sub(CHECK_IN_EARLY_MS),
				Error::<T>::TooEarlyToCheckIn
			);
			ensure!(at <= draft.slot_end, Error::<T>::SlotEnded);
			ensure!(
				!CheckedInProviders::<T>::contains_key(&e.provider),
				Error::<T>::CheckedInElsewhere
			);
			if Self::policy(draft.branch).check_in_code && !staff {
				let given = proof.map(|p| Self::check_in_commitment(engagement, &p.salt, &p.code));
				ensure!(given.is_some() && given == e.check_in_code, Error::<T>::WrongCheckInCode);
			}
			if staff {
				Self::note_actor(engagement, &by);
			}
			CheckedInProviders::<T>::insert(&e.provider, engagement);
			e.state = EngagementState::CheckedIn;
			e.checked_in_at = Some(at);
			// Used once: the salt and code are public now.
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
		let draft = Listings::<T>::get(e.listing).ok_or(Error::<T>::UnknownListing)?.draft;
		let branch = draft.branch;
		ensure!(by == e.provider || Self::is_staff_for_receivers(&by, &e), Error::<T>::NotAParty);
		ensure!(e.state == EngagementState::CheckedIn, Error::<T>::WrongState);
		let started = e.checked_in_at.unwrap_or(at);
		// M1: no more than the slot's length is measured (check-in and check-out times stay as
		// they were).
		let slot_ms = draft.slot_end.saturating_sub(draft.slot_start);
		let measured_minutes = at.saturating_sub(started).min(slot_ms) / 60_000;
		Self::note_checked_out(&e.provider, engagement);
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
		ensure!(Self::speaks_for_receiver(&by, &e), Error::<T>::NotAParty);
		// One receiver does not settle for a whole group: staff of every receiver's home branch
		// confirm groups (or the window ends, or someone disputes).
		ensure!(
			e.receivers.len() == 1 || Self::is_staff_for_receivers(&by, &e),
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
					by == e.provider || Self::speaks_for_receiver(&by, e),
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
				if e.state == EngagementState::CheckedIn {
					Self::note_checked_out(&e.provider, engagement);
				}
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
		ensure!(by == e.provider || Self::speaks_for_receiver(&by, &e), Error::<T>::NotAParty);
		ensure!(e.state == EngagementState::Accepted, Error::<T>::WrongState);
		let receivers = e.receivers.len() as u32;
		let for_everyone = by == e.provider || Self::is_staff_for_receivers(&by, &e);
		let own_place = e.receivers.iter().position(|r| Self::speaks_for_one(&by, &r.who));
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
				for receiver in e.receivers.iter() {
					Self::free_place(e.listing, &receiver.who, engagement);
				}
				e.receivers.len() as u32
			}
			_ => {
				Self::free_place(e.listing, &e.provider, engagement);
				1
			}
		};
		Listings::<T>::mutate(e.listing, |maybe| {
			if let Some(l) = maybe {
				l.accepted = l.accepted.saturating_sub(freed);
			}
		});
		e.state = EngagementState::Cancelled;
		Self::count_engagement_ended(&e);
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
		Self::count_open_engagement(&receiver.who, false);
		Self::free_place(e.listing, &receiver.who, engagement);
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

	/// `by` speaks for one of the engagement's receivers: a receiver, a receiver's proxy with
	/// `confirm_services`, or staff of a receiver's home branch (never as staff of the listing's
	/// branch); and never the provider, so nobody confirms their own service.
	pub(crate) fn speaks_for_receiver(by: &T::AccountId, e: &EngagementOf<T>) -> bool {
		by != &e.provider && e.receivers.iter().any(|r| Self::speaks_for_one(by, &r.who))
	}

	/// `by` is staff of every receiver's home branch, and not the provider: who checks in
	/// without the receivers' code, checks out, confirms a group or cancels it for everyone.
	pub(crate) fn is_staff_for_receivers(by: &T::AccountId, e: &EngagementOf<T>) -> bool {
		by != &e.provider
			&& !e.receivers.is_empty()
			&& e.receivers.iter().all(|r| T::Membership::is_home_staff(&r.who, by))
	}

	/// `by` is `receiver`, their proxy with `confirm_services`, or staff of their home branch.
	fn speaks_for_one(by: &T::AccountId, receiver: &T::AccountId) -> bool {
		Self::acts_for_receiver(by, receiver) || T::Membership::is_home_staff(receiver, by)
	}

	/// The commitment the receiver's side records for a check-in code: the hash of a domain
	/// tag, the engagement, a random salt and the code, so it says nothing about the code
	/// without the salt and fits no other engagement. Clients compute the same with
	/// `blake2_256(SCALE(tag, engagement, salt, code))`.
	pub fn check_in_commitment(engagement: EngagementId, salt: &CheckInSalt, code: &[u8]) -> H256 {
		let preimage = (CHECK_IN_COMMITMENT_TAG, engagement, salt, code).encode();
		H256(sp_io::hashing::blake2_256(&preimage))
	}

	/// The provider is no longer checked in to `engagement`.
	fn note_checked_out(provider: &T::AccountId, engagement: EngagementId) {
		if CheckedInProviders::<T>::get(provider) == Some(engagement) {
			CheckedInProviders::<T>::remove(provider);
		}
	}

	/// `who`'s place in `listing`, held by `engagement`, is free again.
	fn free_place(listing: ListingId, who: &T::AccountId, engagement: EngagementId) {
		if ListingParticipants::<T>::get(listing, who) == Some(engagement) {
			ListingParticipants::<T>::remove(listing, who);
		}
	}

	/// `by` is `receiver`, or their proxy with `confirm_services`.
	pub(crate) fn acts_for_receiver(by: &T::AccountId, receiver: &T::AccountId) -> bool {
		by == receiver
			|| T::Membership::is_proxy_with(receiver, by, ProxyPermission::ConfirmServices)
	}
}
