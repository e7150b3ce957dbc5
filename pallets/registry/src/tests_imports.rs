//! Unit tests of importing paper-era members (`imports.rs`): the two-officer flow, opening
//! balances, skipped members, the per-window limit, and every error.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::ConstU32, BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{traits::DispatchTransaction, DispatchError},
};
use timebank_primitives::{MemberRoles, MemberStatus, Membership};

type R = Pallet<Test>;
type E = Error<Test>;

const FILE: H256 = H256::repeat_byte(0xf1);

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn row(who: AccountId, opening_balance: u64) -> ImportedMember<AccountId> {
	ImportedMember {
		who,
		identity_commitment: H256::from_low_u64_be(who),
		roles: MemberRoles { recipient: true, ..Default::default() },
		opening_balance,
	}
}

fn batch(
	rows: Vec<ImportedMember<AccountId>>,
) -> BoundedVec<ImportedMember<AccountId>, ConstU32<4>> {
	rows.try_into().expect("at most four rows")
}

fn registry_events() -> Vec<Event<Test>> {
	frame_system::Pallet::<Test>::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Registry(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn staff_propose_an_import_and_a_second_admin_confirms_it() {
	run(|| {
		assert_ok!(R::propose_import(
			signed(STAFF),
			0,
			batch(vec![row(200, 90), row(201, 0)]),
			FILE
		));
		assert!(!R::is_active_member(&200), "nobody is registered before confirmation");
		assert_ok!(R::confirm_import(signed(ADMIN), 0));
		for who in [200, 201] {
			let member = R::member_view(&who).expect("registered");
			assert_eq!((member.home_branch, member.status), (0, MemberStatus::Active));
			assert_eq!(frame_system::Pallet::<Test>::providers(&who), 1, "may sign at once");
		}
		assert_eq!(MockLedger::opening_balances(), vec![(200, 0, 90, FILE, ADMIN)]);
		assert_eq!(MemberCountsByBranch::<Test>::get(0).active, 4);
		let events = registry_events();
		assert!(events.contains(&Event::MemberRegistered { who: 200, branch: 0, by: Some(ADMIN) }));
		assert_eq!(
			events.last(),
			Some(&Event::ImportConfirmed {
				branch: 0,
				import_file: FILE,
				imported: 2,
				skipped: 0,
				by: ADMIN
			})
		);
		assert!(!PendingImports::<Test>::contains_key(0));
	});
}

#[test]
fn a_member_who_cannot_be_imported_is_skipped_and_the_rest_go_ahead() {
	run(|| {
		let rows = vec![row(200, 10), row(201, MOCK_STORAGE_CAP + 1), row(202, 0)];
		assert_ok!(R::propose_import(signed(STAFF), 0, batch(rows), FILE));
		// 202 applies by themselves before the import is confirmed.
		assert_ok!(R::apply_for_membership(signed(202), 0, commitment(9)));
		assert_ok!(R::confirm_import(signed(ADMIN), 0));
		assert!(R::is_active_member(&200));
		assert_eq!(R::member_view(&201), None, "refused balance: nothing of 201 is left");
		assert_eq!(frame_system::Pallet::<Test>::providers(&201), 0);
		assert_eq!(
			R::member_view(&202).map(|m| m.status),
			Some(MemberStatus::Pending),
			"the application stays"
		);
		let events = registry_events();
		// (Events are stored encoded, and an `Other` error's text is not encoded.)
		assert!(events.contains(&Event::MemberImportSkipped {
			branch: 0,
			who: 201,
			error: DispatchError::Other("")
		}));
		assert!(events.contains(&Event::MemberImportSkipped {
			branch: 0,
			who: 202,
			error: E::AlreadyMember.into()
		}));
		assert!(matches!(
			events.last(),
			Some(Event::ImportConfirmed { imported: 1, skipped: 2, .. })
		));
	});
}

#[test]
fn imports_are_limited_per_branch_and_window() {
	run(|| {
		let rows = |first: u64| batch((first..first + 4).map(|who| row(who, 0)).collect());
		assert_ok!(R::propose_import(signed(STAFF), 0, rows(200), FILE));
		assert_ok!(R::confirm_import(signed(ADMIN), 0));
		// Six per window in the mock: four more would make eight.
		assert_ok!(R::propose_import(signed(STAFF), 0, rows(300), FILE));
		assert_noop!(
			R::confirm_import(signed(ADMIN), 0).map_err(|e| e.error),
			E::ImportLimitReached
		);
		System::set_block_number(QuotaWindow::get() + 1);
		assert_ok!(R::confirm_import(signed(ADMIN), 0));
		assert!(R::is_active_member(&303));
	});
}

#[test]
fn a_confirmation_is_charged_the_minimum_against_the_admins_quota() {
	run(|| {
		assert_ok!(R::propose_import(signed(STAFF), 0, batch(vec![row(200, 0)]), FILE));
		let confirm = RuntimeCall::Registry(Call::confirm_import { branch: 0 });
		let before = R::quota_remaining(&ADMIN);
		assert_ok!(CheckMemberQuota::<Test>::new().validate_and_prepare(
			signed(ADMIN),
			&confirm,
			&confirm.get_dispatch_info(),
			0,
			0
		));
		assert_eq!(before - R::quota_remaining(&ADMIN), 1_000, "one millisecond");
	});
}

#[test]
fn import_errors() {
	run(|| {
		let one = || batch(vec![row(200, 0)]);
		assert_noop!(R::propose_import(signed(ALICE), 0, one(), FILE), E::NotBranchOfficer);
		assert_noop!(R::propose_import(signed(STAFF), 3, one(), FILE), E::UnknownBranch);
		assert_noop!(R::propose_import(signed(STAFF), 0, batch(vec![]), FILE), E::EmptyImport);
		assert_noop!(R::propose_import(signed(STAFF), 0, one(), H256::zero()), E::EmptyEvidence);
		assert_noop!(
			R::propose_import(signed(STAFF), 0, batch(vec![row(200, 0), row(200, 5)]), FILE),
			E::DuplicateInImport
		);
		let mut empty_commitment = row(200, 0);
		empty_commitment.identity_commitment = H256::zero();
		assert_noop!(
			R::propose_import(signed(STAFF), 0, batch(vec![empty_commitment]), FILE),
			E::EmptyCommitment
		);
		assert_noop!(
			R::propose_import(signed(STAFF), 0, batch(vec![row(ALICE, 0)]), FILE),
			E::AlreadyMember
		);
		assert_noop!(R::confirm_import(signed(ADMIN), 0).map_err(|e| e.error), E::NoPendingImport);
		// A refusal before any member is touched is charged only its reads.
		let refused = R::confirm_import(signed(ADMIN), 0).expect_err("nothing waits");
		assert_eq!(refused.post_info.actual_weight, Some(<() as WeightInfo>::cancel_import()));
		assert_noop!(R::cancel_import(signed(STAFF), 0), E::NoPendingImport);

		assert_ok!(R::propose_import(signed(ADMIN), 0, one(), FILE));
		assert_noop!(R::propose_import(signed(STAFF), 0, one(), FILE), E::ImportPending);
		assert_noop!(R::confirm_import(signed(ADMIN), 0).map_err(|e| e.error), E::SameOfficer);
		// Staff propose; admins confirm.
		assert_noop!(R::confirm_import(signed(STAFF), 0).map_err(|e| e.error), E::NotBranchOfficer);
		assert_noop!(R::cancel_import(signed(ALICE), 0), E::NotBranchOfficer);
		assert_ok!(R::cancel_import(signed(STAFF), 0));
		assert_eq!(
			registry_events().last(),
			Some(&Event::ImportCancelled { branch: 0, import_file: FILE, by: STAFF })
		);

		assert_ok!(R::propose_import(signed(STAFF), 0, one(), FILE));
		assert_ok!(R::set_branch_status(RuntimeOrigin::root(), 0, BranchStatus::Suspended));
		assert_noop!(R::confirm_import(signed(ADMIN), 0).map_err(|e| e.error), E::BranchNotActive);
	});
}
