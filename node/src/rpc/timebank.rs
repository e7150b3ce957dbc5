//! The `timebank_*` JSON-RPC methods: members, balances, statements and branch summaries, read
//! from the runtime through `TimebankApi` at the best block or at a given block hash.

use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
};
use polkadot_sdk::{
	sp_api::{ApiError, ProvideRuntimeApi},
	sp_blockchain::HeaderBackend,
	sp_runtime::traits::Block as BlockT,
};
use std::{marker::PhantomData, sync::Arc};
use timebank_primitives::{
	BranchId, BranchSummary, MemberBalances, MemberView, StatementPage, TimebankApi,
	MAX_STATEMENT_PAGE,
};

/// Statement lines returned when the caller gives no limit.
const DEFAULT_STATEMENT_PAGE: u32 = 20;

/// Why a `timebank_*` call failed. Each variant has a stable JSON-RPC error code.
#[derive(Debug, thiserror::Error)]
pub enum TimebankRpcError {
	#[error("limit must be between 1 and {MAX_STATEMENT_PAGE}, got {0}")]
	InvalidLimit(u32),
	#[error("runtime call failed: {0}")]
	Runtime(#[from] ApiError),
}

impl TimebankRpcError {
	/// JSON-RPC "invalid params" for bad input, a server error for a failed runtime call.
	fn code(&self) -> i32 {
		match self {
			Self::InvalidLimit(_) => jsonrpsee::types::error::INVALID_PARAMS_CODE,
			Self::Runtime(_) => 1,
		}
	}
}

impl From<TimebankRpcError> for ErrorObjectOwned {
	fn from(error: TimebankRpcError) -> Self {
		ErrorObjectOwned::owned(error.code(), error.to_string(), None::<()>)
	}
}

#[rpc(server, namespace = "timebank")]
pub trait TimebankRpc<BlockHash, AccountId> {
	/// A member's registry record (no personal data: only the identity commitment), or null.
	#[method(name = "member")]
	fn member(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Option<MemberView>>;

	/// A member's balances by class, in minutes, and what is held in escrow.
	#[method(name = "balances")]
	fn balances(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<MemberBalances>;

	/// A page of a member's statement, oldest first, from position `from` (default 0), at most
	/// `limit` lines (default 20, at most 100).
	#[method(name = "statement")]
	fn statement(
		&self,
		who: AccountId,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<StatementPage<AccountId>>;

	/// A branch's members, liability, pool and clearing positions, or null for an unknown branch.
	#[method(name = "branchSummary")]
	fn branch_summary(
		&self,
		branch: BranchId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<BranchSummary>>;
}

/// Serves `timebank_*` from a client's runtime API.
pub struct Timebank<C, Block> {
	client: Arc<C>,
	_block: PhantomData<Block>,
}

impl<C, Block> Timebank<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> Timebank<C, Block>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

#[async_trait]
impl<C, Block, AccountId> TimebankRpcServer<Block::Hash, AccountId> for Timebank<C, Block>
where
	Block: BlockT,
	AccountId: codec::Codec + Clone + Send + Sync + serde::Serialize + 'static,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: TimebankApi<Block, AccountId>,
{
	fn member(&self, who: AccountId, at: Option<Block::Hash>) -> RpcResult<Option<MemberView>> {
		let at = self.at(at);
		Ok(self.client.runtime_api().member(at, who).map_err(TimebankRpcError::from)?)
	}

	fn balances(&self, who: AccountId, at: Option<Block::Hash>) -> RpcResult<MemberBalances> {
		let at = self.at(at);
		Ok(self.client.runtime_api().balances(at, who).map_err(TimebankRpcError::from)?)
	}

	fn statement(
		&self,
		who: AccountId,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<StatementPage<AccountId>> {
		let limit = limit.unwrap_or(DEFAULT_STATEMENT_PAGE);
		if limit == 0 || limit > MAX_STATEMENT_PAGE {
			return Err(TimebankRpcError::InvalidLimit(limit).into());
		}
		let at = self.at(at);
		Ok(self
			.client
			.runtime_api()
			.statement(at, who, from.unwrap_or(0), limit)
			.map_err(TimebankRpcError::from)?)
	}

	fn branch_summary(
		&self,
		branch: BranchId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<BranchSummary>> {
		let at = self.at(at);
		Ok(self.client.runtime_api().branch_summary(at, branch).map_err(TimebankRpcError::from)?)
	}
}
