//! `HomeSpendable`, each branch's total of its home members' spendable balances: kept in step
//! by the door and by the registry's home-branch changes.

use super::*;

#[test]
fn branch_totals_follow_grants_gifts_donations_and_moves() {
	run(|| {
		grant(ALICE, 100);
		grant(DAVE, 40);
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		assert_ok!(L::donate(
			signed(ALICE),
			TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable },
			20
		));
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (50, 70));
		let summary = branch_summary(0);
		assert_eq!(summary.outstanding_spendable, 50);
		assert_eq!(summary.clearing_positions, vec![(1, 30)]);
		assert_eq!(branch_summary(1).clearing_positions, vec![(0, -30)]);

		// The registry moves ALICE: her 50 minutes now count for branch 1.
		MockRegistry::move_home::<L>(ALICE, 1);
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (0, 120));
		// A member without a balance moves without changing any total.
		MockRegistry::move_home::<L>(BOB, 1);
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (0, 120));
		// A removed record takes its balance out of the branch's total.
		<L as HomeBranchChanges<AccountId>>::home_branch_changed(&DAVE, Some(1), None);
		assert_eq!(HomeSpendable::<Test>::get(1), 50);
		<L as HomeBranchChanges<AccountId>>::home_branch_changed(&DAVE, None, Some(1));
		assert_eq!(HomeSpendable::<Test>::get(1), 120);
	});
}

#[test]
fn try_state_notices_a_branch_total_out_of_step() {
	run(|| {
		grant(ALICE, 10);
		// The registry moving a member without telling the ledger leaves the totals stale.
		MockRegistry::update(ALICE, |m| m.home_branch = 1);
		assert!(L::do_try_state().is_err());
		MockRegistry::update(ALICE, |m| m.home_branch = 0);
		HomeSpendable::<Test>::insert(1, 3);
		assert!(L::do_try_state().is_err());
		HomeSpendable::<Test>::insert(1, 0);
	});
}
