//! Unit tests: a course from creation to certificate, expiry and revocation as the activities
//! pallet sees them, rewards from the grant account, and every error. The issue-15 findings
//! (bounded arguments, trusted issuers, session times, reward budgets) are in `tests_issue15`.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	sp_runtime::DispatchError,
};
use timebank_primitives::{BalanceClass, Certification, LedgerAccount, MemberStatus};

pub(crate) type T = Pallet<Test>;
pub(crate) type E = Error<Test>;

pub(crate) const SKILL: SkillId = 7;

pub(crate) fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A course link.
pub(crate) fn link(bytes: &[u8]) -> BoundedVec<u8, <Test as Config>::MaxUriLen> {
	bytes.to_vec().try_into().expect("test links fit")
}

/// A 4-hour bathing course of branch 0 whose certificates last a year and earn 120 minutes, for
/// up to 10 members.
pub(crate) fn course() -> CourseId {
	assert_ok!(T::create_course(
		signed(ADMIN0),
		0,
		H256::repeat_byte(3),
		link(b"https://training.example/bathing-v2"),
		240,
		SKILL,
		365,
		120,
		10
	));
	NextCourseId::<Test>::get() - 1
}

/// A course of `branch` (its admin creates it) certifying `skill` for a year, without reward.
pub(crate) fn course_of(admin: AccountId, branch: BranchId, skill: SkillId) -> CourseId {
	assert_ok!(T::create_course(
		signed(admin),
		branch,
		H256::zero(),
		link(b""),
		60,
		skill,
		365,
		0,
		0
	));
	NextCourseId::<Test>::get() - 1
}

/// A session of `course` starting a day from now, scheduled by `STAFF0`.
pub(crate) fn session(course: CourseId, capacity: u32) -> SessionId {
	session_by(STAFF0, course, capacity)
}

/// A session of `course` starting a day from now, scheduled by `staff`.
pub(crate) fn session_by(staff: AccountId, course: CourseId, capacity: u32) -> SessionId {
	assert_ok!(T::schedule_session(signed(staff), course, MockClock::now_ms() + DAY_MS, capacity));
	NextSessionId::<Test>::get() - 1
}

/// Move the clock to the end of `session` (its start plus the course's length), if not past it.
pub(crate) fn finish(session: SessionId) {
	let s = Sessions::<Test>::get(session).expect("scheduled");
	let minutes = Courses::<Test>::get(s.course).expect("created").minutes;
	let end = s.starts_at + minutes * 60_000;
	MockClock::advance_ms(end.saturating_sub(MockClock::now_ms()));
}

/// Enrol, attend and complete (`STAFF0` records): the certificate's id.
pub(crate) fn certify(session: SessionId, who: AccountId) -> CertificateId {
	certify_by(STAFF0, session, who)
}

/// Enrol, attend and complete, `staff` recording: the certificate's id.
pub(crate) fn certify_by(staff: AccountId, session: SessionId, who: AccountId) -> CertificateId {
	assert_ok!(T::enrol(signed(who), session));
	finish(session);
	assert_ok!(T::record_attendance(signed(staff), session, who));
	assert_ok!(T::complete(signed(staff), session, who));
	NextCertificateId::<Test>::get() - 1
}

/// `who`'s spendable credits.
pub(crate) fn spendable(who: AccountId) -> i64 {
	pallet_timebank_ledger::Pallet::<Test>::member_balance(&who, BalanceClass::Spendable)
}

#[test]
fn a_completed_course_issues_a_certificate_that_gates_the_skill_until_it_expires() {
	run(|| {
		let session = session(course(), 3);
		assert!(!T::is_certified(&VICTOR, SKILL, 0));
		let certificate = certify(session, VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
		assert!(!T::is_certified(&WENDY, SKILL, 0));
		let c = Certificates::<Test>::get(certificate).expect("issued");
		assert_eq!((c.holder, c.skill, c.branch, c.revoked), (VICTOR, SKILL, 0, false));
		// Issued at the session's end: a day from the start, plus the course's four hours.
		let issued = START_MS + DAY_MS + 240 * 60_000;
		assert_eq!((c.issued_at, c.expires_at), (issued, Some(issued + 365 * DAY_MS)));
		assert_eq!(c.content, H256::repeat_byte(3));
		assert_eq!(
			Enrolments::<Test>::get(session, VICTOR),
			Some(Enrolment::Completed(certificate))
		);
		// The reward came from the branch's grant account.
		assert_eq!(spendable(VICTOR), 120);
		assert_eq!(
			pallet_timebank_ledger::CreditBalances::<Test>::get(LedgerAccount::Grant(0)),
			-120
		);
		MockClock::advance_ms(365 * DAY_MS - 1);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
		MockClock::advance_ms(1);
		assert!(!T::is_certified(&VICTOR, SKILL, 0), "expired");
	});
}

#[test]
fn revoked_certificates_stop_gating_and_stay_on_record() {
	run(|| {
		let certificate = certify(session(course(), 3), VICTOR);
		assert_noop!(
			T::revoke_certificate(signed(VICTOR), certificate, H256::zero()),
			E::NotBranchOfficer
		);
		assert_noop!(
			T::revoke_certificate(signed(ADMIN1), certificate, H256::zero()),
			E::NotBranchOfficer
		);
		assert_noop!(T::revoke_certificate(signed(STAFF0), 9, H256::zero()), E::UnknownCertificate);
		assert_ok!(T::revoke_certificate(signed(STAFF0), certificate, H256::repeat_byte(1)));
		assert!(!T::is_certified(&VICTOR, SKILL, 0));
		assert!(Certificates::<Test>::get(certificate).is_some_and(|c| c.revoked));
		assert_noop!(
			T::revoke_certificate(signed(ADMIN0), certificate, H256::zero()),
			E::AlreadyRevoked
		);
		// Retaking the course certifies again.
		let again = certify(session(0, 3), VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
		let held: Vec<_> =
			HeldCertificates::<Test>::get(VICTOR, SKILL).iter().map(|h| h.id).collect();
		assert_eq!(held, vec![again]);
	});
}

#[test]
fn courses_without_expiry_or_reward() {
	run(|| {
		assert_ok!(T::create_course(signed(ADMIN0), 0, H256::zero(), link(b""), 60, 8, 0, 0, 0));
		let certificate = certify(session(0, 1), WENDY);
		assert_eq!(Certificates::<Test>::get(certificate).and_then(|c| c.expires_at), None);
		MockClock::advance_ms(50 * 365 * DAY_MS);
		assert!(T::is_certified(&WENDY, 8, 0));
		assert_eq!(spendable(WENDY), 0);
		assert_eq!(RewardBudgets::<Test>::get(0), None, "no reward, no budget");
	});
}

#[test]
fn course_errors() {
	run(|| {
		let create = |by, branch, minutes, validity, reward| {
			T::create_course(
				signed(by),
				branch,
				H256::zero(),
				link(b""),
				minutes,
				SKILL,
				validity,
				reward,
				0,
			)
		};
		assert_noop!(create(ADMIN0, 5, 60, 0, 0), E::BranchNotActive);
		assert_noop!(create(STAFF0, 0, 60, 0, 0), E::NotBranchOfficer);
		assert_noop!(create(ADMIN1, 0, 60, 0, 0), E::NotBranchOfficer);
		assert_noop!(create(ADMIN0, 0, 0, 0, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, 24 * 60 + 1, 0, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, 60, 3_651, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, 60, 0, 601), E::InvalidCourse);
		assert_noop!(
			T::create_course(RuntimeOrigin::root(), 0, H256::zero(), link(b""), 60, SKILL, 0, 0, 0),
			DispatchError::BadOrigin
		);
		NextCourseId::<Test>::put(CourseId::MAX);
		assert_noop!(create(ADMIN0, 0, 60, 0, 0), E::Overflow);
		NextCourseId::<Test>::put(0);

		let course = course();
		assert_noop!(T::set_course_active(signed(STAFF0), course, false), E::NotBranchOfficer);
		assert_noop!(T::set_course_active(signed(ADMIN0), 9, false), E::UnknownCourse);
		assert_ok!(T::set_course_active(signed(ADMIN0), course, false));
		assert_noop!(
			T::schedule_session(signed(STAFF0), course, START_MS + 1, 1),
			E::CourseInactive
		);
	});
}

#[test]
fn session_errors() {
	run(|| {
		let course = course();
		assert_noop!(T::schedule_session(signed(STAFF0), 9, START_MS + 1, 1), E::UnknownCourse);
		assert_noop!(
			T::schedule_session(signed(VICTOR), course, START_MS + 1, 1),
			E::NotBranchOfficer
		);
		assert_noop!(
			T::schedule_session(signed(STAFF0), course, START_MS + 1, 0),
			E::InvalidSession
		);
		assert_noop!(
			T::schedule_session(signed(STAFF0), course, START_MS + 1, 4),
			E::InvalidSession
		);
		assert_noop!(T::schedule_session(signed(STAFF0), course, START_MS, 1), E::InvalidSession);
		NextSessionId::<Test>::put(SessionId::MAX);
		assert_noop!(T::schedule_session(signed(STAFF0), course, START_MS + 1, 1), E::Overflow);
		NextSessionId::<Test>::put(0);

		let session = session(course, 2);
		assert_noop!(T::close_session(signed(VICTOR), session), E::NotBranchOfficer);
		assert_noop!(T::close_session(signed(STAFF0), 9), E::UnknownSession);
		assert_ok!(T::close_session(signed(STAFF0), session));
		assert_noop!(T::close_session(signed(STAFF0), session), E::SessionClosed);
		assert_noop!(T::enrol(signed(VICTOR), session), E::SessionClosed);
	});
}

#[test]
fn enrolment_errors() {
	run(|| {
		let course = course();
		let session = session(course, 2);
		assert_noop!(T::enrol(signed(99), session), E::NotActiveMember);
		assert_noop!(T::enrol(signed(VICTOR), 9), E::UnknownSession);
		assert_ok!(T::enrol(signed(VICTOR), session));
		assert_noop!(T::enrol(signed(VICTOR), session), E::AlreadyEnrolled);
		assert_ok!(T::enrol(signed(WENDY), session));
		assert_noop!(T::enrol(signed(YARA), session), E::SessionFull);
		assert_noop!(T::withdraw(signed(YARA), session), E::NotEnrolled);
		assert_ok!(T::withdraw(signed(WENDY), session));
		assert_ok!(T::enrol(signed(YARA), session));
		finish(session);
		assert_ok!(T::record_attendance(signed(STAFF0), session, YARA));
		assert_noop!(T::withdraw(signed(YARA), session), E::WrongStep);
		assert_ok!(T::set_course_active(signed(ADMIN0), course, false));
		let other = {
			assert_ok!(T::set_course_active(signed(ADMIN0), course, true));
			let s = self::session(course, 2);
			assert_ok!(T::set_course_active(signed(ADMIN0), course, false));
			s
		};
		assert_noop!(T::enrol(signed(ZACK), other), E::CourseInactive);
	});
}

#[test]
fn attendance_and_completion_errors() {
	run(|| {
		let session = session(course(), 3);
		assert_ok!(T::enrol(signed(VICTOR), session));
		finish(session);
		assert_noop!(T::record_attendance(signed(STAFF0), 9, VICTOR), E::UnknownSession);
		assert_noop!(T::record_attendance(signed(VICTOR), session, VICTOR), E::NotBranchOfficer);
		assert_noop!(T::record_attendance(signed(STAFF0), session, WENDY), E::NotEnrolled);
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::WrongStep);
		assert_ok!(T::record_attendance(signed(STAFF0), session, VICTOR));
		assert_noop!(T::record_attendance(signed(STAFF0), session, VICTOR), E::WrongStep);
		assert_noop!(T::complete(signed(STAFF0), 9, VICTOR), E::UnknownSession);
		assert_noop!(T::complete(signed(ADMIN1), session, VICTOR), E::NotBranchOfficer);
		assert_noop!(T::complete(signed(STAFF0), session, WENDY), E::NotEnrolled);
		MockRegistry::update(VICTOR, |m| m.status = MemberStatus::Left);
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::NotActiveMember);
		MockRegistry::update(VICTOR, |m| m.status = MemberStatus::Active);
		NextCertificateId::<Test>::put(CertificateId::MAX);
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::Overflow);
		NextCertificateId::<Test>::put(0);
		assert_ok!(T::complete(signed(STAFF0), session, VICTOR));
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::WrongStep);
	});
}

#[test]
fn staff_do_not_certify_themselves_and_rewards_are_paid_once() {
	run(|| {
		MockRegistry::add_member(STAFF0, 0, timebank_primitives::MemberRoles::default());
		let first = session(course(), 3);
		assert_ok!(T::enrol(signed(STAFF0), first));
		finish(first);
		assert_noop!(T::record_attendance(signed(STAFF0), first, STAFF0), E::OwnRecord);
		assert_ok!(T::record_attendance(signed(ADMIN0), first, STAFF0));
		assert_noop!(T::complete(signed(STAFF0), first, STAFF0), E::OwnRecord);

		// VICTOR takes the course twice: one reward, a renewed certificate.
		certify(first, VICTOR);
		let again = certify(session(0, 3), VICTOR);
		assert_eq!(spendable(VICTOR), 120, "the reward is paid once");
		assert!(HeldCertificates::<Test>::get(VICTOR, SKILL).iter().any(|h| h.id == again));
		assert_eq!(RewardBudgets::<Test>::get(0).map(|b| b.paid), Some(1));
	});
}

#[test]
fn a_shorter_certificate_does_not_hide_a_longer_one() {
	run(|| {
		let long = certify(session(course(), 3), VICTOR);
		// A 30-day refresher of the same skill.
		assert_ok!(T::create_course(
			signed(ADMIN0),
			0,
			H256::zero(),
			link(b""),
			60,
			SKILL,
			30,
			0,
			0
		));
		let short = certify(session(1, 3), VICTOR);
		let held: Vec<_> =
			HeldCertificates::<Test>::get(VICTOR, SKILL).iter().map(|h| h.id).collect();
		assert_eq!(held, vec![long, short]);
		MockClock::advance_ms(31 * DAY_MS);
		assert!(T::is_certified(&VICTOR, SKILL, 0), "the year-long certificate still holds");
	});
}
