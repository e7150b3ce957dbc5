//! Unit tests: every call's success path, each of its errors, and the quota extension.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{GetDispatchInfo, Pays},
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{InvalidTransaction, TransactionSource},
		DispatchError,
	},
};
use timebank_primitives::{MemberStatus, Membership, OfficerRole, ProxyPermissions};
use timebank_test_support::RecordedHomeBranchChanges;

type R = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	frame_system::Pallet::<Test>::events().pop().expect("an event was emitted").event
}

fn confirm_only() -> ProxyPermissions {
	ProxyPermissions { confirm_services: true, ..Default::default() }
}

#[test]
fn council_registers_a_branch_hierarchy() {
	run(|| {
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 5, H256::zero()));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::BranchRegistered {
				branch: 1,
				parent: Some(0),
				admin: 5
			})
		);
		assert_eq!(Branches::<Test>::get(1).map(|b| b.depth), Some(1));
		assert!(R::is_officer(1, &5, OfficerRole::Admin));
		assert!(R::is_participant(&5));
	});
}

#[test]
fn register_branch_errors() {
	run(|| {
		assert_noop!(
			R::register_branch(signed(ADMIN), None, 5, H256::zero()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			R::register_branch(RuntimeOrigin::root(), Some(7), 5, H256::zero()),
			E::UnknownBranch
		);
		let mut parent = 0;
		for _ in 1..MAX_BRANCH_DEPTH {
			assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(parent), 5, H256::zero()));
			parent = NextBranchId::<Test>::get() - 1;
		}
		assert_noop!(
			R::register_branch(RuntimeOrigin::root(), Some(parent), 5, H256::zero()),
			E::HierarchyTooDeep
		);
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Suspended));
		assert_noop!(
			R::register_branch(RuntimeOrigin::root(), Some(0), 5, H256::zero()),
			E::BranchNotActive
		);
	});
}

#[test]
fn set_branch_status_errors_and_closing_is_final() {
	run(|| {
		assert_noop!(
			R::set_branch_status(signed(ADMIN), 0, BranchStatus::Suspended),
			DispatchError::BadOrigin
		);
		assert_noop!(
			R::set_branch_status(RuntimeOrigin::root(), 9, BranchStatus::Suspended),
			E::UnknownBranch
		);
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Closed));
		assert!(!R::branch_is_active(0));
		assert_noop!(
			R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Active),
			E::BranchClosed
		);
	});
}

#[test]
fn officers_are_appointed_and_removed_but_the_last_admin_stays() {
	run(|| {
		assert_noop!(
			R::appoint_officer(signed(STAFF), 0, 3, OfficerRole::Staff),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::appoint_officer(RuntimeOrigin::root(), 0, STAFF, OfficerRole::Admin),
			E::AlreadyOfficer
		);
		assert_noop!(
			R::appoint_officer(RuntimeOrigin::root(), 4, 3, OfficerRole::Staff),
			E::UnknownBranch
		);
		assert_noop!(R::remove_officer(signed(ADMIN), 0, ALICE), E::NotOfficer);
		assert_noop!(R::remove_officer(RuntimeOrigin::root(), 0, ADMIN), E::LastAdmin);
		assert_noop!(R::remove_officer(signed(STAFF), 0, ADMIN), E::NotBranchOfficer);
		assert_ok!(R::appoint_officer(RuntimeOrigin::root(), 0, 3, OfficerRole::Admin));
		// Removing a co-admin takes a second admin (here the one removed agrees).
		assert_ok!(R::remove_officer(signed(3), 0, ADMIN));
		assert!(R::is_officer(0, &ADMIN, OfficerRole::Admin));
		assert_ok!(R::confirm_officer_change(signed(ADMIN), 0, ADMIN));
		assert!(!R::is_officer(0, &ADMIN, OfficerRole::Staff));
		assert_ok!(R::remove_officer(signed(3), 0, STAFF));
		assert!(!R::is_participant(&STAFF));
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Suspended));
		assert_noop!(R::appoint_officer(signed(3), 0, 4, OfficerRole::Staff), E::BranchNotActive);
	});
}

#[test]
fn auditors_are_set_by_the_council_only() {
	run(|| {
		assert_noop!(R::set_auditor(signed(ADMIN), 7, true), DispatchError::BadOrigin);
		assert_ok!(R::set_auditor(RuntimeOrigin::root(), 7, true));
		assert!(R::is_participant(&7));
		assert_ok!(R::set_auditor(RuntimeOrigin::root(), 7, false));
		assert!(!R::is_participant(&7));
	});
}

#[test]
fn an_application_is_approved_by_staff_of_its_branch() {
	run(|| {
		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_eq!(MemberCountsByBranch::<Test>::get(0).pending, 1);
		assert!(!R::is_participant(&20));
		assert_ok!(R::approve_application(signed(STAFF), 20));
		assert!(R::is_active_member(&20));
		assert_eq!(MemberCountsByBranch::<Test>::get(0).pending, 0);
		assert_eq!(MemberCountsByBranch::<Test>::get(0).active, 3);
		assert!(frame_system::Pallet::<Test>::providers(&20) > 0, "can sign without a balance");
	});
}

#[test]
fn application_errors() {
	run(|| {
		assert_noop!(R::apply_for_membership(signed(20), 5, commitment(20)), E::UnknownBranch);
		assert_noop!(R::apply_for_membership(signed(20), 0, H256::zero()), E::EmptyCommitment);
		assert_noop!(R::apply_for_membership(signed(ALICE), 0, commitment(9)), E::AlreadyMember);
		assert_noop!(R::approve_application(signed(STAFF), 20), E::NotMember);
		assert_noop!(R::approve_application(signed(STAFF), ALICE), E::NotPending);
		assert_noop!(R::reject_application(signed(STAFF), 20, H256::zero()), E::NotMember);
		assert_noop!(R::reject_application(signed(STAFF), ALICE, H256::zero()), E::NotPending);
		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_noop!(R::approve_application(signed(ALICE), 20), E::NotBranchOfficer);
		assert_noop!(R::reject_application(signed(ALICE), 20, H256::zero()), E::NotBranchOfficer);
		assert_ok!(R::reject_application(signed(STAFF), 20, H256::repeat_byte(3)));
		assert!(Members::<Test>::get(20).is_none());
		assert_eq!(MemberCountsByBranch::<Test>::get(0).pending, 0);
		assert_ok!(R::apply_for_membership(signed(21), 0, commitment(21)));
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Suspended));
		assert_noop!(R::approve_application(signed(STAFF), 21), E::BranchNotActive);
		assert_noop!(R::apply_for_membership(signed(22), 0, commitment(22)), E::BranchNotActive);
	});
}

#[test]
fn every_home_branch_change_is_told_to_the_ledger() {
	run(|| {
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 6, H256::zero()));
		RecordedHomeBranchChanges::take();
		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_ok!(R::reject_application(signed(STAFF), 20, H256::repeat_byte(3)));
		assert_ok!(R::move_home_branch(signed(STAFF), ALICE, 1));
		assert_ok!(R::accept_home_move(signed(6), ALICE));
		// A refused move tells nothing.
		assert_noop!(R::move_home_branch(signed(STAFF), ALICE, 1), E::NotAllowed);
		assert_eq!(
			RecordedHomeBranchChanges::take(),
			vec![(20, None, Some(0)), (20, Some(0), None), (ALICE, Some(0), Some(1))]
		);
	});
}

#[test]
fn register_member_errors() {
	run(|| {
		assert_noop!(
			R::register_member(signed(ALICE), 20, 0, commitment(20), Default::default()),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::register_member(signed(STAFF), 20, 3, commitment(20), Default::default()),
			E::UnknownBranch
		);
		assert_noop!(
			R::register_member(signed(STAFF), 20, 0, H256::zero(), Default::default()),
			E::EmptyCommitment
		);
		assert_noop!(
			R::register_member(signed(STAFF), BOB, 0, commitment(20), Default::default()),
			E::AlreadyMember
		);
	});
}

#[test]
fn roles_and_status_are_set_by_home_staff() {
	run(|| {
		let roles = MemberRoles { volunteer: true, ..Default::default() };
		assert_noop!(R::set_member_roles(signed(ALICE), BOB, roles), E::NotBranchOfficer);
		assert_noop!(R::set_member_roles(signed(STAFF), 50, roles), E::NotMember);
		assert_ok!(R::set_member_roles(signed(STAFF), BOB, roles));
		assert_eq!(R::member(&BOB).map(|m| m.roles), Some(roles));

		assert_noop!(
			R::set_member_status(signed(STAFF), BOB, MemberStatus::Left),
			E::StatusNotSettable
		);
		assert_noop!(
			R::set_member_status(signed(STAFF), BOB, MemberStatus::Active),
			E::StatusUnchanged
		);
		assert_noop!(
			R::set_member_status(signed(ALICE), BOB, MemberStatus::Suspended),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::set_member_status(signed(STAFF), 50, MemberStatus::Suspended),
			E::NotMember
		);
		assert_ok!(R::set_member_status(signed(STAFF), BOB, MemberStatus::Suspended));
		assert!(!R::is_participant(&BOB));
		assert_eq!(MemberCountsByBranch::<Test>::get(0).suspended, 1);
		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_noop!(
			R::set_member_status(signed(STAFF), 20, MemberStatus::Active),
			E::StatusNotSettable
		);
	});
}

#[test]
fn extra_memberships_and_moving_home_keep_the_record() {
	run(|| {
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 5, H256::zero()));
		assert_ok!(R::add_extra_membership(signed(5), ALICE, 1));
		assert_eq!(R::member_view(&ALICE).map(|m| m.extra_branches), Some(vec![1]));
		assert_noop!(R::add_extra_membership(signed(5), ALICE, 1), E::AlreadyInBranch);
		assert_noop!(R::add_extra_membership(signed(STAFF), ALICE, 0), E::AlreadyInBranch);
		assert_noop!(R::add_extra_membership(signed(STAFF), ALICE, 1), E::NotBranchOfficer);
		assert_noop!(R::add_extra_membership(signed(5), 50, 1), E::NotMember);
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 6, H256::zero()));
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 7, H256::zero()));
		assert_ok!(R::add_extra_membership(signed(6), ALICE, 2));
		assert_noop!(R::add_extra_membership(signed(7), ALICE, 3), E::TooManyMemberships);

		assert_noop!(R::remove_extra_membership(signed(BOB), ALICE, 1), E::NotAllowed);
		assert_noop!(R::remove_extra_membership(signed(ALICE), ALICE, 3), E::NotInBranch);
		assert_ok!(R::remove_extra_membership(signed(ALICE), ALICE, 2));

		let commitment_before = R::member_view(&ALICE).map(|m| m.identity_commitment);
		// The new branch's staff cannot take a member over; the member or home staff ask.
		assert_noop!(R::move_home_branch(signed(5), ALICE, 1), E::NotAllowed);
		assert_noop!(R::move_home_branch(signed(BOB), ALICE, 1), E::NotAllowed);
		assert_noop!(R::move_home_branch(signed(STAFF), ALICE, 0), E::AlreadyInBranch);
		assert_noop!(R::move_home_branch(signed(5), 50, 1), E::NotMember);
		assert_noop!(R::move_home_branch(signed(STAFF), ALICE, 9), E::UnknownBranch);
		assert_ok!(R::move_home_branch(signed(STAFF), ALICE, 1));
		assert_ok!(R::accept_home_move(signed(5), ALICE));
		let moved = R::member_view(&ALICE).expect("still a member");
		assert_eq!((moved.home_branch, moved.extra_branches), (1, vec![]));
		assert_eq!(Some(moved.identity_commitment), commitment_before);
		assert_eq!(MemberCountsByBranch::<Test>::get(1).active, 1);
		assert_eq!(MemberCountsByBranch::<Test>::get(0).active, 1);

		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_noop!(R::add_extra_membership(signed(5), 20, 1), E::MemberNotActive);
		assert_noop!(R::move_home_branch(signed(STAFF), 20, 1), E::MemberNotActive);
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 1, BranchStatus::Suspended));
		assert_noop!(R::move_home_branch(signed(BOB), BOB, 1), E::BranchNotActive);
		assert_noop!(R::add_extra_membership(signed(5), BOB, 1), E::BranchNotActive);
	});
}

#[test]
fn proxies_are_authorised_scoped_and_revoked() {
	run(|| {
		assert_noop!(R::authorise_proxy(signed(ALICE), ALICE, confirm_only()), E::SelfReference);
		assert_noop!(
			R::authorise_proxy(signed(ALICE), BOB, Default::default()),
			E::EmptyPermissions
		);
		assert_noop!(R::authorise_proxy(signed(50), BOB, confirm_only()), E::NotMember);
		assert_noop!(R::authorise_proxy(signed(ALICE), 50, confirm_only()), E::ProxyNotMember);
		assert_noop!(R::authorise_proxy(signed(ALICE), BOB, confirm_only()), E::NotAFamilyProxy);
		let proxy_role = MemberRoles { family_proxy: true, ..Default::default() };
		assert_ok!(R::set_member_roles(signed(STAFF), BOB, proxy_role));
		assert_ok!(R::authorise_proxy(signed(ALICE), BOB, confirm_only()));
		assert_eq!(R::proxy_permissions(&ALICE, &BOB), Some(confirm_only()));
		// Changing the permissions of an existing proxy does not count twice.
		let all = ProxyPermissions {
			request_services: true,
			confirm_services: true,
			propose_transfers: true,
		};
		assert_ok!(R::authorise_proxy(signed(ALICE), BOB, all));
		assert_eq!(ProxyCount::<Test>::get(ALICE), 1);
		for extra in [30, 31] {
			assert_ok!(R::register_member(signed(STAFF), extra, 0, commitment(30), proxy_role));
		}
		assert_ok!(R::authorise_proxy(signed(ALICE), 30, confirm_only()));
		assert_noop!(R::authorise_proxy(signed(ALICE), 31, confirm_only()), E::TooManyProxies);

		assert_noop!(R::revoke_proxy(signed(ALICE), ALICE, 31), E::NotProxy);
		assert_noop!(R::revoke_proxy(signed(31), ALICE, BOB), E::NotAllowed);
		assert_ok!(R::revoke_proxy(signed(STAFF), ALICE, BOB));
		assert_ok!(R::revoke_proxy(signed(30), ALICE, 30));
		assert_eq!(ProxyCount::<Test>::get(ALICE), 0);

		assert_ok!(R::set_member_status(signed(STAFF), ALICE, MemberStatus::Suspended));
		assert_noop!(R::authorise_proxy(signed(ALICE), BOB, confirm_only()), E::MemberNotActive);
	});
}

#[test]
fn relations_are_verified_by_staff_both_ways() {
	run(|| {
		let evidence = H256::repeat_byte(7);
		assert_noop!(R::verify_relation(signed(STAFF), ALICE, ALICE, evidence), E::SelfReference);
		assert_noop!(R::verify_relation(signed(STAFF), ALICE, 50, evidence), E::NotMember);
		assert_noop!(R::verify_relation(signed(STAFF), 50, ALICE, evidence), E::NotMember);
		assert_noop!(R::verify_relation(signed(ALICE), ALICE, BOB, evidence), E::NotBranchOfficer);
		assert_ok!(R::verify_relation(signed(STAFF), ALICE, BOB, evidence));
		assert!(R::is_verified_relation(&BOB, &ALICE));
		assert_noop!(R::verify_relation(signed(STAFF), BOB, ALICE, evidence), E::RelationExists);

		assert_noop!(R::remove_relation(signed(ALICE), ALICE, BOB), E::NotBranchOfficer);
		assert_ok!(R::remove_relation(signed(STAFF), BOB, ALICE));
		assert!(!R::is_verified_relation(&ALICE, &BOB));
		assert_noop!(R::remove_relation(signed(STAFF), ALICE, BOB), E::NoSuchRelation);
	});
}

#[test]
fn redemption_eligibility_is_attested_by_home_staff() {
	run(|| {
		let evidence = H256::repeat_byte(8);
		assert_noop!(
			R::set_redemption_eligibility(signed(ALICE), BOB, true, evidence),
			E::NotBranchOfficer
		);
		assert_noop!(
			R::set_redemption_eligibility(signed(STAFF), 50, true, evidence),
			E::NotMember
		);
		assert_ok!(R::set_redemption_eligibility(signed(STAFF), BOB, true, evidence));
		assert_eq!(R::member(&BOB).map(|m| m.redemption_eligible), Some(true));
	});
}

#[test]
fn departure_is_recorded_only_as_left_or_deceased_and_anonymises_the_dead() {
	run(|| {
		assert_noop!(R::record_departure(&ALICE, MemberStatus::Suspended), E::StatusNotSettable);
		assert_noop!(R::record_departure(&50, MemberStatus::Left), E::NotMember);
		assert_ok!(R::record_departure(&ALICE, MemberStatus::Deceased));
		let record = R::member_view(&ALICE).expect("history is kept");
		assert_eq!(record.status, MemberStatus::Deceased);
		assert_eq!(record.identity_commitment, H256::zero());
		assert_eq!(MemberCountsByBranch::<Test>::get(0).active, 1);
		assert_noop!(
			R::set_member_status(signed(STAFF), ALICE, MemberStatus::Active),
			E::StatusNotSettable
		);
	});
}

fn validate(who: AccountId, call: &RuntimeCall) -> Result<(), InvalidTransaction> {
	CheckMemberQuota::<Test>::new()
		.validate_and_prepare(signed(who), call, &call.get_dispatch_info(), 0, 0)
		.map(|_| ())
		.map_err(|e| match e {
			polkadot_sdk::sp_runtime::transaction_validity::TransactionValidityError::Invalid(
				i,
			) => i,
			other => panic!("unexpected {other:?}"),
		})
}

#[test]
fn the_quota_extension_refuses_non_members_and_counts_calls() {
	run(|| {
		let member_call = RuntimeCall::Registry(Call::revoke_proxy { member: ALICE, proxy: BOB });
		let apply = RuntimeCall::Registry(Call::apply_for_membership {
			branch: 0,
			identity_commitment: commitment(40),
		});
		let other = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });

		assert_eq!(validate(OUTSIDER, &member_call), Err(InvalidTransaction::Custom(NOT_A_MEMBER)));
		assert_eq!(validate(OUTSIDER, &apply), Ok(()), "anyone may apply");
		assert_eq!(validate(OUTSIDER, &other), Ok(()), "other calls pay fees instead");
		for _ in 0..2 {
			assert_eq!(validate(OUTSIDER, &apply), Ok(()));
		}
		assert_eq!(validate(OUTSIDER, &apply), Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED)));
		assert_eq!(
			CheckMemberQuota::<Test>::new()
				.validate_only(
					signed(OUTSIDER),
					&apply,
					&apply.get_dispatch_info(),
					0,
					TransactionSource::External,
					0
				)
				.map(|_| ()),
			Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED).into()),
			"refused before pool admission"
		);
		assert_eq!(validate(OUTSIDER, &other), Ok(()), "fee-paying calls are not counted");

		for _ in 0..3 {
			assert_eq!(validate(ALICE, &member_call), Ok(()));
		}
		assert_eq!(validate(ALICE, &member_call), Err(InvalidTransaction::Custom(QUOTA_EXHAUSTED)));
		// A window later the whole allowance has drained back.
		System::set_block_number(QuotaWindow::get() + 1);
		assert_eq!(R::quota_remaining(&ALICE), 3_000);
		assert_eq!(validate(ALICE, &member_call), Ok(()));
		assert_eq!(validate(STAFF, &member_call), Ok(()), "officers may call");
	});
}

#[test]
fn member_and_officer_calls_are_fee_free_and_council_calls_are_not() {
	let free = RuntimeCall::Registry(Call::authorise_proxy {
		proxy: BOB,
		permissions: ProxyPermissions::default(),
	});
	assert_eq!(free.get_dispatch_info().pays_fee, Pays::No);
	// Admins need no tokens: their officer calls are fee-free before dispatch too, not refunded
	// afterwards (which the pool would refuse for want of a balance to withdraw from).
	for officer_call in [
		Call::appoint_officer { branch: 0, who: BOB, role: OfficerRole::Staff },
		Call::remove_officer { branch: 0, who: BOB },
		Call::confirm_officer_change { branch: 0, who: BOB },
		Call::cancel_officer_change { branch: 0, who: BOB },
	] {
		let info = RuntimeCall::Registry(officer_call.clone()).get_dispatch_info();
		assert_eq!(info.pays_fee, Pays::No, "{officer_call:?} is fee-free");
	}
	let council = RuntimeCall::Registry(Call::set_auditor { who: 1, enabled: true });
	assert_eq!(council.get_dispatch_info().pays_fee, Pays::Yes);
}

#[test]
fn applications_go_to_the_branchs_reviewers_when_its_policy_asks() {
	use timebank_primitives::{Decision, ReviewKind, ReviewOutcome, ReviewSubject};
	use timebank_test_support::MockReviews;
	let decide = |who: AccountId, decision| {
		<R as ReviewOutcome<AccountId>>::execute(
			&ReviewSubject::Application(who),
			&decision,
			&STAFF,
		)
	};
	run(|| {
		MockReviews::review(ReviewKind::Application, 0);
		assert_ok!(R::apply_for_membership(signed(20), 0, commitment(20)));
		assert_eq!(MockReviews::opened(), vec![(0, ReviewSubject::Application(20), 20)]);
		// One officer alone cannot decide it any more.
		assert_noop!(R::approve_application(signed(STAFF), 20), E::DecidedByReview);
		assert_noop!(R::reject_application(signed(STAFF), 20, H256::zero()), E::DecidedByReview);
		let subject = ReviewSubject::Application(20);
		assert!(<R as ReviewOutcome<AccountId>>::is_party(&subject, &20));
		assert!(!<R as ReviewOutcome<AccountId>>::is_party(&subject, &STAFF));
		assert!(<R as ReviewOutcome<AccountId>>::accepts(&subject, &Decision::Approve));
		assert!(!<R as ReviewOutcome<AccountId>>::accepts(
			&ReviewSubject::Listing(0),
			&Decision::Approve
		));
		assert_ok!(decide(20, Decision::Approve));
		assert!(R::is_active_member(&20));
		assert!(!ApplicationsUnderReview::<Test>::contains_key(20));

		assert_ok!(R::apply_for_membership(signed(21), 0, commitment(21)));
		assert_ok!(decide(21, Decision::Reject));
		assert!(Members::<Test>::get(21).is_none());
		assert_noop!(decide(21, Decision::Approve), E::NotMember);
		let arbitrate = Decision::Arbitrate(timebank_primitives::ArbitrationOutcome::PayProvider);
		assert_noop!(decide(20, arbitrate), E::WrongDecision);
		assert_noop!(
			<R as ReviewOutcome<AccountId>>::execute(
				&ReviewSubject::Grant(0),
				&Decision::Approve,
				&STAFF
			),
			E::WrongDecision
		);
	});
}

#[test]
fn a_registration_by_staff_is_reviewed_where_applications_are() {
	use timebank_primitives::{Decision, ReviewKind, ReviewOutcome, ReviewSubject};
	use timebank_test_support::MockReviews;
	run(|| {
		MockReviews::review(ReviewKind::Application, 0);
		let roles = MemberRoles { recipient: true, ..Default::default() };
		assert_ok!(R::register_member(signed(STAFF), 30, 0, commitment(30), roles));
		assert_eq!(Members::<Test>::get(30).map(|m| m.status), Some(MemberStatus::Pending));
		assert_eq!(MockReviews::opened(), vec![(0, ReviewSubject::Application(30), STAFF)]);
		assert_noop!(R::approve_application(signed(STAFF), 30), E::DecidedByReview);
		let subject = ReviewSubject::Application(30);
		assert_ok!(<R as ReviewOutcome<AccountId>>::execute(&subject, &Decision::Approve, &ADMIN));
		assert!(R::is_active_member(&30));
		assert_eq!(Members::<Test>::get(30).map(|m| m.roles), Some(roles));
	});
}

#[test]
fn the_v1_migration_moves_branch_keyed_maps_to_their_new_keys() {
	use crate::migrations::v1::{old, MigrateV0ToV1};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		// A second branch, so the move covers more than one key of each map.
		assert_ok!(R::register_branch(RuntimeOrigin::root(), Some(0), 5, H256::zero()));
		let branches: Vec<_> = Branches::<Test>::iter().collect();
		let officers: Vec<_> = BranchOfficers::<Test>::iter().collect();
		let admins: Vec<_> = AdminCount::<Test>::iter().collect();
		let counts: Vec<_> = MemberCountsByBranch::<Test>::iter().collect();
		assert_eq!((branches.len(), officers.len(), admins.len()), (2, 3, 2));
		assert!(!counts.is_empty());

		// The same state as a chain at version 0 stored it: under the old keys only.
		let _ = Branches::<Test>::clear(u32::MAX, None);
		let _ = BranchOfficers::<Test>::clear(u32::MAX, None);
		let _ = AdminCount::<Test>::clear(u32::MAX, None);
		let _ = MemberCountsByBranch::<Test>::clear(u32::MAX, None);
		for (branch, record) in &branches {
			old::Branches::<Test>::insert(branch, record);
		}
		for (branch, who, role) in &officers {
			old::BranchOfficers::<Test>::insert(branch, who, role);
		}
		for (branch, n) in &admins {
			old::AdminCount::<Test>::insert(branch, n);
		}
		for (branch, n) in &counts {
			old::MemberCountsByBranch::<Test>::insert(branch, n);
		}
		StorageVersion::new(0).put::<R>();
		assert!(Branches::<Test>::get(0).is_none(), "the new keys differ from the old");
		assert!(!R::is_officer(0, &ADMIN, OfficerRole::Admin));

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(R::on_chain_storage_version(), StorageVersion::new(1));
		for (branch, record) in &branches {
			assert_eq!(Branches::<Test>::get(branch).as_ref(), Some(record));
			assert!(!old::Branches::<Test>::contains_key(branch));
		}
		for (branch, who, role) in &officers {
			assert_eq!(BranchOfficers::<Test>::get(branch, who).as_ref(), Some(role));
		}
		for (branch, n) in &admins {
			assert_eq!(AdminCount::<Test>::get(branch), *n);
		}
		for (branch, n) in &counts {
			assert_eq!(MemberCountsByBranch::<Test>::get(branch), *n);
		}
		let entries = (
			Branches::<Test>::iter().count(),
			BranchOfficers::<Test>::iter().count(),
			AdminCount::<Test>::iter().count(),
			MemberCountsByBranch::<Test>::iter().count(),
		);
		assert_eq!(
			entries,
			(branches.len(), officers.len(), admins.len(), counts.len()),
			"nothing but the new keys remains"
		);
		assert!(R::is_officer(0, &ADMIN, OfficerRole::Admin), "officers act again");
		assert_ok!(R::do_try_state());

		// Run again (a later upgrade): the version says it is done, nothing moves.
		old::AdminCount::<Test>::insert(7, 9);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(!AdminCount::<Test>::contains_key(7));
		old::AdminCount::<Test>::remove(7);
	});
}
