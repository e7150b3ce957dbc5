//! Places and check-in: one place per member and listing, one service at a time, check-in within
//! the slot and the measured time within its length (M1); the salted, engagement-bound,
//! single-use check-in code (L1) (`engagements.rs`).

use super::*;
use polkadot_sdk::sp_io::hashing::blake2_256;

/// A request whose slot starts in two hours and lasts one.
fn later_request() -> ListingDraft {
	ListingDraft {
		slot_start: START_MS + 2 * 3_600_000,
		slot_end: START_MS + 3 * 3_600_000,
		..request()
	}
}

fn code(text: &[u8]) -> CheckInCode {
	BoundedVec::truncate_from(text.to_vec())
}

fn require_codes() {
	let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
	assert_ok!(A::set_activity_policy(signed(ADMIN0), 0, policy));
}

// M1: the review's scenario: a request for two; VICTOR is accepted, applies again and would be
// accepted again, then checks in to both at once and is paid twice for the same hour.
#[test]
fn a_volunteer_is_engaged_once_per_listing() {
	run(|| {
		let listing = publish(GRACE, ListingDraft { max_participants: 2, ..request() }, None);
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		assert_noop!(A::apply(signed(VICTOR), listing), E::AlreadyEngaged);
		// An application from before the rule (or before the first acceptance) is refused at
		// acceptance too.
		Applications::<Test>::insert(listing, VICTOR, ());
		assert_noop!(A::accept(signed(GRACE), listing, VICTOR), E::AlreadyEngaged);
		Applications::<Test>::remove(listing, VICTOR);
		// A cancelled engagement frees the place; a settled one keeps it.
		assert_ok!(A::cancel_engagement(signed(VICTOR), 0));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
		serve(1, 60);
		assert_ok!(A::confirm(signed(GRACE), 1));
		assert_noop!(A::apply(signed(VICTOR), listing), E::AlreadyEngaged);
	});
}

// M1: a receiver joins an offer's group once.
#[test]
fn a_receiver_joins_a_group_once() {
	run(|| {
		let listing = publish(VICTOR, offer(3), None);
		assert_ok!(A::apply(signed(GRACE), listing));
		assert_ok!(A::accept(signed(VICTOR), listing, GRACE));
		assert_noop!(A::apply(signed(GRACE), listing), E::AlreadyEngaged);
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		// Withdrawing frees the place.
		assert_ok!(A::apply(signed(HENRY), listing));
		assert_ok!(A::accept(signed(VICTOR), listing, HENRY));
		assert_ok!(A::cancel_engagement(signed(GRACE), engagement));
		assert_ok!(A::apply(signed(GRACE), listing));
	});
}

// M1: two engagements on two listings: the provider checks in to one at a time, whoever signs.
#[test]
fn a_provider_is_checked_in_to_one_service_at_a_time() {
	run(|| {
		let first = engage(GRACE, request(), VICTOR);
		let second = engage(HENRY, request(), VICTOR);
		let third = engage(IRIS, request(), VICTOR);
		assert_ok!(A::check_in(signed(VICTOR), first, None));
		assert_eq!(CheckedInProviders::<Test>::get(VICTOR), Some(first));
		assert_noop!(A::check_in(signed(VICTOR), second, None), E::CheckedInElsewhere);
		assert_noop!(A::check_in(signed(STAFF0), second, None), E::CheckedInElsewhere);
		advance_clock_minutes(30);
		assert_ok!(A::check_out(signed(VICTOR), first));
		assert_eq!(CheckedInProviders::<Test>::get(VICTOR), None);
		assert_ok!(A::check_in(signed(VICTOR), second, None));
		// A dispute during the service ends it for the provider too.
		assert_ok!(A::dispute(signed(HENRY), second, H256::zero()));
		assert_ok!(A::check_in(signed(VICTOR), third, None));
	});
}

// M1: check-in opens a quarter of an hour before the slot and closes when it ends; at most the
// slot's length is measured, however late the check-out.
#[test]
fn check_in_is_bound_to_the_slot_and_the_measured_time_to_its_length() {
	run(|| {
		let day_ahead = ListingDraft {
			slot_start: START_MS + 24 * 3_600_000,
			slot_end: START_MS + 25 * 3_600_000,
			..request()
		};
		let tomorrow = engage(IRIS, day_ahead, WENDY);
		assert_noop!(A::check_in(signed(WENDY), tomorrow, None), E::TooEarlyToCheckIn);
		let engagement = engage(GRACE, later_request(), VICTOR);
		let missed = engage(HENRY, later_request(), WENDY);
		// Two hours to the slot: 1 h 45 min from now is the first moment.
		advance_clock_minutes(104);
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::TooEarlyToCheckIn);
		assert_noop!(A::check_in(signed(STAFF0), engagement, None), E::TooEarlyToCheckIn);
		advance_clock_minutes(1);
		assert_ok!(A::check_in(signed(VICTOR), engagement, None));
		// Five hours later: the slot lasts one hour, so 60 minutes are measured.
		advance_clock_minutes(300);
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		let e = Engagements::<Test>::get(engagement).expect("engagement");
		assert_eq!(e.measured_minutes, 60);
		assert_eq!(e.checked_out_at.zip(e.checked_in_at).map(|(o, i)| o - i), Some(300 * 60_000));
		assert_noop!(A::check_in(signed(WENDY), missed, None), E::SlotEnded);
		assert_noop!(A::check_in(signed(STAFF0), missed, None), E::SlotEnded);
	});
}

// L1: the review's attack: a 4-digit code's unsalted hash is found offline in milliseconds.
// Now the stored commitment covers a 128-bit salt the provider does not see before check-in,
// and the engagement id: searching every code under the old hash or a guessed salt finds
// nothing, and a proof for one engagement opens no other.
#[test]
fn the_check_in_code_is_salted_bound_to_its_engagement_and_used_once() {
	run(|| {
		require_codes();
		let first = engage(GRACE, request(), VICTOR);
		let second = engage(HENRY, request(), WENDY);
		let salt = [0x5a; 16];
		let commitment = A::check_in_commitment(first, &salt, &code(b"1234"));
		assert_ok!(A::set_check_in_code(signed(PAUL), first, commitment));
		assert!(events().contains(&Event::CheckInCodeSet { engagement: first, by: PAUL }));
		let stored = Engagements::<Test>::get(first).and_then(|e| e.check_in_code);
		let found = (0..10_000u32).map(|n| format!("{n:04}")).find(|guess| {
			let guess = guess.as_bytes();
			Some(H256(blake2_256(guess))) == stored
				|| Some(A::check_in_commitment(first, &[0; 16], guess)) == stored
		});
		assert_eq!(found, None, "no offline search without the salt");
		let wrong_salt = CheckInProof { salt: [0x5b; 16], code: code(b"1234") };
		assert_noop!(A::check_in(signed(VICTOR), first, Some(wrong_salt)), E::WrongCheckInCode);
		let wrong_code = CheckInProof { salt, code: code(b"1235") };
		assert_noop!(A::check_in(signed(VICTOR), first, Some(wrong_code)), E::WrongCheckInCode);
		// HENRY's side uses the same salt and code for the second engagement (a careless client):
		// the commitments still differ, and the proof of one opens only its own.
		let proof = CheckInProof { salt, code: code(b"1234") };
		let other = A::check_in_commitment(second, &salt, &code(b"1234"));
		assert_ne!(other, commitment);
		assert_ok!(A::check_in(signed(VICTOR), first, Some(proof.clone())));
		assert_eq!(Engagements::<Test>::get(first).and_then(|e| e.check_in_code), None, "used");
		// The proof is public now; it opens nothing else.
		assert_ok!(A::set_check_in_code(signed(HENRY), second, other));
		let third = engage(IRIS, request(), WENDY);
		assert_ok!(A::set_check_in_code(signed(IRIS), third, commitment));
		assert_noop!(A::check_in(signed(WENDY), third, Some(proof.clone())), E::WrongCheckInCode);
		assert_ok!(A::check_in(signed(WENDY), second, Some(proof)));
	});
}

// L1: a hash stored before the upgrade (`blake2_256(code)`, no salt, no engagement) is
// tolerated in storage but opens nothing: the provider cannot check in alone until the
// receiver's side sets a commitment again (staff of the receiver's home branch still can).
#[test]
fn an_old_unsalted_code_hash_no_longer_opens_check_in() {
	run(|| {
		require_codes();
		let engagement = engage(GRACE, request(), VICTOR);
		let old = H256(blake2_256(&code(b"4711")));
		Engagements::<Test>::mutate(engagement, |e| {
			if let Some(e) = e {
				e.check_in_code = Some(old);
			}
		});
		for salt in [[0; 16], [0xff; 16]] {
			let proof = CheckInProof { salt, code: code(b"4711") };
			assert_noop!(A::check_in(signed(VICTOR), engagement, Some(proof)), E::WrongCheckInCode);
		}
		let salt = [9; 16];
		let commitment = A::check_in_commitment(engagement, &salt, &code(b"4711"));
		assert_ok!(A::set_check_in_code(signed(GRACE), engagement, commitment));
		let proof = CheckInProof { salt, code: code(b"4711") };
		assert_ok!(A::check_in(signed(VICTOR), engagement, Some(proof)));
	});
}
