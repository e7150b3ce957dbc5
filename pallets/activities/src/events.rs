//! The activities pallet's events and errors: a pallet section (`#[pallet_section]`), imported
//! into the pallet module by `#[import_section]` in `lib.rs`, so that file keeps the
//! configuration, storage and calls.

use polkadot_sdk::frame_support::pallet_macros::pallet_section;

/// The pallet's events, its errors, and how an officer check's failure reads.
#[pallet_section]
mod events_and_errors {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A branch admin added or changed (`Some`) or removed (`None`) a service category.
		CategorySet {
			/// The branch whose catalogue changed.
			branch: BranchId,
			/// The category's id in that catalogue.
			category: CategoryId,
			/// The category as it now is; `None` when it was removed.
			value: Option<Category>,
		},
		/// A branch admin set the branch's activity policy.
		ActivityPolicySet {
			/// The branch.
			branch: BranchId,
			/// Its new rules.
			policy: ActivityPolicy<BlockNumberFor<T>>,
		},
		/// A request or offer was published for `owner`; `in_review` when it waits for staff.
		ListingPublished {
			/// The new listing's id.
			listing: ListingId,
			/// Request or offer.
			kind: ListingKind,
			/// The branch it was published in.
			branch: BranchId,
			/// The member it is for: the receiver of a request, the provider of an offer.
			owner: T::AccountId,
			/// Who signed: the owner, their proxy or staff.
			published_by: T::AccountId,
			/// Whether it waits for staff review before it opens.
			in_review: bool,
		},
		/// Staff approved (it opens) or rejected a listing that waited for review.
		ListingReviewed {
			/// The listing.
			listing: ListingId,
			/// Who carried out the reviewers' decision.
			reviewer: T::AccountId,
			/// `true`: the listing opened; `false`: it was rejected.
			approved: bool,
		},
		/// The owner, their proxy or staff withdrew a listing.
		ListingCancelled {
			/// The listing.
			listing: ListingId,
			/// Who withdrew it.
			by: T::AccountId,
		},
		/// A listing's lifetime ended; it takes no more applications.
		ListingExpired {
			/// The listing.
			listing: ListingId,
		},
		/// An offer whose group started or finished takes no more applications.
		ListingClosed {
			/// The offer.
			listing: ListingId,
		},
		/// A receiver left a group before it started; their hold was released.
		ReceiverWithdrew {
			/// The group engagement.
			engagement: EngagementId,
			/// The member who left.
			receiver: T::AccountId,
			/// Minutes returned to them from escrow.
			refunded: Minutes,
		},
		/// A member applied to a listing.
		Applied {
			/// The listing.
			listing: ListingId,
			/// The member who applied.
			applicant: T::AccountId,
		},
		/// `applicant` withdrew their application.
		ApplicationWithdrawn {
			/// The listing.
			listing: ListingId,
			/// The member who had applied.
			applicant: T::AccountId,
		},
		/// `applicant` was accepted; `hold` holds `held` minutes of the paying side's credits.
		Accepted {
			/// The listing.
			listing: ListingId,
			/// The engagement created or joined.
			engagement: EngagementId,
			/// The member accepted.
			applicant: T::AccountId,
			/// Who accepted: the owner, their proxy or staff.
			by: T::AccountId,
			/// The ledger's escrow hold for this acceptance.
			hold: HoldId,
			/// Minutes put in escrow.
			held: Minutes,
		},
		/// The commitment to the receiver's one-time check-in code (salted, for this engagement)
		/// was recorded.
		CheckInCodeSet {
			/// The engagement.
			engagement: EngagementId,
			/// Who recorded it: a receiver, their proxy or staff.
			by: T::AccountId,
		},
		/// The service started.
		CheckedIn {
			/// The engagement.
			engagement: EngagementId,
			/// Chain time, milliseconds since the Unix epoch.
			at: u64,
			/// Who checked in: the provider or staff.
			by: T::AccountId,
		},
		/// The service ended; the confirmation window started.
		CheckedOut {
			/// The engagement.
			engagement: EngagementId,
			/// Chain time, milliseconds since the Unix epoch.
			at: u64,
			/// Whole minutes between check-in and check-out.
			measured_minutes: Minutes,
			/// Who checked out: the provider or staff.
			by: T::AccountId,
		},
		/// The measured duration was confirmed; settlement follows.
		Confirmed {
			/// The engagement.
			engagement: EngagementId,
			/// Who confirmed; `None` when the confirmation window ended without confirmation or
			/// dispute.
			by: Option<T::AccountId>,
		},
		/// The engagement was paid from escrow.
		Settled {
			/// The engagement.
			engagement: EngagementId,
			/// The member paid.
			provider: T::AccountId,
			/// What the provider got, what the pool got and what was returned, in minutes.
			payout: Payout,
		},
		/// A party contested the engagement; its holds stay frozen until arbitration.
		Disputed {
			/// The engagement.
			engagement: EngagementId,
			/// Who contested it.
			by: T::AccountId,
			/// Hash of the off-chain statement.
			reason: H256,
		},
		/// Arbitration decided a dispute and the engagement was paid out accordingly.
		Arbitrated {
			/// The engagement.
			engagement: EngagementId,
			/// What the reviewers decided.
			outcome: ArbitrationOutcome,
			/// What the provider got, what the pool got and what was returned, in minutes.
			payout: Payout,
		},
		/// The engagement was called off before it started and its holds were released.
		EngagementCancelled {
			/// The engagement.
			engagement: EngagementId,
			/// Who called it off; `None` when nobody checked in by the end of the slot.
			by: Option<T::AccountId>,
			/// Minutes returned from escrow.
			refunded: Minutes,
		},
		/// One side of a settled engagement rated the other.
		Rated {
			/// The engagement.
			engagement: EngagementId,
			/// The member who rated (a proxy rates as its receiver).
			rater: T::AccountId,
			/// The member rated.
			ratee: T::AccountId,
			/// 1 to 5.
			stars: u8,
		},
		/// A timed task could not run (its ledger call failed); it is tried again later (see
		/// [`Event::DueTaskRescheduled`]).
		DueTaskFailed {
			/// The task.
			task: DueTask,
			/// Why it failed.
			error: DispatchError,
		},
		/// A timed task that failed waits for another attempt, later each time.
		DueTaskRescheduled {
			/// The task.
			task: DueTask,
			/// The block of the next attempt.
			at: BlockNumberFor<T>,
			/// How many attempts failed so far.
			attempt: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The branch is not registered or not active.
		BranchNotActive,
		/// The signer is not an officer of the branch with the needed role.
		NotBranchOfficer,
		/// The category is not in the branch's catalogue.
		UnknownCategory,
		/// The category takes no new listings.
		CategoryInactive,
		/// Policy windows must be between one block and `MaxPolicyWindow`.
		InvalidPolicy,
		/// The member is unknown or not active.
		NotActiveMember,
		/// The signer may not act for this member here.
		NotPermitted,
		/// Requests need the owner to be a recipient; offers and applications to requests need a
		/// volunteer.
		WrongRole,
		/// The provider lacks the certificate the category requires.
		MissingCertificate,
		/// The slot must end after it starts and after now.
		InvalidSlot,
		/// The estimate must be between 1 minute and `MaxServiceMinutes`.
		InvalidDuration,
		/// The participant limit must be between 1 and `MaxParticipants`.
		InvalidParticipantLimit,
		/// Branch funding is for requests by staff for redemption-eligible members.
		FundingNotAllowed,
		/// The minimum trust level is above the highest level.
		InvalidTrustLevel,
		/// No listing has this id.
		UnknownListing,
		/// The listing does not take applications or acceptances.
		ListingNotOpen,
		/// Engagements are still running: cancel them first.
		ListingHasEngagements,
		/// The owner cannot apply to their own listing.
		OwnListing,
		/// The member has already applied to this listing.
		AlreadyApplied,
		/// The account has no pending application to this listing.
		NotAnApplicant,
		/// The applicant's trust level is below the listing's minimum.
		TrustTooLow,
		/// The listing has as many pending applications as it may.
		TooManyApplications,
		/// The listing has as many participants as it takes.
		ListingFull,
		/// No engagement has this id.
		UnknownEngagement,
		/// The engagement is not in a state that allows this.
		WrongState,
		/// The branch requires the receiver's one-time code, and it was missing or wrong.
		WrongCheckInCode,
		/// The signer is not a party of the engagement (nor staff of its branch).
		NotAParty,
		/// The review decision does not fit the subject.
		WrongDecision,
		/// Staff confirm group services; a receiver cannot settle for the whole group.
		GroupNeedsStaff,
		/// Stars go from 1 to 5.
		InvalidRating,
		/// This rater has already rated this member for this engagement.
		AlreadyRated,
		/// Providers rate receivers and receivers rate the provider.
		NotCounterpart,
		/// The timed-task buckets of the coming blocks are full (no longer returned: timed tasks
		/// always find a place).
		SchedulerFull,
		/// A listing or engagement id would overflow.
		Overflow,
		/// The member has as many listings open or in review as allowed: wait for one to close,
		/// or withdraw one.
		TooManyOpenListings,
		/// The member's listings have as many accepted services waiting for their slot as
		/// allowed: wait until some have taken place.
		TooManyPendingTasks,
		/// This acceptance would hold more from the branch's grant account than the request's
		/// approved budget.
		GrantBudgetExceeded,
		/// This member already has a place in this listing: one place per member and listing.
		AlreadyEngaged,
		/// The provider is checked in to another service: check out there first.
		CheckedInElsewhere,
		/// Check-in opens a quarter of an hour before the slot starts.
		TooEarlyToCheckIn,
		/// The slot has ended: check-in is closed.
		SlotEnded,
		/// The member this branch-paid request is for is no longer an active member.
		OwnerNotActive,
		/// The member this branch-paid request is for is no longer eligible to redeem credits.
		NotEligibleForRedemption,
		/// The member this branch-paid request is for has moved to another home branch.
		OwnerLeftBranch,
		/// Whoever published this branch-paid request no longer holds the office it needs.
		PublisherNotOfficer,
		/// The member has listings open or in review, or no-show checks waiting: they close or
		/// are withdrawn before the member's account moves to a new key.
		OpenListingsRemain,
		/// The member takes part in services not yet settled or cancelled: they end before the
		/// member's account moves to a new key.
		OpenEngagementsRemain,
	}

	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchOfficer
		}
	}
}
