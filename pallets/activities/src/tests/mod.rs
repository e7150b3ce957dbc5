//! Unit tests, one file per module of the pallet: the lifecycle of requests and offers, group
//! and cross-branch settlement, timed work, disputes, ratings, and every error (`run` checks the
//! ledger's and this pallet's invariants after each test). The helpers below are shared.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	frame_system,
	sp_runtime::{DispatchError, DispatchResult, Percent},
};
use timebank_primitives::{
	BalanceClass, Decision, LedgerAccount, MemberRoles, OfficerRole, ReviewOutcome, ReviewSubject,
	RiskLevel,
};

mod authority;
mod calls;
mod catalogue;
mod check_in;
mod clients;
mod engagements;
mod grants;
mod listings;
mod migrations;
mod rekeying;
mod review;
mod schedule;
mod settlement;
mod trust;

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
	pallet_timebank_ledger::CreditBalances::<Test>::get(LedgerAccount::Pool(branch))
}

fn escrow() -> i64 {
	pallet_timebank_ledger::CreditBalances::<Test>::get(LedgerAccount::Escrow)
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

/// A companionship request in branch 0 estimated at an hour, its slot from now for three hours
/// (so the volunteer may check in at once).
fn request() -> ListingDraft {
	ListingDraft {
		kind: ListingKind::Request,
		branch: 0,
		category: COMPANIONSHIP,
		slot_start: START_MS,
		slot_end: START_MS + 3 * 3_600_000,
		area: 310_104,
		estimated_minutes: 60,
		min_trust: 0,
		max_participants: 1,
		funding: Funding::Own,
		details_hash: H256::repeat_byte(0xd5),
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

/// Carry out a review decision on `subject` as the reviewers would, with STAFF0 as actor.
fn decide(subject: ReviewSubject<AccountId>, decision: Decision) -> DispatchResult {
	<A as ReviewOutcome<AccountId>>::execute(&subject, &decision, &STAFF0)
}
