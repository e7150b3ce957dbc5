//! Unit tests: the lifecycle of requests and offers, group and cross-branch settlement, timed
//! work, disputes, ratings, and every error (`run` checks the ledger's and this pallet's
//! invariants after each test).

use crate::{mock::*, *};
use polkadot_sdk::sp_runtime::DispatchResult;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	frame_system,
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{
	BalanceClass, Decision, LedgerAccount, MemberRoles, OfficerRole, ReviewOutcome, ReviewSubject,
	RiskLevel,
};

type A = Pallet<Test>;
type E = Error<Test>;
type LedgerPallet = pallet_timebank_ledger::Pallet<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn spendable(who: AccountId) -> i64 {
	LedgerPallet::member_balance(&who, BalanceClass::Spendable)
}

fn pool(branch: BranchId) -> i64 {
	pallet_timebank_ledger::Balances::<Test>::get(LedgerAccount::Pool(branch))
}

fn escrow() -> i64 {
	pallet_timebank_ledger::Balances::<Test>::get(LedgerAccount::Escrow)
}

fn events() -> Vec<Event<Test>> {
	frame_system::Pallet::<Test>::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Activities(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// A one-hour companionship request in branch 0, in two hours' time.
fn request() -> ListingDraft {
	ListingDraft {
		kind: ListingKind::Request,
		branch: 0,
		category: COMPANIONSHIP,
		slot_start: START_MS + 2 * 3_600_000,
		slot_end: START_MS + 3 * 3_600_000,
		area: 310_104,
		estimated_minutes: 60,
		min_trust: 0,
		max_participants: 1,
		funding: Funding::Own,
	}
}

fn offer(max_participants: u32) -> ListingDraft {
	ListingDraft { kind: ListingKind::Offer, max_participants, ..request() }
}

fn publish(by: AccountId, draft: ListingDraft, owner: Option<AccountId>) -> ListingId {
	assert_ok!(A::publish(signed(by), draft, owner));
	NextListingId::<Test>::get() - 1
}

/// Publish `draft` for `owner`, `applicant` applies and is accepted: the engagement's id.
fn engage(owner: AccountId, draft: ListingDraft, applicant: AccountId) -> EngagementId {
	let listing = publish(owner, draft, None);
	assert_ok!(A::apply(signed(applicant), listing));
	assert_ok!(A::accept(signed(owner), listing, applicant));
	NextEngagementId::<Test>::get() - 1
}

/// Check in, `minutes` pass, check out: by the provider.
fn serve(engagement: EngagementId, minutes: u64) {
	let provider = Engagements::<Test>::get(engagement).expect("engagement").provider;
	assert_ok!(A::check_in(signed(provider), engagement, None));
	advance_clock_minutes(minutes);
	assert_ok!(A::check_out(signed(provider), engagement));
}

fn state(engagement: EngagementId) -> EngagementState {
	Engagements::<Test>::get(engagement).expect("engagement").state
}

#[test]
fn a_proxy_requests_a_trained_volunteer_serves_and_the_proxy_confirms() {
	run(|| {
		// PAUL publishes a bathing request for GRACE; only certified VICTOR may apply.
		let draft = ListingDraft { category: BATHING, ..request() };
		let listing = publish(PAUL, draft, Some(GRACE));
		assert_noop!(A::apply(signed(WENDY), listing), E::MissingCertificate);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(PAUL), listing, VICTOR));
		let engagement = 0;
		assert_eq!(spendable(GRACE), 540, "the estimate is held at acceptance");
		assert_eq!(escrow(), 60);

		// 52 measured minutes round to 45 under the default 15-minute step.
		serve(engagement, 52);
		let e = Engagements::<Test>::get(engagement).expect("engagement");
		assert_eq!((e.state, e.measured_minutes), (EngagementState::CheckedOut, 52));
		assert_ok!(A::confirm(signed(PAUL), engagement));
		let e = Engagements::<Test>::get(engagement).expect("engagement");
		assert_eq!(e.state, EngagementState::Settled);
		assert_eq!(
			e.payout,
			Some(Payout { rounded_minutes: 45, to_provider: 45, to_pool: 0, refunded: 15 })
		);
		assert_eq!((spendable(GRACE), spendable(VICTOR), escrow()), (555, 45, 0));

		// Ratings both ways, once each; PAUL rates for GRACE.
		assert_ok!(A::rate(signed(VICTOR), engagement, GRACE, 5));
		assert_ok!(A::rate(signed(PAUL), engagement, VICTOR, 4));
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 4), E::AlreadyRated);
		assert_eq!(
			ServiceRecords::<Test>::get(VICTOR),
			ServiceRecord { provided: 1, received: 0, ratings: 1, rating_sum: 4 }
		);
		assert_eq!(A::trust_level(&VICTOR), 1);
		assert!(events().contains(&Event::Confirmed { engagement, by: Some(PAUL) }));
	});
}

#[test]
fn an_unconfirmed_engagement_settles_itself_when_the_window_ends() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 90);
		let due = Engagements::<Test>::get(engagement).and_then(|e| e.confirm_due);
		assert_eq!(due, Some(1 + CONFIRM_WINDOW));
		advance_to(CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::CheckedOut);
		advance_to(1 + CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::Settled);
		// 90 measured minutes, but escrow only holds the 60-minute estimate: no credit from
		// nothing.
		assert_eq!((spendable(GRACE), spendable(VICTOR), escrow()), (540, 60, 0));
		assert!(events().contains(&Event::Confirmed { engagement, by: None }));
	});
}

#[test]
fn a_group_offer_splits_the_providers_time_and_the_remainder_goes_to_the_pool() {
	run(|| {
		// VICTOR offers a 60-minute session for up to 4; three join, each holding 15 minutes.
		let listing = publish(VICTOR, offer(4), None);
		for who in [GRACE, HENRY, IRIS] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(VICTOR), listing, who));
		}
		let engagement = OfferEngagement::<Test>::get(listing).expect("one group engagement");
		assert_eq!(escrow(), 45);
		// 40 minutes: each of 3 pays ceil(40 / 3) = 14; VICTOR earns 40, the pool gets 2.
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		advance_clock_minutes(38);
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		assert_noop!(A::confirm(signed(HENRY), engagement), E::GroupNeedsStaff);
		assert_ok!(A::confirm(signed(STAFF0), engagement));
		assert!(events().contains(&Event::ListingClosed { listing }));
		let payout = Engagements::<Test>::get(engagement).and_then(|e| e.payout);
		assert_eq!(
			payout,
			Some(Payout { rounded_minutes: 45, to_provider: 45, to_pool: 0, refunded: 0 }),
			"38 minutes round to 45, which the three holds cover exactly"
		);
		assert_eq!(spendable(VICTOR), 45);
		assert_eq!(spendable(GRACE) + spendable(HENRY) + spendable(IRIS), 1_800 - 45);

		// A second group of two for 50 measured minutes: rounded 45, shares of 23, one to the pool.
		let listing = publish(WENDY, offer(2), None);
		for who in [GRACE, HENRY] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(WENDY), listing, who));
		}
		assert_ok!(A::apply(signed(IRIS), listing));
		assert_noop!(A::accept(signed(WENDY), listing, IRIS), E::ListingFull);
	});
}

#[test]
fn group_rounding_remainders_go_to_the_payers_pool() {
	run(|| {
		let listing = publish(WENDY, ListingDraft { estimated_minutes: 90, ..offer(2) }, None);
		for who in [GRACE, HENRY] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(WENDY), listing, who));
		}
		let engagement = OfferEngagement::<Test>::get(listing).expect("group engagement");
		// 45 minutes: shares of 23 each; WENDY earns 45, one minute to the pool.
		assert_ok!(A::check_in(signed(WENDY), engagement, None));
		advance_clock_minutes(45);
		assert_ok!(A::check_out(signed(WENDY), engagement));
		assert_ok!(A::confirm(signed(STAFF0), engagement));
		let payout = Engagements::<Test>::get(engagement).and_then(|e| e.payout);
		assert_eq!(
			payout,
			Some(Payout { rounded_minutes: 45, to_provider: 45, to_pool: 1, refunded: 44 })
		);
		assert_eq!(
			(spendable(WENDY), pool(0), spendable(GRACE), spendable(HENRY)),
			(45, 1, 577, 577)
		);
	});
}

#[test]
fn a_cross_branch_service_settles_through_clearing_accounts() {
	run(|| {
		// XAVIER of branch 1 serves GRACE of branch 0 in branch 0.
		let engagement = engage(GRACE, request(), XAVIER);
		serve(engagement, 60);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_eq!((spendable(GRACE), spendable(XAVIER)), (540, 60));
		let clearing = |branch, counterparty| {
			pallet_timebank_ledger::Balances::<Test>::get(LedgerAccount::Clearing {
				branch,
				counterparty,
			})
		};
		assert_eq!(clearing(0, 1) + clearing(1, 0), 0);
		assert_eq!(clearing(0, 1).abs(), 60);
	});
}

#[test]
fn a_disputed_engagement_freezes_until_arbitration() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		serve(engagement, 60);
		assert_ok!(A::dispute(signed(GRACE), engagement, H256::repeat_byte(9)));
		assert_eq!(Engagements::<Test>::get(engagement).and_then(|e| e.confirm_due), None);
		assert_noop!(A::confirm(signed(GRACE), engagement), E::WrongState);
		advance_to(2 + CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::Disputed, "no auto-confirmation");
		assert_eq!(escrow(), 60);
		assert_ok!(A::arbitrate(
			engagement,
			ArbitrationOutcome::Split(Percent::from_percent(50)),
			&STAFF0
		));
		assert_eq!((spendable(GRACE), spendable(VICTOR), escrow()), (570, 30, 0));
		assert_noop!(
			A::arbitrate(engagement, ArbitrationOutcome::PayProvider, &STAFF0),
			E::WrongState
		);
	});
}

#[test]
fn every_arbitration_outcome_is_new_ledger_entries() {
	for (outcome, grace, victor) in [
		(ArbitrationOutcome::Reject, 555, 45),
		(ArbitrationOutcome::PayProvider, 540, 60),
		(ArbitrationOutcome::RefundReceivers, 600, 0),
		(ArbitrationOutcome::Split(Percent::from_percent(25)), 585, 15),
	] {
		run(|| {
			let engagement = engage(GRACE, request(), VICTOR);
			serve(engagement, 50);
			assert_ok!(A::dispute(signed(VICTOR), engagement, H256::zero()));
			assert_ok!(A::arbitrate(engagement, outcome, &STAFF0));
			assert_eq!((spendable(GRACE), spendable(VICTOR)), (grace, victor), "{outcome:?}");
			assert_eq!(escrow(), 0);
		});
	}
	run(|| {
		assert_noop!(A::arbitrate(9, ArbitrationOutcome::Reject, &STAFF0), E::UnknownEngagement);
	});
}

#[test]
fn a_no_show_is_cancelled_and_its_hold_returned() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		// Slot ends 3 h after start: 1,800 blocks of 6 s, then the confirmation window.
		let due = 1 + 3 * 600 + CONFIRM_WINDOW;
		advance_to(due - 1);
		assert_eq!(state(engagement), EngagementState::Accepted);
		advance_to(due);
		assert_eq!(state(engagement), EngagementState::Cancelled);
		assert_eq!((spendable(GRACE), escrow()), (600, 0));
		assert!(events().contains(&Event::EngagementCancelled {
			engagement,
			by: None,
			refunded: 60
		}));
	});
}

#[test]
fn stale_listings_expire_and_lose_their_applications() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		advance_to(1 + LISTING_LIFETIME);
		let l = Listings::<Test>::get(listing).expect("listing");
		assert_eq!(l.status, ListingStatus::Expired);
		assert!(!Applications::<Test>::contains_key(listing, VICTOR));
		assert_noop!(A::apply(signed(WENDY), listing), E::ListingNotOpen);
	});
}

#[test]
fn timed_work_is_bounded_per_block_and_carries_over() {
	run(|| {
		// Ten listings expire in the same block; buckets hold 4, so they spread over later
		// buckets, and each block does at most 4.
		for _ in 0..10 {
			publish(GRACE, request(), None);
		}
		assert_eq!(DueTasks::<Test>::get(1 + LISTING_LIFETIME).len(), 4);
		assert_eq!(DueTasks::<Test>::get(2 + LISTING_LIFETIME).len(), 4);
		assert_eq!(DueTasks::<Test>::get(3 + LISTING_LIFETIME).len(), 2);
		advance_to(1 + LISTING_LIFETIME);
		let expired =
			|| Listings::<Test>::iter().filter(|(_, l)| l.status == ListingStatus::Expired).count();
		assert_eq!(expired(), 4);
		advance_to(3 + LISTING_LIFETIME);
		assert_eq!(expired(), 10);
		assert_eq!(DueCursor::<Test>::get(), 4 + LISTING_LIFETIME);
	});
}

#[test]
fn the_scheduler_refuses_work_when_every_bucket_ahead_is_full() {
	run(|| {
		let full: BoundedVec<_, _> = vec![DueTask::ExpireListing(99); MAX_TASKS_PER_BLOCK as usize]
			.try_into()
			.expect("fits");
		for block in 1 + LISTING_LIFETIME..1 + LISTING_LIFETIME + 16 {
			DueTasks::<Test>::insert(block, full.clone());
		}
		assert_noop!(A::publish(signed(GRACE), request(), None), E::SchedulerFull);
	});
}

#[test]
fn a_check_in_code_stops_a_volunteer_checking_in_alone() {
	run(|| {
		let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::WrongCheckInCode);
		let code: CheckInCode = b"4711".to_vec().try_into().expect("short");
		let hash = H256(polkadot_sdk::sp_io::hashing::blake2_256(&code));
		assert_noop!(A::set_check_in_code(signed(VICTOR), engagement, hash), E::NotAParty);
		assert_ok!(A::set_check_in_code(signed(PAUL), engagement, hash));
		let wrong: CheckInCode = b"0000".to_vec().try_into().expect("short");
		assert_noop!(A::check_in(signed(VICTOR), engagement, Some(wrong)), E::WrongCheckInCode);
		assert_ok!(A::check_in(signed(VICTOR), engagement, Some(code)));
		assert_noop!(A::set_check_in_code(signed(GRACE), engagement, hash), E::WrongState);
		// Staff check in on a volunteer's behalf without a code.
		let second = engage(HENRY, request(), WENDY);
		assert_ok!(A::check_in(signed(STAFF0), second, None));
		assert_noop!(A::set_check_in_code(signed(GRACE), 99, hash), E::UnknownEngagement);
	});
}

fn decide(subject: ReviewSubject<AccountId>, decision: Decision) -> DispatchResult {
	<A as ReviewOutcome<AccountId>>::execute(&subject, &decision, &STAFF0)
}

#[test]
fn risky_listings_and_newcomers_go_to_review_and_open_when_approved() {
	run(|| {
		let policy = ActivityPolicy {
			review_from_risk: Some(RiskLevel::High),
			review_newcomers: false,
			..A::default_policy()
		};
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let bathing = ListingDraft { category: BATHING, ..request() };
		let listing = publish(GRACE, bathing, None);
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::InReview));
		assert_eq!(reviews(), vec![(0, ReviewSubject::Listing(listing), GRACE)]);
		assert_noop!(A::apply(signed(VICTOR), listing), E::ListingNotOpen);
		assert_ok!(decide(ReviewSubject::Listing(listing), Decision::Approve));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert!(events().contains(&Event::ListingReviewed {
			listing,
			reviewer: STAFF0,
			approved: true
		}));

		// Low-risk listings open at once; with the newcomer rule, a first listing waits too.
		let companionship = publish(GRACE, request(), None);
		assert_eq!(
			Listings::<Test>::get(companionship).map(|l| l.status),
			Some(ListingStatus::Open)
		);
		let policy = ActivityPolicy { review_newcomers: true, ..policy };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		let by_newcomer = publish(HENRY, request(), None);
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::InReview)
		);
		assert_ok!(decide(ReviewSubject::Listing(by_newcomer), Decision::Reject));
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::Rejected)
		);
		// A decision on a listing no longer in review changes nothing.
		assert_ok!(decide(ReviewSubject::Listing(by_newcomer), Decision::Approve));
		assert_eq!(
			Listings::<Test>::get(by_newcomer).map(|l| l.status),
			Some(ListingStatus::Rejected)
		);
		// Staff publish without review.
		let by_staff = publish(STAFF0, request(), Some(HENRY));
		assert_eq!(Listings::<Test>::get(by_staff).map(|l| l.status), Some(ListingStatus::Open));
	});
}

#[test]
fn review_decisions_must_fit_their_subject_and_parties_are_known() {
	run(|| {
		let outcome = Decision::Arbitrate;
		let accepts = |s, d| <A as ReviewOutcome<AccountId>>::accepts(&s, &d);
		assert!(accepts(ReviewSubject::Listing(0), Decision::Approve));
		assert!(!accepts(ReviewSubject::Listing(0), outcome(ArbitrationOutcome::PayProvider)));
		assert!(!accepts(ReviewSubject::Dispute(0), Decision::Approve));
		assert!(!accepts(ReviewSubject::Grant(0), Decision::Approve), "not an activities subject");
		assert_noop!(
			decide(ReviewSubject::Listing(0), outcome(ArbitrationOutcome::Reject)),
			E::WrongDecision
		);
		assert_noop!(decide(ReviewSubject::Listing(9), Decision::Approve), E::UnknownListing);

		let listing = publish(PAUL, request(), Some(GRACE));
		let subject = ReviewSubject::Listing(listing);
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&subject, &who);
		assert!(party(PAUL) && party(GRACE) && !party(STAFF0));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(PAUL), listing, VICTOR));
		let dispute = ReviewSubject::Dispute(0);
		let party = |who| <A as ReviewOutcome<AccountId>>::is_party(&dispute, &who);
		assert!(party(VICTOR) && party(GRACE) && party(PAUL) && !party(WENDY) && !party(STAFF0));
		assert_ok!(A::dispute(signed(PAUL), 0, H256::zero()));
		assert_eq!(reviews().last(), Some(&(0, dispute.clone(), PAUL)));
		assert_ok!(decide(dispute, outcome(ArbitrationOutcome::RefundReceivers)));
		assert_eq!(state(0), EngagementState::Settled);
		assert_eq!(spendable(GRACE), 600);
	});
}

#[test]
fn catalogue_and_policy_errors() {
	run(|| {
		let low = Category { risk: RiskLevel::Low, required_skill: None, active: true };
		assert_noop!(A::set_category(signed(STAFF0), 0, 5, Some(low)), E::NotBranchOfficer);
		assert_noop!(A::set_category(signed(ADMIN1), 0, 5, Some(low)), E::NotBranchOfficer);
		assert_noop!(
			A::set_category(RuntimeOrigin::root(), 0, 5, Some(low)),
			DispatchError::BadOrigin
		);
		assert_ok!(A::set_category(signed(ADMIN0), 0, 5, Some(low)));
		assert_ok!(A::set_category(signed(ADMIN0), 0, 5, None));
		assert_eq!(Catalogue::<Test>::get(0, 5), None);

		let good = A::default_policy();
		assert_noop!(A::set_activity_policy(signed(STAFF0), 0, good), E::NotBranchOfficer);
		for bad in [
			ActivityPolicy { confirm_window: 0, ..good },
			ActivityPolicy { listing_lifetime: 0, ..good },
			ActivityPolicy { confirm_window: 1_001, ..good },
		] {
			assert_noop!(A::set_activity_policy(signed(ADMIN0), 0, bad), E::InvalidPolicy);
		}
	});
}

#[test]
fn publish_errors() {
	run(|| {
		let d = request();
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { branch: 7, ..d }, None),
			E::BranchNotActive
		);
		assert_noop!(A::publish(signed(GRACE), d, Some(99)), E::NotActiveMember);
		MockRegistry::update(HENRY, |m| m.status = timebank_primitives::MemberStatus::Suspended);
		assert_noop!(A::publish(signed(HENRY), d, None), E::NotActiveMember);
		assert_noop!(A::publish(signed(VICTOR), d, Some(GRACE)), E::NotPermitted);
		// Proxies publish requests only.
		assert_noop!(A::publish(signed(PAUL), offer(1), Some(GRACE)), E::NotPermitted);
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { category: 9, ..d }, None),
			E::UnknownCategory
		);
		let inactive = Category { risk: RiskLevel::Low, required_skill: None, active: false };
		assert_ok!(A::set_category(signed(ADMIN0), 0, 3, Some(inactive)));
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { category: 3, ..d }, None),
			E::CategoryInactive
		);
		assert_noop!(A::publish(signed(VICTOR), d, None), E::WrongRole);
		assert_noop!(A::publish(signed(GRACE), offer(1), None), E::WrongRole);
		assert_noop!(
			A::publish(signed(WENDY), ListingDraft { category: BATHING, ..offer(1) }, None),
			E::MissingCertificate
		);
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { slot_end: d.slot_start, ..d }, None),
			E::InvalidSlot
		);
		assert_noop!(
			A::publish(
				signed(GRACE),
				ListingDraft { slot_start: 0, slot_end: START_MS - 1, ..d },
				None
			),
			E::InvalidSlot
		);
		for minutes in [0, 481] {
			assert_noop!(
				A::publish(signed(GRACE), ListingDraft { estimated_minutes: minutes, ..d }, None),
				E::InvalidDuration
			);
		}
		for limit in [0, 5] {
			assert_noop!(
				A::publish(signed(GRACE), ListingDraft { max_participants: limit, ..d }, None),
				E::InvalidParticipantLimit
			);
		}
		assert_noop!(
			A::publish(signed(GRACE), ListingDraft { min_trust: 6, ..d }, None),
			E::InvalidTrustLevel
		);
		let from_pool = ListingDraft { funding: Funding::BranchPool, ..d };
		assert_noop!(A::publish(signed(GRACE), from_pool, None), E::FundingNotAllowed);
		assert_noop!(A::publish(signed(STAFF0), from_pool, Some(GRACE)), E::FundingNotAllowed);
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		assert_ok!(A::publish(signed(STAFF0), from_pool, Some(GRACE)));
		NextListingId::<Test>::put(ListingId::MAX);
		assert_noop!(A::publish(signed(GRACE), d, None), E::Overflow);
	});
}

#[test]
fn branch_funded_requests_pay_from_the_grant_account() {
	run(|| {
		MockRegistry::update(GRACE, |m| m.redemption_eligible = true);
		let draft = ListingDraft { funding: Funding::BranchGrant, ..request() };
		// New credits: admins only.
		assert_noop!(A::publish(signed(STAFF0), draft, Some(GRACE)), E::FundingNotAllowed);
		let listing = publish(ADMIN0, draft, Some(GRACE));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(STAFF0), listing, VICTOR));
		serve(0, 60);
		assert_ok!(A::confirm(signed(GRACE), 0));
		assert_eq!((spendable(GRACE), spendable(VICTOR)), (600, 60), "GRACE keeps her credits");
	});
}

#[test]
fn apply_and_accept_errors() {
	run(|| {
		assert_noop!(A::apply(signed(VICTOR), 9), E::UnknownListing);
		let listing =
			publish(GRACE, ListingDraft { max_participants: 1, min_trust: 1, ..request() }, None);
		assert_noop!(A::apply(signed(GRACE), listing), E::OwnListing);
		assert_noop!(A::apply(signed(99), listing), E::NotActiveMember);
		assert_noop!(A::apply(signed(HENRY), listing), E::WrongRole);
		assert_noop!(A::apply(signed(VICTOR), listing), E::TrustTooLow);

		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::apply(signed(VICTOR), listing), E::AlreadyApplied);
		assert_ok!(A::apply(signed(WENDY), listing));
		assert_ok!(A::apply(signed(XAVIER), listing));
		MockRegistry::add_member(40, 0, MemberRoles { volunteer: true, ..Default::default() });
		assert_noop!(A::apply(signed(40), listing), E::TooManyApplications);

		assert_noop!(A::accept(signed(GRACE), 9, VICTOR), E::UnknownListing);
		assert_noop!(A::accept(signed(VICTOR), listing, VICTOR), E::NotPermitted);
		assert_noop!(A::accept(signed(GRACE), listing, 40), E::NotAnApplicant);
		MockRegistry::update(WENDY, |m| m.status = timebank_primitives::MemberStatus::Suspended);
		assert_noop!(A::accept(signed(GRACE), listing, WENDY), E::NotActiveMember);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		assert_noop!(A::accept(signed(GRACE), listing, XAVIER), E::ListingFull);
		assert_noop!(A::cancel_listing(signed(GRACE), listing), E::ListingHasEngagements);

		// Not enough credits to hold the estimate: the ledger refuses.
		let bigger = publish(HENRY, ListingDraft { estimated_minutes: 480, ..request() }, None);
		assert_ok!(A::apply(signed(XAVIER), bigger));
		assert_ok!(A::accept(signed(HENRY), bigger, XAVIER));
		let third = publish(HENRY, ListingDraft { estimated_minutes: 480, ..request() }, None);
		assert_ok!(A::apply(signed(VICTOR), third));
		assert_noop!(
			A::accept(signed(HENRY), third, VICTOR),
			pallet_timebank_ledger::Error::<Test>::InsufficientCredits
		);
	});
}

#[test]
fn cancelling_listings_and_engagements() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::cancel_listing(signed(VICTOR), listing), E::NotPermitted);
		assert_noop!(A::cancel_listing(signed(GRACE), 9), E::UnknownListing);
		assert_ok!(A::cancel_listing(signed(PAUL), listing));
		assert_noop!(A::cancel_listing(signed(GRACE), listing), E::ListingNotOpen);
		assert!(!Applications::<Test>::contains_key(listing, VICTOR));

		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::cancel_engagement(signed(WENDY), engagement), E::NotAParty);
		assert_noop!(A::cancel_engagement(signed(GRACE), 9), E::UnknownEngagement);
		assert_ok!(A::cancel_engagement(signed(VICTOR), engagement));
		assert_eq!((spendable(GRACE), escrow()), (600, 0));
		assert_noop!(A::cancel_engagement(signed(GRACE), engagement), E::WrongState);
		// The place is free again.
		let listing = NextListingId::<Test>::get() - 1;
		assert_ok!(A::apply(signed(WENDY), listing));
		assert_ok!(A::accept(signed(GRACE), listing, WENDY));
	});
}

#[test]
fn check_in_out_confirm_and_dispute_errors() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::check_in(signed(WENDY), engagement, None), E::NotAParty);
		assert_noop!(A::check_in(signed(VICTOR), 9, None), E::UnknownEngagement);
		assert_noop!(A::check_out(signed(VICTOR), engagement), E::WrongState);
		assert_noop!(A::confirm(signed(GRACE), engagement), E::WrongState);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::WrongState);
		assert_noop!(A::cancel_engagement(signed(VICTOR), engagement), E::WrongState);
		assert_noop!(A::check_out(signed(WENDY), engagement), E::NotAParty);
		assert_noop!(A::check_out(signed(VICTOR), 9), E::UnknownEngagement);
		advance_clock_minutes(30);
		assert_ok!(A::check_out(signed(STAFF0), engagement));
		assert_noop!(A::confirm(signed(VICTOR), engagement), E::NotAParty);
		assert_noop!(A::confirm(signed(GRACE), 9), E::UnknownEngagement);
		assert_noop!(A::dispute(signed(WENDY), engagement, H256::zero()), E::NotAParty);
		assert_noop!(A::dispute(signed(GRACE), 9, H256::zero()), E::UnknownEngagement);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_noop!(A::dispute(signed(GRACE), engagement, H256::zero()), E::WrongState);
	});
}

#[test]
fn rating_errors_and_trust_levels() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 5), E::WrongState);
		serve(engagement, 60);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 0), E::InvalidRating);
		assert_noop!(A::rate(signed(GRACE), engagement, VICTOR, 6), E::InvalidRating);
		assert_noop!(A::rate(signed(GRACE), 9, VICTOR, 5), E::UnknownEngagement);
		assert_noop!(A::rate(signed(WENDY), engagement, VICTOR, 5), E::NotAParty);
		assert_noop!(A::rate(signed(GRACE), engagement, GRACE, 5), E::NotCounterpart);
		assert_noop!(A::rate(signed(VICTOR), engagement, WENDY, 5), E::NotCounterpart);

		// Experience raises the level; three low ratings cap it.
		ServiceRecords::<Test>::insert(WENDY, ServiceRecord { provided: 21, ..Default::default() });
		assert_eq!(A::trust_level(&WENDY), 5);
		ServiceRecords::<Test>::insert(WENDY, ServiceRecord { provided: 6, ..Default::default() });
		assert_eq!(A::trust_level(&WENDY), 2);
		ServiceRecords::<Test>::insert(
			WENDY,
			ServiceRecord { provided: 21, ratings: 3, rating_sum: 7, ..Default::default() },
		);
		assert_eq!(A::trust_level(&WENDY), 2);
		assert_eq!(A::trust_level(&IRIS), 0);
	});
}

#[test]
fn a_group_that_has_started_takes_nobody_else_and_lapsed_certificates_are_refused() {
	run(|| {
		let listing = publish(VICTOR, offer(3), None);
		assert_ok!(A::apply(signed(GRACE), listing));
		assert_ok!(A::accept(signed(VICTOR), listing, GRACE));
		assert_ok!(A::apply(signed(HENRY), listing));
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.status), Some(ListingStatus::Closed));
		assert_noop!(A::accept(signed(VICTOR), listing, HENRY), E::ListingNotOpen);

		let bathing = publish(GRACE, ListingDraft { category: BATHING, ..request() }, None);
		assert_ok!(A::apply(signed(VICTOR), bathing));
		MockRegistry::clear_certificates();
		assert_noop!(A::accept(signed(GRACE), bathing, VICTOR), E::MissingCertificate);
	});
}

#[test]
fn every_call_is_free_for_members_from_validation_on() {
	use polkadot_sdk::frame_support::dispatch::{GetDispatchInfo, Pays};
	// Declared in the weight, so members without tokens pass the fee check in the pool.
	let calls: Vec<Call<Test>> = vec![
		Call::publish { draft: request(), owner: None },
		Call::apply { listing: 0 },
		Call::accept { listing: 0, applicant: VICTOR },
		Call::check_in { engagement: 0, code: None },
		Call::check_out { engagement: 0 },
		Call::confirm { engagement: 0 },
		Call::dispute { engagement: 0, reason: H256::zero() },
		Call::rate { engagement: 0, ratee: VICTOR, stars: 5 },
		Call::cancel_engagement { engagement: 0 },
		Call::cancel_listing { listing: 0 },
		Call::set_check_in_code { engagement: 0, code_hash: H256::zero() },
	];
	for call in calls {
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::No, "{call:?}");
	}
}

#[test]
fn officers_act_only_for_their_own_members_and_never_on_both_sides() {
	run(|| {
		// ADMIN1 of branch 1 may not publish for or accept on behalf of GRACE of branch 0.
		MockRegistry::add_officer(1, STAFF0B, OfficerRole::Staff);
		assert_noop!(A::publish(signed(ADMIN1), request(), Some(GRACE)), E::NotPermitted);
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::accept(signed(ADMIN1), listing, VICTOR), E::NotPermitted);

		// A volunteer who is also staff of branch 0 cannot accept themselves, skip the code or
		// confirm their own service.
		MockRegistry::add_officer(0, VICTOR, OfficerRole::Staff);
		assert_noop!(A::accept(signed(VICTOR), listing, VICTOR), E::NotPermitted);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
		assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
		assert_noop!(A::check_in(signed(VICTOR), 0, None), E::WrongCheckInCode);
		assert_noop!(A::set_check_in_code(signed(VICTOR), 0, H256::zero()), E::NotAParty);
		assert_ok!(A::check_in(signed(STAFF0), 0, None));
		advance_clock_minutes(30);
		assert_ok!(A::check_out(signed(VICTOR), 0));
		assert_noop!(A::confirm(signed(VICTOR), 0), E::NotAParty);
		assert_ok!(A::confirm(signed(STAFF0), 0));
	});
}

#[test]
fn a_group_receiver_withdraws_alone_and_the_provider_rates_each_receiver() {
	run(|| {
		let listing = publish(VICTOR, offer(3), None);
		for who in [GRACE, HENRY, IRIS] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(VICTOR), listing, who));
		}
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		assert_ok!(A::cancel_engagement(signed(HENRY), engagement));
		assert!(events().contains(&Event::ReceiverWithdrew {
			engagement,
			receiver: HENRY,
			refunded: 20
		}));
		assert_eq!(state(engagement), EngagementState::Accepted, "the others stay");
		assert_eq!(Engagements::<Test>::get(engagement).map(|e| e.receivers.len()), Some(2));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.accepted), Some(2));
		assert_eq!(spendable(HENRY), 600);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		advance_clock_minutes(60);
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		assert_ok!(A::confirm(signed(STAFF0), engagement));
		assert_ok!(A::rate(signed(VICTOR), engagement, GRACE, 5));
		assert_ok!(A::rate(signed(VICTOR), engagement, IRIS, 4));
		assert_noop!(A::rate(signed(VICTOR), engagement, IRIS, 4), E::AlreadyRated);
		assert_noop!(A::rate(signed(VICTOR), engagement, HENRY, 1), E::NotCounterpart);
	});
}

#[test]
fn slots_may_not_end_more_than_a_year_ahead() {
	run(|| {
		let year = 366 * 24 * 3_600_000;
		let far = ListingDraft { slot_end: START_MS + year + 1, ..request() };
		assert_noop!(A::publish(signed(GRACE), far, None), E::InvalidSlot);
		let edge = ListingDraft { slot_end: START_MS + year, ..request() };
		assert_ok!(A::publish(signed(GRACE), edge, None));
	});
}
