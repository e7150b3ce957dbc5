//! Time wills, leaving and estates (`departures.rs`).

use super::*;

#[test]
fn a_time_will_is_validated() {
	run(|| {
		let will = |v: Vec<(AccountId, u8)>| -> BoundedVec<(AccountId, Percent), _> {
			v.into_iter()
				.map(|(w, p)| (w, Percent::from_percent(p)))
				.collect::<Vec<_>>()
				.try_into()
				.expect("within bound")
		};
		assert_noop!(
			L::set_time_will(signed(ALICE), will(vec![(ALICE, 10)])),
			E::InvalidBeneficiary
		);
		assert_noop!(
			L::set_time_will(signed(ALICE), will(vec![(BOB, 10), (BOB, 20)])),
			E::InvalidBeneficiary
		);
		assert_noop!(
			L::set_time_will(signed(ALICE), will(vec![(BOB, 60), (DAVE, 50)])),
			E::SharesExceedWhole
		);
		assert_noop!(L::set_time_will(signed(77), will(vec![(BOB, 10)])), E::NotMember);
		assert_ok!(L::set_time_will(signed(ALICE), will(vec![(BOB, 50), (DAVE, 25)])));
		assert_eq!(TimeWills::<Test>::get(ALICE).map(|w| w.len()), Some(2));
		assert_ok!(L::set_time_will(signed(ALICE), will(vec![])));
		assert!(TimeWills::<Test>::get(ALICE).is_none());
	});
}

#[test]
fn leaving_moves_the_balance_as_chosen() {
	run(|| {
		set_policy(0, LedgerPolicy { storage_cap: Some(100), ..Default::default() });
		grant(ALICE, 130); // 100 spendable, 30 donation-only
		assert_noop!(L::leave(signed(ALICE), ExitChoice::GiftTo(CAROL)), E::RelationNotVerified);
		assert_ok!(L::leave(signed(ALICE), ExitChoice::GiftTo(DAVE)));
		assert_eq!(spendable(DAVE), 100);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 30);
		assert_eq!(MockRegistry::member(&ALICE).map(|m| m.status), Some(MemberStatus::Left));
		assert_noop!(L::leave(signed(ALICE), ExitChoice::Dormant), E::AlreadyDeparted);

		grant(BOB, 10);
		assert_ok!(L::leave(signed(BOB), ExitChoice::Dormant));
		assert_eq!(spendable(BOB), 10, "dormant balances stay");
		grant(CAROL, 10);
		assert_ok!(L::leave(signed(CAROL), ExitChoice::DonateToPool));
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 40);
	});
}

#[test]
fn leave_errors() {
	run(|| {
		assert_noop!(L::leave(signed(77), ExitChoice::Dormant), E::NotMember);
		MockRegistry::set_status(CAROL, MemberStatus::Pending);
		assert_noop!(L::leave(signed(CAROL), ExitChoice::Dormant), E::MemberNotActive);
		grant(ALICE, 10);
		let hold = L::hold(0, L::spendable(&ALICE), 5, &ALICE).expect("held");
		assert_noop!(L::leave(signed(ALICE), ExitChoice::Dormant), E::OpenHolds);
		assert_ok!(L::release(hold, &ALICE));
		set_policy(1, mutual_credit(100, true));
		let debt = L::hold(1, L::spendable(&DAVE), 20, &DAVE).expect("held on credit");
		assert_ok!(L::settle(debt, &ERIN, 20, &ADMIN1));
		assert_noop!(L::leave(signed(DAVE), ExitChoice::Dormant), E::OutstandingDebt);
		MockRegistry::set_status(BOB, MemberStatus::Suspended);
		assert_noop!(L::leave(signed(ALICE), ExitChoice::GiftTo(BOB)), E::MemberNotActive);
	});
}

#[test]
fn an_estate_is_settled_by_two_officers_by_the_time_will() {
	run(|| {
		set_policy(1, LedgerPolicy { storage_cap: Some(40), ..Default::default() });
		grant(ALICE, 200);
		let will: BoundedVec<_, _> = vec![
			(BOB, Percent::from_percent(50)),
			(DAVE, Percent::from_percent(30)),
			(ERIN, Percent::from_percent(10)),
		]
		.try_into()
		.expect("within bound");
		assert_ok!(L::set_time_will(signed(ALICE), will));
		MockRegistry::set_status(ERIN, MemberStatus::Left);
		assert_ok!(L::open_estate(signed(STAFF0), ALICE, H256::repeat_byte(9)));
		assert_noop!(L::approve_estate(signed(STAFF0), ALICE), E::SameApprover);
		assert_ok!(L::approve_estate(signed(STAFF0B), ALICE));
		assert_eq!(spendable(BOB), 100);
		assert_eq!(spendable(DAVE), 40, "capped at DAVE's branch cap; the rest to the pool");
		assert_eq!(spendable(ERIN), 0, "a departed beneficiary receives nothing");
		assert_eq!(spendable(ALICE), 0);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 60);
		assert_eq!(MockRegistry::member(&ALICE).map(|m| m.status), Some(MemberStatus::Deceased));
		assert!(TimeWills::<Test>::get(ALICE).is_none());
	});
}

#[test]
fn an_estate_with_a_debt_is_written_off_against_the_grant_account() {
	run(|| {
		set_policy(0, mutual_credit(100, true));
		assert!(L::hold(0, L::spendable(&BOB), 40, &BOB).is_ok());
		let hold = NextHoldId::<Test>::get() - 1;
		assert_ok!(L::settle(hold, &ALICE, 40, &STAFF0));
		assert_ok!(L::open_estate(signed(STAFF0), BOB, H256::zero()));
		assert_ok!(L::approve_estate(signed(ADMIN0), BOB));
		assert_eq!(spendable(BOB), 0);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Grant(0)), -40);
	});
}

#[test]
fn estate_errors() {
	run(|| {
		assert_noop!(L::open_estate(signed(STAFF0), 77, H256::zero()), E::NotMember);
		assert_noop!(L::open_estate(signed(ADMIN1), ALICE, H256::zero()), E::NotBranchOfficer);
		assert_noop!(L::approve_estate(signed(STAFF0), ALICE), E::NoEstateCase);
		assert_noop!(L::cancel_estate(signed(STAFF0), ALICE), E::NoEstateCase);
		assert_ok!(L::open_estate(signed(STAFF0), ALICE, H256::zero()));
		assert_noop!(L::open_estate(signed(STAFF0B), ALICE, H256::zero()), E::EstateAlreadyOpen);
		assert_noop!(L::approve_estate(signed(ADMIN1), ALICE), E::NotBranchOfficer);
		assert_noop!(L::cancel_estate(signed(ADMIN1), ALICE), E::NotBranchOfficer);
		assert_ok!(L::cancel_estate(signed(STAFF0B), ALICE));

		grant(BOB, 10);
		let hold = L::hold(0, L::spendable(&BOB), 5, &BOB).expect("held");
		assert_noop!(L::open_estate(signed(STAFF0), BOB, H256::zero()), E::OpenHolds);
		assert_ok!(L::release(hold, &BOB));
		assert_ok!(L::open_estate(signed(STAFF0), BOB, H256::zero()));
		assert_ok!(L::approve_estate(signed(STAFF0B), BOB));
		assert_noop!(L::open_estate(signed(STAFF0), BOB, H256::zero()), E::AlreadyDeparted);
	});
}

// M11: an admin cannot complete an estate with a second approver appointed after the case was
// opened; an officer in office when it was opened can.
#[test]
fn an_officer_appointed_after_the_case_opened_cannot_approve_it() {
	use timebank_primitives::OfficerRole;
	const SOCK: AccountId = 77;
	run(|| {
		grant(ALICE, 30);
		System::set_block_number(10);
		assert_ok!(L::open_estate(signed(STAFF0), ALICE, H256::repeat_byte(9)));
		MockRegistry::appoint_at(0, SOCK, OfficerRole::Staff, 11);
		assert_noop!(L::approve_estate(signed(SOCK), ALICE), E::AppointedAfterOpening);
		// Appointed in the very block the case was opened: in office at the opening.
		MockRegistry::appoint_at(0, SOCK, OfficerRole::Staff, 10);
		assert_ok!(L::approve_estate(signed(SOCK), ALICE));
		assert_eq!(MockRegistry::member(&ALICE).map(|m| m.status), Some(MemberStatus::Deceased));
	});
}
