//! Command-line interface of `timebank-node`.

use polkadot_sdk::sc_cli;

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate and inspect account keys, insert session keys, node keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Export a chain spec (`--chain dev`, `--chain local-4` or a file) as JSON; `--raw` for the
	/// storage form that `chain-specs/` keeps.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file, e.g. for a branch's offline backup.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file exported by `export-blocks`.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database of this node.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Print database metadata: best and finalised blocks, genesis hash.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Measure the runtime's calls (`benchmark pallet`); built only with `--features
	/// runtime-benchmarks`, see `scripts/benchmark-pallets`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),
}

/// `timebank-node`: the node of a branch institution in the Time Bank Chain network.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}
