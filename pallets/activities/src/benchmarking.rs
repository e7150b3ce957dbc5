//! Benchmarks of every activities call and of the timed work, each at its most expensive path:
//! full groups, cross-branch providers, review queues full of applications.

// `#[benchmarks]` expects `Pallet` and `Call` in scope.
use crate::{
	ActivityPolicy, Applications, Call, Category, CheckInCode, CheckInProof, Config, DueCursor,
	DueQueue, DueTask, Engagements, Funding, ListingDraft, ListingStatus, Listings,
	NextEngagementId, NextListingId, Pallet, Pallet as Activities,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{Get, UnixTime},
		BoundedVec,
	},
	frame_system::{self, pallet_prelude::OriginFor, RawOrigin},
	sp_core::H256,
};
use timebank_primitives::{
	ArbitrationOutcome, BranchId, CategoryId, Decision, EngagementId, EngagementState, ListingId,
	ListingKind, Minutes, OfficerRole, ProxyPermissions, ReviewSubject, RiskLevel,
};

/// Registry and ledger state for the benchmarks, set up through the runtime's registry and
/// ledger.
pub trait BenchmarkHelper<AccountId> {
	/// Register a root branch with `admin` as its admin.
	fn branch(admin: &AccountId) -> BranchId;
	/// Appoint `who` at `branch`.
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole);
	/// An active member of `branch` who both volunteers and receives services.
	fn member(who: &AccountId, branch: BranchId);
	/// Authorise `proxy` for `member`.
	fn proxy(member: &AccountId, proxy: &AccountId, permissions: ProxyPermissions);
	/// `admin` of the member's home branch grants `minutes` of spendable credits.
	fn credits(admin: &AccountId, who: &AccountId, minutes: Minutes);
	/// `officer` (staff or admin) of the member's home branch makes them eligible to spend
	/// branch funds.
	fn redemption_eligible(officer: &AccountId, who: &AccountId);
	/// `admin` of `branch` sends grants of any size there to review.
	fn review_grants(admin: &AccountId, branch: BranchId);
}

const CATEGORY: CategoryId = 1;

/// A home branch with admin and staff and a catalogue; a second branch whose member provides.
struct Cast<T: Config> {
	home: BranchId,
	admin: T::AccountId,
	staff: T::AccountId,
	elder: T::AccountId,
	volunteer: T::AccountId,
}

fn cast<T: Config>() -> Cast<T> {
	let admin: T::AccountId = account("admin", 0, 0);
	let other_admin: T::AccountId = account("other-admin", 0, 0);
	let staff: T::AccountId = account("staff", 0, 0);
	let home = T::BenchmarkHelper::branch(&admin);
	let away = T::BenchmarkHelper::branch(&other_admin);
	T::BenchmarkHelper::officer(home, &staff, OfficerRole::Staff);
	let elder: T::AccountId = account("elder", 0, 0);
	let volunteer: T::AccountId = account("volunteer", 0, 0);
	T::BenchmarkHelper::member(&elder, home);
	// Providers from another branch are paid through clearing accounts: the dearer path.
	T::BenchmarkHelper::member(&volunteer, away);
	T::BenchmarkHelper::credits(&admin, &elder, 600);
	let category = Category { risk: RiskLevel::High, required_skill: None, active: true };
	Activities::<T>::set_category(
		RawOrigin::Signed(admin.clone()).into(),
		home,
		CATEGORY,
		Some(category),
	)
	.expect("admin sets the catalogue");
	Cast { home, admin, staff, elder, volunteer }
}

/// A listing whose two-hour slot starts now (chain time), so check-in is open at once.
fn draft<T: Config>(branch: BranchId, kind: ListingKind, participants: u32) -> ListingDraft {
	let now = T::UnixTime::now().as_millis() as u64;
	ListingDraft {
		kind,
		branch,
		category: CATEGORY,
		slot_start: now,
		slot_end: now.saturating_add(7_200_000),
		area: 1,
		estimated_minutes: 60,
		min_trust: 0,
		max_participants: participants,
		funding: Funding::Own,
		details_hash: Default::default(),
	}
}

fn last_listing<T: Config>() -> ListingId {
	NextListingId::<T>::get() - 1
}

/// A request by the cast's elder that `applications` volunteers applied to.
fn request_with_applications<T: Config>(c: &Cast<T>, applications: u32) -> ListingId {
	Activities::<T>::publish(
		RawOrigin::Signed(c.elder.clone()).into(),
		draft::<T>(c.home, ListingKind::Request, 1),
		None,
	)
	.expect("elder publishes");
	let listing = last_listing::<T>();
	for i in 0..applications {
		let applicant: T::AccountId = account("applicant", i, 0);
		T::BenchmarkHelper::member(&applicant, c.home);
		Activities::<T>::apply(RawOrigin::Signed(applicant).into(), listing)
			.expect("volunteer applies");
	}
	listing
}

/// An offer by the cast's volunteer with `receivers` accepted receivers of the home branch.
fn group<T: Config>(c: &Cast<T>, receivers: u32) -> EngagementId {
	let limit = T::MaxParticipants::get();
	Activities::<T>::publish(
		RawOrigin::Signed(c.volunteer.clone()).into(),
		draft::<T>(c.home, ListingKind::Offer, limit),
		None,
	)
	.expect("volunteer offers");
	let listing = last_listing::<T>();
	for i in 0..receivers {
		let receiver: T::AccountId = account("receiver", i, 0);
		T::BenchmarkHelper::member(&receiver, c.home);
		T::BenchmarkHelper::credits(&c.admin, &receiver, 600);
		Activities::<T>::apply(RawOrigin::Signed(receiver.clone()).into(), listing)
			.expect("receiver applies");
		Activities::<T>::accept(RawOrigin::Signed(c.volunteer.clone()).into(), listing, receiver)
			.expect("provider accepts");
	}
	NextEngagementId::<T>::get() - 1
}

/// The group checked in and out, with an hour measured.
fn served_group<T: Config>(c: &Cast<T>, receivers: u32) -> EngagementId {
	let engagement = group::<T>(c, receivers);
	Activities::<T>::check_in(RawOrigin::Signed(c.volunteer.clone()).into(), engagement, None)
		.expect("provider checks in");
	Activities::<T>::check_out(RawOrigin::Signed(c.volunteer.clone()).into(), engagement)
		.expect("provider checks out");
	// The benchmark clock stands still: record an hour as if it had passed.
	Engagements::<T>::mutate(engagement, |e| {
		if let Some(e) = e {
			e.measured_minutes = 60;
		}
	});
	engagement
}

/// The audits benchmarks' dearest subject, built in `branch`: a full group service by a provider
/// of another branch, checked in and out, then disputed by `requester`, one of its receivers.
/// Returns the dispute and the decision that costs most to carry out: paying the provider, which
/// settles every hold.
pub fn disputed_group_service<T: Config>(
	branch: BranchId,
	requester: &T::AccountId,
) -> (ReviewSubject<T::AccountId>, Decision) {
	let signed = |who: &T::AccountId| -> OriginFor<T> { RawOrigin::Signed(who.clone()).into() };
	let admin: T::AccountId = account("subject-admin", 0, 0);
	T::BenchmarkHelper::officer(branch, &admin, OfficerRole::Admin);
	let category = Category { risk: RiskLevel::Low, required_skill: None, active: true };
	Activities::<T>::set_category(signed(&admin), branch, CATEGORY, Some(category))
		.expect("benchmark setup: admin sets the catalogue");
	let provider: T::AccountId = account("subject-provider", 0, 0);
	let away_admin: T::AccountId = account("subject-away-admin", 0, 0);
	let away = T::BenchmarkHelper::branch(&away_admin);
	T::BenchmarkHelper::member(&provider, away);
	let limit = T::MaxParticipants::get();
	let offer = ListingDraft {
		// The longest service: the largest holds to settle.
		estimated_minutes: T::MaxServiceMinutes::get(),
		..draft::<T>(branch, ListingKind::Offer, limit)
	};
	Activities::<T>::publish(signed(&provider), offer, None)
		.expect("benchmark setup: the provider offers");
	let listing = last_listing::<T>();
	for i in 0..limit {
		let receiver: T::AccountId =
			if i == 0 { requester.clone() } else { account("subject-receiver", i, 0) };
		T::BenchmarkHelper::member(&receiver, branch);
		T::BenchmarkHelper::credits(&admin, &receiver, 600);
		Activities::<T>::apply(signed(&receiver), listing).expect("benchmark setup: applies");
		Activities::<T>::accept(signed(&provider), listing, receiver)
			.expect("benchmark setup: accepted");
	}
	let engagement = NextEngagementId::<T>::get() - 1;
	Activities::<T>::check_in(signed(&provider), engagement, None)
		.expect("benchmark setup: checks in");
	Activities::<T>::check_out(signed(&provider), engagement).expect("benchmark setup: checks out");
	Activities::<T>::dispute(signed(requester), engagement, H256::zero())
		.expect("benchmark setup: a receiver disputes");
	(ReviewSubject::Dispute(engagement), Decision::Arbitrate(ArbitrationOutcome::PayProvider))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_category() {
		let c = cast::<T>();
		let category = Category { risk: RiskLevel::Low, required_skill: None, active: true };
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.home, 2, Some(category));
	}

	#[benchmark]
	fn set_activity_policy() {
		let c = cast::<T>();
		let policy = Activities::<T>::default_policy();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.home, policy);
	}

	#[benchmark]
	fn publish() {
		let c = cast::<T>();
		// The admin publishes a request paid from the grant account for the elder: its budget
		// goes to the grant reviewers (H3), and the risk and newcomer rules are read too.
		T::BenchmarkHelper::redemption_eligible(&c.admin, &c.elder);
		T::BenchmarkHelper::review_grants(&c.admin, c.home);
		let policy = ActivityPolicy {
			review_from_risk: Some(RiskLevel::High),
			review_newcomers: true,
			..Activities::<T>::default_policy()
		};
		Activities::<T>::set_activity_policy(
			RawOrigin::Signed(c.admin.clone()).into(),
			c.home,
			policy,
		)
		.expect("admin sets policy");
		let limit = T::MaxParticipants::get();
		let funded = ListingDraft {
			funding: Funding::BranchGrant,
			..draft::<T>(c.home, ListingKind::Request, limit)
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), funded, Some(c.elder));
		assert_eq!(
			Listings::<T>::get(last_listing::<T>()).map(|l| l.status),
			Some(ListingStatus::InReview)
		);
	}

	#[benchmark]
	fn cancel_listing() {
		let c = cast::<T>();
		let listing = request_with_applications::<T>(&c, T::MaxApplications::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(c.elder), listing);
	}

	#[benchmark]
	fn apply() {
		let c = cast::<T>();
		let listing = request_with_applications::<T>(&c, T::MaxApplications::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.volunteer), listing);
	}

	#[benchmark]
	fn withdraw_application() {
		let c = cast::<T>();
		let listing = request_with_applications::<T>(&c, T::MaxApplications::get() - 1);
		Pallet::<T>::apply(RawOrigin::Signed(c.volunteer.clone()).into(), listing)
			.expect("the volunteer applies");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.volunteer.clone()), listing);
		assert!(!Applications::<T>::contains_key(listing, &c.volunteer));
	}

	#[benchmark]
	fn accept() {
		let c = cast::<T>();
		// The request path, the dearest: a request paid by the branch's grant account (the
		// owner's status and eligibility and the publisher's office are read again), accepted by
		// the elder's proxy (both of its permissions read), for a volunteer of another branch,
		// creating an engagement and scheduling its no-show check.
		T::BenchmarkHelper::redemption_eligible(&c.staff, &c.elder);
		let proxy: T::AccountId = account("proxy", 0, 0);
		T::BenchmarkHelper::member(&proxy, c.home);
		T::BenchmarkHelper::proxy(
			&c.elder,
			&proxy,
			ProxyPermissions {
				request_services: true,
				confirm_services: true,
				..Default::default()
			},
		);
		let request = ListingDraft {
			funding: Funding::BranchGrant,
			..draft::<T>(c.home, ListingKind::Request, 1)
		};
		Activities::<T>::publish(RawOrigin::Signed(c.admin.clone()).into(), request, Some(c.elder))
			.expect("admin publishes for the elder");
		let listing = last_listing::<T>();
		Activities::<T>::apply(RawOrigin::Signed(c.volunteer.clone()).into(), listing)
			.expect("volunteer applies");
		#[extrinsic_call]
		_(RawOrigin::Signed(proxy), listing, c.volunteer);
	}

	#[benchmark]
	fn set_check_in_code() {
		let c = cast::<T>();
		let engagement = group::<T>(&c, T::MaxParticipants::get());
		let last: T::AccountId = account("receiver", T::MaxParticipants::get() - 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), engagement, H256::repeat_byte(1));
	}

	#[benchmark]
	fn check_in() {
		let c = cast::<T>();
		let policy = ActivityPolicy { check_in_code: true, ..Activities::<T>::default_policy() };
		Activities::<T>::set_activity_policy(
			RawOrigin::Signed(c.admin.clone()).into(),
			c.home,
			policy,
		)
		.expect("admin sets policy");
		let engagement = group::<T>(&c, T::MaxParticipants::get());
		// The longest code: the most to hash.
		let code: CheckInCode = BoundedVec::truncate_from(alloc::vec![b'7'; 32]);
		let salt = [0x42; 16];
		let commitment = Activities::<T>::check_in_commitment(engagement, &salt, &code);
		Activities::<T>::set_check_in_code(
			RawOrigin::Signed(c.staff).into(),
			engagement,
			commitment,
		)
		.expect("staff of the receivers' home branch set the code");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.volunteer), engagement, Some(CheckInProof { salt, code }));
	}

	#[benchmark]
	fn check_out() {
		let c = cast::<T>();
		let engagement = group::<T>(&c, T::MaxParticipants::get());
		Activities::<T>::check_in(RawOrigin::Signed(c.volunteer.clone()).into(), engagement, None)
			.expect("provider checks in");
		// The blocks ahead hold more tasks than a block runs (M4): scheduling still costs one
		// write, whatever they hold.
		let due = frame_system::Pallet::<T>::block_number()
			+ Activities::<T>::policy(c.home).confirm_window;
		for i in 0..T::MaxDueTasksPerBlock::get().saturating_mul(2) {
			DueQueue::<T>::insert(due, DueTask::ExpireListing(u64::from(i) + 1_000_000), 0u32);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(c.volunteer), engagement);
	}

	#[benchmark]
	fn confirm(r: Linear<1, { T::MaxParticipants::get() }>) {
		let c = cast::<T>();
		let engagement = served_group::<T>(&c, r);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), engagement);
		assert_eq!(
			Engagements::<T>::get(engagement).map(|e| e.state),
			Some(EngagementState::Settled)
		);
	}

	#[benchmark]
	fn dispute() {
		let c = cast::<T>();
		let engagement = served_group::<T>(&c, T::MaxParticipants::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(c.volunteer), engagement, H256::zero());
	}

	#[benchmark]
	fn cancel_engagement(r: Linear<1, { T::MaxParticipants::get() }>) {
		let c = cast::<T>();
		let engagement = group::<T>(&c, r);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), engagement);
	}

	#[benchmark]
	fn rate() {
		let c = cast::<T>();
		let engagement = served_group::<T>(&c, T::MaxParticipants::get());
		Activities::<T>::confirm(RawOrigin::Signed(c.staff).into(), engagement)
			.expect("staff confirms");
		let last: T::AccountId = account("receiver", T::MaxParticipants::get() - 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), engagement, c.volunteer, 5);
	}

	#[benchmark]
	fn on_initialize_idle() {
		let now = frame_system::Pallet::<T>::block_number();
		DueCursor::<T>::put(now);
		#[block]
		{
			Activities::<T>::run_due_tasks(now);
		}
	}

	#[benchmark]
	fn due_task(r: Linear<1, { T::MaxParticipants::get() }>) {
		let c = cast::<T>();
		let engagement = served_group::<T>(&c, r);
		let due = Engagements::<T>::get(engagement).and_then(|e| e.confirm_due).expect("due");
		// Only the auto-confirmation in the block: the settlement is the task measured.
		let _ = DueQueue::<T>::clear_prefix(due, u32::MAX, None);
		DueQueue::<T>::insert(due, DueTask::AutoConfirm(engagement), 0u32);
		DueCursor::<T>::put(due);
		frame_system::Pallet::<T>::set_block_number(due);
		#[block]
		{
			Activities::<T>::run_due_tasks(due);
		}
		assert_eq!(
			Engagements::<T>::get(engagement).map(|e| e.state),
			Some(EngagementState::Settled)
		);
	}

	impl_benchmark_test_suite!(Activities, crate::mock::new_test_ext(), crate::mock::Test);
}
