//! The runtime APIs the node calls: block building and import, consensus, transaction
//! validation, session keys, genesis presets, the RPC-facing queries and the clients' dry run.

use crate::{
	genesis_config_presets, AccountId, Activities, Audits, Aura, Balance, Block, BlockNumber,
	Election, Executive, Grandpa, InherentDataExt, Ledger, Nonce, Registry, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, Training, TransactionPayment, VERSION,
};
// Used only by the benchmark list (`benchmarks.rs`).
#[cfg(feature = "runtime-benchmarks")]
use crate::Governance;
use alloc::vec::Vec;
use pallet_timebank_registry::BranchStatus;
use polkadot_sdk::{
	frame_support::{
		self,
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	frame_system_rpc_runtime_api, pallet_aura,
	pallet_grandpa::AuthorityId as GrandpaId,
	pallet_transaction_payment, pallet_transaction_payment_rpc_runtime_api,
	sp_api::{self, impl_runtime_apis},
	sp_block_builder,
	sp_consensus_aura::{self, sr25519::AuthorityId as AuraId},
	sp_consensus_grandpa,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder, sp_inherents, sp_offchain,
	sp_runtime::{
		self,
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult,
	},
	sp_session, sp_transaction_pool,
	sp_version::RuntimeVersion,
};
use timebank_primitives::{BranchId, BranchSummary, MemberBalances, MemberView, StatementPage};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			// The proof of possession binds the keys to `owner`, so nobody can register another
			// branch's public keys as their own.
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// The key-owner proof type is uninhabited (see `configs::consensus`), so no proof exists.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	impl timebank_primitives::TransactionPreview<Block> for Runtime {
		fn apply_in_next_block(
			at: <Block as BlockT>::Hash,
			extrinsic: <Block as BlockT>::Extrinsic,
		) -> ApplyExtrinsicResult {
			// What the pool does before it validates (frame_executive's `validate_transaction`):
			// the next block's number and parent, with `BlockWeight`, `BlockSize` and the
			// extrinsic index started afresh. No pallet's `on_initialize` runs, so a hook's weight
			// is not counted; neither is it when the pool admits the transaction.
			System::initialize(&System::block_number().saturating_add(1), &at, &Default::default());
			Executive::apply_extrinsic(extrinsic)
		}
	}

	impl timebank_primitives::TimebankApi<Block, AccountId> for Runtime {
		fn member(who: AccountId) -> Option<MemberView> {
			Registry::member_view(&who)
		}

		fn balances(who: AccountId) -> MemberBalances {
			Ledger::balances_of(&who)
		}

		fn statement(who: AccountId, from: u32, limit: u32) -> StatementPage<AccountId> {
			Ledger::statement_page(&who, from, limit)
		}

		fn branch_summary(branch: BranchId) -> Option<BranchSummary> {
			let (parent, status, counts) = Registry::branch_overview(branch)?;
			let mut summary = BranchSummary {
				branch,
				parent,
				active: status == BranchStatus::Active,
				pending_members: counts.pending,
				active_members: counts.active,
				redemption_liability: 0,
				outstanding_spendable: 0,
				pool_balance: 0,
				clearing_positions: Vec::new(),
				policy_version: 0,
			};
			let branches = 0..pallet_timebank_registry::NextBranchId::<Runtime>::get();
			Ledger::fill_branch_summary(&mut summary, branches);
			Some(summary)
		}

		fn certificate(
			id: timebank_primitives::CertificateId,
		) -> Option<(timebank_primitives::Certificate<AccountId, BlockNumber>, Vec<u8>)> {
			Training::certificate(id)
		}

		fn audit_log(
			subject: timebank_primitives::AuditSubject<AccountId>,
			from: u32,
			limit: u32,
		) -> (Vec<timebank_primitives::AuditEntry<AccountId, BlockNumber>>, u32) {
			Audits::audit_log(&subject, from, limit)
		}

		fn listing(
			id: timebank_primitives::ListingId,
		) -> Option<timebank_primitives::ListingView<AccountId>> {
			Activities::listing_view(id)
		}

		fn engagement(
			id: timebank_primitives::EngagementId,
		) -> Option<timebank_primitives::EngagementView<AccountId>> {
			Activities::engagement_view(id)
		}

		fn validators() -> timebank_primitives::ElectionView<AccountId> {
			Election::view()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl polkadot_sdk::frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<polkadot_sdk::frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			use polkadot_sdk::frame_benchmarking::BenchmarkList;
			use polkadot_sdk::frame_support::traits::StorageInfoTrait;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: polkadot_sdk::frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<polkadot_sdk::frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use polkadot_sdk::frame_benchmarking::BenchmarkBatch;
			use polkadot_sdk::frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}
}
