use crate::{
	mock::*, Candidates, CountedVotes, Error, Event, Liveness, ValidatorLiveness, VoterHome, Votes,
	VotesByHome, VotesFor,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::{DispatchError, Percent},
};
use timebank_primitives::{ElectionParameters, MemberStatus, OfficerRole};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn council() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// Branch 4 proposes validator 105 and the council approves it.
fn add_fifth_candidate() {
	assert_ok!(Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]));
	assert_ok!(Election::approve_candidate(council(), 4));
}

fn vote_for(voters: &[AccountId], branch: u32) {
	for voter in voters {
		assert_ok!(Election::vote(signed(*voter), branch));
	}
}

fn sorted(mut set: Vec<AccountId>) -> Vec<AccountId> {
	set.sort();
	set
}

// --- candidacy ---

#[test]
fn a_branch_admin_proposes_and_the_council_approves() {
	run(|| {
		assert_ok!(Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]));
		let candidate = Candidates::<Test>::get(4).expect("candidacy stored");
		assert!(!candidate.approved);
		assert_ok!(Election::approve_candidate(council(), 4));
		assert!(Candidates::<Test>::get(4).expect("candidacy stored").approved);
		assert_eq!(
			events(),
			vec![
				Event::CandidateProposed { branch: 4, validator: VALIDATORS[4], by: ADMINS[4] },
				Event::CandidateApproved { branch: 4 },
			]
		);
	});
}

#[test]
fn proposing_is_refused_for_bad_input() {
	run(|| {
		assert_noop!(
			Election::propose_candidate(signed(ADMINS[0]), 4, VALIDATORS[4]),
			Error::<Test>::NotBranchAdmin
		);
		MockRegistry::add_officer(4, 50, OfficerRole::Staff);
		assert_noop!(
			Election::propose_candidate(signed(50), 4, VALIDATORS[4]),
			Error::<Test>::NotBranchAdmin
		);
		assert_noop!(
			Election::propose_candidate(RuntimeOrigin::none(), 4, VALIDATORS[4]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Election::propose_candidate(signed(ADMINS[0]), 0, VALIDATORS[4]),
			Error::<Test>::AlreadyCandidate
		);
		assert_noop!(
			Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[0]),
			Error::<Test>::ValidatorTaken
		);
		MockRegistry::suspend_branch(4);
		assert_noop!(
			Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]),
			Error::<Test>::BranchInactive
		);
	});
}

#[test]
fn candidacies_are_bounded() {
	run(|| {
		// Four at genesis; MaxCandidates is eight.
		for branch in 4..8u32 {
			MockRegistry::add_officer(branch, 10 + branch as u64, OfficerRole::Admin);
			assert_ok!(Election::propose_candidate(
				signed(10 + branch as u64),
				branch,
				300 + branch as u64
			));
		}
		MockRegistry::add_officer(8, 18, OfficerRole::Admin);
		assert_noop!(
			Election::propose_candidate(signed(18), 8, 308),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn approval_is_the_councils_and_happens_once() {
	run(|| {
		assert_ok!(Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]));
		assert_noop!(Election::approve_candidate(signed(ADMINS[4]), 4), DispatchError::BadOrigin);
		assert_noop!(Election::approve_candidate(council(), 7), Error::<Test>::UnknownCandidate);
		assert_ok!(Election::approve_candidate(council(), 4));
		assert_noop!(Election::approve_candidate(council(), 4), Error::<Test>::AlreadyApproved);
	});
}

#[test]
fn a_candidacy_is_withdrawn_by_its_admin_or_the_council_and_votes_stay_with_the_branch() {
	run(|| {
		vote_for(&VOTERS[..2], 3);
		assert_noop!(
			Election::withdraw_candidate(signed(ADMINS[0]), 3),
			Error::<Test>::NotBranchAdmin
		);
		assert_ok!(Election::withdraw_candidate(signed(ADMINS[3]), 3));
		assert!(Candidates::<Test>::get(3).is_none());
		assert_eq!(VotesFor::<Test>::get(3), 2);
		assert_noop!(
			Election::withdraw_candidate(signed(ADMINS[3]), 3),
			Error::<Test>::UnknownCandidate
		);
		assert_ok!(Election::withdraw_candidate(council(), 2));
		assert!(
			events().contains(&Event::CandidateWithdrawn { branch: 3, validator: VALIDATORS[3] })
		);
		// The branch stands again with another node: its votes count again.
		assert_ok!(Election::propose_candidate(signed(ADMINS[3]), 3, 113));
		assert_ok!(Election::approve_candidate(council(), 3));
		MockSession::register_keys(113);
		let (projected, _) = Election::plan_validator_set(&MockSession::validators_now());
		assert_eq!(projected[0], 113);
	});
}

// --- votes ---

#[test]
fn members_vote_and_move_their_vote() {
	run(|| {
		assert_ok!(Election::vote(signed(VOTERS[0]), 1));
		assert_eq!(VotesFor::<Test>::get(1), 1);
		assert_ok!(Election::vote(signed(VOTERS[0]), 2));
		assert_eq!((VotesFor::<Test>::get(1), VotesFor::<Test>::get(2)), (0, 1));
		assert_eq!(Votes::<Test>::get(VOTERS[0]), Some(2));
		assert_ok!(Election::unvote(signed(VOTERS[0])));
		assert_eq!(VotesFor::<Test>::get(2), 0);
		assert_eq!(
			events(),
			vec![
				Event::Voted { voter: VOTERS[0], branch: 1, previous: None },
				Event::Voted { voter: VOTERS[0], branch: 2, previous: Some(1) },
				Event::VoteWithdrawn { voter: VOTERS[0], branch: 2 },
			]
		);
	});
}

#[test]
fn voting_is_refused_for_bad_input() {
	run(|| {
		assert_noop!(Election::vote(signed(STRANGER), 0), Error::<Test>::NotActiveMember);
		MockRegistry::set_status(VOTERS[5], MemberStatus::Suspended);
		assert_noop!(Election::vote(signed(VOTERS[5]), 0), Error::<Test>::NotActiveMember);
		assert_noop!(Election::vote(signed(VOTERS[0]), 4), Error::<Test>::UnknownCandidate);
		assert_ok!(Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]));
		assert_noop!(Election::vote(signed(VOTERS[0]), 4), Error::<Test>::NotApproved);
		assert_ok!(Election::vote(signed(VOTERS[0]), 0));
		assert_noop!(Election::vote(signed(VOTERS[0]), 0), Error::<Test>::AlreadyVotedFor);
		assert_noop!(Election::unvote(signed(VOTERS[1])), Error::<Test>::NoVote);
	});
}

#[test]
fn anyone_removes_the_vote_of_a_departed_member_only() {
	run(|| {
		vote_for(&VOTERS[..2], 1);
		assert_noop!(
			Election::remove_stale_vote(signed(STRANGER), VOTERS[0]),
			Error::<Test>::VoterStillActive
		);
		assert_noop!(
			Election::remove_stale_vote(signed(STRANGER), VOTERS[3]),
			Error::<Test>::NoVote
		);
		MockRegistry::set_status(VOTERS[0], MemberStatus::Left);
		assert_ok!(Election::remove_stale_vote(signed(STRANGER), VOTERS[0]));
		assert_eq!(VotesFor::<Test>::get(1), 1);
		assert!(events().contains(&Event::StaleVoteRemoved {
			voter: VOTERS[0],
			branch: 1,
			by: STRANGER
		}));
	});
}

// M10: staff of a candidate branch register many members who vote for it. Before the cap the
// 20 registered votes outranked every incumbent and the branch entered the projected set; now
// its own members count for at most `MaxVotesPerHomeBranch` (6 in the mock), what each
// incumbent's own members give it, and ties keep incumbents.
#[test]
fn m10_registered_voters_of_one_branch_cannot_carry_it_into_the_set() {
	run(|| {
		add_fifth_candidate();
		for branch in 0..4u32 {
			for n in 0..6u64 {
				let member = 1_000 + u64::from(branch) * 10 + n;
				MockRegistry::add_member(member, branch, Default::default());
				assert_ok!(Election::vote(signed(member), branch));
			}
		}
		let socks: Vec<AccountId> = (2_000..2_020).collect();
		for sock in &socks {
			MockRegistry::add_member(*sock, 4, Default::default());
		}
		vote_for(&socks, 4);
		assert_eq!((VotesFor::<Test>::get(4), CountedVotes::<Test>::get(4)), (20, 6));
		let (projected, _) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert!(!projected.contains(&VALIDATORS[4]), "registered votes carried branch 4 in");
		// Members of another branch who vote for it still count: support across branches wins.
		vote_for(&VOTERS[..1], 4);
		assert_eq!(CountedVotes::<Test>::get(4), 7);
		let (projected, _) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert!(projected.contains(&VALIDATORS[4]));
	});
}

#[test]
fn counted_votes_follow_every_vote_moved_withdrawn_or_removed() {
	run(|| {
		for sock in 2_000..2_008u64 {
			MockRegistry::add_member(sock, 1, Default::default());
			assert_ok!(Election::vote(signed(sock), 1));
		}
		assert_eq!((VotesFor::<Test>::get(1), CountedVotes::<Test>::get(1)), (8, 6));
		// Above the cap, a vote leaving changes no count; at the cap, it does.
		assert_ok!(Election::vote(signed(2_000), 2));
		assert_ok!(Election::unvote(signed(2_001)));
		assert_eq!((VotesFor::<Test>::get(1), CountedVotes::<Test>::get(1)), (6, 6));
		assert_eq!(CountedVotes::<Test>::get(2), 1);
		MockRegistry::set_status(2_002, MemberStatus::Left);
		assert_ok!(Election::remove_stale_vote(signed(STRANGER), 2_002));
		assert_eq!((VotesFor::<Test>::get(1), CountedVotes::<Test>::get(1)), (5, 5));
		assert_eq!(VotesByHome::<Test>::get(1, 1), 5);
		assert_eq!(VoterHome::<Test>::get(2_000), Some(1));
		assert_eq!(VoterHome::<Test>::get(2_001), None);
	});
}

#[test]
fn the_v1_migration_counts_the_votes_already_cast() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		// Version 0 stored only `Votes` and `VotesFor`.
		for sock in 2_000..2_008u64 {
			MockRegistry::add_member(sock, 1, Default::default());
			Votes::<Test>::insert(sock, 2);
		}
		Votes::<Test>::insert(VOTERS[0], 2);
		Votes::<Test>::insert(STRANGER, 3);
		VotesFor::<Test>::insert(2, 9);
		VotesFor::<Test>::insert(3, 1);
		StorageVersion::new(0).put::<Election>();
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Election::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!((VotesByHome::<Test>::get(2, 1), VotesByHome::<Test>::get(2, 0)), (8, 1));
		assert_eq!(CountedVotes::<Test>::get(2), 7);
		// A former member's vote counts under the candidate until it is removed as stale.
		assert_eq!(VoterHome::<Test>::get(STRANGER), Some(3));
		assert_eq!(CountedVotes::<Test>::get(3), 1);
		assert_ok!(Election::remove_stale_vote(signed(VOTERS[1]), STRANGER));
		assert_eq!(CountedVotes::<Test>::get(3), 0);
	});
}

// --- parameters ---

#[test]
fn the_council_sets_valid_parameters_only() {
	run(|| {
		let valid =
			ElectionParameters { session_blocks: 20, max_validators: 7, ..test_parameters() };
		assert_noop!(Election::set_parameters(signed(ADMINS[0]), valid), DispatchError::BadOrigin);
		let refused = [
			(ElectionParameters { session_blocks: 4, ..valid }, Error::<Test>::SessionTooShort),
			// Two slots per validator at the maximum: 7 validators need 14 blocks.
			(ElectionParameters { session_blocks: 13, ..valid }, Error::<Test>::SessionTooShort),
			(
				ElectionParameters { offline_threshold: Percent::from_percent(76), ..valid },
				Error::<Test>::ThresholdTooHigh,
			),
			(ElectionParameters { sessions_per_era: 0, ..valid }, Error::<Test>::NoSessionsPerEra),
			(ElectionParameters { min_validators: 0, ..valid }, Error::<Test>::NoMinimumValidators),
			(
				ElectionParameters { min_validators: 5, max_validators: 4, ..valid },
				Error::<Test>::MaximumBelowMinimum,
			),
			(ElectionParameters { max_validators: 33, ..valid }, Error::<Test>::TooManyValidators),
			(
				ElectionParameters { max_offline_sessions: 0, ..valid },
				Error::<Test>::NoOfflineSessions,
			),
		];
		for (parameters, error) in refused {
			assert_noop!(Election::set_parameters(council(), parameters), error);
		}
		assert_ok!(Election::set_parameters(council(), valid));
		assert_eq!(crate::Parameters::<Test>::get(), valid);
		assert_eq!(events(), vec![Event::ParametersSet { parameters: valid }]);
	});
}

#[test]
fn sessions_last_the_configured_number_of_blocks() {
	run(|| {
		MockSession::run_blocks(8, &VALIDATORS[..4]);
		assert_eq!(MockSession::index(), 0);
		MockSession::run_blocks(1, &VALIDATORS[..4]);
		assert_eq!(MockSession::index(), 1, "block 10 starts session 1");
		let longer = ElectionParameters { session_blocks: 20, ..test_parameters() };
		assert_ok!(Election::set_parameters(council(), longer));
		MockSession::run_blocks(19, &VALIDATORS[..4]);
		assert_eq!(MockSession::index(), 1);
		MockSession::run_blocks(1, &VALIDATORS[..4]);
		assert_eq!(MockSession::index(), 2);
	});
}

// --- elections ---

#[test]
fn votes_bring_a_candidate_in_and_the_lowest_validator_out() {
	run(|| {
		add_fifth_candidate();
		// Without votes incumbents win ties: nothing changes.
		MockSession::run_blocks(9, &VALIDATORS[..4]);
		assert_eq!(MockSession::queued(), None);
		assert!(events().contains(&Event::ValidatorSetUnchanged { era: 1 }));

		vote_for(&VOTERS[..2], 4);
		vote_for(&VOTERS[2..3], 0);
		vote_for(&VOTERS[3..4], 1);
		vote_for(&VOTERS[4..5], 2);
		MockSession::run_blocks(10, &VALIDATORS[..4]);
		let queued = MockSession::queued().expect("the election changed the set");
		assert_eq!(queued, vec![VALIDATORS[4], VALIDATORS[0], VALIDATORS[1], VALIDATORS[2]]);
		assert!(events().contains(&Event::NewValidatorSet {
			era: 2,
			from_session: 3,
			validators: queued.clone(),
			removed_offline: vec![],
		}));
		// The new set validates one session later.
		MockSession::run_blocks(10, &VALIDATORS[..4]);
		assert_eq!(MockSession::validators_now(), queued);
	});
}

#[test]
fn elections_run_only_at_era_starts() {
	run(|| {
		let two_session_eras = ElectionParameters { sessions_per_era: 2, ..test_parameters() };
		assert_ok!(Election::set_parameters(council(), two_session_eras));
		add_fifth_candidate();
		vote_for(&VOTERS[..2], 4);
		// Block 10 plans session 2 (an era start): election 1.
		MockSession::run_blocks(9, &VALIDATORS[..4]);
		assert!(MockSession::queued().is_some());
		assert_eq!(crate::CurrentEra::<Test>::get(), 1);
		// Block 20 plans session 3: no election.
		MockSession::run_blocks(10, &VALIDATORS[..4]);
		assert_eq!(MockSession::queued(), None);
		assert_eq!(crate::CurrentEra::<Test>::get(), 1);
		MockSession::run_blocks(10, &VALIDATORS[..4]);
		assert_eq!(crate::CurrentEra::<Test>::get(), 2);
	});
}

#[test]
fn candidates_without_approval_or_session_keys_are_not_elected() {
	run(|| {
		MockRegistry::add_officer(5, 15, OfficerRole::Admin);
		assert_ok!(Election::propose_candidate(signed(ADMINS[4]), 4, VALIDATORS[4]));
		// 106 never registered session keys.
		assert_ok!(Election::propose_candidate(signed(15), 5, 106));
		assert_ok!(Election::approve_candidate(council(), 5));
		assert_ok!(Election::vote(signed(VOTERS[0]), 5));
		let (projected, eligible) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert_eq!(eligible, 4);
		assert_eq!(sorted(projected), VALIDATORS[..4].to_vec());
	});
}

#[test]
fn one_election_never_removes_more_than_the_set_tolerates() {
	run(|| {
		// Seven validators tolerate two failures: two may leave at once, not three.
		let seven = [101, 102, 103, 104, 111, 112, 113];
		let parameters =
			ElectionParameters { session_blocks: 20, max_validators: 7, ..test_parameters() };
		assert_ok!(Election::set_parameters(council(), parameters));
		for (i, validator) in [111u64, 112, 113].iter().enumerate() {
			let branch = 5 + i as u32;
			MockRegistry::add_officer(branch, 20 + i as u64, OfficerRole::Admin);
			assert_ok!(Election::propose_candidate(signed(20 + i as u64), branch, *validator));
			assert_ok!(Election::approve_candidate(council(), branch));
			MockSession::register_keys(*validator);
		}
		MockSession::set_validators(&seven);
		// Three branches withdraw at once.
		for branch in [5, 6, 7] {
			assert_ok!(Election::withdraw_candidate(council(), branch));
		}
		let (projected, _) = Election::plan_validator_set(&seven);
		assert_eq!(projected.len(), 5, "one of the three stays: {projected:?}");
		// Next era, with the five, one more may go (five tolerate one failure).
		let (next, _) = Election::plan_validator_set(&projected);
		assert_eq!(sorted(next), VALIDATORS[..4].to_vec());
	});
}

#[test]
fn the_set_never_shrinks_below_the_minimum() {
	run(|| {
		let strict = ElectionParameters { min_validators: 4, ..test_parameters() };
		assert_ok!(Election::set_parameters(council(), strict));
		assert_ok!(Election::withdraw_candidate(council(), 3));
		let (projected, eligible) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert_eq!(eligible, 3);
		assert_eq!(sorted(projected), VALIDATORS[..4].to_vec());
		MockSession::run_blocks(9, &VALIDATORS[..4]);
		assert!(events().contains(&Event::ShortOfCandidates { era: 1, eligible: 3, minimum: 4 }));
		assert_eq!(MockSession::queued(), None);
	});
}

// --- liveness ---

#[test]
fn authored_blocks_are_counted_per_validator() {
	run(|| {
		// Blocks 2 to 7.
		MockSession::run_blocks(6, &[VALIDATORS[0], VALIDATORS[1]]);
		assert_eq!(ValidatorLiveness::<Test>::get(VALIDATORS[0]).authored_this_session, 3);
		assert_eq!(crate::BlocksThisSession::<Test>::get(), 6);
		// Blocks whose author is unknown count for nobody.
		MockSession::run_blocks(1, &[]);
		assert_eq!(crate::BlocksThisSession::<Test>::get(), 6);
		// Blocks 9 to 11: block 10 starts session 1 and the count starts again. Block 10 itself
		// is not counted: the old set authored it, and its slot would name a new-set validator.
		MockSession::run_blocks(3, &[VALIDATORS[2]]);
		assert_eq!(crate::BlocksThisSession::<Test>::get(), 1);
		assert_eq!(ValidatorLiveness::<Test>::get(VALIDATORS[0]).authored_this_session, 0);
	});
}

#[test]
fn a_validator_that_stops_authoring_is_flagged_then_removed_then_restored_by_its_admin() {
	run(|| {
		let alive = &VALIDATORS[..3];
		let silent = VALIDATORS[3];
		// Session 0 (blocks 1-9): all four author; no flag.
		MockSession::run_blocks(8, &VALIDATORS[..4]);
		MockSession::run_blocks(1, alive);
		assert!(!events().iter().any(|e| matches!(e, Event::ValidatorOffline { .. })));
		// Sessions 1 and 2: the fourth authors nothing.
		MockSession::run_blocks(10, alive);
		assert!(events().contains(&Event::ValidatorOffline {
			validator: silent,
			session: 1,
			authored: 0,
			expected: 2,
			offline_sessions: 1,
		}));
		assert!(!Election::is_excluded(&silent));
		// Not yet excluded when session 3 was planned.
		assert_eq!(MockSession::queued(), None);
		MockSession::run_blocks(10, alive);
		assert!(Election::is_excluded(&silent));
		let queued = MockSession::queued().expect("the election removed the silent validator");
		assert_eq!(queued, alive.to_vec());
		assert!(events().iter().any(|e| matches!(
			e,
			Event::NewValidatorSet { removed_offline, .. } if removed_offline == &vec![silent]
		)));
		let view = Election::view();
		assert!(view.candidates.iter().any(|c| c.validator == silent && c.excluded));

		// Its admin reports the node repaired: it may be elected again.
		assert_noop!(Election::declare_online(signed(ADMINS[0]), 3), Error::<Test>::NotBranchAdmin);
		assert_noop!(
			Election::declare_online(signed(ADMINS[4]), 4),
			Error::<Test>::UnknownCandidate
		);
		// While it still sits in the set (until the queued set takes over), only a good
		// session clears its record.
		assert_noop!(
			Election::declare_online(signed(ADMINS[3]), 3),
			Error::<Test>::StillValidating
		);
		MockSession::run_blocks(10, alive);
		assert_eq!(MockSession::validators_now(), alive.to_vec());
		add_fifth_candidate();
		assert_noop!(Election::declare_online(signed(ADMINS[4]), 4), Error::<Test>::NotOffline);
		assert_ok!(Election::declare_online(signed(ADMINS[3]), 3));
		assert_eq!(ValidatorLiveness::<Test>::get(silent), Liveness::default());
		let (projected, _) = Election::plan_validator_set(alive);
		assert!(projected.contains(&silent));
	});
}

#[test]
fn the_offline_threshold_decides_who_is_reported() {
	// Session 0 counts blocks 2 to 9 (eight blocks, two expected per validator). 101 authors one:
	// half its share. A threshold of 50% does not report it (not below), 75% does.
	let session_with_one_block_by_101 = || {
		for author in [101, 102, 103, 104, 102, 103, 104, 102] {
			MockSession::run_blocks(1, &[author]);
		}
		MockSession::run_blocks(1, &[102]);
	};
	let reported = || {
		events()
			.into_iter()
			.any(|e| matches!(e, Event::ValidatorOffline { validator: 101, authored: 1, .. }))
	};
	run(|| {
		session_with_one_block_by_101();
		assert!(!reported(), "50%: one block of an expected two is not below half");
	});
	run(|| {
		let strict = ElectionParameters {
			offline_threshold: Percent::from_percent(75),
			..test_parameters()
		};
		assert_ok!(Election::set_parameters(council(), strict));
		session_with_one_block_by_101();
		assert!(reported(), "75%: one block of an expected two is below three quarters");
	});
}

#[test]
fn the_view_shows_validators_candidates_votes_and_the_projection() {
	run(|| {
		add_fifth_candidate();
		vote_for(&VOTERS[..3], 4);
		MockSession::run_blocks(3, &VALIDATORS[..4]);
		let view = Election::view();
		assert_eq!(view.session, 0);
		assert_eq!(view.next_election_session, 1);
		assert_eq!(view.validators.len(), 4);
		assert_eq!(view.validators[0].authored_this_session, 1);
		assert_eq!(view.validators[0].branch, Some(0));
		let fifth = view.candidates.iter().find(|c| c.branch == 4).expect("fifth candidate");
		assert_eq!((fifth.votes, fifth.approved, fifth.keys_registered), (3, true, true));
		assert_eq!(view.projected[0], VALIDATORS[4]);
		assert_eq!(view.projected.len(), 4);
	});
}

#[test]
fn unsigned_calls_are_refused() {
	run(|| {
		assert_noop!(Election::vote(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
		assert_noop!(Election::unvote(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(
			Election::remove_stale_vote(RuntimeOrigin::none(), VOTERS[0]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Election::withdraw_candidate(RuntimeOrigin::none(), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(Election::declare_online(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn few_newcomers_join_at_once_so_incumbents_keep_finality() {
	run(|| {
		// Four incumbents and three approved newcomers with more votes: four incumbents may be
		// joined by one newcomer at a time ((4 - 1) / 2 = 1), the best-voted.
		let parameters =
			ElectionParameters { session_blocks: 20, max_validators: 8, ..test_parameters() };
		assert_ok!(Election::set_parameters(council(), parameters));
		for (i, validator) in [111u64, 112, 113].iter().enumerate() {
			let branch = 5 + i as u32;
			MockRegistry::add_officer(branch, 20 + i as u64, OfficerRole::Admin);
			assert_ok!(Election::propose_candidate(signed(20 + i as u64), branch, *validator));
			assert_ok!(Election::approve_candidate(council(), branch));
			MockSession::register_keys(*validator);
		}
		vote_for(&VOTERS[..1], 7);
		vote_for(&VOTERS[1..3], 6);
		vote_for(&VOTERS[3..4], 5);
		let (projected, _) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert_eq!(sorted(projected.clone()), vec![101, 102, 103, 104, 112]);
		// Next era, with five kept, two more may join ((5 - 1) / 2 = 2).
		let (next, _) = Election::plan_validator_set(&projected);
		assert_eq!(sorted(next), vec![101, 102, 103, 104, 111, 112, 113]);
	});
}

#[test]
fn a_full_set_defers_the_lowest_newcomer_when_incumbents_may_not_leave() {
	run(|| {
		// Four seats; two newcomers outvote three incumbents, but only one incumbent may leave:
		// the second newcomer waits and the best of the dropped incumbents stays.
		add_fifth_candidate();
		MockRegistry::add_officer(5, 15, OfficerRole::Admin);
		assert_ok!(Election::propose_candidate(signed(15), 5, 106));
		assert_ok!(Election::approve_candidate(council(), 5));
		MockSession::register_keys(106);
		vote_for(&VOTERS[..2], 4);
		vote_for(&VOTERS[2..4], 5);
		vote_for(&VOTERS[4..5], 0);
		vote_for(&VOTERS[5..6], 2);
		let (projected, _) = Election::plan_validator_set(&VALIDATORS[..4]);
		// Ranking: 105 and 106 (two votes; 105 has the lower branch number), 101 and 103 (one),
		// 102 and 104 (none). 106 waits; 102 stays, the better of the two dropped incumbents.
		assert_eq!(projected, vec![VALIDATORS[4], VALIDATORS[0], VALIDATORS[2], VALIDATORS[1]]);
	});
}

#[test]
fn incumbents_that_can_validate_are_kept_before_dead_or_keyless_ones() {
	run(|| {
		// 103 is excluded (offline) but has votes; 102's candidacy was withdrawn but its node
		// runs; 104 purged its keys. With only 101 eligible, incumbents fill the minimum of
		// three: 102 (able to validate) before 103 (excluded); 104 cannot sit without keys.
		vote_for(&VOTERS[..3], 2);
		ValidatorLiveness::<Test>::insert(
			VALIDATORS[2],
			Liveness { authored_this_session: 0, offline_sessions: 2 },
		);
		assert_ok!(Election::withdraw_candidate(council(), 1));
		MockSession::unregister_keys(VALIDATORS[3]);
		let (projected, eligible) = Election::plan_validator_set(&VALIDATORS[..4]);
		assert_eq!(eligible, 1);
		assert_eq!(projected, vec![VALIDATORS[0], VALIDATORS[1], VALIDATORS[2]]);
	});
}

// --- re-keying (decision 0013) ---

#[test]
fn a_rekeyed_voters_vote_moves_and_the_tallies_stay() {
	use timebank_primitives::Rekeying;
	run(|| {
		let new = 300;
		assert_ok!(Election::vote(signed(VOTERS[0]), 1));
		let home = VoterHome::<Test>::get(VOTERS[0]);
		let tallies = (VotesFor::<Test>::get(1), CountedVotes::<Test>::get(1));
		assert_ok!(<Election as Rekeying<AccountId>>::can_rekey(&VOTERS[0], &new));
		assert_ok!(<Election as Rekeying<AccountId>>::rekey(
			&VOTERS[0],
			&new,
			&ADMINS[0],
			Default::default()
		));
		assert_eq!((Votes::<Test>::get(new), VoterHome::<Test>::get(new)), (Some(1), home));
		assert_eq!(
			(Votes::<Test>::get(VOTERS[0]), VoterHome::<Test>::get(VOTERS[0])),
			(None, None)
		);
		assert_eq!((VotesFor::<Test>::get(1), CountedVotes::<Test>::get(1)), tallies);
		// A validator candidate's account is not a member's to move.
		assert_noop!(
			<Election as Rekeying<AccountId>>::can_rekey(&VALIDATORS[0], &new),
			Error::<Test>::ValidatorCandidate
		);
	});
}
