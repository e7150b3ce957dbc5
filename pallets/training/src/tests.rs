//! Unit tests: a course from creation to certificate, expiry and revocation as the activities
//! pallet sees them, rewards from the grant account, and every error.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};
use timebank_primitives::{BalanceClass, Certification, LedgerAccount, MemberStatus};

type T = Pallet<Test>;
type E = Error<Test>;

const SKILL: SkillId = 7;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A 4-hour bathing course of branch 0 whose certificates last a year and earn 120 minutes.
fn course() -> CourseId {
	assert_ok!(T::create_course(
		signed(ADMIN0),
		0,
		H256::repeat_byte(3),
		b"https://training.example/bathing-v2".to_vec(),
		240,
		SKILL,
		365,
		120
	));
	NextCourseId::<Test>::get() - 1
}

fn session(course: CourseId, capacity: u32) -> SessionId {
	assert_ok!(T::schedule_session(signed(STAFF0), course, START_MS + DAY_MS, capacity));
	NextSessionId::<Test>::get() - 1
}

/// Enrol, attend and complete: the certificate's id.
fn certify(session: SessionId, who: AccountId) -> CertificateId {
	assert_ok!(T::enrol(signed(who), session));
	assert_ok!(T::record_attendance(signed(STAFF0), session, who));
	assert_ok!(T::complete(signed(STAFF0), session, who));
	NextCertificateId::<Test>::get() - 1
}

#[test]
fn a_completed_course_issues_a_certificate_that_gates_the_skill_until_it_expires() {
	run(|| {
		let session = session(course(), 3);
		assert!(!T::is_certified(&VICTOR, SKILL));
		let certificate = certify(session, VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL));
		assert!(!T::is_certified(&WENDY, SKILL));
		let c = Certificates::<Test>::get(certificate).expect("issued");
		assert_eq!((c.holder, c.skill, c.branch, c.revoked), (VICTOR, SKILL, 0, false));
		assert_eq!(c.expires_at, Some(START_MS + 365 * DAY_MS));
		assert_eq!(c.content, H256::repeat_byte(3));
		assert_eq!(
			Enrolments::<Test>::get(session, VICTOR),
			Some(Enrolment::Completed(certificate))
		);
		// The reward came from the branch's grant account.
		assert_eq!(
			pallet_timebank_ledger::Pallet::<Test>::member_balance(
				&VICTOR,
				BalanceClass::Spendable
			),
			120
		);
		assert_eq!(
			pallet_timebank_ledger::CreditBalances::<Test>::get(LedgerAccount::Grant(0)),
			-120
		);
		MockClock::advance_ms(365 * DAY_MS - 1);
		assert!(T::is_certified(&VICTOR, SKILL));
		MockClock::advance_ms(1);
		assert!(!T::is_certified(&VICTOR, SKILL), "expired");
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
		assert!(!T::is_certified(&VICTOR, SKILL));
		assert!(Certificates::<Test>::get(certificate).is_some_and(|c| c.revoked));
		assert_noop!(
			T::revoke_certificate(signed(ADMIN0), certificate, H256::zero()),
			E::AlreadyRevoked
		);
		// Retaking the course certifies again.
		let again = certify(session(0, 3), VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL));
		assert_eq!(SkillCertificates::<Test>::get(VICTOR, SKILL), Some(again));
	});
}

#[test]
fn courses_without_expiry_or_reward() {
	run(|| {
		assert_ok!(T::create_course(signed(ADMIN0), 0, H256::zero(), vec![], 60, 8, 0, 0));
		let certificate = certify(session(0, 1), WENDY);
		assert_eq!(Certificates::<Test>::get(certificate).and_then(|c| c.expires_at), None);
		MockClock::advance_ms(50 * 365 * DAY_MS);
		assert!(T::is_certified(&WENDY, 8));
		assert_eq!(
			pallet_timebank_ledger::Pallet::<Test>::member_balance(&WENDY, BalanceClass::Spendable),
			0
		);
	});
}

#[test]
fn course_errors() {
	run(|| {
		let create = |by, branch, uri: Vec<u8>, minutes, validity, reward| {
			T::create_course(
				signed(by),
				branch,
				H256::zero(),
				uri,
				minutes,
				SKILL,
				validity,
				reward,
			)
		};
		assert_noop!(create(ADMIN0, 5, vec![], 60, 0, 0), E::BranchNotActive);
		assert_noop!(create(STAFF0, 0, vec![], 60, 0, 0), E::NotBranchOfficer);
		assert_noop!(create(ADMIN1, 0, vec![], 60, 0, 0), E::NotBranchOfficer);
		assert_noop!(create(ADMIN0, 0, vec![b'x'; 65], 60, 0, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, vec![], 0, 0, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, vec![], 24 * 60 + 1, 0, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, vec![], 60, 3_651, 0), E::InvalidCourse);
		assert_noop!(create(ADMIN0, 0, vec![], 60, 0, 601), E::InvalidCourse);
		assert_noop!(
			T::create_course(RuntimeOrigin::root(), 0, H256::zero(), vec![], 60, SKILL, 0, 0),
			DispatchError::BadOrigin
		);
		NextCourseId::<Test>::put(CourseId::MAX);
		assert_noop!(create(ADMIN0, 0, vec![], 60, 0, 0), E::Overflow);
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
		assert_noop!(T::record_attendance(signed(STAFF0), first, STAFF0), E::OwnRecord);
		assert_ok!(T::record_attendance(signed(ADMIN0), first, STAFF0));
		assert_noop!(T::complete(signed(STAFF0), first, STAFF0), E::OwnRecord);

		// VICTOR takes the course twice: one reward, a renewed certificate.
		certify(first, VICTOR);
		let again = certify(session(0, 3), VICTOR);
		let balance = pallet_timebank_ledger::Pallet::<Test>::member_balance(
			&VICTOR,
			BalanceClass::Spendable,
		);
		assert_eq!(balance, 120, "the reward is paid once");
		assert_eq!(SkillCertificates::<Test>::get(VICTOR, SKILL), Some(again));
	});
}

#[test]
fn a_shorter_certificate_does_not_hide_a_longer_one() {
	run(|| {
		let long = certify(session(course(), 3), VICTOR);
		// A 30-day refresher of the same skill.
		assert_ok!(T::create_course(signed(ADMIN0), 0, H256::zero(), vec![], 60, SKILL, 30, 0));
		certify(session(1, 3), VICTOR);
		assert_eq!(SkillCertificates::<Test>::get(VICTOR, SKILL), Some(long));
		MockClock::advance_ms(31 * DAY_MS);
		assert!(T::is_certified(&VICTOR, SKILL), "the year-long certificate still holds");
	});
}
