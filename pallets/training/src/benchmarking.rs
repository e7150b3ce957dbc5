//! Benchmarks of every training call at its most expensive path: completion with a reward paid
//! from the grant account, enrolment into the last place of a full-size session.

use super::*;
use crate::Pallet as Training;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use polkadot_sdk::frame_benchmarking::v2::*;
use timebank_primitives::MembershipFixtures;

struct Cast<T: Config> {
	admin: T::AccountId,
	staff: T::AccountId,
	course: CourseId,
}

fn cast<T: Config>() -> Cast<T> {
	let admin: T::AccountId = account("admin", 0, 0);
	let staff: T::AccountId = account("staff", 0, 0);
	let branch = T::BenchmarkHelper::branch(&admin);
	T::BenchmarkHelper::officer(branch, &staff, OfficerRole::Staff);
	Training::<T>::create_course(
		RawOrigin::Signed(admin.clone()).into(),
		branch,
		H256::zero(),
		alloc::vec![b'u'; T::MaxUriLen::get() as usize],
		240,
		7,
		365,
		T::MaxReward::get(),
	)
	.expect("admin creates a course");
	Cast { admin, staff, course: NextCourseId::<T>::get() - 1 }
}

/// A session of the cast's course with `enrolled` members enrolled.
fn session<T: Config>(c: &Cast<T>, enrolled: u32) -> SessionId {
	Training::<T>::schedule_session(
		RawOrigin::Signed(c.staff.clone()).into(),
		c.course,
		u64::MAX,
		T::MaxSessionCapacity::get(),
	)
	.expect("staff schedules");
	let session = NextSessionId::<T>::get() - 1;
	let branch = Courses::<T>::get(c.course).map(|c| c.branch).unwrap_or_default();
	for i in 0..enrolled {
		let who: T::AccountId = account("trainee", i, 0);
		T::BenchmarkHelper::member(&who, branch);
		Training::<T>::enrol(RawOrigin::Signed(who).into(), session).expect("member enrols");
	}
	session
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_course() {
		let c = cast::<T>();
		let uri = alloc::vec![b'u'; T::MaxUriLen::get() as usize];
		let branch = Courses::<T>::get(c.course).map(|c| c.branch).unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), branch, H256::zero(), uri, 240, 8, 365, 60);
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
		let branch = Courses::<T>::get(c.course).map(|c| c.branch).unwrap_or_default();
		T::BenchmarkHelper::member(&who, branch);
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
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), session, who.clone());
		assert!(SkillCertificates::<T>::contains_key(&who, 7));
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
		Training::<T>::complete(RawOrigin::Signed(c.staff.clone()).into(), session, who)
			.expect("staff completes");
		let certificate = NextCertificateId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), certificate, H256::zero());
	}
}
