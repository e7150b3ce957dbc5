//! What the member quota bounds: block weight (H4) and the transaction pool (L6).
//!
//! The quota is block execution time, not a number of calls: each fee-free call counts its
//! declared weight (what the block is charged when it fails), at least `MinCallCharge`; a member
//! has `MemberQuota` per window, an officer or auditor `OfficerQuota`, draining continuously.

use super::{
	call_types::CallTypes,
	harness::Harness,
	setup::{account, pair, quota_window},
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, GetDispatchInfo},
		traits::Contains,
	},
	sp_core::{sr25519, H256},
	sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError},
};
use timebank_primitives::Decision;
use timebank_runtime::{
	configs::{MemberOnlyCalls, MembershipApplication, RuntimeBlockWeights},
	Runtime, RuntimeCall,
};

type Registry = pallet_timebank_registry::Pallet<Runtime>;
type MemberQuota = <Runtime as pallet_timebank_registry::Config>::MemberQuota;

/// The accounts the chain must tolerate using their whole allowance at once while blocks keep
/// room: members are cheap for insiders to register (within `RegistrationsPerWindow`), so these
/// are counts of accounts, not of people.
mod budget {
	pub const TOLERATED_MEMBERS: u128 = 1_000;
	pub const TOLERATED_OFFICERS: u128 = 100;
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

/// The allowances per window, in picoseconds of ref time: (member, officer).
fn allowances() -> (u64, u64) {
	(
		MemberQuota::get().ref_time(),
		<Runtime as pallet_timebank_registry::Config>::OfficerQuota::get().ref_time(),
	)
}

const EXHAUSTED: TransactionValidityError = TransactionValidityError::Invalid(
	InvalidTransaction::Custom(pallet_timebank_registry::QUOTA_EXHAUSTED),
);

// H4, the rule: tolerated members × member allowance + tolerated officers × officer allowance
// ≤ normal-class budget × blocks per window. Failing calls are counted at their declared weight,
// so the rule holds whatever mix of calls, failing or not, the accounts send.
#[test]
fn h4_the_tolerated_accounts_allowances_fit_the_block_budget() {
	let (member, officer) = allowances();
	let (budget, _) = normal_budget();
	let demand = budget::TOLERATED_MEMBERS * u128::from(member)
		+ budget::TOLERATED_OFFICERS * u128::from(officer);
	let supply = u128::from(budget) * u128::from(quota_window());
	println!(
		"H4: {} members × {member} ps + {} officers × {officer} ps = {demand} ps per window; \
		 normal class {budget} ps × {} blocks = {supply} ps ({:.0} % used)",
		budget::TOLERATED_MEMBERS,
		budget::TOLERATED_OFFICERS,
		quota_window(),
		demand as f64 * 100.0 / supply as f64
	);
	assert!(demand <= supply, "H4: the tolerated accounts' allowances exceed the block budget");
}

// H4: each member's sustained rate is bounded by its allowance, whatever it sends: a member's
// votes that fail at their first read count the minimum charge each (1 ms), so about sixty fit
// a window, and a block of one failing vote from each of sixty members uses a tenth of a
// block's normal class.
#[test]
fn h4_failing_calls_exhaust_their_senders_allowance() {
	let mut chain = Harness::dev();
	let flooders = members(&mut chain, "H4Member", budget::FLOODERS);
	chain.start_block();
	let before = chain.open_block_stats().normal_ref_time();
	let mut included = 0;
	for member in &flooders {
		let xt = chain.sign(member, failing_vote());
		match chain.apply(&xt) {
			Ok(Err(_)) => included += 1,
			other => panic!("a vote on a missing review must fail and be included: {other:?}"),
		}
	}
	let consumed = chain.open_block_stats().normal_ref_time() - before;
	let (budget, _) = normal_budget();
	println!(
		"H4: {included} failing votes from distinct members in one block; normal class used \
		 {consumed} of {budget} ps"
	);
	assert!(consumed <= budget / 5, "failing votes are charged what they used");
	chain.finish_block();

	// One member alone, vote after vote, until the quota refuses.
	let member = &flooders[0];
	let who = account(member);
	let (allowance, _) = allowances();
	let minimum = u64::from(Registry::quota_charge(Default::default())) * 1_000_000;
	let mut accepted: u64 = 1;
	loop {
		chain.start_block();
		let xt = chain.sign(member, failing_vote());
		match chain.apply(&xt) {
			Ok(_) => accepted += 1,
			Err(e) => {
				assert_eq!(e, EXHAUSTED, "refused for another reason");
				break;
			}
		}
		chain.finish_block();
		assert!(accepted <= 2 * allowance / minimum, "H4: the quota never refused a member");
	}
	println!(
		"H4: one member's failing votes accepted before the quota refused: {accepted} \
		 (allowance {allowance} ps, at least {minimum} ps each, {} µs left)",
		chain.with(|| Registry::quota_remaining(&who))
	);
	// One vote a block: the allowance drains back by `allowance / window` a block meanwhile.
	let drain = allowance / u64::from(quota_window());
	let bound = (allowance + minimum) / (minimum - drain);
	assert!(accepted <= bound, "{accepted} calls, more than the allowance pays for ({bound})");
	chain.assert_invariants("the flood");
}

// H4: every fee-free call fits a member's allowance (else a member could never make it); the
// heaviest are listed.
#[test]
fn h4_every_fee_free_call_fits_a_members_allowance() {
	let mut chain = Harness::dev();
	let types = CallTypes::new();
	let signer = pair("Alice");
	let mut weights = Vec::new();
	for variant in types.calls() {
		let Some(call) = types.minimal_call(&variant) else { continue };
		if !MemberOnlyCalls::contains(&call) && !MembershipApplication::contains(&call) {
			continue;
		}
		let xt = chain.sign(&signer, call.clone());
		// What the quota counts: the declared weight, or the minimum for a confirmed import
		// (bounded per branch instead).
		let charged = Registry::quota_charge_for(&call, xt.get_dispatch_info().total_weight());
		weights.push((u64::from(charged) * 1_000_000, variant.to_string()));
	}
	weights.sort_unstable_by(|a, b| b.cmp(a));
	let (member, _) = allowances();
	println!("H4: heaviest fee-free calls (ps): {:?}", &weights[..weights.len().min(8)]);
	let too_heavy: Vec<_> = weights.iter().filter(|(declared, _)| *declared > member).collect();
	assert!(
		too_heavy.is_empty(),
		"H4: fee-free calls heavier than a member's allowance: {too_heavy:?}"
	);
}

// H4: a fee-free call that fails at its first check is charged, in the block and against the
// sender's quota, about what it used (a storage read or two), not its declared worst case.
#[test]
fn h4_a_failed_fee_free_call_is_charged_the_weight_it_used() {
	let mut chain = Harness::dev();
	let member = members(&mut chain, "H4Single", 1).remove(0);
	let who = account(&member);
	chain.start_block();
	let before = chain.open_block_stats().normal_ref_time();
	let quota_before = chain.with(|| Registry::quota_remaining(&who));
	let xt = chain.sign(&member, failing_vote());
	let info = xt.get_dispatch_info();
	assert!(matches!(chain.apply(&xt), Ok(Err(_))), "the vote fails and is included");
	let (_, base) = normal_budget();
	let charged = chain.open_block_stats().normal_ref_time() - before - base;
	let call_charged = charged.saturating_sub(info.extension_weight.ref_time());
	let declared = info.call_weight.ref_time();
	let quota_used = quota_before - chain.with(|| Registry::quota_remaining(&who));
	println!(
		"H4: a vote failing at its first read is charged {call_charged} ps of {declared} ps \
		 declared; the sender's quota {quota_used} µs (the minimum charge)"
	);
	assert!(
		call_charged <= declared / 10,
		"H4: a vote failing at its first read is charged {call_charged} ps, its full declared \
		 weight is {declared} ps"
	);
	let minimum = Registry::quota_charge(Default::default());
	assert_eq!(quota_used, minimum, "the quota keeps only the minimum charge");
}

// L6: validation counts the sender's transactions ahead of this one (its nonce less the
// account's) against the quota, each at least the minimum charge: of 500 consecutive nonces
// validated against one state, only those the allowance can pay for are valid.
#[test]
fn l6_the_pool_refuses_transactions_beyond_the_quota() {
	let mut chain = Harness::dev();
	let member = members(&mut chain, "L6Member", 1).remove(0);
	let who = account(&member);
	let remaining = chain.with(|| Registry::quota_remaining(&who));
	let first = chain.nonce(&who);
	let sample = chain.sign_with_nonce(&member, first, failing_vote());
	let charge = Registry::quota_charge(sample.get_dispatch_info().total_weight());
	let minimum = Registry::quota_charge(Default::default());
	let expected = ((remaining - charge) / minimum + 1) as usize;
	let validities = (0..500)
		.map(|k| {
			let xt = chain.sign_with_nonce(&member, first + k, failing_vote());
			chain.validate(&xt)
		})
		.collect::<Vec<_>>();
	let valid = validities.iter().filter(|v| v.is_ok()).count();
	println!(
		"L6: {valid} of 500 consecutive nonces valid against one state (quota {remaining} µs, \
		 {charge} µs for this call, {minimum} µs for each ahead of it)"
	);
	assert!(
		validities[..expected].iter().all(Result::is_ok),
		"L6: transactions within the quota stay valid"
	);
	assert!(
		validities[expected..].iter().all(|v| v == &Err(EXHAUSTED)),
		"L6: {valid} of 500 transactions from one member validate; the quota pays for {expected}"
	);
}
