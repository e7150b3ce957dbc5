//! Genesis presets: the only source of this chain's genesis state.
//!
//! Chain specs are generated from these presets by the node (`build-spec`) and by
//! `scripts/generate-chain-specs`; checked-in specs are never edited by hand.
//!
//! Every genesis validator is also a root branch of the time bank, with its account as the
//! branch's first admin; members join through the registry's calls.
//!
//! - `dev`: one branch validator (Alice's well-known development keys), a one-member council and a
//!   sudo key, for local development only.
//! - `local-4`: four branch validators (Alice, Bob, Charlie, Dave development keys) whose
//!   administrators form the council; no sudo key. Elections use the default parameters
//!   (10-minute sessions, hourly eras, 4 to 21 validators).

use crate::{
	AccountId, BalancesConfig, CouncilMembershipConfig, ElectionConfig, RegistryConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig, UNIT,
};
use alloc::{string::ToString, vec, vec::Vec};
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_core::H256,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;
use timebank_primitives::{BranchId, ElectionParameters};

/// Preset name of the single-validator development chain.
pub const DEV_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// Preset name of the four-branch local network.
pub const LOCAL_FOUR_BRANCHES_PRESET: &str = "local-4";

/// Native tokens each endowed development account starts with: enough for years of fees.
const DEV_ENDOWMENT: u128 = 1_000_000 * UNIT;

/// A branch validator at genesis: its controller account and the two session keys.
struct GenesisValidator {
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

impl GenesisValidator {
	fn from_dev_keyring(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		Self { account: sr.to_account_id(), aura: sr.public().into(), grandpa: ed.public().into() }
	}
}

fn branch_chain_genesis(
	validators: Vec<GenesisValidator>,
	council: Vec<AccountId>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	election: ElectionParameters,
) -> Value {
	// Each genesis validator is a root branch, administered by its validator's account, and that
	// branch's approved validator candidate; branches are numbered in this order from 0.
	let branches = validators.iter().map(|v| (v.account.clone(), H256::zero())).collect::<Vec<_>>();
	let candidates = validators
		.iter()
		.enumerate()
		.map(|(branch, v)| (branch as BranchId, v.account.clone()))
		.collect::<Vec<_>>();
	let session_keys = validators
		.into_iter()
		.map(|v| {
			let keys = SessionKeys { aura: v.aura, grandpa: v.grandpa };
			(v.account.clone(), v.account, keys)
		})
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, DEV_ENDOWMENT)).collect(),
		},
		session: SessionConfig { keys: session_keys },
		council_membership: CouncilMembershipConfig {
			members: council.try_into().expect("genesis council fits MaxCouncilMembers; qed"),
		},
		sudo: SudoConfig { key: sudo },
		registry: RegistryConfig { branches },
		election: ElectionConfig { parameters: election, candidates },
	})
}

/// The single-validator development chain.
pub fn dev_genesis() -> Value {
	branch_chain_genesis(
		vec![GenesisValidator::from_dev_keyring(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		vec![Sr25519Keyring::Alice.to_account_id()],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		// One validator: nothing to elect until branches stand as candidates.
		ElectionParameters { min_validators: 1, ..ElectionParameters::default() },
	)
}

/// Four branch institutions on one machine: each runs a validator and sits on the council.
pub fn local_four_branches_genesis() -> Value {
	let branches = [
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	];
	branch_chain_genesis(
		branches.iter().map(|(sr, ed)| GenesisValidator::from_dev_keyring(*sr, *ed)).collect(),
		branches.iter().map(|(sr, _)| sr.to_account_id()).collect(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
		ElectionParameters::default(),
	)
}

/// The JSON patch of the preset called `id`, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET => dev_genesis(),
		LOCAL_FOUR_BRANCHES_PRESET => local_four_branches_genesis(),
		_ => return None,
	};
	Some(patch.to_string().into_bytes())
}

/// Names of all presets, for `chain-spec-builder list-presets` and the node.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_FOUR_BRANCHES_PRESET)]
}
