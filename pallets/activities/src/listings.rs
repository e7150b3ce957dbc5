//! Listings from publication to their end: publishing (with its review), applying, withdrawing,
//! the review decision, expiry, and closing an offer whose group started.

use crate::{
	ActivityPolicy, Applications, Catalogue, Category, Config, DueTask, Error, Event, Funding,
	GrantBudgets, Listing, ListingDraft, ListingOf, ListingParticipants, Listings, NextListingId,
	OpenListings, Pallet,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{Get, UnixTime},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{traits::Saturating, DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BranchId, CategoryId, ListingId, ListingKind, ListingStatus, MemberFacts,
	MemberStatus, Membership, OfficerRole, ProxyPermission, ReviewQueue, ReviewSubject,
	MAX_TRUST_LEVEL,
};

/// How far ahead a listing's slot may end: a year.
const MAX_SLOT_AHEAD_MS: u64 = 366 * 24 * 60 * 60 * 1000;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::publish`]: every check first, in the order callers see their
	/// errors, then the writes.
	pub(crate) fn do_publish(
		signer: T::AccountId,
		draft: ListingDraft,
		owner: Option<T::AccountId>,
	) -> DispatchResult {
		let owner = owner.unwrap_or_else(|| signer.clone());
		let branch = draft.branch;
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		let facts = Self::active_member(&owner)?;
		ensure!(Self::may_publish_for(&signer, &owner, draft.kind), Error::<T>::NotPermitted);
		let category = Self::open_category(branch, draft.category)?;
		Self::ensure_owner_role(&draft, &owner, &facts, &category)?;
		Self::ensure_valid_draft(&draft)?;
		Self::ensure_funding_allowed(&draft, &signer, &owner, &facts)?;

		let budget = Self::grant_budget(&draft)?;
		// H3: new credits wait for the grant reviewers when the budget is large enough.
		let funded_review = Self::budget_needs_review(&draft, budget);

		let policy = Self::policy(branch);
		// Staff of the listing's branch who publish for someone else skip the listing review.
		let by_staff = signer != owner && T::Membership::is_staff(branch, &signer);
		let in_review =
			funded_review || (!by_staff && Self::needs_review(&policy, &category, &owner));
		let listing =
			Self::insert_listing(draft, owner.clone(), signer.clone(), in_review, &policy)?;
		if let Some(budget) = budget {
			GrantBudgets::<T>::insert(listing, budget);
		}
		if funded_review {
			T::Reviews::open(branch, ReviewSubject::FundedListing(listing), &signer)?;
		} else if in_review {
			T::Reviews::open(branch, ReviewSubject::Listing(listing), &signer)?;
		}
		Self::deposit_event(Event::ListingPublished {
			listing,
			kind: draft.kind,
			branch,
			owner,
			published_by: signer,
			in_review,
		});
		Ok(())
	}

	/// The member's facts, when they are an active member.
	fn active_member(who: &T::AccountId) -> Result<MemberFacts, Error<T>> {
		T::Membership::member(who)
			.filter(|facts| facts.status == MemberStatus::Active)
			.ok_or(Error::<T>::NotActiveMember)
	}

	/// Only the member, staff of their own home branch, or (for requests) their proxy with
	/// `request_services` publish for them.
	fn may_publish_for(signer: &T::AccountId, owner: &T::AccountId, kind: ListingKind) -> bool {
		match kind {
			ListingKind::Request => {
				T::Membership::speaks_for(signer, owner, ProxyPermission::RequestServices)
			}
			ListingKind::Offer => signer == owner || T::Membership::is_home_staff(owner, signer),
		}
	}

	/// The branch's category, when it is in the catalogue and takes new listings.
	fn open_category(branch: BranchId, category: CategoryId) -> Result<Category, Error<T>> {
		let category = Catalogue::<T>::get(branch, category).ok_or(Error::<T>::UnknownCategory)?;
		ensure!(category.active, Error::<T>::CategoryInactive);
		Ok(category)
	}

	/// A request's owner receives services; an offer's owner volunteers, certified when the
	/// category needs it.
	fn ensure_owner_role(
		draft: &ListingDraft,
		owner: &T::AccountId,
		facts: &MemberFacts,
		category: &Category,
	) -> DispatchResult {
		match draft.kind {
			ListingKind::Request => ensure!(facts.roles.recipient, Error::<T>::WrongRole),
			ListingKind::Offer => {
				ensure!(facts.roles.volunteer, Error::<T>::WrongRole);
				Self::ensure_certified(owner, draft.branch, category)?;
			}
		}
		Ok(())
	}

	/// The slot lies ahead (at most a year), and the estimate, participant limit and trust
	/// level are within their bounds.
	fn ensure_valid_draft(draft: &ListingDraft) -> DispatchResult {
		let now_ms = T::UnixTime::now().as_millis() as u64;
		ensure!(
			draft.slot_end > draft.slot_start
				&& draft.slot_end > now_ms
				&& draft.slot_end <= now_ms.saturating_add(MAX_SLOT_AHEAD_MS),
			Error::<T>::InvalidSlot
		);
		ensure!(
			(1..=T::MaxServiceMinutes::get()).contains(&draft.estimated_minutes),
			Error::<T>::InvalidDuration
		);
		ensure!(
			(1..=T::MaxParticipants::get()).contains(&draft.max_participants),
			Error::<T>::InvalidParticipantLimit
		);
		ensure!(draft.min_trust <= MAX_TRUST_LEVEL, Error::<T>::InvalidTrustLevel);
		Ok(())
	}

	/// The branch pays from its pool (staff) or issues new credits (admins) only for a request
	/// that its officer publishes for a redemption-eligible elder of its own.
	fn ensure_funding_allowed(
		draft: &ListingDraft,
		signer: &T::AccountId,
		owner: &T::AccountId,
		facts: &MemberFacts,
	) -> DispatchResult {
		let role = match draft.funding {
			Funding::Own => return Ok(()),
			Funding::BranchPool => OfficerRole::Staff,
			Funding::BranchGrant => OfficerRole::Admin,
		};
		ensure!(
			draft.kind == ListingKind::Request
				&& signer != owner
				&& draft.branch == facts.home_branch
				&& T::Membership::ensure_officer(draft.branch, signer, role).is_ok()
				&& facts.redemption_eligible,
			Error::<T>::FundingNotAllowed
		);
		Ok(())
	}

	/// Risky categories, and newcomers' listings, wait for review when the policy says so.
	fn needs_review(
		policy: &ActivityPolicy<BlockNumberFor<T>>,
		category: &Category,
		owner: &T::AccountId,
	) -> bool {
		let risky = policy.review_from_risk.is_some_and(|from| category.risk >= from);
		let newcomer = policy.review_newcomers && Self::has_no_completed_service(owner);
		risky || newcomer
	}

	/// Store a checked listing under the next id, its expiry scheduled and counted among the
	/// owner's open listings.
	fn insert_listing(
		draft: ListingDraft,
		owner: T::AccountId,
		published_by: T::AccountId,
		in_review: bool,
		policy: &ActivityPolicy<BlockNumberFor<T>>,
	) -> Result<ListingId, DispatchError> {
		let listing = NextListingId::<T>::get();
		let next = listing.checked_add(1).ok_or(Error::<T>::Overflow)?;
		OpenListings::<T>::try_mutate(&owner, |open| -> DispatchResult {
			ensure!(*open < T::MaxOpenListingsPerOwner::get(), Error::<T>::TooManyOpenListings);
			// Cannot overflow: below the bound just checked.
			*open += 1;
			Ok(())
		})?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = Self::schedule(
			now.saturating_add(policy.listing_lifetime),
			DueTask::ExpireListing(listing),
		)?;
		NextListingId::<T>::put(next);
		let status = if in_review { ListingStatus::InReview } else { ListingStatus::Open };
		Listings::<T>::insert(
			listing,
			Listing {
				draft,
				owner,
				published_by,
				status,
				accepted: 0,
				applications: 0,
				expires_at,
			},
		);
		Ok(listing)
	}

	/// The body of [`Pallet::cancel_listing`].
	pub(crate) fn do_cancel_listing(by: T::AccountId, listing: ListingId) -> DispatchResult {
		Listings::<T>::try_mutate(listing, |maybe| -> DispatchResult {
			let record = maybe.as_mut().ok_or(Error::<T>::UnknownListing)?;
			ensure!(
				T::Membership::speaks_for(&by, &record.owner, ProxyPermission::RequestServices),
				Error::<T>::NotPermitted
			);
			ensure!(
				matches!(record.status, ListingStatus::Open | ListingStatus::InReview),
				Error::<T>::ListingNotOpen
			);
			ensure!(record.accepted == 0, Error::<T>::ListingHasEngagements);
			record.status = ListingStatus::Cancelled;
			Self::left_open(listing, record);
			Ok(())
		})?;
		let _ = Applications::<T>::clear_prefix(listing, T::MaxApplications::get(), None);
		Self::deposit_event(Event::ListingCancelled { listing, by });
		Ok(())
	}

	/// The body of [`Pallet::apply`].
	pub(crate) fn do_apply(applicant: T::AccountId, listing: ListingId) -> DispatchResult {
		let mut record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
		ensure!(record.status == ListingStatus::Open, Error::<T>::ListingNotOpen);
		ensure!(applicant != record.owner, Error::<T>::OwnListing);
		let facts = Self::active_member(&applicant)?;
		if record.draft.kind == ListingKind::Request {
			ensure!(facts.roles.volunteer, Error::<T>::WrongRole);
			Self::ensure_certified_in(record.draft.branch, record.draft.category, &applicant)?;
		}
		ensure!(Self::trust_level(&applicant) >= record.draft.min_trust, Error::<T>::TrustTooLow);
		ensure!(!Applications::<T>::contains_key(listing, &applicant), Error::<T>::AlreadyApplied);
		// M1: one place per member and listing.
		ensure!(
			!ListingParticipants::<T>::contains_key(listing, &applicant),
			Error::<T>::AlreadyEngaged
		);
		ensure!(record.applications < T::MaxApplications::get(), Error::<T>::TooManyApplications);
		record.applications += 1;
		Applications::<T>::insert(listing, &applicant, ());
		Listings::<T>::insert(listing, record);
		Self::deposit_event(Event::Applied { listing, applicant });
		Ok(())
	}

	/// Remove `applicant`'s pending application to `listing`.
	pub(crate) fn do_withdraw_application(
		applicant: T::AccountId,
		listing: ListingId,
	) -> DispatchResult {
		let mut record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
		ensure!(Applications::<T>::contains_key(listing, &applicant), Error::<T>::NotAnApplicant);
		Applications::<T>::remove(listing, &applicant);
		record.applications = record.applications.saturating_sub(1);
		Listings::<T>::insert(listing, record);
		Self::deposit_event(Event::ApplicationWithdrawn { listing, applicant });
		Ok(())
	}

	/// Open (`approved`) or reject a listing in review, as the reviewers decided. A listing
	/// withdrawn or expired while in review stays as it is.
	pub(crate) fn decide_review(
		listing: ListingId,
		approved: bool,
		reviewer: &T::AccountId,
	) -> DispatchResult {
		let mut record = Listings::<T>::get(listing).ok_or(Error::<T>::UnknownListing)?;
		if record.status != ListingStatus::InReview {
			return Ok(());
		}
		record.status = if approved { ListingStatus::Open } else { ListingStatus::Rejected };
		if !approved {
			Self::left_open(listing, &record);
		}
		Listings::<T>::insert(listing, record);
		Self::deposit_event(Event::ListingReviewed {
			listing,
			reviewer: reviewer.clone(),
			approved,
		});
		Ok(())
	}

	/// End a listing still open or in review whose lifetime ended at `now`: expired when
	/// nobody was accepted, closed otherwise. Its pending applications go either way.
	pub(crate) fn expire_listing(listing: ListingId, now: BlockNumberFor<T>) {
		Listings::<T>::mutate(listing, |maybe| {
			if let Some(l) = maybe {
				if matches!(l.status, ListingStatus::Open | ListingStatus::InReview)
					&& l.expires_at <= now
				{
					l.status = if l.accepted == 0 {
						ListingStatus::Expired
					} else {
						ListingStatus::Closed
					};
					Self::left_open(listing, l);
					Self::deposit_event(Event::ListingExpired { listing });
				}
			}
		});
		let _ = Applications::<T>::clear_prefix(listing, T::MaxApplications::get(), None);
	}

	/// Close `listing` if it is an open offer.
	pub(crate) fn close_offer(listing: ListingId) {
		let closed = Listings::<T>::mutate(listing, |maybe| match maybe.as_mut() {
			Some(l) if l.draft.kind == ListingKind::Offer && l.status == ListingStatus::Open => {
				l.status = ListingStatus::Closed;
				Self::left_open(listing, l);
				true
			}
			_ => false,
		});
		if closed {
			let _ = Applications::<T>::clear_prefix(listing, T::MaxApplications::get(), None);
			Self::deposit_event(Event::ListingClosed { listing });
		}
	}

	/// A listing that was open or in review just left that status (`record` has its new one):
	/// it no longer counts among its owner's open listings, and its expiry is no longer needed
	/// (the expiry task itself finds nothing left to do).
	fn left_open(listing: ListingId, record: &ListingOf<T>) {
		OpenListings::<T>::mutate_exists(&record.owner, |open| {
			*open = open.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		Self::unschedule(record.expires_at, DueTask::ExpireListing(listing));
	}
}
