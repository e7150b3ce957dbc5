//! The runtime's genesis presets build valid state with the governance the issue asks for: `dev`
//! has a sudo key, `local-4` has none and is governed by its four branch administrators, whose
//! branches are the approved validator candidates.
//!
//! These runtime tests live in the node package on purpose: `cargo test -p timebank-runtime`
//! resolves features differently from the node build and recompiles the runtime and node, while
//! here they reuse the build `scripts/run-dev` made (docs/BUILD.md).

use polkadot_sdk::{
	pallet_aura, pallet_collective, pallet_grandpa, pallet_session, pallet_sudo,
	sp_genesis_builder::PresetId, sp_io::TestExternalities, sp_keyring::Sr25519Keyring,
	sp_runtime::BuildStorage,
};
use timebank_primitives::ElectionParameters;
use timebank_runtime::{
	genesis_config_presets::{get_preset, preset_names, DEV_PRESET, LOCAL_FOUR_BRANCHES_PRESET},
	CouncilInstance, Runtime, RuntimeGenesisConfig,
};

/// Applies a preset's JSON patch to the default genesis config, as the node does.
fn genesis_state(preset: &str) -> TestExternalities {
	let patch: serde_json::Value =
		serde_json::from_slice(&get_preset(&PresetId::from(preset)).expect("preset exists"))
			.expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serialise");
	merge(&mut config, patch);
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("valid genesis config");
	TestExternalities::new(config.build_storage().expect("genesis builds"))
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

#[test]
fn presets_are_listed_and_unknown_names_are_refused() {
	let names = preset_names();
	assert!(names.contains(&PresetId::from(DEV_PRESET)));
	assert!(names.contains(&PresetId::from(LOCAL_FOUR_BRANCHES_PRESET)));
	assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn local_four_branches_has_four_validators_a_four_member_council_and_no_sudo() {
	genesis_state(LOCAL_FOUR_BRANCHES_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "local-4 must have no sudo key");
		let council = pallet_collective::Members::<Runtime, CouncilInstance>::get();
		assert_eq!(council.len(), 4);
		assert!(council.contains(&Sr25519Keyring::Dave.to_account_id()));
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 4);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		// Each validator's branch is an approved candidate; elections use the defaults.
		let view = pallet_timebank_election::Pallet::<Runtime>::view();
		assert_eq!(view.candidates.len(), 4);
		assert!(view.candidates.iter().all(|c| c.approved && c.keys_registered && c.votes == 0));
		assert_eq!(view.parameters, ElectionParameters::default());
		let mut projected = view.projected.clone();
		projected.sort();
		let mut validators = pallet_session::Validators::<Runtime>::get();
		validators.sort();
		assert_eq!(projected, validators, "without votes an election keeps the genesis set");
	});
}

#[test]
fn dev_has_one_validator_and_a_sudo_key() {
	genesis_state(DEV_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
	});
}

#[test]
fn block_limits_leave_two_thirds_of_the_slot_for_propagation() {
	use polkadot_sdk::frame_system::limits::BlockWeights;
	let max_block: BlockWeights = timebank_runtime::configs::RuntimeBlockWeights::get();
	let slot_ref_time = timebank_runtime::MILLISECS_PER_BLOCK * 1_000_000_000;
	assert_eq!(max_block.max_block.ref_time(), slot_ref_time / 3);
}
