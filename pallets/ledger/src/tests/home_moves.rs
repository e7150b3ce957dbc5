//! What the ledger asks before the registry moves a member's home branch (`prepare_move`):
//! no open holds, no debt, and a positive balance crosses through clearing (review H2).

use super::*;
use polkadot_sdk::sp_runtime::DispatchResult;

/// The move as the registry makes it once the destination's staff accepted, in the storage
/// layer its call has.
fn move_home(who: AccountId, to: BranchId) -> DispatchResult {
	polkadot_sdk::frame_support::storage::with_storage_layer(|| {
		let from = MockRegistry::member(&who).map(|m| m.home_branch).unwrap_or_default();
		<L as HomeBranchChanges<AccountId>>::prepare_move(&who, from, to)?;
		MockRegistry::move_home::<L>(who, to);
		Ok(())
	})
}

// H2: a member who owes credits under one branch's mutual-credit line cannot take the debt to
// another branch, and credits in open holds stay under the policy they were held under.
#[test]
fn a_move_is_refused_with_open_holds_or_a_debt() {
	run(|| {
		grant(ALICE, 10);
		let hold = L::hold(0, L::spendable(&ALICE), 5, &ALICE).expect("held");
		assert_noop!(move_home(ALICE, 1), E::OpenHolds);
		assert_ok!(L::release(hold, &ALICE));

		set_policy(1, mutual_credit(100, false));
		let debt = L::hold(1, L::spendable(&DAVE), 20, &DAVE).expect("held on credit");
		assert_ok!(L::settle(debt, &ERIN, 20, &ADMIN1));
		assert_eq!(spendable(DAVE), -20);
		assert_noop!(move_home(DAVE, 0), E::OutstandingDebt);
		// A member with nothing owed and nothing held moves.
		assert_ok!(move_home(BOB, 1));
	});
}

// H2: a positive balance moves like a payment between the two branches, so the clearing
// position records it and the clearing limit bounds it (DOMAIN.md rule 11).
#[test]
fn a_positive_balance_crosses_through_clearing_within_its_limit() {
	run(|| {
		grant(ALICE, 50);
		assert_ok!(move_home(ALICE, 1));
		assert_eq!(spendable(ALICE), 50);
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (0, 50));
		assert_eq!(branch_summary(0).clearing_positions, vec![(1, 50)]);
		assert_eq!(branch_summary(1).clearing_positions, vec![(0, -50)]);
		assert_eq!(
			Operations::<Test>::get(last_operation()).map(|o| o.kind),
			Some(EntryKind::Clearing)
		);

		set_policy(0, LedgerPolicy { clearing_limit: 60, ..Default::default() });
		grant(BOB, 20);
		// 50 + 20 would put branch 1 70 minutes short towards branch 0: above the limit.
		assert_noop!(move_home(BOB, 1), E::ClearingLimitExceeded);
		assert_eq!(MockRegistry::member(&BOB).map(|m| m.home_branch), Some(0));
	});
}

// H2: a move cannot lift a balance above the destination's storage cap; what is above it goes
// where the destination's overflow rule says, and a destination that refuses overflow refuses
// the move.
#[test]
fn the_destination_cap_applies_to_the_balance_that_moves() {
	run(|| {
		set_policy(1, LedgerPolicy { storage_cap: Some(30), ..Default::default() });
		grant(ALICE, 50);
		assert_ok!(move_home(ALICE, 1));
		assert_eq!(spendable(ALICE), 30);
		assert_eq!(class(ALICE, BalanceClass::DonationOnly), 20, "branch 1 sends overflow there");
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (0, 30));
		// All 50 minutes crossed: branch 0's grant still backs them.
		assert_eq!(branch_summary(0).clearing_positions, vec![(1, 50)]);

		let refusing = LedgerPolicy {
			storage_cap: Some(30),
			overflow: OverflowRule::Refuse,
			..Default::default()
		};
		set_policy(1, refusing);
		grant(BOB, 40);
		assert_noop!(move_home(BOB, 1), E::StorageCapExceeded);
		assert_eq!(MockRegistry::member(&BOB).map(|m| m.home_branch), Some(0));
	});
}

// H2: donation-only credits issued under one branch cross through clearing too, so a later
// donation to the new branch's pool does not bypass the pair's position and limit.
#[test]
fn donation_only_credits_cross_through_clearing() {
	run(|| {
		set_policy(0, LedgerPolicy { storage_cap: Some(10), ..Default::default() });
		grant(ALICE, 25);
		assert_eq!((spendable(ALICE), class(ALICE, BalanceClass::DonationOnly)), (10, 15));
		assert_ok!(move_home(ALICE, 1));
		assert_eq!((spendable(ALICE), class(ALICE, BalanceClass::DonationOnly)), (10, 15));
		assert_eq!(branch_summary(0).clearing_positions, vec![(1, 25)]);
		assert_eq!(branch_summary(1).clearing_positions, vec![(0, -25)]);
	});
}
