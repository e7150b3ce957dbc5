//! Hostile input (TARGETS R7): random sequences of signed calls from random accounts of every
//! kind through the real executive, and random or mutated bytes offered as extrinsics. After each
//! step the pallets' invariants hold; a refused call (invalid, or included with a dispatch error)
//! changes no storage but the signer's nonce, fees and quota; nothing panics.
//!
//! `TIMEBANK_R7_SEQUENCES` (default 2,000) sets the number of sequences and `TIMEBANK_R7_SEED`
//! (default 15) the seed; a failure names the sequence's seed so it replays alone with
//! `TIMEBANK_R7_SEQUENCES=1 TIMEBANK_R7_SEED=<seed>`.

use super::{
	call_types::CallTypes,
	harness::Harness,
	raw,
	rng::Rng,
	setup::{account, pair, VOLUNTEER_AND_RECIPIENT},
};
use codec::{DecodeLimit, Encode};
use pallet_timebank_activities::{Category, Funding, ListingDraft};
use polkadot_sdk::{
	frame_support::{traits::IsInherent, MAX_EXTRINSIC_DEPTH},
	sp_core::{sr25519, storage::Storage},
	sp_io::hashing::twox_128,
	sp_runtime::ApplyExtrinsicResult,
};
use std::collections::BTreeMap;
use timebank_primitives::{
	BranchId, ListingKind, MemberRoles, OfficerRole, ProxyPermissions, RiskLevel,
};
use timebank_runtime::{AccountId, Runtime, RuntimeCall, SystemCall, UncheckedExtrinsic};

/// The time bank's pallets, where most random calls go.
const TIMEBANK_PALLETS: [&str; 7] =
	["Registry", "Ledger", "Activities", "Audits", "Training", "Election", "Governance"];
/// Steps in one sequence at most.
const MAX_STEPS: usize = 20;
const HOUR_MS: u64 = 3_600_000;

/// Who signs: an account of each kind the issue names.
struct Scene {
	storage: Storage,
	signers: Vec<(&'static str, sr25519::Pair)>,
	accounts: Vec<AccountId>,
}

fn all_permissions() -> ProxyPermissions {
	ProxyPermissions { request_services: true, confirm_services: true, propose_transfers: true }
}

/// Two branches with admins and staff, members of each, a proxy in the same branch and one across
/// branches, an auditor, credits, and two outsiders.
fn scene() -> Scene {
	let mut chain = Harness::dev();
	let [alice, bob, charlie, dave, eve, ferdie] =
		["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"].map(pair);
	let b1 = chain.register_branch(&account(&bob));
	chain.appoint(0, &account(&charlie), OfficerRole::Staff);
	chain.appoint(b1, &account(&dave), OfficerRole::Staff);
	let members = (0..6).map(|i| pair(&format!("R7Member{i}"))).collect::<Vec<_>>();
	for (i, member) in members.iter().enumerate() {
		let (staff, branch) = if i < 4 { (&charlie, 0) } else { (&dave, b1) };
		// Members 2 and 3 act as family proxies.
		let roles = MemberRoles { family_proxy: i == 2 || i == 3, ..VOLUNTEER_AND_RECIPIENT };
		chain.register_member_as(staff, &account(member), branch, roles);
	}
	chain.authorise_proxy(&members[1], &account(&members[2]), all_permissions());
	let request_only = ProxyPermissions {
		request_services: true,
		confirm_services: false,
		propose_transfers: false,
	};
	chain.authorise_proxy(&members[4], &account(&members[3]), request_only);
	chain.set_auditor(&account(&eve));
	for member in &members[..4] {
		chain.grant(&alice, &account(member), 120);
	}
	chain.grant(&bob, &account(&members[4]), 120);
	catalogue_and_listings(&mut chain, &[(&alice, 0), (&bob, b1)], &members);
	chain.finish_block();
	chain.assert_invariants("the scene");
	let outsider = pair("R7Outsider");
	let [m0, m1, m2, m3, m4, m5] = [0, 1, 2, 3, 4, 5].map(|i| members[i].clone());
	let signers = vec![
		("outsider with tokens", ferdie),
		("outsider without an account", outsider),
		("member of branch 0", m0),
		("member of branch 0 with a proxy", m1),
		("member of branch 0, proxy of a branch 0 member", m2),
		("member of branch 0, proxy of a branch 1 member", m3),
		("member of branch 1 with a proxy", m4),
		("member of branch 1", m5),
		("admin of branch 0, council, sudo key", alice),
		("admin of branch 1", bob),
		("staff of branch 0", charlie),
		("staff of branch 1", dave),
		("auditor", eve),
	];
	let mut accounts = signers.iter().map(|(_, p)| account(p)).collect::<Vec<_>>();
	accounts.push(account(&pair("R7Nobody")));
	Scene { storage: chain.snapshot(), signers, accounts }
}

/// Four low-risk categories in each branch, and a request and an offer open in branch 0, so that
/// random calls with small ids meet real listings.
fn catalogue_and_listings(
	chain: &mut Harness,
	admins: &[(&sr25519::Pair, BranchId)],
	members: &[sr25519::Pair],
) {
	for (admin, branch) in admins {
		for category in 0..4 {
			let value = Category { risk: RiskLevel::Low, required_skill: None, active: true };
			chain.must(
				admin,
				RuntimeCall::Activities(pallet_timebank_activities::Call::set_category {
					branch: *branch,
					category,
					value: Some(value),
				}),
			);
		}
	}
	let now = chain.with(polkadot_sdk::pallet_timestamp::Now::<Runtime>::get);
	for (member, kind) in [(&members[0], ListingKind::Request), (&members[1], ListingKind::Offer)] {
		let draft = ListingDraft {
			kind,
			branch: 0,
			category: 0,
			slot_start: now + 2 * HOUR_MS,
			slot_end: now + 3 * HOUR_MS,
			area: 1,
			estimated_minutes: 60,
			min_trust: 0,
			max_participants: 2,
			funding: Funding::Own,
			details_hash: Default::default(),
		};
		chain.must(
			member,
			RuntimeCall::Activities(pallet_timebank_activities::Call::publish {
				draft,
				owner: None,
			}),
		);
	}
}

/// Storage that a refused call may change: the signer's nonce and account (System), fees
/// (Balances, TransactionPayment), the quota, and the block's own bookkeeping (`:` keys).
fn bookkeeping(key: &[u8]) -> bool {
	let quota = [twox_128(b"Registry"), twox_128(b"Quota")].concat();
	key.starts_with(b":")
		|| key.starts_with(&quota)
		|| [&b"System"[..], b"Balances", b"TransactionPayment"]
			.iter()
			.any(|pallet| key.starts_with(&twox_128(pallet)))
}

struct Run<'a> {
	scene: &'a Scene,
	types: &'a CallTypes,
	chain: Harness,
	rng: Rng,
	log: Vec<String>,
	/// Outcomes by kind, over all sequences.
	tally: &'a mut BTreeMap<String, u64>,
}

/// The outcome's kind for the tally.
fn outcome(validity_ok: bool, result: &ApplyExtrinsicResult) -> &'static str {
	match (validity_ok, result) {
		(_, Err(_)) => "refused at inclusion",
		(false, Ok(_)) => "invalid for the pool, yet included",
		(true, Ok(Err(_))) => "included, dispatch failed",
		(true, Ok(Ok(()))) => "included, dispatched",
	}
}

impl Run<'_> {
	/// Applies `xt` in the open block; a refusal must leave everything but bookkeeping as it was.
	fn apply_checked(&mut self, xt: &UncheckedExtrinsic) -> Result<ApplyExtrinsicResult, String> {
		self.chain.start_block();
		self.chain.commit();
		let result = self.chain.apply(xt);
		if !matches!(result, Ok(Ok(()))) {
			let changed: Vec<String> = self
				.chain
				.changed_keys()
				.into_iter()
				.filter(|key| !bookkeeping(key))
				.map(|key| hex(&key))
				.collect();
			if !changed.is_empty() {
				return Err(format!("refused ({result:?}) yet changed storage keys {changed:?}"));
			}
		}
		Ok(result)
	}

	/// The chain's clock, for calls that take times.
	fn now(&mut self) -> u64 {
		self.chain.with(polkadot_sdk::pallet_timestamp::Now::<Runtime>::get)
	}

	fn signed_call(&mut self) -> Result<(), String> {
		let (role, signer) = self.rng.pick(&self.scene.signers);
		let pallet = if self.rng.chance(75) {
			self.rng.pick(&TIMEBANK_PALLETS).to_string()
		} else {
			let others = ["System", "Balances", "Session", "Council", "CouncilMembership"];
			self.rng.pick(&others).to_string()
		};
		let not_sudo = |p: &str| p != "Sudo";
		let now = self.now();
		let Some(call) =
			self.types.random_call(&mut self.rng, &self.scene.accounts, &pallet, &not_sudo, now)
		else {
			return Ok(());
		};
		let mut nonce = self.chain.nonce(&account(signer));
		if self.rng.chance(5) {
			nonce = nonce.wrapping_add(self.rng.below(3) as u32).wrapping_sub(1);
		}
		let xt = self.chain.sign_with_nonce(signer, nonce, call.clone());
		let validity = self.chain.validate(&xt);
		let result = self.apply_checked(&xt)?;
		self.log.push(format!("{role}: {call:?} → valid {:?}, {result:?}", validity.is_ok()));
		let kind = outcome(validity.is_ok(), &result);
		*self.tally.entry(format!("signed call: {kind}")).or_default() += 1;
		if result == Ok(Ok(())) {
			let pallet = format!("{call:?}").split('(').next().unwrap_or_default().to_string();
			*self.tally.entry(format!("dispatched: {pallet}")).or_default() += 1;
		}
		Ok(())
	}

	/// Bytes a hostile client sends: random, a signed extrinsic with bytes changed, or garbage
	/// call bytes under a good signature.
	fn hostile_bytes(&mut self) -> Vec<u8> {
		let (_, signer) = self.rng.pick(&self.scene.signers);
		let signer = signer.clone();
		let nonce = self.chain.nonce(&account(&signer));
		let pallet = *self.rng.pick(&TIMEBANK_PALLETS);
		let now = self.now();
		let call = self
			.types
			.random_call(&mut self.rng, &self.scene.accounts, pallet, &|p| p != "Sudo", now)
			.unwrap_or(RuntimeCall::System(SystemCall::remark { remark: vec![1] }));
		match self.rng.below(4) {
			0 => {
				let len = self.rng.index(200);
				self.rng.bytes(len)
			}
			1 => {
				let mut bytes = self.chain.sign_with_nonce(&signer, nonce, call).encode();
				mutate(&mut self.rng, &mut bytes);
				bytes
			}
			_ => {
				let mut call_bytes = call.encode();
				mutate(&mut self.rng, &mut call_bytes);
				raw::signed_bytes(&self.chain, &signer, nonce, &call_bytes)
			}
		}
	}

	fn bytes_step(&mut self) -> Result<(), String> {
		let bytes = self.hostile_bytes();
		let Ok(xt) = <UncheckedExtrinsic as DecodeLimit>::decode_all_with_depth_limit(
			MAX_EXTRINSIC_DEPTH,
			&mut &bytes[..],
		) else {
			// A node answers undecodable bytes with an error before the runtime sees them.
			*self.tally.entry("bytes: undecodable".into()).or_default() += 1;
			return Ok(());
		};
		let validity = self.chain.validate(&xt);
		// Only a block author puts inherents in a block, once each; the pool refuses them (see
		// `validity`), and a block with a second timestamp is invalid by design.
		if <Runtime as IsInherent<UncheckedExtrinsic>>::is_inherent(&xt) {
			if validity.is_ok() {
				return Err(format!("the pool accepted an inherent: {}", hex(&bytes)));
			}
			return Ok(());
		}
		let result = self.apply_checked(&xt)?;
		self.log.push(format!("bytes {} → valid {:?}, {result:?}", hex(&bytes), validity.is_ok()));
		let kind = outcome(validity.is_ok(), &result);
		*self.tally.entry(format!("bytes: {kind}")).or_default() += 1;
		Ok(())
	}

	fn step(&mut self) -> Result<(), String> {
		match self.rng.below(100) {
			0..=69 => self.signed_call()?,
			70..=84 => self.bytes_step()?,
			85..=94 => self.chain.finish_block(),
			_ => {
				let blocks = 1 + self.rng.below(3) as u32;
				self.log.push(format!("advance {blocks} blocks"));
				self.chain.advance(blocks);
			}
		}
		self.chain.try_state().map_err(|broken| format!("invariant broken: {broken}"))
	}
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Flips, drops, inserts or appends a few bytes.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
	for _ in 0..1 + rng.below(3) {
		let at = rng.index(bytes.len().max(1)).min(bytes.len());
		match rng.below(5) {
			0 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
			1 if at < bytes.len() => bytes[at] = rng.next_u64() as u8,
			2 => bytes.truncate(at),
			3 => bytes.insert(at, rng.next_u64() as u8),
			_ => {
				let len = rng.index(40);
				bytes.extend(rng.bytes(len));
			}
		}
	}
}

fn env_u64(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// R7: thousands of random sequences of signed calls (outsiders, members, proxies, officers of
// either branch, the auditor, the sudo key's account) and hostile bytes, through the real
// executive: no panic, the invariants hold after every step, and refused calls change nothing
// but bookkeeping.
#[test]
fn r7_hostile_sequences_keep_the_invariants() {
	let scene = scene();
	let types = CallTypes::new();
	let sequences = env_u64("TIMEBANK_R7_SEQUENCES", 2_000);
	let first_seed = env_u64("TIMEBANK_R7_SEED", 15);
	let mut steps = 0;
	let mut tally = BTreeMap::new();
	for seed in first_seed..first_seed + sequences {
		let mut run = Run {
			scene: &scene,
			types: &types,
			chain: Harness::from_storage(scene.storage.clone()),
			rng: Rng::new(seed),
			log: Vec::new(),
			tally: &mut tally,
		};
		let length = 1 + run.rng.index(MAX_STEPS);
		for step in 0..length {
			let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run.step()));
			let failure = match outcome {
				Ok(Ok(())) => continue,
				Ok(Err(failure)) => failure,
				Err(panic) => format!("panic: {:?}", panic.downcast_ref::<String>()),
			};
			panic!(
				"R7 sequence with seed {seed}, step {step}: {failure}\nsteps so far:\n  {}",
				run.log.join("\n  ")
			);
		}
		steps += length;
	}
	println!("R7: {sequences} sequences, {steps} steps from seed {first_seed}");
	for (kind, count) in &tally {
		println!("R7:   {kind}: {count}");
	}
}
