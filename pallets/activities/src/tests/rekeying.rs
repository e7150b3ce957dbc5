//! Activities' part of re-keying (decision 0013, `rekey.rs`): the service record follows the
//! member; open listings and running engagements refuse the move; `OpenEngagements` counts
//! what runs and its migration fills it.

use super::*;
use crate::migrations::v3;
use polkadot_sdk::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use timebank_primitives::Rekeying;

/// The member's new key.
const NEW: AccountId = 50;

fn can_rekey(old: AccountId) -> DispatchResult {
	<A as Rekeying<AccountId>>::can_rekey(&old, &NEW)
}

#[test]
fn open_listings_and_running_engagements_refuse_the_move_and_the_record_follows() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_eq!(
			(OpenEngagements::<Test>::get(GRACE), OpenEngagements::<Test>::get(VICTOR)),
			(Some(1), Some(1))
		);
		assert_noop!(can_rekey(GRACE), E::OpenListingsRemain);
		assert_noop!(can_rekey(VICTOR), E::OpenEngagementsRemain);
		serve(engagement, 60);
		assert_noop!(can_rekey(VICTOR), E::OpenEngagementsRemain);
		assert_ok!(A::confirm(signed(GRACE), engagement));
		assert_eq!(state(engagement), EngagementState::Settled);
		assert!(OpenEngagements::<Test>::get(VICTOR).is_none());
		assert!(OpenEngagements::<Test>::get(GRACE).is_none());

		let record = ServiceRecords::<Test>::get(VICTOR);
		let level = A::trust_level(&VICTOR);
		assert!(record != Default::default());
		assert_ok!(can_rekey(VICTOR));
		assert_ok!(<A as Rekeying<AccountId>>::rekey(&VICTOR, &NEW, &STAFF0, H256::zero()));
		assert_eq!(ServiceRecords::<Test>::get(NEW), record);
		assert_eq!(ServiceRecords::<Test>::get(VICTOR), Default::default());
		assert_eq!(A::trust_level(&NEW), level);
	});
}

#[test]
fn a_cancelled_engagement_and_a_withdrawn_receiver_stop_counting() {
	run(|| {
		let engagement = engage(GRACE, request(), VICTOR);
		assert_ok!(A::cancel_engagement(signed(VICTOR), engagement));
		assert!(OpenEngagements::<Test>::get(VICTOR).is_none());
		assert!(OpenEngagements::<Test>::get(GRACE).is_none());
		// A group offer: each receiver counts, and stops counting on withdrawing.
		let listing = publish(VICTOR, offer(3), None);
		for receiver in [GRACE, HENRY] {
			assert_ok!(A::apply(signed(receiver), listing));
			assert_ok!(A::accept(signed(VICTOR), listing, receiver));
		}
		assert_eq!(OpenEngagements::<Test>::get(VICTOR), Some(1));
		assert_eq!(OpenEngagements::<Test>::get(HENRY), Some(1));
		let group = OfferEngagement::<Test>::get(listing).expect("group");
		assert_ok!(A::cancel_engagement(signed(HENRY), group));
		assert!(OpenEngagements::<Test>::get(HENRY).is_none());
		assert_eq!(OpenEngagements::<Test>::get(GRACE), Some(1));
	});
}

#[test]
fn migration_v3_counts_the_engagements_already_running() {
	run(|| {
		engage(GRACE, request(), VICTOR);
		let served = engage(HENRY, request(), WENDY);
		serve(served, 60);
		assert_ok!(A::confirm(signed(HENRY), served));
		let expected: Vec<_> = OpenEngagements::<Test>::iter().collect();
		let _ = OpenEngagements::<Test>::clear(u32::MAX, None);
		StorageVersion::new(2).put::<Pallet<Test>>();
		assert!(A::do_try_state().is_err());

		v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(3));
		let mut counted: Vec<_> = OpenEngagements::<Test>::iter().collect();
		counted.sort();
		let mut expected = expected;
		expected.sort();
		assert_eq!(counted, expected);
		assert_eq!(counted, vec![(GRACE, 1), (VICTOR, 1)]);
	});
}
