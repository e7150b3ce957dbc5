//! Gifts to relatives and donations to pools and members (`transfers.rs`).

use super::*;
use polkadot_sdk::frame_support::dispatch::{GetDispatchInfo, Pays};

#[test]
fn a_gift_to_a_verified_relative_moves_spendable_credits() {
	run(|| {
		grant(ALICE, 100);
		assert_ok!(L::gift(signed(ALICE), BOB, 40));
		assert_eq!((spendable(ALICE), spendable(BOB)), (60, 40));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::EntryPosted { debit, credit, amount: 40, kind: EntryKind::Gift, .. }
				if *debit == L::spendable(&ALICE) && *credit == L::spendable(&BOB)
		)));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::OperationRecorded { kind: EntryKind::Gift, actor: ALICE, .. }
		)));
	});
}

#[test]
fn gift_errors() {
	run(|| {
		grant(ALICE, 100);
		assert_noop!(L::gift(signed(ALICE), ALICE, 10), E::SelfTransfer);
		assert_noop!(L::gift(signed(ALICE), CAROL, 10), E::RelationNotVerified);
		assert_noop!(L::gift(signed(ALICE), BOB, 0), E::ZeroAmount);
		assert_noop!(L::gift(signed(ALICE), BOB, 101), E::InsufficientCredits);
		assert_noop!(L::gift(signed(ALICE), BOB, 10 * 60 + 1), E::GiftTooLarge);
		assert_noop!(L::gift(signed(77), BOB, 10), E::NotMember);
		set_policy(0, LedgerPolicy { max_gift: 0, ..Default::default() });
		assert_noop!(L::gift(signed(ALICE), BOB, 1), E::GiftTooLarge);
		MockRegistry::set_status(BOB, MemberStatus::Suspended);
		set_policy(0, LedgerPolicy::default());
		assert_noop!(L::gift(signed(ALICE), BOB, 1), E::MemberNotActive);
		MockRegistry::set_status(ALICE, MemberStatus::Suspended);
		assert_noop!(L::gift(signed(ALICE), DAVE, 1), E::MemberNotActive);
		MockRegistry::set_status(ALICE, MemberStatus::Active);
		MockRegistry::suspend_branch(0);
		assert_noop!(L::gift(signed(ALICE), DAVE, 1), E::BranchNotActive);
	});
}

#[test]
fn gifts_and_donations_respect_the_receiver_storage_cap() {
	run(|| {
		set_policy(1, LedgerPolicy { storage_cap: Some(50), ..Default::default() });
		grant(ALICE, 200);
		assert_ok!(L::gift(signed(ALICE), DAVE, 80));
		assert_eq!((spendable(DAVE), class(DAVE, BalanceClass::DonationOnly)), (50, 30));
		assert_ok!(L::donate(
			signed(ALICE),
			TransferTarget::DonationToMember { to: DAVE, class: BalanceClass::Spendable },
			10
		));
		assert_eq!(class(DAVE, BalanceClass::DonationOnly), 40);
		set_policy(
			1,
			LedgerPolicy {
				storage_cap: Some(50),
				overflow: OverflowRule::Refuse,
				..Default::default()
			},
		);
		assert_noop!(L::gift(signed(ALICE), DAVE, 1), E::StorageCapExceeded);
		// Leaving: what the relative cannot hold goes to the leaver's home pool.
		assert_ok!(L::leave(signed(ALICE), ExitChoice::GiftTo(DAVE)));
		assert_eq!(spendable(DAVE), 50);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 110);
	});
}

#[test]
fn a_gift_never_creates_an_overdraft_even_in_mutual_credit() {
	run(|| {
		set_policy(0, mutual_credit(500, true));
		assert_noop!(L::gift(signed(ALICE), BOB, 10), E::InsufficientCredits);
	});
}

#[test]
fn a_cross_branch_gift_clears_atomically_within_the_limit() {
	run(|| {
		set_policy(0, LedgerPolicy { clearing_limit: 50, ..Default::default() });
		grant(ALICE, 100);
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		assert_eq!(spendable(DAVE), 30);
		let outbound = LedgerAccount::Clearing { branch: 0, counterparty: 1 };
		let inbound = LedgerAccount::Clearing { branch: 1, counterparty: 0 };
		assert_eq!(
			(CreditBalances::<Test>::get(&outbound), CreditBalances::<Test>::get(&inbound)),
			(30, -30)
		);
		let op = Operations::<Test>::get(last_operation()).expect("operation stored");
		assert_eq!(op.entries.len(), 2);
		// The smaller of the two branches' limits applies, and nothing moves when it is hit.
		assert_noop!(L::gift(signed(ALICE), DAVE, 21), E::ClearingLimitExceeded);
		assert_eq!(spendable(ALICE), 70);
	});
}

#[test]
fn donations_go_to_pools_or_named_members_by_class() {
	run(|| {
		set_policy(0, LedgerPolicy { storage_cap: Some(50), ..Default::default() });
		grant(ALICE, 80); // 50 spendable, 30 donation-only
		assert_ok!(L::donate(
			signed(ALICE),
			TransferTarget::DonationToPool { branch: 0, class: BalanceClass::DonationOnly },
			30
		));
		assert_ok!(L::donate(
			signed(ALICE),
			TransferTarget::DonationToMember { to: ERIN, class: BalanceClass::Spendable },
			20
		));
		assert_ok!(L::donate(
			signed(ALICE),
			TransferTarget::DonationToPool { branch: 1, class: BalanceClass::Spendable },
			5
		));
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 30);
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(1)), 5);
		assert_eq!(spendable(ERIN), 20);
		assert_eq!(spendable(ALICE), 25);
	});
}

#[test]
fn donation_errors() {
	run(|| {
		grant(ALICE, 50);
		let to_pool = |class| TransferTarget::DonationToPool { branch: 0, class };
		assert_noop!(
			L::donate(signed(ALICE), to_pool(BalanceClass::Honorary), 1),
			E::HonoraryNotTransferable
		);
		assert_noop!(
			L::donate(signed(ALICE), TransferTarget::Gift { to: BOB }, 1),
			E::NotADonation
		);
		assert_noop!(
			L::donate(
				signed(ALICE),
				TransferTarget::DonationToMember { to: BOB, class: BalanceClass::Spendable },
				1
			),
			E::NotARecipient
		);
		assert_noop!(
			L::donate(signed(ALICE), to_pool(BalanceClass::DonationOnly), 1),
			E::InsufficientCredits
		);
		assert_noop!(
			L::donate(
				signed(ALICE),
				TransferTarget::DonationToPool { branch: 9, class: BalanceClass::Spendable },
				1
			),
			E::BranchNotActive
		);
		assert_noop!(
			L::donate(
				signed(ALICE),
				TransferTarget::DonationToMember { to: ALICE, class: BalanceClass::Spendable },
				1
			),
			E::SelfTransfer
		);
		assert_noop!(
			L::donate(
				signed(ALICE),
				TransferTarget::DonationToMember { to: 77, class: BalanceClass::Spendable },
				1
			),
			E::NotMember
		);
		assert_noop!(L::donate(signed(ALICE), to_pool(BalanceClass::Spendable), 0), E::ZeroAmount);
	});
}

#[test]
fn member_calls_are_fee_free() {
	let call = RuntimeCall::Ledger(Call::gift { to: BOB, amount: 1 });
	assert_eq!(call.get_dispatch_info().pays_fee, Pays::No);
}
