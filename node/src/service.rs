//! Assembles the node: database, executor, import queue, networking, Aura authoring, GRANDPA
//! voting and RPC.

use futures::FutureExt;
use polkadot_sdk::{
	sc_basic_authorship,
	sc_client_api::{Backend as _, BlockBackend},
	sc_consensus,
	sc_consensus_aura::{self, ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa::{self, SharedVoterState},
	sc_executor::WasmExecutor,
	sc_network, sc_offchain,
	sc_service::{
		self,
		config::{ExecutorConfiguration, WasmExecutionMethod, WasmtimeInstantiationStrategy},
		error::Error as ServiceError,
		BuildGenesisBlock, Configuration, GenesisBlockBuilder, TaskManager, WarpSyncConfig,
	},
	sc_telemetry::{self, Telemetry, TelemetryWorker},
	sc_transaction_pool,
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_blockchain::HeaderBackend,
	sp_consensus_aura::{
		self,
		sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair},
	},
	sp_io,
	sp_runtime::traits::Block as BlockT,
	sp_timestamp,
};
use std::{sync::Arc, time::Duration};
use timebank_runtime::{apis::RuntimeApi, opaque::Block};

/// The executor runs only the on-chain Wasm runtime, so every node executes exactly the code
/// the chain agreed on, including after a forkless upgrade.
pub type RuntimeExecutor = WasmExecutor<sp_io::SubstrateHostFunctions>;
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// Every this many blocks GRANDPA stores a justification, so a syncing node can prove
/// finality without replaying every vote.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts shared by running the node and by the chain-maintenance subcommands.
pub type PartialComponents = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(GrandpaBlockImport, GrandpaLink, Option<Telemetry>),
>;

/// Refuses a database whose genesis block differs from the chain spec's.
///
/// Without this check a node started with `--base-path` of another chain (same chain id,
/// different genesis) would silently serve that other chain.
fn ensure_database_belongs_to_chain(
	config: &Configuration,
	client: &FullClient,
	backend: Arc<FullBackend>,
	executor: RuntimeExecutor,
) -> Result<(), ServiceError> {
	let Some(stored_genesis) = client.hash(0)? else { return Ok(()) };
	let (expected_genesis_block, _uncommitted) = GenesisBlockBuilder::<Block, _, _>::new(
		config.chain_spec.as_storage_builder(),
		false,
		backend,
		executor,
	)?
	.build_genesis_block()?;
	let expected_genesis = expected_genesis_block.header().hash();
	if stored_genesis != expected_genesis {
		return Err(ServiceError::Other(format!(
			"the database at {} belongs to another chain: its genesis block is {stored_genesis:?}, \
			 but chain spec `{}` has genesis {expected_genesis:?}; use another --base-path, or \
			 remove this chain's data with `purge-chain`",
			config.database.path().map(|p| p.display().to_string()).unwrap_or_default(),
			config.chain_spec.id(),
		)));
	}
	Ok(())
}

/// The executor settings from the command line, with the copy-on-write instantiation strategies
/// replaced by their plain counterparts.
///
/// Copy-on-write strategies put the runtime's initial memory in a sealed `memfd`. Under load the
/// kernel can refuse the seal (`EBUSY` while it waits for page references to drop), and the node
/// then shuts down at start-up ("cannot add seals to the memfd: Device or resource busy", seen in
/// our CI). Our runtime's data segments are small, so copying them at instantiation costs little;
/// a validator that fails to start costs a branch its block production.
fn executor_config(config: &Configuration) -> ExecutorConfiguration {
	let mut executor = config.executor.clone();
	// `Compiled` is the only method this release has.
	let WasmExecutionMethod::Compiled { instantiation_strategy } = &mut executor.wasm_method;
	*instantiation_strategy = match *instantiation_strategy {
		WasmtimeInstantiationStrategy::PoolingCopyOnWrite => WasmtimeInstantiationStrategy::Pooling,
		WasmtimeInstantiationStrategy::RecreateInstanceCopyOnWrite => {
			WasmtimeInstantiationStrategy::RecreateInstance
		}
		other => other,
	};
	executor
}

// Over 70 lines: it assembles the parts in the order Substrate requires (executor, client,
// backend, pool, import queue); split up, that order would be hidden across functions.
pub fn new_partial(config: &Configuration) -> Result<PartialComponents, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor =
		sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&executor_config(config));
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor.clone(),
			Vec::new(),
		)
		.map_err(|error| {
			ServiceError::Other(format!(
				"cannot open the chain database at {}: {error}; if it is damaged, restore it from a \
				 backup or remove it with `timebank-node purge-chain` and resync from the other \
				 branches (docs/OPERATORS.md)",
				config.database.path().map(|p| p.display().to_string()).unwrap_or_default(),
			))
		})?;
	ensure_database_belongs_to_chain(config, &client, backend.clone(), executor)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let slot_duration_client = client.clone();
	let import_queue =
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let client = slot_duration_client.clone();
				async move {
					let slot_duration =
						sc_consensus_aura::standalone::slot_duration_at(&*client, parent_hash)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

// Over 70 lines for the same reason as `new_partial`: networking, RPC, authoring and the GRANDPA
// voter are started in the one order in which each can reach the others.
/// Builds and starts a full node; authors and votes when `--validator` and keys are present.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let genesis_hash = client
		.block_hash(0)?
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			net_config.peer_store_handle(),
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::new(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: false,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = client.clone();
		let backend = backend.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				backend: backend.clone(),
				pool: pool.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client: client.clone(),
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Authoring is essential: a validator that cannot author must stop loudly, not idle.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only validators sign votes, so only they get the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			// Gossip period of GRANDPA rounds; with 1-second slots a block is finalised about
			// 1.3 s after import (docs/decisions/0002-slot-duration-and-finality.md).
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			// Vote for the best block itself. The default rules hold votes two blocks behind the
			// tip to ride out forks, but Aura on a permissioned network rarely forks, and GRANDPA
			// stays safe whatever it votes for; the rules only trade latency (measured in
			// docs/decisions/0002-slot-duration-and-finality.md).
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::new().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
