//! Issue 15 (runtime hardening): the review findings on training, each reproduced as written in
//! the security review: C1 (unbounded call arguments), M9 (any branch's certificates count
//! everywhere; records before the session), L4 (revoking hides an older certificate) and H3
//! (course rewards issue credits without review), with every new error.

use crate::{mock::*, tests::*, *};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::StorageVersion, BoundedVec},
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{
	ArbitrationOutcome, Certificate, Certification, Decision, ReviewKind, ReviewOutcome,
	ReviewSubject,
};

fn issuers(list: &[BranchId]) -> BoundedVec<BranchId, <Test as Config>::MaxTrustedIssuers> {
	list.to_vec().try_into().expect("test lists fit")
}

fn held(who: AccountId, skill: SkillId) -> Vec<CertificateId> {
	HeldCertificates::<Test>::get(who, skill).iter().map(|h| h.id).collect()
}

fn training_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Training(e) => Some(e),
			_ => None,
		})
		.collect()
}

// C1: the link is bounded in the call's signature, so a longer one does not even decode (and the
// transaction cannot be included for free); the longest link still does.
#[test]
fn c1_an_oversized_link_does_not_decode() {
	let encoded = |uri_len: usize| {
		let mut call = vec![0u8]; // `create_course`'s call index
		(0 as BranchId, H256::zero(), vec![b'x'; uri_len], 60 as Minutes, SKILL, 0u32)
			.encode_to(&mut call);
		(0 as Minutes, 0u32).encode_to(&mut call);
		call
	};
	assert!(Call::<Test>::decode(&mut &encoded(64)[..]).is_ok());
	assert!(Call::<Test>::decode(&mut &encoded(65)[..]).is_err());
	assert!(Call::<Test>::decode(&mut &encoded(3_930_000)[..]).is_err());
}

// C1: every training call, with the largest arguments it can decode, stays small. The match
// names every call, so a new call must be added here.
#[test]
fn c1_every_call_is_small_at_its_largest() {
	let account = AccountId::MAX;
	let calls: Vec<Call<Test>> = vec![
		Call::create_course {
			branch: BranchId::MAX,
			content: H256::repeat_byte(0xff),
			uri: link(&[b'x'; 64]),
			minutes: Minutes::MAX,
			skill: SkillId::MAX,
			validity_days: u32::MAX,
			reward: Minutes::MAX,
			rewarded_completions: u32::MAX,
		},
		Call::set_course_active { course: CourseId::MAX, active: true },
		Call::schedule_session { course: CourseId::MAX, starts_at: u64::MAX, capacity: u32::MAX },
		Call::close_session { session: SessionId::MAX },
		Call::enrol { session: SessionId::MAX },
		Call::withdraw { session: SessionId::MAX },
		Call::record_attendance { session: SessionId::MAX, who: account },
		Call::complete { session: SessionId::MAX, who: account },
		Call::revoke_certificate { certificate: CertificateId::MAX, reason: H256::zero() },
		Call::set_trusted_issuers { branch: BranchId::MAX, issuers: issuers(&[1, 2]) },
	];
	for call in &calls {
		match call {
			Call::create_course { .. }
			| Call::set_course_active { .. }
			| Call::schedule_session { .. }
			| Call::close_session { .. }
			| Call::enrol { .. }
			| Call::withdraw { .. }
			| Call::record_attendance { .. }
			| Call::complete { .. }
			| Call::revoke_certificate { .. }
			| Call::set_trusted_issuers { .. }
			| Call::__Ignore(..) => {}
		}
		assert!(call.encoded_size() < 1_024, "{call:?}");
	}
	// The trusted-issuer list is bounded in the signature too.
	let mut too_many = vec![9u8]; // `set_trusted_issuers`'s call index
	(0 as BranchId, vec![1 as BranchId, 2, 3]).encode_to(&mut too_many);
	assert!(Call::<Test>::decode(&mut &too_many[..]).is_err());
}

// M9 (review scenario): branch 1 certifies Victor for skill 7; branch 0's category that needs
// skill 7 does not accept it until branch 0's admin lists branch 1 as a trusted issuer.
#[test]
fn m9_a_branch_accepts_only_certificates_it_issued_or_trusts() {
	run(|| {
		let course = course_of(ADMIN1, 1, SKILL);
		certify_by(STAFF1, session_by(STAFF1, course, 3), VICTOR);
		assert!(T::is_certified(&VICTOR, SKILL, 1), "the issuing branch accepts it");
		assert!(!T::is_certified(&VICTOR, SKILL, 0), "branch 0 does not trust branch 1");
		assert!(!T::is_certified(&VICTOR, SKILL, 2));

		assert_ok!(T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[1])));
		assert_eq!(TrustedIssuers::<Test>::get(0).into_inner(), vec![1]);
		assert!(T::is_certified(&VICTOR, SKILL, 0), "branch 0 trusts branch 1 now");
		assert!(!T::is_certified(&VICTOR, SKILL, 2), "branch 2 still does not");
		assert!(training_events().contains(&Event::TrustedIssuersSet {
			branch: 0,
			issuers: issuers(&[1]),
			by: ADMIN0,
		}));

		// An empty list: only the branch's own certificates again.
		assert_ok!(T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[])));
		assert!(!TrustedIssuers::<Test>::contains_key(0));
		assert!(!T::is_certified(&VICTOR, SKILL, 0));
	});
}

#[test]
fn m9_set_trusted_issuers_errors() {
	run(|| {
		assert_noop!(
			T::set_trusted_issuers(RuntimeOrigin::root(), 0, issuers(&[1])),
			DispatchError::BadOrigin
		);
		assert_noop!(T::set_trusted_issuers(signed(ADMIN0), 5, issuers(&[1])), E::BranchNotActive);
		assert_noop!(T::set_trusted_issuers(signed(STAFF0), 0, issuers(&[1])), E::NotBranchOfficer);
		assert_noop!(T::set_trusted_issuers(signed(ADMIN1), 0, issuers(&[1])), E::NotBranchOfficer);
		assert_noop!(T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[0])), E::RedundantIssuer);
		assert_noop!(
			T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[1, 1])),
			E::RedundantIssuer
		);
		assert_noop!(T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[7])), E::IssuerNotActive);
		MockRegistry::suspend_branch(2);
		assert_noop!(
			T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[1, 2])),
			E::IssuerNotActive
		);
		assert_ok!(T::set_trusted_issuers(signed(ADMIN0), 0, issuers(&[1])));
	});
}

// M9: attendance is recorded once the session has started, completion once it has lasted the
// course's length (4 hours here).
#[test]
fn m9_attendance_and_completion_follow_the_session_time() {
	run(|| {
		let session = session(course(), 3);
		let starts_at = START_MS + DAY_MS;
		assert_ok!(T::enrol(signed(VICTOR), session));
		assert_noop!(T::record_attendance(signed(STAFF0), session, VICTOR), E::SessionNotStarted);
		MockClock::advance_ms(starts_at - 1 - MockClock::now_ms());
		assert_noop!(T::record_attendance(signed(STAFF0), session, VICTOR), E::SessionNotStarted);
		MockClock::advance_ms(1);
		assert_ok!(T::record_attendance(signed(STAFF0), session, VICTOR));
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::CourseNotOver);
		MockClock::advance_ms(240 * 60_000 - 1);
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::CourseNotOver);
		MockClock::advance_ms(1);
		assert_ok!(T::complete(signed(STAFF0), session, VICTOR));
	});
}

// L4 (review scenario): certificate A (365 days), then B (no expiry) for the same skill;
// revoking B leaves A counting.
#[test]
fn l4_revoking_the_newest_certificate_keeps_an_older_valid_one() {
	run(|| {
		let a = certify(session(course(), 3), VICTOR);
		assert_ok!(T::create_course(
			signed(ADMIN0),
			0,
			H256::zero(),
			link(b""),
			60,
			SKILL,
			0,
			0,
			0
		));
		let b = certify(session(1, 3), VICTOR);
		assert_eq!(held(VICTOR, SKILL), vec![a, b]);
		assert_ok!(T::revoke_certificate(signed(STAFF0), b, H256::zero()));
		assert_eq!(held(VICTOR, SKILL), vec![a]);
		assert!(T::is_certified(&VICTOR, SKILL, 0), "certificate A still holds");
		assert_ok!(T::revoke_certificate(signed(STAFF0), a, H256::zero()));
		assert!(!T::is_certified(&VICTOR, SKILL, 0));
		assert!(!HeldCertificates::<Test>::contains_key(VICTOR, SKILL));
	});
}

// L4: the record per member and skill is bounded (3 in the mock); expired certificates drop out
// first, and one branch's certificates never push out another branch's.
#[test]
fn l4_the_certificate_record_is_bounded_and_fair_between_branches() {
	run(|| {
		let own = certify(session(course(), 3), VICTOR);
		let other = course_of(ADMIN1, 1, SKILL);
		let mut theirs = Vec::new();
		for _ in 0..4 {
			theirs.push(certify_by(STAFF1, session_by(STAFF1, other, 1), VICTOR));
		}
		// Branch 1's four one-year certificates share two places; branch 0's stays.
		assert_eq!(held(VICTOR, SKILL), vec![own, theirs[2], theirs[3]]);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
		// A year on, branch 0's and the older ones of branch 1 have expired and drop out.
		MockClock::advance_ms(365 * DAY_MS - 4 * (DAY_MS + 60 * 60_000));
		let last = certify_by(STAFF1, session_by(STAFF1, other, 1), VICTOR);
		assert_eq!(held(VICTOR, SKILL), vec![theirs[2], theirs[3], last]);
	});
}

/// A course of branch 0 rewarding 600 minutes for at most `completions` members.
fn rewarding_course(completions: u32) -> CourseId {
	assert_ok!(T::create_course(
		signed(ADMIN0),
		0,
		H256::zero(),
		link(b""),
		60,
		SKILL,
		0,
		600,
		completions
	));
	NextCourseId::<Test>::get() - 1
}

/// Enrol and attend; completion left to the test.
fn attend(session: SessionId, who: AccountId) {
	assert_ok!(T::enrol(signed(who), session));
	finish(session);
	assert_ok!(T::record_attendance(signed(STAFF0), session, who));
}

// H3 (review scenario B): a course rewarding 600 in a branch that reviews grants from 600: its
// budget goes to review, no completion pays before it is approved, and none beyond it after.
#[test]
fn h3_course_rewards_wait_for_the_review_of_their_budget() {
	run(|| {
		MockReviews::review(ReviewKind::Grant, 600);
		let course = rewarding_course(2);
		assert_eq!(MockReviews::opened(), vec![(0, ReviewSubject::CourseRewards(course), ADMIN0)]);
		assert!(training_events().contains(&Event::RewardBudgetSet {
			course,
			completions: 2,
			budget: 1_200,
			in_review: true,
		}));
		let session = session(course, 3);
		for who in [VICTOR, WENDY, YARA] {
			attend(session, who);
		}
		assert_noop!(T::complete(signed(STAFF0), session, VICTOR), E::RewardBudgetInReview);
		assert_eq!(spendable(VICTOR), 0);

		let subject = ReviewSubject::CourseRewards(course);
		assert!(T::accepts(&subject, &Decision::Approve));
		assert!(!T::is_party(&subject, &ADMIN0));
		assert_ok!(T::execute(&subject, &Decision::Approve, &ADMIN1));
		assert!(training_events().contains(&Event::RewardBudgetDecided { course, approved: true }));
		for who in [VICTOR, WENDY, YARA] {
			assert_ok!(T::complete(signed(STAFF0), session, who));
		}
		assert_eq!((spendable(VICTOR), spendable(WENDY)), (600, 600));
		assert_eq!(spendable(YARA), 0, "the budget pays two completions");
		assert!(T::is_certified(&YARA, SKILL, 0), "the certificate is issued all the same");
		assert_eq!(RewardBudgets::<Test>::get(course).map(|b| b.paid), Some(2));
		assert_eq!(
			pallet_timebank_ledger::CreditBalances::<Test>::get(
				timebank_primitives::LedgerAccount::Grant(0)
			),
			-1_200
		);
	});
}

// H3: a budget below the branch's review threshold is approved at once and still caps the
// completions it pays.
#[test]
fn h3_a_small_budget_needs_no_review_and_caps_the_rewards() {
	run(|| {
		MockReviews::review(ReviewKind::Grant, 1_201);
		let course = rewarding_course(2);
		assert!(MockReviews::opened().is_empty());
		let session = session(course, 3);
		for who in [VICTOR, WENDY, YARA] {
			attend(session, who);
			assert_ok!(T::complete(signed(STAFF0), session, who));
		}
		assert_eq!((spendable(VICTOR), spendable(WENDY), spendable(YARA)), (600, 600, 0));
	});
}

// H3: a rejected budget pays nothing; completions still certify.
#[test]
fn h3_a_rejected_budget_pays_nothing() {
	run(|| {
		MockReviews::review(ReviewKind::Grant, 600);
		let course = rewarding_course(1);
		let subject = ReviewSubject::CourseRewards(course);
		assert!(T::accepts(&subject, &Decision::Reject));
		assert_ok!(T::execute(&subject, &Decision::Reject, &ADMIN1));
		assert!(training_events().contains(&Event::RewardBudgetDecided { course, approved: false }));
		let session = session(course, 1);
		attend(session, VICTOR);
		assert_ok!(T::complete(signed(STAFF0), session, VICTOR));
		assert_eq!(spendable(VICTOR), 0);
		assert!(T::is_certified(&VICTOR, SKILL, 0));
	});
}

// H3: a course from before reward budgets existed has none and pays no reward.
#[test]
fn h3_a_course_without_a_budget_pays_nothing() {
	run(|| {
		let course = rewarding_course(1);
		RewardBudgets::<Test>::remove(course);
		let session = session(course, 1);
		attend(session, VICTOR);
		assert_ok!(T::complete(signed(STAFF0), session, VICTOR));
		assert_eq!(spendable(VICTOR), 0);
	});
}

#[test]
fn h3_reward_budget_errors() {
	run(|| {
		let create = |reward, completions| {
			T::create_course(
				signed(ADMIN0),
				0,
				H256::zero(),
				link(b""),
				60,
				SKILL,
				0,
				reward,
				completions,
			)
		};
		assert_noop!(create(600, 0), E::InvalidRewardBudget);
		assert_noop!(create(600, 11), E::InvalidRewardBudget);
		assert_noop!(create(0, 1), E::InvalidRewardBudget);

		MockReviews::review(ReviewKind::Grant, 600);
		let course = rewarding_course(1);
		let subject = ReviewSubject::CourseRewards(course);
		let arbitrate = Decision::Arbitrate(ArbitrationOutcome::Split(Percent::from_percent(50)));
		assert!(!T::accepts(&subject, &arbitrate));
		assert!(!T::accepts(&ReviewSubject::Listing(0), &Decision::Approve));
		assert_noop!(T::execute(&subject, &arbitrate, &ADMIN1), E::WrongDecision);
		assert_noop!(
			T::execute(&ReviewSubject::Grant(0), &Decision::Approve, &ADMIN1),
			E::WrongDecision
		);
		assert_noop!(
			T::execute(&ReviewSubject::CourseRewards(9), &Decision::Approve, &ADMIN1),
			E::NoRewardBudgetInReview
		);
		assert_ok!(T::execute(&subject, &Decision::Approve, &ADMIN1));
		assert_noop!(T::execute(&subject, &Decision::Reject, &ADMIN1), E::NoRewardBudgetInReview);
	});
}

// Storage version 0 → 1: every unrevoked, unexpired certificate is indexed with its branch (also
// older ones the old map did not point at), revoked and expired ones are not, the old map is
// cleared.
#[test]
fn migration_v1_indexes_every_valid_certificate() {
	run(|| {
		let certificate = |holder, skill, branch, expires_at, revoked| Certificate {
			holder,
			skill,
			course: 0,
			branch,
			content: H256::zero(),
			issued_at: START_MS,
			expires_at,
			issued_in_block: 1,
			revoked,
		};
		Certificates::<Test>::insert(
			0,
			certificate(VICTOR, SKILL, 0, Some(START_MS + DAY_MS), false),
		);
		Certificates::<Test>::insert(1, certificate(VICTOR, SKILL, 1, None, false));
		Certificates::<Test>::insert(2, certificate(VICTOR, 8, 0, None, true));
		Certificates::<Test>::insert(3, certificate(WENDY, SKILL, 0, Some(START_MS), false));
		NextCertificateId::<Test>::put(4);
		migrations::v1::old::SkillCertificates::<Test>::insert(VICTOR, SKILL, 1);
		migrations::v1::old::SkillCertificates::<Test>::insert(VICTOR, 8, 2);
		migrations::v1::old::SkillCertificates::<Test>::insert(WENDY, SKILL, 3);
		StorageVersion::new(0).put::<Pallet<Test>>();

		use polkadot_sdk::frame_support::traits::OnRuntimeUpgrade;
		migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(StorageVersion::get::<Pallet<Test>>(), StorageVersion::new(1));
		let mut victor = held(VICTOR, SKILL);
		victor.sort();
		assert_eq!(victor, vec![0, 1], "also the one the old map did not point at");
		assert!(!HeldCertificates::<Test>::contains_key(VICTOR, 8), "revoked");
		assert!(!HeldCertificates::<Test>::contains_key(WENDY, SKILL), "expired");
		assert_eq!(migrations::v1::old::SkillCertificates::<Test>::iter().count(), 0);
		assert!(T::is_certified(&VICTOR, SKILL, 0) && T::is_certified(&VICTOR, SKILL, 1));
		// It runs once.
		Certificates::<Test>::insert(4, certificate(WENDY, SKILL, 0, None, false));
		migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(!HeldCertificates::<Test>::contains_key(WENDY, SKILL));
	});
}
