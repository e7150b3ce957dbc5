//! What clients needed from this pallet (issue 16): withdrawing an application, the hash of a
//! listing's description, the trust view, and the v2 migration that added the hash.

use super::*;
use crate::migrations::v2;
use polkadot_sdk::frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};

#[test]
fn a_volunteer_withdraws_an_application() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert!(A::has_applied(listing, VICTOR));
		assert_ok!(A::withdraw_application(signed(VICTOR), listing));
		assert_eq!(
			events().last(),
			Some(&Event::ApplicationWithdrawn { listing, applicant: VICTOR })
		);
		assert!(!A::has_applied(listing, VICTOR));
		assert_eq!(Listings::<Test>::get(listing).map(|l| l.applications), Some(0));
		// The owner can no longer accept them; they may apply again.
		assert_noop!(A::accept(signed(GRACE), listing, VICTOR), E::NotAnApplicant);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
	});
}

#[test]
fn withdraw_application_errors() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		assert_noop!(A::withdraw_application(signed(VICTOR), 99), E::UnknownListing);
		assert_noop!(A::withdraw_application(signed(VICTOR), listing), E::NotAnApplicant);
		assert_ok!(A::apply(signed(VICTOR), listing));
		// Nobody withdraws another's application, not even the listing's owner.
		assert_noop!(A::withdraw_application(signed(GRACE), listing), E::NotAnApplicant);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		// Once accepted it is an engagement, cancelled as such.
		assert_noop!(A::withdraw_application(signed(VICTOR), listing), E::NotAnApplicant);
	});
}

#[test]
fn a_listing_keeps_the_hash_of_its_description() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		let view = A::listing_view(listing).expect("published");
		assert_eq!(view.details_hash, H256::repeat_byte(0xd5));
	});
}

#[test]
fn the_trust_view_shows_the_level_and_its_record() {
	run(|| {
		assert_eq!(A::trust(VICTOR), (0, ServiceRecord::default()));
		let served = engage(GRACE, request(), VICTOR);
		serve(served, 60);
		assert_ok!(A::confirm(signed(GRACE), served));
		let (level, record) = A::trust(VICTOR);
		assert_eq!(level, 1);
		assert_eq!((record.provided, record.received), (1, 0));
		assert_eq!(A::trust(GRACE).1.received, 1);
	});
}

#[test]
fn migration_v2_gives_old_listings_an_empty_details_hash() {
	run(|| {
		let listing = publish(GRACE, request(), None);
		let stored = Listings::<Test>::get(listing).expect("published");
		// The listing as storage version 1 encoded it: the draft without its last field.
		let old = v2::old::Listing {
			draft: v2::old::ListingDraft {
				kind: stored.draft.kind,
				branch: stored.draft.branch,
				category: stored.draft.category,
				slot_start: stored.draft.slot_start,
				slot_end: stored.draft.slot_end,
				area: stored.draft.area,
				estimated_minutes: stored.draft.estimated_minutes,
				min_trust: stored.draft.min_trust,
				max_participants: stored.draft.max_participants,
				funding: stored.draft.funding,
			},
			owner: stored.owner,
			published_by: stored.published_by,
			status: stored.status,
			accepted: stored.accepted,
			applications: stored.applications,
			expires_at: stored.expires_at,
		};
		unhashed::put(&Listings::<Test>::hashed_key_for(listing), &old);
		StorageVersion::new(1).put::<Pallet<Test>>();

		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(2));
		let migrated = Listings::<Test>::get(listing).expect("still there");
		assert_eq!(migrated.draft.details_hash, H256::zero());
		assert_eq!(
			ListingDraft { details_hash: stored.draft.details_hash, ..migrated.draft },
			stored.draft,
			"every other field kept"
		);
		assert_eq!(migrated.owner, stored.owner);
	});
}
