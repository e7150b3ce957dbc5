//! The one door (`door.rs`): what `post_entry` refuses, and what `commit` stores and announces.

use super::*;
use polkadot_sdk::frame_support::storage::with_storage_layer;

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
		let result = with_storage_layer(|| {
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
fn commit_gives_no_id_to_an_operation_that_posted_nothing() {
	run(|| {
		let before = NextOperationId::<Test>::get();
		let empty = L::begin(EntryKind::Exit, 0, &ALICE, None);
		assert_eq!(L::commit(empty), Ok(None));
		assert_eq!(NextOperationId::<Test>::get(), before, "no id is used up");
		assert!(Operations::<Test>::get(before).is_none());
		assert!(events().is_empty(), "nothing is announced");
		assert_eq!(
			L::commit_posted(L::begin(EntryKind::Grant, 0, &ADMIN0, None)),
			Err(E::ZeroAmount.into())
		);

		let mut op = L::begin(EntryKind::Grant, 0, &ADMIN0, None);
		assert_ok!(L::post_entry(
			&mut op,
			LedgerAccount::Grant(0),
			L::spendable(&ALICE),
			5,
			EntryKind::Grant,
			DebitRule::OwnCredits,
		));
		assert_eq!(op.entries(), &[0]);
		assert_eq!(L::commit(op), Ok(Some(before)));
		assert_eq!(NextOperationId::<Test>::get(), before + 1);
		assert_eq!(Operations::<Test>::get(before).map(|o| o.entries.into_inner()), Some(vec![0]));
	});
}

#[test]
fn a_reversal_is_linked_both_ways_by_commit() {
	run(|| {
		grant(ALICE, 10);
		let granted = last_operation();
		let mut op = L::begin(EntryKind::Reversal, 0, &ADMIN0, None).reversing(granted);
		assert_ok!(L::post_entry(
			&mut op,
			L::spendable(&ALICE),
			LedgerAccount::Grant(0),
			10,
			EntryKind::Reversal,
			DebitRule::PolicyLimit,
		));
		let reversal = L::commit_posted(op).expect("posted");
		assert_eq!(Operations::<Test>::get(granted).and_then(|o| o.reversed_by), Some(reversal));
		assert_eq!(Operations::<Test>::get(reversal).and_then(|o| o.reverses), Some(granted));
	});
}
