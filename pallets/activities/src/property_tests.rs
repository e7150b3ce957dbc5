//! Property tests: random lifecycles of requests and offers (publish, apply, accept, check-in,
//! time passing, check-out, confirmation, dispute, arbitration, cancellation, blocks with timed
//! work), valid and invalid. After every step both the ledger's and this pallet's invariants must
//! hold, a refused call must leave storage untouched, no credit may appear or vanish, no
//! settlement may pay a provider more than the rounded duration it reports, no provider is
//! checked in to two services at once, no member holds two places in one listing, and no
//! measured duration exceeds its slot.
//!
//! `PROPTEST_CASES` overrides the number of sequences (default 10,000).

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::storage::with_storage_layer,
	sp_runtime::{DispatchError, Percent},
};
use proptest::prelude::*;
use timebank_primitives::LedgerAccount;
use timebank_test_support::property::{apply_step, run_sequences, Tally};

type A = Pallet<Test>;

const RECIPIENTS: [AccountId; 3] = [GRACE, HENRY, IRIS];
const VOLUNTEERS: [AccountId; 3] = [VICTOR, WENDY, XAVIER];
const EVERYONE: [AccountId; 6] = [GRACE, HENRY, IRIS, VICTOR, WENDY, XAVIER];

#[derive(Clone, Debug)]
enum Op {
	Request {
		owner: usize,
		estimate: Minutes,
		participants: u32,
	},
	Offer {
		provider: usize,
		estimate: Minutes,
		participants: u32,
	},
	Apply {
		listing_back: u64,
		who: usize,
	},
	Accept {
		listing_back: u64,
		who: usize,
	},
	CheckIn {
		engagement_back: u64,
		by_staff: bool,
	},
	Clock {
		minutes: u64,
	},
	CheckOut {
		engagement_back: u64,
	},
	Confirm {
		engagement_back: u64,
	},
	Dispute {
		engagement_back: u64,
	},
	Arbitrate {
		engagement_back: u64,
		outcome: u8,
		percent: u8,
	},
	Cancel {
		engagement_back: u64,
	},
	Blocks {
		count: u64,
	},
	/// Apply and accept in one go, so lifecycles get far.
	Engage {
		listing_back: u64,
		who: usize,
	},
	/// Check in, let `minutes` pass, check out, in one go.
	Serve {
		engagement_back: u64,
		minutes: u64,
	},
}

fn op() -> impl Strategy<Value = Op> {
	let back = 0..3u64;
	prop_oneof![
		1 => (0..3usize, 1..240u64, 1..3u32)
			.prop_map(|(owner, estimate, participants)| Op::Request { owner, estimate, participants }),
		1 => (0..3usize, 1..240u64, 1..5u32).prop_map(|(provider, estimate, participants)| Op::Offer {
			provider,
			estimate,
			participants
		}),
		3 => (back.clone(), 0..6usize).prop_map(|(listing_back, who)| Op::Apply { listing_back, who }),
		3 => (back.clone(), 0..6usize).prop_map(|(listing_back, who)| Op::Accept { listing_back, who }),
		2 => (back.clone(), any::<bool>())
			.prop_map(|(engagement_back, by_staff)| Op::CheckIn { engagement_back, by_staff }),
		1 => (0..150u64).prop_map(|minutes| Op::Clock { minutes }),
		2 => back.clone().prop_map(|engagement_back| Op::CheckOut { engagement_back }),
		1 => back.clone().prop_map(|engagement_back| Op::Confirm { engagement_back }),
		1 => back.clone().prop_map(|engagement_back| Op::Dispute { engagement_back }),
		1 => (back.clone(), 0..4u8, 0..=100u8).prop_map(|(engagement_back, outcome, percent)| {
			Op::Arbitrate { engagement_back, outcome, percent }
		}),
		1 => back.clone().prop_map(|engagement_back| Op::Cancel { engagement_back }),
		1 => (1..40u64).prop_map(|count| Op::Blocks { count }),
		3 => (back.clone(), 0..3usize).prop_map(|(listing_back, who)| Op::Engage { listing_back, who }),
		2 => (back.clone(), 0..150u64)
			.prop_map(|(engagement_back, minutes)| Op::Serve { engagement_back, minutes }),
	]
}

/// The id `back` places before `next`, so most picks name something that exists.
fn back_from(next: u64, back: u64) -> u64 {
	next.saturating_sub(1 + back)
}

fn draft(kind: ListingKind, estimate: Minutes, participants: u32) -> ListingDraft {
	let now = MockClock::now_ms();
	ListingDraft {
		kind,
		branch: 0,
		category: COMPANIONSHIP,
		// The slot starts now, so check-in is open at once; it lasts six hours, so that clock
		// steps close a slot now and then and late check-ins are tried too.
		slot_start: now,
		slot_end: now + 6 * 3_600_000,
		area: 1,
		estimated_minutes: estimate,
		min_trust: 0,
		max_participants: participants,
		funding: Funding::Own,
		details_hash: Default::default(),
	}
}

fn provider_of(engagement: EngagementId) -> AccountId {
	Engagements::<Test>::get(engagement).map_or(VICTOR, |e| e.provider)
}

/// The `n`th engagement (cyclically) in one of `states`, so most picks can go through; the
/// `n`th newest of any state when none is.
fn pick(states: &[EngagementState], n: u64) -> EngagementId {
	let mut ids: Vec<_> = Engagements::<Test>::iter()
		.filter(|(_, e)| states.contains(&e.state))
		.map(|(id, _)| id)
		.collect();
	ids.sort();
	match ids.len() as u64 {
		0 => back_from(NextEngagementId::<Test>::get(), n),
		len => ids[(n % len) as usize],
	}
}

/// Like [`pick`] among accepted engagements, but those whose provider is not checked in
/// elsewhere (a provider serves one at a time), so check-ins mostly can go through; `Serve`
/// still picks any, and so tries the refused double check-in.
fn pick_startable(n: u64) -> EngagementId {
	let mut ids: Vec<_> = Engagements::<Test>::iter()
		.filter(|(_, e)| {
			e.state == EngagementState::Accepted
				&& !CheckedInProviders::<Test>::contains_key(e.provider)
		})
		.map(|(id, _)| id)
		.collect();
	ids.sort();
	match ids.len() as u64 {
		0 => pick(&[EngagementState::Accepted], n),
		len => ids[(n % len) as usize],
	}
}

/// Calls go through a storage layer, as dispatch does: a refused call changes nothing.
// Longer than 70 lines: one short arm per kind of operation, a table best read in one place.
#[allow(clippy::too_many_lines)]
fn apply(op: &Op) -> Result<(), DispatchError> {
	use EngagementState::*;
	let s = RuntimeOrigin::signed;
	let listing = |back| back_from(NextListingId::<Test>::get(), back);
	with_storage_layer(|| match *op {
		Op::Request { owner, estimate, participants } => A::publish(
			s(RECIPIENTS[owner]),
			draft(ListingKind::Request, estimate, participants),
			None,
		)
		,
		Op::Offer { provider, estimate, participants } => A::publish(
			s(VOLUNTEERS[provider]),
			draft(ListingKind::Offer, estimate, participants),
			None,
		)
		,
		// Mostly the right side applies (volunteers to requests, recipients to offers); anyone
		// else sometimes.
		Op::Apply { listing_back, who } => {
			let id = listing(listing_back);
			let kind = Listings::<Test>::get(id).map(|l| l.draft.kind);
			let applicant = match (kind, who) {
				(Some(ListingKind::Request), 0..=2) => VOLUNTEERS[who],
				(Some(ListingKind::Offer), 0..=2) => RECIPIENTS[who],
				_ => EVERYONE[who],
			};
			A::apply(s(applicant), id)
		}
		// Mostly someone who applied is accepted.
		Op::Accept { listing_back, who } => {
			let id = listing(listing_back);
			let owner = Listings::<Test>::get(id).map_or(GRACE, |l| l.owner);
			let applicants: Vec<_> = Applications::<Test>::iter_key_prefix(id).collect();
			let applicant = match (applicants.len(), who) {
				(0, _) | (_, 5) => EVERYONE[who],
				(count, _) => applicants[who % count],
			};
			A::accept(s(owner), id, applicant)
		}
		Op::CheckIn { engagement_back, by_staff } => {
			let id = pick_startable(engagement_back);
			let by = if by_staff { STAFF0 } else { provider_of(id) };
			A::check_in(s(by), id, None)
		}
		Op::Clock { minutes } => {
			advance_clock_minutes(minutes);
			Ok(())
		}
		Op::CheckOut { engagement_back } => {
			let id = pick(&[CheckedIn], engagement_back);
			A::check_out(s(provider_of(id)), id)
		}
		Op::Confirm { engagement_back } => {
			A::confirm(s(STAFF0), pick(&[CheckedOut], engagement_back))
				.map(|_| ())
				.map_err(|e| e.error)
		}
		Op::Dispute { engagement_back } => {
			let id = pick(&[Accepted, CheckedIn, CheckedOut], engagement_back);
			A::dispute(s(provider_of(id)), id, Default::default())
		}
		Op::Arbitrate { engagement_back, outcome, percent } => {
			let outcome = match outcome {
				0 => ArbitrationOutcome::Reject,
				1 => ArbitrationOutcome::PayProvider,
				2 => ArbitrationOutcome::RefundReceivers,
				_ => ArbitrationOutcome::Split(Percent::from_percent(percent)),
			};
			A::arbitrate(pick(&[Disputed], engagement_back), outcome, &STAFF0)
		}
		Op::Cancel { engagement_back } => {
			let id = pick(&[Accepted], engagement_back);
			A::cancel_engagement(s(provider_of(id)), id).map(|_| ()).map_err(|e| e.error)
		}
		Op::Blocks { count } => {
			advance_to(System::block_number() + count);
			Ok(())
		}
		Op::Engage { listing_back, who } => {
			apply(&Op::Apply { listing_back, who })?;
			let id = listing(listing_back);
			let owner = Listings::<Test>::get(id).map_or(GRACE, |l| l.owner);
			let applicant = match Listings::<Test>::get(id).map(|l| l.draft.kind) {
				Some(ListingKind::Offer) => RECIPIENTS[who],
				_ => VOLUNTEERS[who],
			};
			A::accept(s(owner), id, applicant)
		}
		Op::Serve { engagement_back, minutes } => {
			let id = pick(&[Accepted], engagement_back);
			let provider = provider_of(id);
			A::check_in(s(provider), id, None)?;
			advance_clock_minutes(minutes);
			A::check_out(s(provider), id)
		}
	})
}

fn kind(op: &Op) -> &'static str {
	match op {
		Op::Request { .. } => "request",
		Op::Offer { .. } => "offer",
		Op::Apply { .. } => "apply",
		Op::Accept { .. } => "accept",
		Op::CheckIn { .. } => "check_in",
		Op::Clock { .. } => "clock",
		Op::CheckOut { .. } => "check_out",
		Op::Confirm { .. } => "confirm",
		Op::Dispute { .. } => "dispute",
		Op::Arbitrate { .. } => "arbitrate",
		Op::Cancel { .. } => "cancel",
		Op::Blocks { .. } => "blocks",
		Op::Engage { .. } => "engage",
		Op::Serve { .. } => "serve",
	}
}

/// Credits in members' hands, the pools and escrow: what the grant accounts issued.
fn credits_outside_grant_accounts() -> i64 {
	pallet_timebank_ledger::CreditBalances::<Test>::iter()
		.filter(|(account, _)| !matches!(account, LedgerAccount::Grant(_)))
		.map(|(_, balance)| balance)
		.sum()
}

fn run_sequence(ops: &[Op], tally: &Tally) -> Result<(), TestCaseError> {
	new_test_ext().execute_with(|| {
		let issued = credits_outside_grant_accounts();
		for (step, op) in ops.iter().enumerate() {
			// A refused call is a valid outcome here; the invariants below must hold either way.
			let _outcome = apply_step(step, op, kind(op), tally, apply)?;
			if let Err(e) = pallet_timebank_ledger::Pallet::<Test>::do_try_state() {
				return Err(TestCaseError::fail(format!(
					"step {step} {op:?} broke the ledger: {e:?}"
				)));
			}
			if let Err(e) = A::do_try_state() {
				return Err(TestCaseError::fail(format!(
					"step {step} {op:?} broke activities: {e:?}"
				)));
			}
			prop_assert_eq!(credits_outside_grant_accounts(), issued, "step {} {:?}", step, op);
			let mut checked_in = alloc::collections::BTreeSet::new();
			let mut places = alloc::collections::BTreeSet::new();
			for (id, e) in Engagements::<Test>::iter() {
				if e.state == EngagementState::CheckedIn {
					prop_assert!(checked_in.insert(e.provider), "{} checked in twice", e.provider);
				}
				let draft = Listings::<Test>::get(e.listing).map(|l| l.draft);
				let slot = draft.map(|d| d.slot_end - d.slot_start);
				prop_assert!(
					Some(e.measured_minutes * 60_000) <= slot,
					"engagement {} overran",
					id
				);
				if e.state != EngagementState::Cancelled {
					// A request's volunteer, or an offer's receivers, take the places.
					let members: Vec<AccountId> = match draft.map(|d| d.kind) {
						Some(ListingKind::Offer) => e.receivers.iter().map(|r| r.who).collect(),
						_ => vec![e.provider],
					};
					for who in members {
						prop_assert!(
							places.insert((e.listing, who)),
							"{} twice in {}",
							who,
							e.listing
						);
					}
				}
				if let Some(p) = e.payout {
					prop_assert!(
						p.to_provider <= p.rounded_minutes,
						"engagement {} paid {:?}",
						id,
						p
					);
				}
			}
		}
		Ok(())
	})
}

#[test]
fn random_lifecycles_keep_the_ledger_and_activity_invariants() {
	run_sequences(op(), run_sequence);
}
