//! Family proxies' proposals and their co-signature (`transfers.rs`).

use super::*;

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
		assert_eq!(CreditBalances::<Test>::get(LedgerAccount::Pool(0)), 5);
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

// M5: a proxy keeps a bounded number of proposals waiting.
#[test]
fn a_proxy_keeps_a_bounded_number_of_proposals_waiting() {
	run(|| {
		grant(ALICE, 100);
		let propose =
			|| L::propose_transfer(signed(CAROL), ALICE, TransferTarget::Gift { to: BOB }, 1);
		for _ in 0..MAX_PROPOSALS_PER_PROXY {
			assert_ok!(propose());
		}
		assert_eq!(ProposalsByProxy::<Test>::get(CAROL), MAX_PROPOSALS_PER_PROXY);
		assert_noop!(propose(), E::TooManyProposals);
		// Approved or cancelled proposals make room again.
		assert_ok!(L::approve_transfer(signed(ALICE), 0));
		assert_ok!(propose());
		assert_ok!(L::cancel_transfer(signed(CAROL), 1));
		assert_ok!(L::cancel_transfer(signed(ALICE), 2));
		assert_eq!(ProposalsByProxy::<Test>::get(CAROL), 1);
		assert_ok!(L::cancel_transfer(signed(STAFF0), 3));
		assert!(!ProposalsByProxy::<Test>::contains_key(CAROL), "an empty count is removed");
	});
}
