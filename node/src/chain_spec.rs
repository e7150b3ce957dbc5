//! Chain specifications, built from the runtime's genesis presets.

use polkadot_sdk::{sc_service, sc_service::ChainType};
use timebank_runtime::{genesis_config_presets, WASM_BINARY};

/// This node's chain spec: no client extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Names accepted by `--chain` besides a path to a chain spec file.
pub const BUILT_IN_CHAINS: &[&str] = &["dev", "local-4"];

fn token_properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), "TBN".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn runtime_wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"this node was built without the Wasm runtime (SKIP_WASM_BUILD was set); rebuild without it"
			.to_string()
	})
}

fn chain_spec_from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(runtime_wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(token_properties())
		.build())
}

/// The single-validator development chain (`--chain dev`, `--dev`).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	chain_spec_from_preset(
		"Time Bank Development",
		"dev",
		ChainType::Development,
		genesis_config_presets::DEV_PRESET,
	)
}

/// Four branch validators on one machine (`--chain local-4`).
pub fn local_four_branches_chain_spec() -> Result<ChainSpec, String> {
	chain_spec_from_preset(
		"Time Bank Local Four Branches",
		"local-4",
		ChainType::Local,
		genesis_config_presets::LOCAL_FOUR_BRANCHES_PRESET,
	)
}

/// Resolves a `--chain` argument: a built-in name or the path of a chain spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"" | "dev" => Box::new(development_chain_spec()?),
		"local-4" => Box::new(local_four_branches_chain_spec()?),
		path => {
			let path = std::path::PathBuf::from(path);
			if !path.is_file() {
				return Err(format!(
					"unknown chain `{id}`: expected one of {} or the path of a chain spec JSON file",
					BUILT_IN_CHAINS.join(", ")
				));
			}
			Box::new(ChainSpec::from_json_file(path.clone()).map_err(|e| {
				format!("chain spec {} is not a valid chain spec: {e}", path.display())
			})?)
		}
	})
}
