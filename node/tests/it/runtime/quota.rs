//! What the member quota bounds: block weight (H4) and the transaction pool (L6).

use super::{
	call_types::CallTypes,
	harness::Harness,
	setup::{account, pair, quota},
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, GetDispatchInfo},
		traits::Contains,
	},
	sp_core::{sr25519, H256},
	sp_runtime::transaction_validity::TransactionValidityError,
};
use timebank_primitives::Decision;
use timebank_runtime::{
	configs::{MemberOnlyCalls, MembershipApplication, RuntimeBlockWeights},
	Runtime, RuntimeCall,
};

/// The block-weight budget the quota must respect, in one place for the lead to tune.
mod budget {
	/// Accounts flooding fee-free calls at once that the chain must tolerate and still have room
	/// for everyone else: registered members are cheap to create for insiders, so this is a count
	/// of accounts, not of people.
	pub const TOLERATED_ACCOUNTS: u64 = 1_000;
	/// Distinct members in the block-building demonstration.
	pub const FLOODERS: usize = 60;
}

/// An `audits.vote` on a review that does not exist: it fails at its first read, yet is
/// fee-free and declared at the weight of the dearest vote.
fn failing_vote() -> RuntimeCall {
	RuntimeCall::Audits(pallet_timebank_audits::Call::vote {
		review: 999_999,
		decision: Decision::Approve,
		reason: H256::zero(),
	})
}

fn members(chain: &mut Harness, prefix: &str, count: usize) -> Vec<sr25519::Pair> {
	let staff = pair("Alice");
	let members = (0..count).map(|i| pair(&format!("{prefix}{i}"))).collect::<Vec<_>>();
	for member in &members {
		chain.register_member(&staff, &account(member), 0);
	}
	chain.finish_block();
	members
}

/// The normal class's weight budget per block and the base weight every extrinsic adds, in
/// picoseconds of ref time.
fn normal_budget() -> (u64, u64) {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let budget = normal.max_total.unwrap_or(weights.max_block).ref_time();
	(budget, normal.base_extrinsic.ref_time())
}

/// The H4 rule for a call that claims `per_call` ps of a block: `(demand, supply)` per quota
/// window, where demand = per-call weight × calls per window × tolerated accounts and supply =
/// normal budget × blocks per window. The rule holds when demand ≤ supply.
fn window_demand_and_supply(per_call: u64) -> (u128, u128) {
	let (calls, window) = quota();
	let (budget, _) = normal_budget();
	let demand = u128::from(per_call) * u128::from(calls) * u128::from(budget::TOLERATED_ACCOUNTS);
	(demand, u128::from(budget) * u128::from(window))
}

// H4: the quota counts calls, not weight, and failed fee-free calls keep their full declared
// weight: 60 members each sending one failing `audits.vote` fill a block's normal class, and
// ~250 accounts (free for staff to register) would fill every block. The rule the fix must meet:
// per-call declared weight × calls per quota window × tolerated accounts ≤ normal-class budget ×
// blocks per window.
#[test]
fn h4_a_block_of_failing_votes_and_the_budget_rule() {
	let mut chain = Harness::dev();
	let flooders = members(&mut chain, "H4Member", budget::FLOODERS);
	chain.start_block();
	let before = chain.open_block_stats().normal_ref_time();
	let (mut included, mut refused) = (0, Vec::new());
	let mut declared = 0;
	for member in &flooders {
		let xt = chain.sign(member, failing_vote());
		declared = xt.get_dispatch_info().total_weight().ref_time();
		match chain.apply(&xt) {
			Ok(Err(_)) => included += 1,
			Ok(Ok(())) => panic!("a vote on a missing review succeeded"),
			Err(e) => refused.push(e),
		}
	}
	let consumed = chain.open_block_stats().normal_ref_time() - before;
	let (budget, base) = normal_budget();
	println!(
		"H4: {included} of {} failing votes included ({} refused: {:?}); normal class used \
		 {consumed} ps of {budget} ps; declared per vote {declared} ps + base {base} ps; \
		 consumed per included vote {} ps",
		flooders.len(),
		refused.len(),
		refused.first(),
		consumed / included.max(1) as u64,
	);
	let per_call = declared + base;
	let (demand, supply) = window_demand_and_supply(per_call);
	let (calls, window) = quota();
	println!(
		"H4: per-call {per_call} ps × {calls} calls × {} accounts = {demand} ps per window; \
		 budget {budget} ps × {window} blocks = {supply} ps ({} accounts fill it)",
		budget::TOLERATED_ACCOUNTS,
		supply / (u128::from(per_call) * u128::from(calls)).max(1),
	);
	chain.assert_invariants("the flood");
	assert!(
		demand <= supply,
		"H4: {} accounts using their quota of `audits.vote` need {demand} ps per window, more \
		 than the normal class's {supply} ps",
		budget::TOLERATED_ACCOUNTS
	);
}

// H4, for every fee-free call: the same rule with each call's declared weight (its extrinsic's
// total: call and transaction extensions, plus the base weight of an extrinsic).
#[test]
fn h4_every_fee_free_call_fits_the_block_budget() {
	let mut chain = Harness::dev();
	let types = CallTypes::new();
	let signer = pair("Alice");
	let mut weights = Vec::new();
	for variant in types.calls() {
		let Some(call) = types.minimal_call(&variant) else { continue };
		if !MemberOnlyCalls::contains(&call) && !MembershipApplication::contains(&call) {
			continue;
		}
		let xt = chain.sign(&signer, call);
		weights.push((xt.get_dispatch_info().total_weight().ref_time(), variant.to_string()));
	}
	weights.sort_unstable_by(|a, b| b.cmp(a));
	let (_, base) = normal_budget();
	let too_heavy = weights
		.iter()
		.filter(|(declared, _)| {
			let (demand, supply) = window_demand_and_supply(declared + base);
			demand > supply
		})
		.map(|(declared, call)| format!("{call}: {declared} ps"))
		.collect::<Vec<_>>();
	println!("H4: heaviest fee-free calls (ps): {:?}", &weights[..weights.len().min(8)]);
	assert!(
		too_heavy.is_empty(),
		"H4: fee-free calls too heavy for {} accounts using their quota: {too_heavy:?}",
		budget::TOLERATED_ACCOUNTS
	);
}

// H4: a fee-free call that fails at its first check keeps its full declared weight in the block
// (no `actual_weight` on the error path), so failing calls are as dear to the chain as the
// dearest success. Fixed when the failure is charged about what it used: here one storage read.
#[test]
fn h4_a_failed_fee_free_call_is_charged_the_weight_it_used() {
	let mut chain = Harness::dev();
	let member = members(&mut chain, "H4Single", 1).remove(0);
	chain.start_block();
	let before = chain.open_block_stats().normal_ref_time();
	let xt = chain.sign(&member, failing_vote());
	let info = xt.get_dispatch_info();
	assert!(matches!(chain.apply(&xt), Ok(Err(_))), "the vote fails and is included");
	let (_, base) = normal_budget();
	let charged = chain.open_block_stats().normal_ref_time() - before - base;
	let call_charged = charged.saturating_sub(info.extension_weight.ref_time());
	let declared = info.call_weight.ref_time();
	println!("H4: a vote failing at its first read is charged {call_charged} ps of {declared} ps declared");
	assert!(
		call_charged <= declared / 10,
		"H4: a vote failing at its first read is charged {call_charged} ps, its full declared \
		 weight is {declared} ps"
	);
}

// L6: the quota extension checks only the stored usage, so the pool admits any number of a
// member's transactions with future nonces; they fail only at inclusion. Fixed when validation
// counts the transactions ahead of the stored nonce against the quota: of 500 consecutive nonces
// validated against the same state, those beyond the remaining quota are refused.
#[test]
fn l6_the_pool_refuses_transactions_beyond_the_quota() {
	let mut chain = Harness::dev();
	let member = members(&mut chain, "L6Member", 1).remove(0);
	let who = account(&member);
	let remaining =
		chain.with(|| pallet_timebank_registry::Pallet::<Runtime>::quota_remaining(&who)) as usize;
	let first = chain.nonce(&who);
	let validities = (0..500)
		.map(|k| {
			let xt = chain.sign_with_nonce(&member, first + k, failing_vote());
			chain.validate(&xt)
		})
		.collect::<Vec<_>>();
	let valid = validities.iter().filter(|v| v.is_ok()).count();
	let beyond: Vec<&TransactionValidityError> =
		validities[remaining.min(500)..].iter().filter_map(|v| v.as_ref().err()).collect();
	println!(
		"L6: {valid} of 500 consecutive nonces valid against one state; quota remaining \
		 {remaining}; first refusal beyond it: {:?}",
		beyond.first()
	);
	assert!(
		validities[..remaining.min(500)].iter().all(Result::is_ok),
		"L6: transactions within the quota must stay valid"
	);
	assert_eq!(
		beyond.len(),
		500 - remaining.min(500),
		"L6: {valid} of 500 transactions from one member validate, but the quota allows {remaining}"
	);
}
