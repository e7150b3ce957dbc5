//! Reversals of grants, gifts and donations (`transfers.rs`).

use super::*;

#[test]
fn a_reversal_posts_opposite_entries_and_keeps_the_original() {
	run(|| {
		grant(ALICE, 100);
		let granted = last_operation();
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		let gifted = last_operation();
		assert_ok!(L::reverse(signed(ADMIN0), gifted, ReversalReason::EnteredInError, memo()));
		assert_eq!((spendable(ALICE), spendable(DAVE)), (100, 0));
		let clearing = LedgerAccount::Clearing { branch: 0, counterparty: 1 };
		assert_eq!(CreditBalances::<Test>::get(clearing), 0);
		assert_eq!(Operations::<Test>::get(gifted).and_then(|o| o.reversed_by), Some(gifted + 1));
		assert_eq!(L::statement_page(&ALICE, 0, 10).total, 3, "grant, gift and its reversal");
		assert_ok!(L::reverse(signed(ADMIN0), granted, ReversalReason::Duplicate, memo()));
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Grant(0)), 0);
	});
}

#[test]
fn reversal_errors() {
	run(|| {
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Other, memo()),
			E::UnknownOperation
		);
		grant(ALICE, 100);
		assert_noop!(
			L::reverse(signed(ADMIN1), 0, ReversalReason::Other, memo()),
			E::NotBranchOfficer
		);
		assert_ok!(L::gift(signed(ALICE), BOB, 100));
		// BOB spent nothing but ALICE's grant was gifted on: reversing the grant would overdraw.
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Fraud, memo()),
			E::InsufficientCredits
		);
		assert_ok!(L::reverse(signed(ADMIN0), 1, ReversalReason::Fraud, memo()));
		assert_noop!(
			L::reverse(signed(ADMIN0), 1, ReversalReason::Fraud, memo()),
			E::AlreadyReversed
		);
		assert_noop!(
			L::reverse(signed(ADMIN0), 2, ReversalReason::Fraud, memo()),
			E::NotReversible
		);
		let hold = L::hold(0, L::spendable(&ALICE), 10, &ALICE).expect("held");
		assert_noop!(
			L::reverse(signed(ADMIN0), last_operation(), ReversalReason::Other, memo()),
			E::NotReversible
		);
		assert_ok!(L::release(hold, &ALICE));
	});
}
