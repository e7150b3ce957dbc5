//! R8 rows for the Activities', Audits', Training's and Election's calls that act on an object
//! of the scene (a listing, engagements at each step, a review, a course and its session, a
//! candidacy...), and the stage that adds those objects.
//!
//! Who stands where: the member (the `Member` role) is the provider of the services it takes
//! part in, so it holds no credits in escrow (the economy rows make it leave or move). The
//! receivers are members of branch 0 none of the roles is: `receiver` for the member's and the
//! officers' cells, and one for each proxy, which that proxy serves with its one permission
//! (the same permission it holds for its scene principal). A row picks the object of the
//! role's slot ([`slot`]): the receiver's, or the proxy's own receiver's.

use super::{
	super::{
		harness::Harness,
		setup::{account, pair, quota_window, VOLUNTEER_AND_RECIPIENT},
	},
	council_call, home_officers, member_call, only, Cast, Role, Row, HOUR_MS, OK,
};
use codec::Encode;
use pallet_timebank_activities::{
	ActivityPolicy, CheckInProof, Funding, ListingDraft, ListingParticipants, NextListingId,
};
use pallet_timebank_audits::ReviewPolicy;
use polkadot_sdk::{
	pallet_balances,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_core::{ed25519, sr25519, Pair, H256},
};
use timebank_primitives::{
	ArbitrationOutcome, BranchId, CertificateId, CourseId, Decision, ElectionParameters,
	EngagementId, ListingId, ListingKind, ReviewId,
};
use timebank_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall, SessionKeys, MINUTES, UNIT};
use Role::*;

const DAY_MS: u64 = 24 * HOUR_MS;

/// The objects the rows of this file act on.
pub(super) struct Stage {
	/// A member of branch 0 no role is: the receiver of the member's services, whom the
	/// officers' and others' cells act for.
	receiver: AccountId,
	/// The member, provider of its services.
	provider: AccountId,
	/// Open requests with one pending application (by `applicant`) and nobody accepted, by slot:
	/// the member's own, then those of each proxy's receiver.
	requests: [ListingId; 4],
	/// The volunteer who applied to `requests`.
	applicant: AccountId,
	/// An open request of `receiver`, to apply to.
	open_request: ListingId,
	/// An open request of `receiver` the member applied to.
	member_application: ListingId,
	/// The member's group service for `receiver` and the three proxies' receivers, accepted
	/// (not started); `receiver` set its check-in code, which `proof` opens.
	accepted_group: EngagementId,
	proof: CheckInProof,
	/// A group service for the same four receivers, checked in by a volunteer no role is.
	running_group: EngagementId,
	/// The member's single services, checked out, waiting for confirmation, by slot (the
	/// receiver is `receiver`, then each proxy's receiver).
	checked_out: [EngagementId; 4],
	/// The member's group service for the same four receivers, settled.
	settled_group: EngagementId,
	/// The activity policy the admin sets again in its row (the one in force).
	activity_policy: ActivityPolicy<BlockNumber>,
	/// A review policy of branch 0 no weaker than the one in force.
	review_policy: ReviewPolicy,
	/// The open review of a dispute between `receiver` and `applicant` (no officer acted in it).
	dispute_review: ReviewId,
	/// A course of branch 0.
	course: CourseId,
	/// A session of `course` that has lasted the course's length: the member, `receiver` and
	/// two proxies' receivers enrolled, `applicant` attended, the first proxy's receiver
	/// completed (the certificate's holder).
	started_session: u64,
	/// A session of `course` tomorrow, open, nobody enrolled.
	upcoming_session: u64,
	/// A certificate branch 0 issued.
	certificate: CertificateId,
	/// A branch whose candidacy waits for the council's approval.
	unapproved_candidate: BranchId,
	/// A branch branch 0's admin also administers, whose validator sat, was offline and left
	/// the set.
	offline_candidate: BranchId,
}

/// Which slot's object a role acts on: the proxies act on their own receiver's, every other
/// role on the member's (whose receiver is `receiver`).
fn slot(role: Role) -> usize {
	match role {
		ProxyRequest => 1,
		ProxyConfirm => 2,
		ProxyPropose => 3,
		_ => 0,
	}
}

fn activities(
	chain: &mut Harness,
	signer: &sr25519::Pair,
	call: pallet_timebank_activities::Call<Runtime>,
) {
	chain.must(signer, RuntimeCall::Activities(call));
}

/// `owner` publishes `draft` for themselves; its id.
fn publish(chain: &mut Harness, owner: &sr25519::Pair, draft: ListingDraft) -> ListingId {
	let listing = chain.with(NextListingId::<Runtime>::get);
	activities(chain, owner, pallet_timebank_activities::Call::publish { draft, owner: None });
	listing
}

fn apply(chain: &mut Harness, who: &sr25519::Pair, listing: ListingId) {
	activities(chain, who, pallet_timebank_activities::Call::apply { listing });
}

/// `by` accepts `applicant`'s application; the engagement it got a place in.
fn accept(
	chain: &mut Harness,
	by: &sr25519::Pair,
	listing: ListingId,
	applicant: &sr25519::Pair,
) -> EngagementId {
	let applicant = account(applicant);
	activities(
		chain,
		by,
		pallet_timebank_activities::Call::accept { listing, applicant: applicant.clone() },
	);
	chain
		.with(|| ListingParticipants::<Runtime>::get(listing, &applicant))
		.expect("the accepted applicant has a place")
}

/// Adds this file's objects to the scene, through real calls.
pub(super) fn stage(chain: &mut Harness, cast: &Cast) -> Stage {
	use pallet_timebank_activities::Call as A;
	// A fresh quota window for the accounts the earlier stages used.
	chain.jump(quota_window());
	let receiver = pair("R8SvcReceiver");
	let others = ["R8SvcReceiverRequest", "R8SvcReceiverConfirm", "R8SvcReceiverPropose"].map(pair);
	let volunteer = pair("R8SvcVolunteer");
	for who in [&receiver, &volunteer].into_iter().chain(&others) {
		chain.register_member_as(&cast.charlie, &account(who), 0, VOLUNTEER_AND_RECIPIENT);
	}
	for (i, principal) in others.iter().enumerate() {
		chain.authorise_proxy(principal, &account(&cast.proxies[i]), only(i));
	}
	for who in [&receiver].into_iter().chain(&others) {
		chain.grant(&cast.alice, &account(who), 120);
	}
	// Receivers by slot: the member's services' receiver, then each proxy's receiver.
	let receivers = [&receiver, &others[0], &others[1], &others[2]];
	let member = &cast.member;

	let now = chain.with(polkadot_sdk::pallet_timestamp::Now::<Runtime>::get);
	// Every service runs from now for twelve hours, so check-in is open at the snapshot.
	let draft = |kind, max_participants| ListingDraft {
		kind,
		branch: 0,
		category: 0,
		slot_start: now,
		slot_end: now + 12 * HOUR_MS,
		area: 1,
		estimated_minutes: 30,
		min_trust: 0,
		max_participants,
		funding: Funding::Own,
		details_hash: Default::default(),
	};
	let request = draft(ListingKind::Request, 1);
	let group = draft(ListingKind::Offer, 4);

	// Requests waiting for their owner to choose the volunteer who applied.
	let requests = [member, &others[0], &others[1], &others[2]].map(|owner| {
		let listing = publish(chain, owner, request);
		apply(chain, &volunteer, listing);
		listing
	});
	let open_request = publish(chain, &receiver, request);
	// The member's own pending application, to withdraw.
	let member_application = publish(chain, &receiver, request);
	apply(chain, member, member_application);

	// Group services: each receiver applies and the provider accepts them all.
	let group_service = |chain: &mut Harness, provider: &sr25519::Pair| {
		let listing = publish(chain, provider, group);
		let mut engagement = None;
		for who in receivers {
			apply(chain, who, listing);
			engagement = Some(accept(chain, provider, listing, who));
		}
		engagement.expect("four receivers")
	};
	let accepted_group = group_service(chain, member);
	let running_group = group_service(chain, &volunteer);
	let settled_group = group_service(chain, member);

	// Each call counts against its signer's quota: the member has signed twelve so far.
	chain.jump(quota_window());
	// The member's single services: each receiver publishes, the member applies, the receiver
	// accepts.
	let checked_out = receivers.map(|owner| {
		let listing = publish(chain, owner, request);
		apply(chain, member, listing);
		accept(chain, owner, listing, member)
	});

	// A dispute `receiver` raised against the volunteer before the service: its review is open.
	let disputed = {
		let listing = publish(chain, &receiver, request);
		apply(chain, &volunteer, listing);
		accept(chain, &receiver, listing, &volunteer)
	};
	let dispute_review = chain.with(pallet_timebank_audits::NextReviewId::<Runtime>::get);
	activities(chain, &receiver, A::dispute { engagement: disputed, reason: H256::repeat_byte(8) });

	chain.jump(quota_window());
	// The services start (no check-in code yet) and the ones that end do so at once: how long
	// they lasted decides nothing here.
	for engagement in checked_out.into_iter().chain([settled_group]) {
		activities(chain, member, A::check_in { engagement, proof: None });
		activities(chain, member, A::check_out { engagement });
	}
	activities(chain, &volunteer, A::check_in { engagement: running_group, proof: None });
	// Staff of every receiver's home branch confirm a group.
	activities(chain, &cast.charlie, A::confirm { engagement: settled_group });

	// From now on the provider needs the receiver's one-time code (decision 0010): `receiver`
	// sets the commitment for the accepted group, the provider's row gives the salt and code.
	let activity_policy = ActivityPolicy {
		check_in_code: true,
		..chain.with(pallet_timebank_activities::Pallet::<Runtime>::default_policy)
	};
	activities(chain, &cast.alice, A::set_activity_policy { branch: 0, policy: activity_policy });
	let proof =
		CheckInProof { salt: [0x5a; 16], code: b"4711".to_vec().try_into().expect("a short code") };
	let code_hash = chain.with(|| {
		pallet_timebank_activities::Pallet::<Runtime>::check_in_commitment(
			accepted_group,
			&proof.salt,
			&proof.code,
		)
	});
	activities(chain, &receiver, A::set_check_in_code { engagement: accepted_group, code_hash });

	// A stricter review policy than branch 0's (an admin may set it alone).
	let review_policy = ReviewPolicy {
		policy_change_approvals: 2,
		..chain.with(|| pallet_timebank_audits::Pallet::<Runtime>::policy(0))
	};

	// Training: a 30-minute course, a session that started and has lasted it, one tomorrow.
	use pallet_timebank_training::Call as T;
	let training = |chain: &mut Harness, signer: &sr25519::Pair, call: T<Runtime>| {
		chain.must(signer, RuntimeCall::Training(call));
	};
	let course = chain.with(pallet_timebank_training::NextCourseId::<Runtime>::get);
	training(
		chain,
		&cast.alice,
		T::create_course {
			branch: 0,
			content: H256::repeat_byte(6),
			uri: Default::default(),
			minutes: 30,
			skill: 7,
			validity_days: 365,
			reward: 0,
			rewarded_completions: 0,
		},
	);
	let now = chain.with(polkadot_sdk::pallet_timestamp::Now::<Runtime>::get);
	let started_session = chain.with(pallet_timebank_training::NextSessionId::<Runtime>::get);
	training(
		chain,
		&cast.charlie,
		T::schedule_session { course, starts_at: now + 60_000, capacity: 10 },
	);
	let upcoming_session = started_session + 1;
	training(
		chain,
		&cast.charlie,
		T::schedule_session { course, starts_at: now + DAY_MS, capacity: 10 },
	);
	let holder = &others[0];
	for who in [member, &receiver, &volunteer].into_iter().chain(&others) {
		training(chain, who, T::enrol { session: started_session });
	}
	chain.jump(35 * MINUTES);
	for who in [&volunteer, holder] {
		training(
			chain,
			&cast.charlie,
			T::record_attendance { session: started_session, who: account(who) },
		);
	}
	let certificate = chain.with(pallet_timebank_training::NextCertificateId::<Runtime>::get);
	training(chain, &cast.charlie, T::complete { session: started_session, who: account(holder) });

	// Election: two more branches stand, one approved by the council; the member and the
	// proxies' receivers (not the proxies) vote for it.
	use pallet_timebank_election::Call as E;
	let candidates_admin = pair("R8SvcCandidatesAdmin");
	chain.must(&cast.alice, transfer(&account(&candidates_admin)));
	let approved = chain.register_branch(&account(&candidates_admin));
	let unapproved_candidate = chain.register_branch(&account(&candidates_admin));
	for (branch, validator) in
		[(approved, "R8SvcValidatorA"), (unapproved_candidate, "R8SvcValidatorB")]
	{
		chain.must(
			&candidates_admin,
			RuntimeCall::Election(E::propose_candidate {
				branch,
				validator: account(&pair(validator)),
			}),
		);
	}
	chain.sudo(RuntimeCall::Election(E::approve_candidate { branch: approved }));
	for who in [member].into_iter().chain(&others) {
		chain.must(who, RuntimeCall::Election(E::vote { branch: approved }));
	}
	let offline_candidate = offline_candidate(chain, cast);

	Stage {
		member_application,
		receiver: account(&receiver),
		provider: account(member),
		requests,
		applicant: account(&volunteer),
		open_request,
		accepted_group,
		proof,
		running_group,
		checked_out,
		settled_group,
		activity_policy,
		review_policy,
		dispute_review,
		course,
		started_session,
		upcoming_session,
		certificate,
		unapproved_candidate,
		offline_candidate,
	}
}

/// A candidacy whose validator sat, was offline for a session and has left the set, so its
/// branch's admin may declare it repaired (`declare_online`). The branch is a second one
/// branch 0's admin (Alice) runs: the base rows need the other branch without a candidacy.
///
/// Sessions are made short (the council's parameters, restored at the end); the validator
/// registers session keys with their proof of possession, is elected, sits a session in which
/// almost only the other validator's slots have blocks (the harness builds a block for
/// whichever slot it is asked), and purges its keys, so the next election drops it whatever the
/// limit on removals (`plan_validator_set`: a validator without keys cannot sit).
fn offline_candidate(chain: &mut Harness, cast: &Cast) -> BranchId {
	use pallet_timebank_election::Call as E;
	use polkadot_sdk::{pallet_aura, pallet_session};
	let original = chain.with(pallet_timebank_election::Parameters::<Runtime>::get);
	let fast = ElectionParameters {
		session_blocks: 30,
		sessions_per_era: 1,
		min_validators: 1,
		max_validators: 5,
		..original
	};
	chain.sudo(RuntimeCall::Election(E::set_parameters { parameters: fast }));

	let node = pair("R8SvcNode");
	let validator = account(&node);
	chain.must(&cast.alice, transfer(&validator));
	let aura = sr25519::Pair::from_string("//R8SvcNodeAura", None).expect("a dev key");
	let grandpa = ed25519::Pair::from_string("//R8SvcNodeGrandpa", None).expect("a dev key");
	// Each key signs "POP_" and the owner's account (`OpaqueKeys::ownership_proof_is_valid`).
	let statement = [b"POP_".as_slice(), &validator.encode()].concat();
	let proof = (aura.sign(&statement), grandpa.sign(&statement)).encode();
	let keys = SessionKeys { aura: aura.public().into(), grandpa: grandpa.public().into() };
	chain.must(&node, RuntimeCall::Session(pallet_session::Call::set_keys { keys, proof }));
	let branch = chain.register_branch(&account(&cast.alice));
	chain.must(
		&cast.alice,
		RuntimeCall::Election(E::propose_candidate { branch, validator: validator.clone() }),
	);
	chain.sudo(RuntimeCall::Election(E::approve_candidate { branch }));

	let aura_key: AuraId = aura.public().into();
	let sitting = |chain: &mut Harness| {
		chain.with(pallet_session::Pallet::<Runtime>::validators).contains(&validator)
	};
	// The next block at least `blocks` ahead whose slot is not the validator's.
	let skip_its_slots = |chain: &mut Harness, blocks: u32| {
		let (authorities, slot) = chain.with(|| {
			(
				pallet_aura::Authorities::<Runtime>::get(),
				*pallet_aura::CurrentSlot::<Runtime>::get(),
			)
		});
		let count = authorities.len() as u64;
		let its = authorities.iter().position(|key| *key == aura_key).map(|i| i as u64);
		let mut ahead = blocks.max(1);
		while its == Some((slot + u64::from(ahead)) % count) {
			ahead += 1;
		}
		chain.jump(ahead);
	};
	// Elected at a session's start, it sits from the next one.
	for _ in 0..4 {
		if sitting(chain) {
			break;
		}
		skip_its_slots(chain, fast.session_blocks);
	}
	assert!(sitting(chain), "the new validator was elected");
	// A session of nine blocks in which it authors at most one: eight outside its slots, then
	// the block (whoever's slot it is) in which it purges its keys, so that the next election
	// drops it. Later sessions have no block but the one that starts them, which counts for
	// nobody, so its record stays.
	for _ in 0..8 {
		skip_its_slots(chain, 1);
	}
	chain.must(&node, RuntimeCall::Session(pallet_session::Call::purge_keys {}));
	skip_its_slots(chain, fast.session_blocks);
	let offline = |chain: &mut Harness| {
		chain
			.with(|| pallet_timebank_election::ValidatorLiveness::<Runtime>::get(&validator))
			.offline_sessions
	};
	assert_eq!(offline(chain), 1, "the validator was offline for a session");
	for _ in 0..4 {
		if !sitting(chain) {
			break;
		}
		skip_its_slots(chain, fast.session_blocks);
	}
	assert!(!sitting(chain), "a validator without keys left the set");
	assert_eq!(offline(chain), 1, "its offline record stays until its admin clears it");
	chain.sudo(RuntimeCall::Election(E::set_parameters { parameters: original }));
	branch
}

/// Alice sends `to` a unit of the native token (for an account that pays fees).
fn transfer(to: &AccountId) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.clone().into(),
		value: UNIT,
	})
}

const NOT_A_PARTY: &str = "Activities.NotAParty";

/// The receiver's side of a service (DOMAIN rule 5, USER-GUIDE "On the day"): the receiver, a
/// proxy with `confirm_services`, or staff of the receiver's own home branch; the member is the
/// provider, and the provider never acts for the receivers.
fn receivers_side(role: Role) -> &'static str {
	member_call(role, |r| match r {
		ProxyConfirm | StaffHome | AdminHome => OK,
		_ => NOT_A_PARTY,
	})
}

/// Either side of a service: the provider (the member), or the receiver's side.
fn either_side(role: Role) -> &'static str {
	member_call(role, |r| match r {
		Member | ProxyConfirm | StaffHome | AdminHome => OK,
		_ => NOT_A_PARTY,
	})
}

/// Branch 0's admins only, with the pallet's error for everyone else.
fn home_admin(role: Role, error: &'static str) -> &'static str {
	if role == AdminHome {
		OK
	} else {
		error
	}
}

pub(super) fn rows() -> Vec<Row> {
	use pallet_timebank_activities::Call as A;
	use pallet_timebank_audits::Call as Au;
	use pallet_timebank_election::Call as E;
	use pallet_timebank_training::Call as T;
	vec![
		Row {
			call: "Activities.set_activity_policy",
			build: |s, _| {
				RuntimeCall::Activities(A::set_activity_policy {
					branch: 0,
					policy: s.services.activity_policy,
				})
			},
			// The branch's admins set its activity rules (the pallet's interface).
			expect: |r| member_call(r, |r| home_admin(r, "Activities.NotBranchOfficer")),
		},
		Row {
			call: "Activities.cancel_listing",
			build: |s, r| {
				RuntimeCall::Activities(A::cancel_listing { listing: s.services.requests[slot(r)] })
			},
			// USER-GUIDE: "a proxy that may only request services can publish and withdraw
			// requests"; the owner and staff of the owner's home branch too.
			expect: |r| {
				member_call(r, |r| match r {
					Member | ProxyRequest | StaffHome | AdminHome => OK,
					_ => "Activities.NotPermitted",
				})
			},
		},
		Row {
			call: "Activities.apply",
			build: |s, _| RuntimeCall::Activities(A::apply { listing: s.services.open_request }),
			// Members volunteer for themselves (a proxy is a member too); officers and
			// auditors need not be members, and apply only as members.
			expect: |r| {
				member_call(r, |r| if r.is_member() { OK } else { "Activities.NotActiveMember" })
			},
		},
		Row {
			call: "Activities.withdraw_application",
			build: |s, _| {
				RuntimeCall::Activities(A::withdraw_application {
					listing: s.services.member_application,
				})
			},
			// Only the applicant withdraws; nobody withdraws for them.
			expect: |r| {
				member_call(r, |r| if r == Member { OK } else { "Activities.NotAnApplicant" })
			},
		},
		Row {
			call: "Activities.accept",
			build: |s, r| {
				RuntimeCall::Activities(A::accept {
					listing: s.services.requests[slot(r)],
					applicant: s.services.applicant.clone(),
				})
			},
			// Decision 0011 (H1): a proxy accepts a volunteer only with both
			// `request_services` and `confirm_services`; each proxy here holds one.
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffHome | AdminHome => OK,
					_ => "Activities.NotPermitted",
				})
			},
		},
		Row {
			call: "Activities.set_check_in_code",
			build: |s, _| {
				RuntimeCall::Activities(A::set_check_in_code {
					engagement: s.services.accepted_group,
					code_hash: H256::repeat_byte(9),
				})
			},
			// The receiver's side sets the code the provider must show (decision 0011, L1).
			expect: receivers_side,
		},
		Row {
			call: "Activities.check_in",
			build: |s, _| {
				RuntimeCall::Activities(A::check_in {
					engagement: s.services.accepted_group,
					proof: Some(s.services.proof.clone()),
				})
			},
			// The provider with the receiver's code, or staff of every receiver's home branch;
			// the receivers' proxies do not start a service.
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffHome | AdminHome => OK,
					_ => NOT_A_PARTY,
				})
			},
		},
		Row {
			call: "Activities.check_out",
			build: |s, _| {
				RuntimeCall::Activities(A::check_out { engagement: s.services.running_group })
			},
			// The provider (a volunteer no role is: the member provides services too, and a
			// provider is checked in to one at a time) or staff of every receiver's home
			// branch; the receivers' proxies do not end a service.
			expect: |r| member_call(r, |r| home_officers(r, NOT_A_PARTY)),
		},
		Row {
			call: "Activities.confirm",
			build: |s, r| {
				RuntimeCall::Activities(A::confirm { engagement: s.services.checked_out[slot(r)] })
			},
			// Nobody confirms their own service: the member is its provider.
			expect: receivers_side,
		},
		Row {
			call: "Activities.dispute",
			build: |s, r| {
				RuntimeCall::Activities(A::dispute {
					engagement: s.services.checked_out[slot(r)],
					reason: H256::repeat_byte(8),
				})
			},
			// USER-GUIDE: "either side (or your proxy, or staff) can dispute", the proxy being
			// one with the right to confirm.
			expect: either_side,
		},
		Row {
			call: "Activities.cancel_engagement",
			build: |s, _| {
				RuntimeCall::Activities(A::cancel_engagement {
					engagement: s.services.accepted_group,
				})
			},
			// The provider calls the group off; a receiver's proxy (with the right to confirm)
			// withdraws that receiver; staff of every receiver's home branch call it off.
			expect: either_side,
		},
		Row {
			call: "Activities.rate",
			build: |s, r| {
				// The provider rates a receiver, a receiver's side rates the provider.
				let ratee = if r == Member {
					s.services.receiver.clone()
				} else {
					s.services.provider.clone()
				};
				RuntimeCall::Activities(A::rate {
					engagement: s.services.settled_group,
					ratee,
					stars: 5,
				})
			},
			// "The provider rates each receiver, each receiver (or their proxy, with the right
			// to confirm) rates the provider": a rating is the member's own opinion, so staff
			// do not rate for anyone (the pallet's summary "staff: every participant's action
			// on their behalf" is wider; the call's own rule is this one).
			expect: |r| {
				member_call(r, |r| match r {
					Member | ProxyConfirm => OK,
					_ => NOT_A_PARTY,
				})
			},
		},
		Row {
			call: "Audits.set_review_policy",
			build: |s, _| {
				RuntimeCall::Audits(Au::set_review_policy {
					branch: 0,
					policy: s.services.review_policy,
				})
			},
			// One admin makes review stricter alone; the council sets any policy alone.
			expect: |r| match r {
				Council => OK,
				r => member_call(r, |r| home_admin(r, "Audits.NotBranchOfficer")),
			},
		},
		Row {
			call: "Audits.vote",
			build: |s, _| {
				RuntimeCall::Audits(Au::vote {
					review: s.services.dispute_review,
					decision: Decision::Arbitrate(ArbitrationOutcome::RefundReceivers),
					reason: H256::repeat_byte(5),
				})
			},
			// Officers of the review's branch who are not parties decide a dispute.
			expect: |r| member_call(r, |r| home_officers(r, "Audits.NotBranchOfficer")),
		},
		Row {
			call: "Training.set_course_active",
			build: |s, _| {
				RuntimeCall::Training(T::set_course_active {
					course: s.services.course,
					active: false,
				})
			},
			// Branch admins open and close courses (the pallet's interface).
			expect: |r| member_call(r, |r| home_admin(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.schedule_session",
			build: |s, _| {
				RuntimeCall::Training(T::schedule_session {
					course: s.services.course,
					starts_at: s.now + 2 * DAY_MS,
					capacity: 10,
				})
			},
			// Branch staff (admins included) schedule sessions.
			expect: |r| member_call(r, |r| home_officers(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.close_session",
			build: |s, _| {
				RuntimeCall::Training(T::close_session { session: s.services.upcoming_session })
			},
			// Branch staff close a session to enrolment.
			expect: |r| member_call(r, |r| home_officers(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.enrol",
			build: |s, _| RuntimeCall::Training(T::enrol { session: s.services.upcoming_session }),
			// Members enrol themselves (a proxy is a member too); officers need not be members.
			expect: |r| {
				member_call(r, |r| if r.is_member() { OK } else { "Training.NotActiveMember" })
			},
		},
		Row {
			call: "Training.withdraw",
			build: |s, _| {
				RuntimeCall::Training(T::withdraw { session: s.services.started_session })
			},
			// A member gives up their own place: the proxies' receivers are enrolled, but the
			// call has no member to act for, so the proxies have nothing to withdraw.
			expect: |r| member_call(r, |r| if r == Member { OK } else { "Training.NotEnrolled" }),
		},
		Row {
			call: "Training.record_attendance",
			build: |s, _| {
				RuntimeCall::Training(T::record_attendance {
					session: s.services.started_session,
					who: s.services.receiver.clone(),
				})
			},
			// USER-GUIDE: "staff record your attendance once the session has started".
			expect: |r| member_call(r, |r| home_officers(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.complete",
			build: |s, _| {
				RuntimeCall::Training(T::complete {
					session: s.services.started_session,
					who: s.services.applicant.clone(),
				})
			},
			// Staff record completion once the session has lasted the course's length.
			expect: |r| member_call(r, |r| home_officers(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.revoke_certificate",
			build: |s, _| {
				RuntimeCall::Training(T::revoke_certificate {
					certificate: s.services.certificate,
					reason: H256::repeat_byte(4),
				})
			},
			// Staff of the issuing branch.
			expect: |r| member_call(r, |r| home_officers(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Training.set_trusted_issuers",
			build: |s, _| {
				RuntimeCall::Training(T::set_trusted_issuers {
					branch: 0,
					issuers: vec![s.other].try_into().expect("one issuer fits"),
				})
			},
			// USER-GUIDE: its admins keep the list of trusted issuers.
			expect: |r| member_call(r, |r| home_admin(r, "Training.NotBranchOfficer")),
		},
		Row {
			call: "Election.approve_candidate",
			build: |s, _| {
				RuntimeCall::Election(E::approve_candidate {
					branch: s.services.unapproved_candidate,
				})
			},
			expect: |r| council_call(r, true),
		},
		Row {
			call: "Election.withdraw_candidate",
			build: |_, _| RuntimeCall::Election(E::withdraw_candidate { branch: 0 }),
			// Branch 0's genesis candidacy: its admin or the council end it.
			expect: |r| match r {
				Council => OK,
				r => member_call(r, |r| home_admin(r, "Election.NotBranchAdmin")),
			},
		},
		Row {
			call: "Election.vote",
			build: |_, _| RuntimeCall::Election(E::vote { branch: 0 }),
			// Every active member has one vote (the member moves theirs here); officers need
			// not be members.
			expect: |r| {
				member_call(r, |r| if r.is_member() { OK } else { "Election.NotActiveMember" })
			},
		},
		Row {
			call: "Election.declare_online",
			build: |s, _| {
				RuntimeCall::Election(E::declare_online { branch: s.services.offline_candidate })
			},
			// The candidate branch's admin reports its node repaired (the home admin runs that
			// branch too); the council has no say here.
			expect: |r| member_call(r, |r| home_admin(r, "Election.NotBranchAdmin")),
		},
		Row {
			call: "Election.unvote",
			build: |_, _| RuntimeCall::Election(E::unvote {}),
			// The signer's own vote: the proxies' receivers voted, the proxies did not, and the
			// call has no member to act for.
			expect: |r| member_call(r, |r| if r == Member { OK } else { "Election.NoVote" }),
		},
	]
}
