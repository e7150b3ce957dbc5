//! Unit tests: each call's success path and every error, escrow through the `Ledger` trait, and the
//! invariants after every scenario (`run` calls `do_try_state`).

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{Ledger as _, MemberStatus};

type L = Pallet<Test>;
type E = Error<Test>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn memo() -> H256 {
	H256::repeat_byte(1)
}

fn spendable(who: AccountId) -> SignedMinutes {
	L::member_balance(&who, BalanceClass::Spendable)
}

fn class(who: AccountId, class: BalanceClass) -> SignedMinutes {
	L::member_balance(&who, class)
}

fn events() -> Vec<Event<Test>> {
	frame_system::Pallet::<Test>::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Ledger(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn mutual_credit(limit: Minutes, hard: bool) -> BranchPolicy {
	BranchPolicy { accounting: AccountingModel::MutualCredit { limit, hard }, ..Default::default() }
}

fn set_policy(branch: BranchId, policy: BranchPolicy) {
	let admin = if branch == 0 { ADMIN0 } else { ADMIN1 };
	assert_ok!(L::set_policy(signed(admin), branch, policy));
}

fn grant(to: AccountId, amount: Minutes) {
	let admin =
		if MockRegistry::member(&to).map(|m| m.home_branch) == Some(1) { ADMIN1 } else { ADMIN0 };
	assert_ok!(L::grant(signed(admin), to, amount, memo()));
}

fn last_operation() -> OperationId {
	NextOperationId::<Test>::get() - 1
}

#[test]
fn a_grant_debits_the_grant_account_and_is_on_the_statement() {
	run(|| {
		grant(ALICE, 120);
		assert_eq!(spendable(ALICE), 120);
		assert_eq!(Balances::<Test>::get(LedgerAccount::Grant(0)), -120);
		let page = L::statement_page(&ALICE, 0, 10);
		assert_eq!(page.total, 1);
		let line = &page.lines[0];
		assert_eq!((line.kind, line.amount, line.actor), (EntryKind::Grant, 120, ADMIN0));
		assert_eq!(line.debit, LedgerAccount::Grant(0));
		assert!(events().iter().any(|e| matches!(e, Event::EntryPosted { amount: 120, .. })));
		assert!(events().iter().any(|e| matches!(e, Event::Granted { to: ALICE, .. })));
	});
}

#[test]
fn grant_errors() {
	run(|| {
		assert_noop!(L::grant(signed(ADMIN0), 77, 10, memo()), E::NotMember);
		assert_noop!(L::grant(signed(STAFF0), ALICE, 10, memo()), E::NotBranchOfficer);
		assert_noop!(L::grant(signed(ADMIN1), ALICE, 10, memo()), E::NotBranchOfficer);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 0, memo()), E::ZeroAmount);
		assert_noop!(L::grant(RuntimeOrigin::root(), ALICE, 10, memo()), DispatchError::BadOrigin);
		set_policy(0, BranchPolicy { storage_cap: None, ..Default::default() });
		assert_noop!(L::grant(signed(ADMIN0), ALICE, u64::MAX, memo()), E::Overflow);
		MockRegistry::set_status(ALICE, MemberStatus::Suspended);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 10, memo()), E::MemberNotActive);
		// A suspended branch issues nothing, changes no policy and reverses nothing.
		grant(BOB, 10);
		MockRegistry::suspend_branch(0);
		assert_noop!(L::grant(signed(ADMIN0), BOB, 10, memo()), E::BranchNotActive);
		assert_noop!(L::set_policy(signed(ADMIN0), 0, BranchPolicy::default()), E::BranchNotActive);
		assert_noop!(
			L::reverse(signed(ADMIN0), 0, ReversalReason::Other, memo()),
			E::BranchNotActive
		);
	});
}

#[test]
fn the_storage_cap_sends_overflow_where_the_policy_says() {
	run(|| {
		set_policy(0, BranchPolicy { storage_cap: Some(100), ..Default::default() });
		grant(ALICE, 150);
		assert_eq!((spendable(ALICE), class(ALICE, BalanceClass::DonationOnly)), (100, 50));
		set_policy(
			0,
			BranchPolicy {
				storage_cap: Some(100),
				overflow: OverflowRule::ToHonorary,
				..Default::default()
			},
		);
		grant(ALICE, 30);
		assert_eq!(class(ALICE, BalanceClass::Honorary), 30);
		set_policy(
			0,
			BranchPolicy {
				storage_cap: Some(100),
				overflow: OverflowRule::Refuse,
				..Default::default()
			},
		);
		assert_noop!(L::grant(signed(ADMIN0), ALICE, 1, memo()), E::StorageCapExceeded);
	});
}

#[test]
fn policies_are_versioned_with_an_audit_trail() {
	run(|| {
		set_policy(0, mutual_credit(300, true));
		set_policy(0, BranchPolicy::default());
		assert_eq!(Policies::<Test>::get(0).map(|(v, _)| v), Some(2));
		let (first, by, _) = PolicyHistory::<Test>::get(0, 1).expect("version 1 kept");
		assert_eq!((first, by), (mutual_credit(300, true), ADMIN0));
	});
}

#[test]
fn set_policy_errors() {
	run(|| {
		let p = BranchPolicy::default();
		assert_noop!(L::set_policy(signed(STAFF0), 0, p), E::NotBranchOfficer);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, BranchPolicy { expiry_days: Some(365), ..p }),
			E::ExpiryNotSupported
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, BranchPolicy { rounding_step: 0, ..p }),
			E::InvalidPolicy
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, BranchPolicy { storage_cap: Some(0), ..p }),
			E::InvalidPolicy
		);
		assert_noop!(
			L::set_policy(signed(ADMIN0), 0, mutual_credit(MAX_CREDIT_LIMIT + 1, true)),
			E::InvalidPolicy
		);
	});
}

#[test]
fn a_gift_to_a_verified_relative_moves_spendable_credits() {
	run(|| {
		grant(ALICE, 100);
		assert_ok!(L::gift(signed(ALICE), BOB, 40));
		assert_eq!((spendable(ALICE), spendable(BOB)), (60, 40));
		assert!(events().iter().any(|e| matches!(e, Event::Gifted { from: ALICE, to: BOB, .. })));
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
		set_policy(0, BranchPolicy { max_gift: 0, ..Default::default() });
		assert_noop!(L::gift(signed(ALICE), BOB, 1), E::GiftTooLarge);
		MockRegistry::set_status(BOB, MemberStatus::Suspended);
		set_policy(0, BranchPolicy::default());
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
		set_policy(1, BranchPolicy { storage_cap: Some(50), ..Default::default() });
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
			BranchPolicy {
				storage_cap: Some(50),
				overflow: OverflowRule::Refuse,
				..Default::default()
			},
		);
		assert_noop!(L::gift(signed(ALICE), DAVE, 1), E::StorageCapExceeded);
		// Leaving: what the relative cannot hold goes to the leaver's home pool.
		assert_ok!(L::leave(signed(ALICE), ExitChoice::GiftTo(DAVE)));
		assert_eq!(spendable(DAVE), 50);
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 110);
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
		set_policy(0, BranchPolicy { clearing_limit: 50, ..Default::default() });
		grant(ALICE, 100);
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		assert_eq!(spendable(DAVE), 30);
		let outbound = LedgerAccount::Clearing { branch: 0, counterparty: 1 };
		let inbound = LedgerAccount::Clearing { branch: 1, counterparty: 0 };
		assert_eq!((Balances::<Test>::get(&outbound), Balances::<Test>::get(&inbound)), (30, -30));
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
		set_policy(0, BranchPolicy { storage_cap: Some(50), ..Default::default() });
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
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 30);
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(1)), 5);
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
fn a_proxy_proposes_and_the_member_or_staff_co_signs() {
	run(|| {
		grant(ALICE, 100);
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, TransferTarget::Gift { to: BOB }, 25));
		assert_eq!(spendable(ALICE), 100, "nothing moves on a proposal");
		assert_noop!(L::approve_transfer(signed(CAROL), 0), E::NotAllowed);
		assert_noop!(L::approve_transfer(signed(BOB), 0), E::NotAllowed);
		assert_ok!(L::approve_transfer(signed(STAFF0), 0));
		assert_eq!(spendable(BOB), 25);
		let op = Operations::<Test>::get(last_operation()).expect("stored");
		assert_eq!((op.actor, op.on_behalf_of), (STAFF0, Some(ALICE)));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::TransferProposed { proposal: 0, member: ALICE, proxy: CAROL }
		)));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::TransferApproved { proposal: 0, member: ALICE, proxy: CAROL, by: STAFF0, .. }
		)));

		assert_ok!(L::propose_transfer(
			signed(CAROL),
			ALICE,
			TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable },
			5
		));
		assert_ok!(L::approve_transfer(signed(ALICE), 1));
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 5);
	});
}

#[test]
fn proposal_errors() {
	run(|| {
		let gift = TransferTarget::Gift { to: BOB };
		assert_noop!(
			L::propose_transfer(signed(BOB), ALICE, gift.clone(), 5),
			E::NotAuthorisedProxy
		);
		assert_noop!(L::propose_transfer(signed(CAROL), ALICE, gift.clone(), 0), E::ZeroAmount);
		assert_noop!(L::approve_transfer(signed(ALICE), 9), E::UnknownProposal);
		assert_noop!(L::cancel_transfer(signed(ALICE), 9), E::UnknownProposal);
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, gift.clone(), 5));
		assert_noop!(L::cancel_transfer(signed(BOB), 0), E::NotAllowed);
		// Approval re-checks everything: ALICE has no credits yet.
		assert_noop!(L::approve_transfer(signed(ALICE), 0), E::InsufficientCredits);
		assert_ok!(L::cancel_transfer(signed(CAROL), 0));
		assert_noop!(L::approve_transfer(signed(ALICE), 0), E::UnknownProposal);
		// A proxy revoked after proposing no longer speaks for the member.
		grant(ALICE, 50);
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, gift.clone(), 5));
		MockRegistry::clear_proxies();
		assert_noop!(L::approve_transfer(signed(ALICE), 1), E::NotAuthorisedProxy);
		MockRegistry::add_proxy(
			ALICE,
			CAROL,
			timebank_primitives::ProxyPermissions { propose_transfers: true, ..Default::default() },
		);
		MockRegistry::set_status(ALICE, MemberStatus::Suspended);
		assert_noop!(L::propose_transfer(signed(CAROL), ALICE, gift, 5), E::MemberNotActive);
	});
}

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
		assert_eq!(Balances::<Test>::get(clearing), 0);
		assert_eq!(Operations::<Test>::get(gifted).and_then(|o| o.reversed_by), Some(gifted + 1));
		assert_eq!(L::statement_page(&ALICE, 0, 10).total, 3, "grant, gift and its reversal");
		assert_ok!(L::reverse(signed(ADMIN0), granted, ReversalReason::Duplicate, memo()));
		assert_eq!(Balances::<Test>::get(LedgerAccount::Grant(0)), 0);
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

#[test]
fn escrow_holds_settles_and_releases_without_creating_credit() {
	run(|| {
		grant(ALICE, 100);
		let hold = L::hold(0, L::spendable(&ALICE), 90, &ALICE).expect("held");
		assert_eq!(L::balances_of(&ALICE).in_escrow, 90);
		assert_eq!(Balances::<Test>::get(LedgerAccount::Escrow), 90);
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
			BranchPolicy {
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
fn mutual_credit_limits_are_hard_or_soft() {
	run(|| {
		set_policy(0, mutual_credit(100, true));
		assert!(L::hold(0, L::spendable(&ALICE), 100, &ALICE).is_ok());
		assert_eq!(spendable(ALICE), -100);
		assert_eq!(L::hold(0, L::spendable(&ALICE), 1, &ALICE), Err(E::CreditLimitExceeded.into()));
		set_policy(0, mutual_credit(100, false));
		assert!(L::hold(0, L::spendable(&ALICE), 50, &ALICE).is_ok());
		assert_eq!(SoftLimitFlags::<Test>::get(ALICE), Some(-150));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::SoftLimitExceeded { who: ALICE, balance: -150, limit: 100 }
		)));
		// Soft, but never past the chain-wide floor.
		assert_eq!(
			L::hold(0, L::spendable(&ALICE), MAX_CREDIT_LIMIT, &ALICE),
			Err(E::CreditLimitExceeded.into())
		);
	});
}

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
		set_policy(0, BranchPolicy { storage_cap: Some(100), ..Default::default() });
		grant(ALICE, 130); // 100 spendable, 30 donation-only
		assert_noop!(L::leave(signed(ALICE), ExitChoice::GiftTo(CAROL)), E::RelationNotVerified);
		assert_ok!(L::leave(signed(ALICE), ExitChoice::GiftTo(DAVE)));
		assert_eq!(spendable(DAVE), 100);
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 30);
		assert_eq!(MockRegistry::member(&ALICE).map(|m| m.status), Some(MemberStatus::Left));
		assert_noop!(L::leave(signed(ALICE), ExitChoice::Dormant), E::AlreadyDeparted);

		grant(BOB, 10);
		assert_ok!(L::leave(signed(BOB), ExitChoice::Dormant));
		assert_eq!(spendable(BOB), 10, "dormant balances stay");
		grant(CAROL, 10);
		assert_ok!(L::leave(signed(CAROL), ExitChoice::DonateToPool));
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 40);
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
		set_policy(1, BranchPolicy { storage_cap: Some(40), ..Default::default() });
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
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 60);
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
		assert_eq!(Balances::<Test>::get(LedgerAccount::Grant(0)), -40);
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

#[test]
fn the_one_door_refuses_empty_self_and_oversized_operations() {
	run(|| {
		let mut op = L::begin(EntryKind::Grant, 0, &ADMIN0, None);
		let grant_account = LedgerAccount::Grant(0);
		assert_eq!(
			L::post_entry(
				&mut op,
				grant_account.clone(),
				grant_account.clone(),
				1,
				EntryKind::Grant,
				DebitRule::OwnCredits
			),
			Err(E::SameAccount.into())
		);
		assert_eq!(
			L::post_entry(
				&mut op,
				grant_account.clone(),
				L::spendable(&ALICE),
				0,
				EntryKind::Grant,
				DebitRule::OwnCredits
			),
			Err(E::ZeroAmount.into())
		);
		let result = polkadot_sdk::frame_support::storage::with_storage_layer(|| {
			for _ in 0..=12 {
				L::post_entry(
					&mut op,
					grant_account.clone(),
					L::spendable(&ALICE),
					1,
					EntryKind::Grant,
					DebitRule::OwnCredits,
				)?;
			}
			Ok::<_, DispatchError>(())
		});
		assert_eq!(result, Err(E::TooManyEntries.into()));
	});
}

#[test]
fn member_calls_are_fee_free() {
	let call = RuntimeCall::Ledger(Call::gift { to: BOB, amount: 1 });
	assert_eq!(call.get_dispatch_info().pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
}

#[test]
fn statement_pages_are_bounded_and_linked() {
	run(|| {
		for _ in 0..5 {
			grant(ALICE, 1);
		}
		let first = L::statement_page(&ALICE, 0, 2);
		assert_eq!((first.lines.len(), first.total, first.next), (2, 5, Some(2)));
		let last = L::statement_page(&ALICE, 4, 1_000);
		assert_eq!((last.lines.len(), last.next), (1, None));
		assert!(L::statement_page(&ALICE, 9, 10).lines.is_empty());
		let summary = branch_summary(0);
		assert_eq!((summary.redemption_liability, summary.outstanding_spendable), (5, 5));
	});
}

fn branch_summary(branch: BranchId) -> timebank_primitives::BranchSummary {
	let mut summary = timebank_primitives::BranchSummary {
		branch,
		parent: None,
		active: true,
		pending_members: 0,
		active_members: 0,
		redemption_liability: 0,
		outstanding_spendable: 0,
		pool_balance: 0,
		clearing_positions: vec![],
		policy_version: 0,
	};
	L::fill_branch_summary(&mut summary, 0..BRANCHES);
	summary
}

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

#[test]
fn the_v1_migration_fills_branch_totals_once() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		grant(ALICE, 100);
		grant(BOB, 5);
		grant(DAVE, 40);
		assert_ok!(L::gift(signed(ALICE), DAVE, 30));
		// A chain from before version 1: no totals stored.
		let _ = HomeSpendable::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<L>();

		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!((HomeSpendable::<Test>::get(0), HomeSpendable::<Test>::get(1)), (75, 70));
		assert_eq!(L::on_chain_storage_version(), StorageVersion::new(1));

		// Run again (another upgrade later): the version says it is done, so a value the
		// migration would overwrite stays as it is.
		HomeSpendable::<Test>::insert(0, 999);
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(HomeSpendable::<Test>::get(0), 999);
		HomeSpendable::<Test>::insert(0, 75);
	});
}

#[test]
fn a_failed_settlement_through_the_trait_leaves_nothing_behind() {
	run(|| {
		set_policy(
			1,
			BranchPolicy {
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
		assert_eq!(Balances::<Test>::get(LedgerAccount::Pool(0)), 10);
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
fn durations_round_to_the_policy_step_halves_up() {
	run(|| {
		assert_eq!(L::rounding_step(0), 15);
		set_policy(0, BranchPolicy { rounding_step: 30, ..Default::default() });
		assert_eq!(L::rounding_step(0), 30);
	});
	use timebank_primitives::round_duration;
	assert_eq!(round_duration(52, 15), 45);
	assert_eq!(round_duration(53, 15), 60, "7.5 rounds up at 8");
	assert_eq!(round_duration(7, 15), 0);
	assert_eq!(round_duration(8, 15), 15);
	assert_eq!(round_duration(90, 30), 90);
	assert_eq!(round_duration(44, 0), 44);
}

#[test]
fn large_grants_reversals_and_policy_changes_wait_for_review_when_the_branch_asks() {
	use timebank_primitives::{Decision, ReviewKind, ReviewOutcome, ReviewSubject};
	use timebank_test_support::MockReviews;
	let decide = |subject: ReviewSubject<AccountId>, decision| {
		<L as ReviewOutcome<AccountId>>::execute(&subject, &decision, &STAFF0)
	};
	run(|| {
		MockReviews::review(ReviewKind::Grant, 100);
		MockReviews::review(ReviewKind::Reversal, 0);
		MockReviews::review(ReviewKind::PolicyChange, 0);
		// A small grant goes through; a large one waits, and nothing is posted yet.
		grant(ALICE, 99);
		assert_ok!(L::grant(signed(ADMIN0), ALICE, 500, memo()));
		assert_eq!(spendable(ALICE), 99);
		assert_eq!(MockReviews::opened(), vec![(0, ReviewSubject::Grant(0), ADMIN0)]);
		assert!(events().contains(&Event::AwaitingReview {
			pending: 0,
			branch: 0,
			requester: ADMIN0
		}));
		// The member who would be credited is a party; the requester is excluded by audits.
		assert!(<L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Grant(0), &ALICE));
		assert!(!<L as ReviewOutcome<AccountId>>::is_party(&ReviewSubject::Grant(0), &STAFF0));
		assert_ok!(decide(ReviewSubject::Grant(0), Decision::Approve));
		assert_eq!(spendable(ALICE), 599);
		let operation = last_operation();
		assert_eq!(
			Operations::<Test>::get(operation).map(|o| o.actor),
			Some(ADMIN0),
			"in the requester's name"
		);
		assert_noop!(decide(ReviewSubject::Grant(0), Decision::Approve), E::UnknownPendingAction);

		// A reversal waits; rejected, nothing changes.
		assert_ok!(L::reverse(signed(ADMIN0), operation, ReversalReason::EnteredInError, memo()));
		assert_eq!(spendable(ALICE), 599);
		assert_ok!(decide(ReviewSubject::Reversal(1), Decision::Reject));
		assert!(events().contains(&Event::PendingActionRejected { pending: 1 }));
		assert_eq!(spendable(ALICE), 599);
		// Asked again and approved, it is posted.
		assert_ok!(L::reverse(signed(ADMIN0), operation, ReversalReason::EnteredInError, memo()));
		assert_ok!(decide(ReviewSubject::Reversal(2), Decision::Approve));
		assert_eq!(spendable(ALICE), 99);

		// A policy change waits, then applies.
		let policy = BranchPolicy { rounding_step: 30, ..Default::default() };
		assert_ok!(L::set_policy(signed(ADMIN0), 0, policy));
		assert_eq!(L::policy(0).rounding_step, 15);
		assert_ok!(decide(ReviewSubject::PolicyChange(3), Decision::Approve));
		assert_eq!(L::policy(0).rounding_step, 30);

		// Bad input is still refused before anything waits.
		assert_noop!(L::grant(signed(STAFF0), ALICE, 500, memo()), E::NotBranchOfficer);
		assert_noop!(
			L::set_policy(
				signed(ADMIN0),
				0,
				BranchPolicy { rounding_step: 0, ..Default::default() }
			),
			E::InvalidPolicy
		);
		assert_noop!(
			L::reverse(signed(ADMIN0), 999, ReversalReason::EnteredInError, memo()),
			E::UnknownOperation
		);
		// Decisions that do not fit.
		assert!(!<L as ReviewOutcome<AccountId>>::accepts(
			&ReviewSubject::Listing(0),
			&Decision::Approve
		));
		assert_noop!(decide(ReviewSubject::Listing(0), Decision::Approve), E::WrongDecision);
		assert_ok!(L::grant(signed(ADMIN0), ALICE, 500, memo()));
		let arbitrate = Decision::Arbitrate(timebank_primitives::ArbitrationOutcome::PayProvider);
		assert_noop!(decide(ReviewSubject::Grant(4), arbitrate), E::WrongDecision);
	});
}
