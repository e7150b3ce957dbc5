//! Benchmarks of every training call at its most expensive path: a course whose reward budget
//! opens a review; completion paying a reward from an approved budget into a full certificate
//! record; revocation from a full record; enrolment into the last place of a full-size session;
//! a full list of trusted issuers.

use super::*;
use crate::Pallet as Training;
use alloc::vec::Vec;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use polkadot_sdk::frame_benchmarking::v2::*;
use timebank_primitives::MembershipFixtures;

/// What the training benchmarks need from the runtime besides branches and members.
pub trait BenchmarkHelper<AccountId>: MembershipFixtures<AccountId> {
	/// Make `branch` (whose admin is `admin`) review grants of `amount` minutes or more, so a
	/// reward budget of that size opens a review.
	fn review_grants_from(branch: BranchId, admin: &AccountId, amount: Minutes);
	/// Set the chain's clock (`T::UnixTime`) to `ms` milliseconds since the Unix epoch.
	fn set_time(ms: u64);
}

struct Cast<T: Config> {
	admin: T::AccountId,
	staff: T::AccountId,
	branch: BranchId,
	course: CourseId,
}

fn longest_uri<T: Config>() -> BoundedVec<u8, T::MaxUriLen> {
	BoundedVec::truncate_from(alloc::vec![b'u'; T::MaxUriLen::get() as usize])
}

/// A branch with an admin and staff, and a rewarding course whose budget is approved.
fn cast<T: Config>() -> Cast<T> {
	let admin: T::AccountId = account("admin", 0, 0);
	let staff: T::AccountId = account("staff", 0, 0);
	let branch = T::BenchmarkHelper::branch(&admin);
	T::BenchmarkHelper::officer(branch, &staff, OfficerRole::Staff);
	Training::<T>::create_course(
		RawOrigin::Signed(admin.clone()).into(),
		branch,
		H256::zero(),
		longest_uri::<T>(),
		1,
		7,
		365,
		T::MaxReward::get(),
		T::MaxRewardedCompletions::get(),
	)
	.expect("admin creates a course");
	let course = NextCourseId::<T>::get() - 1;
	// Approved, as if reviewers had decided (whatever the branch's review policy).
	RewardBudgets::<T>::mutate(course, |b| {
		if let Some(b) = b {
			b.status = BudgetStatus::Approved;
		}
	});
	Cast { admin, staff, branch, course }
}

/// A session of the cast's (one-minute) course with `enrolled` members enrolled, starting a
/// millisecond from now; then the clock moves to its end, so attendance and completion may be
/// recorded.
fn session<T: Config>(c: &Cast<T>, enrolled: u32) -> SessionId {
	let starts_at = Training::<T>::now_ms().saturating_add(1);
	Training::<T>::schedule_session(
		RawOrigin::Signed(c.staff.clone()).into(),
		c.course,
		starts_at,
		T::MaxSessionCapacity::get(),
	)
	.expect("staff schedules");
	let session = NextSessionId::<T>::get() - 1;
	for i in 0..enrolled {
		let who: T::AccountId = account("trainee", i, 0);
		T::BenchmarkHelper::member(&who, c.branch);
		Training::<T>::enrol(RawOrigin::Signed(who).into(), session).expect("member enrols");
	}
	T::BenchmarkHelper::set_time(starts_at.saturating_add(60_000));
	session
}

/// Fill `who`'s record for skill 7 with unexpired certificates of another branch, so that a
/// new one must push one out.
fn full_record<T: Config>(who: &T::AccountId, branch: BranchId) {
	let held = (0..T::MaxHeldCertificates::get())
		.map(|i| HeldCertificate {
			id: CertificateId::MAX - CertificateId::from(i),
			branch: branch.saturating_add(1),
			expires_at: None,
		})
		.collect::<Vec<_>>();
	HeldCertificates::<T>::insert(who, 7, BoundedVec::truncate_from(held));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_course() {
		let c = cast::<T>();
		T::BenchmarkHelper::review_grants_from(c.branch, &c.admin, 1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(c.admin),
			c.branch,
			H256::zero(),
			longest_uri::<T>(),
			240,
			8,
			365,
			T::MaxReward::get(),
			T::MaxRewardedCompletions::get(),
		);
		let course = NextCourseId::<T>::get() - 1;
		assert_eq!(RewardBudgets::<T>::get(course).map(|b| b.status), Some(BudgetStatus::InReview));
	}

	#[benchmark]
	fn set_course_active() {
		let c = cast::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.course, false);
	}

	#[benchmark]
	fn schedule_session() {
		let c = cast::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), c.course, u64::MAX, T::MaxSessionCapacity::get());
	}

	#[benchmark]
	fn close_session() {
		let c = cast::<T>();
		let session = session::<T>(&c, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), session);
	}

	#[benchmark]
	fn enrol() {
		let c = cast::<T>();
		let session = session::<T>(&c, T::MaxSessionCapacity::get() - 1);
		let who: T::AccountId = account("last", 0, 0);
		T::BenchmarkHelper::member(&who, c.branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), session);
	}

	#[benchmark]
	fn withdraw() {
		let c = cast::<T>();
		let session = session::<T>(&c, 1);
		let who: T::AccountId = account("trainee", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), session);
	}

	#[benchmark]
	fn record_attendance() {
		let c = cast::<T>();
		let session = session::<T>(&c, 1);
		let who: T::AccountId = account("trainee", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), session, who);
	}

	#[benchmark]
	fn complete() {
		let c = cast::<T>();
		let session = session::<T>(&c, 1);
		let who: T::AccountId = account("trainee", 0, 0);
		Training::<T>::record_attendance(
			RawOrigin::Signed(c.staff.clone()).into(),
			session,
			who.clone(),
		)
		.expect("staff records attendance");
		full_record::<T>(&who, c.branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), session, who.clone());
		let certificate = NextCertificateId::<T>::get() - 1;
		assert!(HeldCertificates::<T>::get(&who, 7).iter().any(|h| h.id == certificate));
		assert_eq!(RewardBudgets::<T>::get(c.course).map(|b| b.paid), Some(1));
	}

	#[benchmark]
	fn revoke_certificate() {
		let c = cast::<T>();
		let session = session::<T>(&c, 1);
		let who: T::AccountId = account("trainee", 0, 0);
		Training::<T>::record_attendance(
			RawOrigin::Signed(c.staff.clone()).into(),
			session,
			who.clone(),
		)
		.expect("staff records attendance");
		full_record::<T>(&who, c.branch);
		Training::<T>::complete(RawOrigin::Signed(c.staff.clone()).into(), session, who.clone())
			.expect("staff completes");
		let certificate = NextCertificateId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), certificate, H256::zero());
		assert!(!HeldCertificates::<T>::get(&who, 7).iter().any(|h| h.id == certificate));
	}

	#[benchmark]
	fn set_trusted_issuers() {
		let c = cast::<T>();
		let issuers = (0..T::MaxTrustedIssuers::get())
			.map(|i| T::BenchmarkHelper::branch(&account("issuer admin", i, 0)))
			.collect::<Vec<_>>();
		let issuers = BoundedVec::truncate_from(issuers);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.branch, issuers);
		assert_eq!(TrustedIssuers::<T>::get(c.branch).len() as u32, T::MaxTrustedIssuers::get());
	}
}
