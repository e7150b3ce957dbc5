//! Decision 0008: one operation emits one `EntryPosted` per entry and one operation-level event,
//! `OperationRecorded`; other events only for changes to other records.

use super::*;

/// The ledger events one call emitted, after clearing the earlier ones.
fn events_of(call: impl FnOnce()) -> Vec<Event<Test>> {
	frame_system::Pallet::<Test>::reset_events();
	call();
	events()
}

fn operations_recorded(events: &[Event<Test>]) -> usize {
	events.iter().filter(|e| matches!(e, Event::OperationRecorded { .. })).count()
}

#[test]
fn a_donation_emits_its_entries_and_one_operation_event() {
	run(|| {
		grant(ALICE, 100);
		let to_pool = TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable };
		let emitted = events_of(|| {
			assert_ok!(L::donate(signed(ALICE), to_pool, 20));
		});
		assert_eq!(
			emitted,
			vec![
				Event::EntryPosted {
					entry: 1,
					operation: 1,
					debit: L::spendable(&ALICE),
					credit: LedgerAccount::Pool(0),
					amount: 20,
					kind: EntryKind::Donation,
				},
				Event::OperationRecorded {
					operation: 1,
					kind: EntryKind::Donation,
					branch: 0,
					actor: ALICE,
					on_behalf_of: None,
					memo: None,
				},
			]
		);
		// Across branches: two entries through the clearing accounts, still one operation event.
		let to_branch_1 =
			TransferTarget::DonationToPool { branch: 1, class: BalanceClass::Spendable };
		let emitted = events_of(|| {
			assert_ok!(L::donate(signed(ALICE), to_branch_1, 5));
		});
		assert_eq!(emitted.len(), 3);
		assert_eq!(operations_recorded(&emitted), 1);
	});
}

#[test]
fn grants_gifts_and_proxied_transfers_emit_one_operation_event_each() {
	run(|| {
		let emitted = events_of(|| grant(ALICE, 100));
		assert_eq!((emitted.len(), operations_recorded(&emitted)), (2, 1));
		let emitted = events_of(|| {
			assert_ok!(L::gift(signed(ALICE), BOB, 10));
		});
		assert_eq!((emitted.len(), operations_recorded(&emitted)), (2, 1));

		// The approval adds the proposal's own event (it names the proxy), not a second one
		// for the operation.
		assert_ok!(L::propose_transfer(signed(CAROL), ALICE, TransferTarget::Gift { to: BOB }, 5));
		let emitted = events_of(|| {
			assert_ok!(L::approve_transfer(signed(ALICE), 0));
		});
		assert_eq!(operations_recorded(&emitted), 1);
		assert!(matches!(
			emitted.last(),
			Some(Event::TransferApproved { proposal: 0, operation: 2, proxy: CAROL, .. })
		));
	});
}

#[test]
fn calls_through_the_ledger_trait_emit_one_operation_event_each() {
	run(|| {
		grant(ALICE, 100);
		let emitted = events_of(|| {
			let hold = L::hold(0, L::spendable(&ALICE), 30, &ALICE).expect("held");
			assert_ok!(L::settle(hold, &BOB, 20, &STAFF0));
			assert_ok!(L::release(hold, &STAFF0));
			assert_ok!(L::reward(0, &BOB, 15, &STAFF0));
		});
		// Hold, settlement, release and reward: four operations, each with its entries.
		assert_eq!(operations_recorded(&emitted), 4);
		let entries = emitted.iter().filter(|e| matches!(e, Event::EntryPosted { .. })).count();
		assert_eq!(entries, 4);
		assert!(emitted.contains(&Event::OperationRecorded {
			operation: 4,
			kind: EntryKind::Grant,
			branch: 0,
			actor: STAFF0,
			on_behalf_of: None,
			memo: None,
		}));
	});
}

#[test]
fn event_indices_stay_where_they_were_before_the_removed_events() {
	use codec::Encode;
	let index = |event: Event<Test>| event.encode()[0];
	assert_eq!(index(Event::PolicyChanged { branch: 0, version: 1, by: ADMIN0 }), 2);
	assert_eq!(index(Event::TransferProposed { proposal: 0, member: ALICE, proxy: CAROL }), 6);
	assert_eq!(index(Event::ActionDeferred { pending: 0, branch: 0, requester: ADMIN0 }), 14);
	assert_eq!(index(Event::EstateCancelled { member: ALICE, by: STAFF0 }), 21);
}
