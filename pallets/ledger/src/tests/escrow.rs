//! Escrow through the `Ledger` trait (`escrow.rs`): holds, settlements, releases, and the
//! branch's rounding step.

use super::*;

#[test]
fn escrow_holds_settles_and_releases_without_creating_credit() {
	run(|| {
		grant(ALICE, 100);
		let hold = L::hold(0, L::spendable(&ALICE), 90, &ALICE).expect("held");
		assert_eq!(L::balances_of(&ALICE).in_escrow, 90);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Escrow), 90);
		assert_eq!(L::settle(hold, &DAVE, 100, &STAFF0), Err(E::ExceedsHold.into()));
		MockRegistry::set_status(ERIN, MemberStatus::Left);
		assert_eq!(L::settle(hold, &ERIN, 10, &STAFF0), Err(E::PayeeNotActive.into()));
		assert_ok!(L::settle(hold, &DAVE, 60, &STAFF0));
		assert_eq!(L::held(hold), Some(30));
		assert_eq!(spendable(DAVE), 60, "paid across branches through clearing");
		assert_ok!(L::release(hold, &STAFF0));
		assert_eq!(L::held(hold), None);
		assert_eq!(spendable(ALICE), 40);
		assert_eq!(L::balances_of(&ALICE).in_escrow, 0);
		assert_eq!(L::release(hold, &STAFF0), Err(E::UnknownHold.into()));
		assert_eq!(L::settle(hold, &DAVE, 1, &STAFF0), Err(E::UnknownHold.into()));
		L::do_try_state().expect("invariants after settlement");
	});
}

#[test]
fn hold_errors_and_payers() {
	run(|| {
		assert_eq!(
			L::hold(0, L::spendable(&ALICE), 10, &ALICE),
			Err(E::InsufficientCredits.into()),
			"prepaid: no credits, no hold"
		);
		assert_eq!(L::hold(0, L::spendable(&ALICE), 0, &ALICE), Err(E::ZeroAmount.into()));
		assert_eq!(L::hold(9, L::spendable(&ALICE), 1, &ALICE), Err(E::BranchNotActive.into()));
		assert_eq!(L::hold(0, L::spendable(&77), 1, &ALICE), Err(E::NotMember.into()));
		let honorary = LedgerAccount::Member { who: ALICE, class: BalanceClass::Honorary };
		assert_eq!(L::hold(0, honorary, 1, &ALICE), Err(E::NotSpendable.into()));
		assert_eq!(L::hold(0, LedgerAccount::Escrow, 1, &ALICE), Err(E::NotSpendable.into()));
		// A grant account pays for an eligible elder's service directly.
		assert!(L::hold(0, LedgerAccount::Grant(0), 30, &STAFF0).is_ok());
		assert_eq!(
			L::hold(0, LedgerAccount::Pool(0), 1, &STAFF0),
			Err(E::InsufficientCredits.into())
		);

		set_policy(
			0,
			LedgerPolicy {
				redemption: RedemptionRule::EligibleOnly { min_age: 60 },
				..Default::default()
			},
		);
		grant(ALICE, 50);
		assert_eq!(
			L::hold(0, L::spendable(&ALICE), 10, &ALICE),
			Err(E::NotEligibleForRedemption.into())
		);
		MockRegistry::set_eligible(ALICE, true);
		assert!(L::hold(0, L::spendable(&ALICE), 10, &ALICE).is_ok());
		MockRegistry::set_status(BOB, MemberStatus::Suspended);
		assert_eq!(L::hold(0, L::spendable(&BOB), 1, &BOB), Err(E::MemberNotActive.into()));
	});
}

#[test]
fn a_failed_settlement_through_the_trait_leaves_nothing_behind() {
	run(|| {
		set_policy(
			1,
			LedgerPolicy {
				storage_cap: Some(50),
				overflow: OverflowRule::Refuse,
				..Default::default()
			},
		);
		grant(ALICE, 100);
		let hold = L::hold(0, L::spendable(&ALICE), 100, &ALICE).expect("held");
		let entries = NextEntryId::<Test>::get();
		// 50 fits under DAVE's cap, the other 50 is refused: the first leg must not remain.
		assert_eq!(L::settle(hold, &DAVE, 100, &STAFF0), Err(E::StorageCapExceeded.into()));
		assert_eq!(NextEntryId::<Test>::get(), entries);
		assert_eq!(spendable(DAVE), 0);
		assert_eq!(L::held(hold), Some(100));
	});
}

#[test]
fn a_group_remainder_goes_from_a_hold_to_the_payers_branch_pool() {
	run(|| {
		grant(ALICE, 100);
		let hold = L::hold(0, L::spendable(&ALICE), 40, &ALICE).expect("held");
		assert_eq!(L::settle_to_pool(hold, 41, &STAFF0), Err(E::ExceedsHold.into()));
		assert_ok!(L::settle_to_pool(hold, 10, &STAFF0));
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 10);
		assert_eq!(L::held(hold), Some(30));
		assert_ok!(L::settle_to_pool(hold, 30, &STAFF0));
		assert_eq!(L::held(hold), None, "an emptied hold closes");
		assert_eq!(L::settle_to_pool(hold, 1, &STAFF0), Err(E::UnknownHold.into()));
		assert_eq!(L::balances_of(&ALICE).in_escrow, 0);
		assert!(events().contains(&Event::HoldSettledToPool {
			hold,
			branch: 0,
			amount: 30,
			remaining: 0
		}));
	});
}

#[test]
fn the_rounding_step_follows_the_branch_policy() {
	// How a duration is rounded to the step is `round_duration`'s test, in primitives.
	run(|| {
		assert_eq!(L::rounding_step(0), 15);
		set_policy(0, LedgerPolicy { rounding_step: 30, ..Default::default() });
		assert_eq!(L::rounding_step(0), 30);
	});
}

/// The principal of each escrow operation a member's credits take part in.
fn principals_of_the_last(n: usize) -> Vec<(EntryKind, AccountId, Option<AccountId>)> {
	let next = NextOperationId::<Test>::get();
	(next.saturating_sub(n as u64)..next)
		.filter_map(Operations::<Test>::get)
		.map(|op| (op.kind, op.actor, op.on_behalf_of))
		.collect()
}

#[test]
fn escrow_lines_name_the_member_when_someone_else_acts() {
	run(|| {
		grant(ALICE, 100);
		// Staff (or a proxy) hold, settle and release ALICE's credits: each operation says for
		// whom, so her statement shows on whose authority her credits moved.
		let hold = L::hold(0, L::spendable(&ALICE), 90, &STAFF0).expect("held");
		assert_ok!(L::settle(hold, &DAVE, 30, &STAFF0));
		assert_ok!(L::settle_to_pool(hold, 10, &STAFF0));
		assert_ok!(L::release(hold, &STAFF0));
		assert_eq!(
			principals_of_the_last(4),
			vec![
				(EntryKind::EscrowHold, STAFF0, Some(ALICE)),
				(EntryKind::Settlement, STAFF0, Some(ALICE)),
				(EntryKind::Settlement, STAFF0, Some(ALICE)),
				(EntryKind::EscrowRelease, STAFF0, Some(ALICE)),
			]
		);
		// In person, or from a branch's own account, there is nobody else to name.
		let own = L::hold(0, L::spendable(&ALICE), 10, &ALICE).expect("held");
		assert_ok!(L::release(own, &ALICE));
		let grant_hold = L::hold(0, LedgerAccount::Grant(0), 5, &STAFF0).expect("held");
		assert_ok!(L::release(grant_hold, &STAFF0));
		assert_eq!(
			principals_of_the_last(4),
			vec![
				(EntryKind::EscrowHold, ALICE, None),
				(EntryKind::EscrowRelease, ALICE, None),
				(EntryKind::EscrowHold, STAFF0, None),
				(EntryKind::EscrowRelease, STAFF0, None),
			]
		);
	});
}
