//! The node's JSON-RPC extensions on top of Substrate's standard methods.
//!
//! Clients (the web app, the mini program, auditors, the CLI) use these together with the
//! standard `system_*`, `chain_*`, `state_*` and `author_*` methods; `timebank_*` is documented in
//! `docs/RPC.md`.

mod timebank;

pub use timebank::{Timebank, TimebankRpcServer};

use jsonrpsee::RpcModule;
use polkadot_sdk::{
	pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer},
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system::{System, SystemApiServer},
};
use std::sync::Arc;
use timebank_runtime::{opaque::Block, AccountId, Balance, Nonce};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, BE, P> {
	/// The client, for runtime API calls and chain queries.
	pub client: Arc<C>,
	/// The database, for the invariant checks that read a block's whole state natively.
	pub backend: Arc<BE>,
	/// The transaction pool, for `system_accountNextIndex`.
	pub pool: Arc<P>,
}

/// Builds the RPC extensions of a full node.
pub fn create_full<C, BE, P>(
	deps: FullDeps<C, BE, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ polkadot_sdk::sc_client_api::ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
	C::Api: polkadot_sdk::substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api:
		polkadot_sdk::pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: timebank_primitives::TimebankApi<Block, AccountId>,
	BE: polkadot_sdk::sc_client_api::Backend<Block> + Send + Sync + 'static,
	P: TransactionPool + 'static,
{
	let mut module = RpcModule::new(());
	let FullDeps { client, backend, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(TimebankRpcServer::<_, AccountId>::into_rpc(Timebank::<_, _, Block>::new(
		client,
		backend,
		timebank_runtime::check_invariants,
	)))?;

	Ok(module)
}
