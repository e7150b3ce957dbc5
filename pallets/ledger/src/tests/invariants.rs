//! Each named check of `do_try_state` (`invariants.rs`) notices the breach it is for.

use super::*;

#[test]
fn the_entries_check_notices_a_balance_without_its_entries() {
	run(|| {
		grant(ALICE, 10);
		assert_ok!(L::check_balances_match_entries());
		CreditBalances::<Test>::insert(L::spendable(&ALICE), 11);
		assert!(L::check_balances_match_entries().is_err());
		CreditBalances::<Test>::insert(L::spendable(&ALICE), 10);
	});
}

#[test]
fn the_escrow_check_notices_a_hold_out_of_step() {
	run(|| {
		grant(ALICE, 10);
		let hold = L::hold(0, L::spendable(&ALICE), 4, &ALICE).expect("held");
		assert_ok!(L::check_escrow_matches_holds());
		HeldForMember::<Test>::insert(ALICE, 5);
		assert!(L::check_escrow_matches_holds().is_err());
		HeldForMember::<Test>::insert(ALICE, 4);
		Holds::<Test>::mutate(hold, |h| h.as_mut().map(|h| h.remaining = 3));
		assert!(L::check_escrow_matches_holds().is_err());
		Holds::<Test>::mutate(hold, |h| h.as_mut().map(|h| h.remaining = 4));
	});
}

#[test]
fn the_reversal_check_notices_a_one_way_link() {
	run(|| {
		grant(ALICE, 10);
		grant(BOB, 10);
		assert_ok!(L::reverse(signed(ADMIN0), 0, ReversalReason::EnteredInError, memo()));
		assert_ok!(L::check_reversal_links());
		Operations::<Test>::mutate(0, |o| o.as_mut().map(|o| o.reversed_by = Some(1)));
		assert!(L::check_reversal_links().is_err());
		Operations::<Test>::mutate(0, |o| o.as_mut().map(|o| o.reversed_by = Some(2)));
	});
}
