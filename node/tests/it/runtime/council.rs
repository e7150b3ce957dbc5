//! Council motions closed after their duration: two thirds must mean two thirds (M8).

use super::{
	harness::Harness,
	setup::{account, pair},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	frame_system, pallet_collective,
	sp_core::{sr25519, H256},
	sp_runtime::traits::{BlakeTwo256, Hash},
};
use timebank_runtime::{
	configs::CouncilMotionDuration, CouncilInstance, Runtime, RuntimeCall, RuntimeEvent,
};

fn vote(proposal: H256, index: u32) -> RuntimeCall {
	RuntimeCall::Council(pallet_collective::Call::vote { proposal, index, approve: true })
}

// M8: the council's `DefaultVote` was `MoreThanMajorityThenPrimeDefaultVote`: when a motion is
// closed after `MotionDuration`, the members who did not vote join a bare majority of ayes, and
// the motion executes as if everyone agreed. Three ayes of five (60 %) then authorised a runtime
// upgrade, a power the runtime gives only to two thirds of the council. Fixed when an abstention
// is not an aye: the motion, short of its threshold of four, is disapproved.
#[test]
fn m8_three_ayes_of_five_do_not_authorise_an_upgrade() {
	let mut chain = Harness::dev();
	let council: Vec<sr25519::Pair> =
		["Alice", "Bob", "Charlie", "Dave", "Eve"].into_iter().map(pair).collect();
	chain.set_council(council.iter().map(account).collect());

	let proposal = RuntimeCall::Governance(pallet_timebank_governance::Call::authorize_upgrade {
		code_hash: H256::repeat_byte(0xab),
	});
	let length_bound = proposal.encoded_size() as u32;
	let weight_bound = proposal.get_dispatch_info().call_weight;
	let proposal_hash = BlakeTwo256::hash_of(&proposal);
	let index = chain.with(pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get);
	chain.must(
		&council[0],
		RuntimeCall::Council(pallet_collective::Call::propose {
			threshold: 4,
			proposal: Box::new(proposal),
			length_bound,
		}),
	);
	// Alice, Bob and Charlie vote aye; Dave and Eve stay silent.
	for member in &council[..3] {
		chain.must(member, vote(proposal_hash, index));
	}
	chain.jump(CouncilMotionDuration::get() + 1);
	chain.take_events();
	// Anyone may close a motion whose time is up; Dave does.
	chain.must(
		&council[3],
		RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash,
			index,
			proposal_weight_bound: weight_bound,
			length_bound,
		}),
	);
	let events = chain.take_events();
	let authorised = events.iter().any(|event| {
		matches!(event, RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { .. }))
	});
	let stored = chain.with(frame_system::Pallet::<Runtime>::authorized_upgrade);
	chain.assert_invariants("closing the motion");
	assert!(
		!authorised && stored.is_none(),
		"M8: three ayes of five authorised a runtime upgrade after the motion's duration: {:?}",
		events.iter().filter(|e| matches!(e, RuntimeEvent::Council(_))).collect::<Vec<_>>()
	);
}
