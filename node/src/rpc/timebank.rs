//! The `timebank_*` JSON-RPC methods: members, balances, statements, branch summaries, audit
//! logs and the validator election, read from the runtime through `TimebankApi` at the best block or at a given block hash;
//! and certificates with a storage proof against the latest finalised block.

use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
};
use polkadot_sdk::{
	sc_client_api::{Backend, ProofProvider, TrieCacheContext},
	sc_rpc_api::check_if_safe,
	sp_api::{ApiError, ProvideRuntimeApi},
	sp_blockchain::{Error as ClientError, HeaderBackend},
	sp_core::Bytes,
	sp_runtime::traits::{Block as BlockT, Header as HeaderT},
	sp_state_machine::InspectState,
};
use serde::Serialize;
use std::{marker::PhantomData, sync::Arc};
use timebank_primitives::{
	AuditEntry, AuditSubject, BranchId, BranchSummary, Certificate, CertificateId, ElectionView,
	EngagementId, EngagementView, ListingId, ListingView, MemberBalances, MemberView,
	StatementPage, TimebankApi, MAX_PAGE,
};

/// Lines (statement lines or audit-log entries) returned when the caller gives no limit.
const DEFAULT_PAGE: u32 = 20;

/// Why a `timebank_*` call failed. Each variant has a stable JSON-RPC error code.
#[derive(Debug, thiserror::Error)]
pub enum TimebankRpcError {
	#[error("limit must be between 1 and {MAX_PAGE}, got {0}")]
	InvalidLimit(u32),
	#[error("runtime call failed: {0}")]
	Runtime(#[from] ApiError),
	#[error("cannot prove storage at the finalised block: {0}")]
	Proof(#[from] ClientError),
}

impl TimebankRpcError {
	/// JSON-RPC "invalid params" for bad input, a server error for a failed runtime call.
	fn code(&self) -> i32 {
		match self {
			Self::InvalidLimit(_) => jsonrpsee::types::error::INVALID_PARAMS_CODE,
			Self::Runtime(_) => 1,
			Self::Proof(_) => 2,
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

	/// A training certificate with a storage proof against the latest finalised block, or null.
	#[method(name = "certificate")]
	fn certificate(
		&self,
		id: CertificateId,
	) -> RpcResult<Option<CertificateProof<AccountId, BlockHash, u64>>>;

	/// A page of the audit log of a subject (a member, branch, listing, engagement, operation or
	/// certificate), oldest first, from `from` (default 0), at most `limit` entries (default 20,
	/// at most 100).
	#[method(name = "auditLog")]
	fn audit_log(
		&self,
		subject: AuditSubject<AccountId>,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<AuditLogPage<AccountId>>;

	/// Run every pallet's invariant checks (zero-sum ledger, escrow equals open holds, member
	/// counts, …) at a block: for auditors and tests. Reads all state, so it is slow on big
	/// chains: an unsafe method (refused under `--rpc-methods safe` and on nodes whose RPC
	/// listens beyond localhost), and not a runtime API, so `state_call` cannot reach it either
	/// (security review M7).
	#[method(name = "checkInvariants", with_extensions)]
	fn check_invariants(&self, at: Option<BlockHash>) -> RpcResult<InvariantReport<BlockHash>>;

	/// A request or offer of the activities pallet, or null.
	#[method(name = "listing")]
	fn listing(
		&self,
		id: ListingId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ListingView<AccountId>>>;

	/// An engagement (one service from acceptance to settlement), or null.
	#[method(name = "engagement")]
	fn engagement(
		&self,
		id: EngagementId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<EngagementView<AccountId>>>;

	/// The validator set with each validator's liveness, the candidate branches with their votes,
	/// the election parameters and the set the next election would choose now.
	#[method(name = "validators")]
	fn validators(&self, at: Option<BlockHash>) -> RpcResult<ElectionView<AccountId>>;
}

/// A certificate with what a third party needs to check it without trusting this node: the
/// finalised block it was read at, the storage key, and the trie nodes that prove the value under
/// that block's state root.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CertificateProof<AccountId, BlockHash, BlockNumber> {
	pub certificate: Certificate<AccountId, u32>,
	pub block_hash: BlockHash,
	pub block_number: BlockNumber,
	pub state_root: BlockHash,
	/// The key of the certificate in the training pallet's `Certificates` map.
	pub storage_key: Bytes,
	/// SCALE-encoded trie nodes; with `stateRoot`, they prove the SCALE-encoded certificate.
	pub proof: Vec<Bytes>,
}

/// Whether every pallet's invariants hold at a block.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct InvariantReport<BlockHash> {
	pub block_hash: BlockHash,
	pub holds: bool,
	/// The first invariant found broken, by pallet.
	pub failure: Option<String>,
}

/// A page of a subject's audit log.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogPage<AccountId> {
	pub entries: Vec<AuditEntry<AccountId, u32>>,
	/// Entries in the whole log.
	pub total: u32,
}

/// Serves `timebank_*` from a client's runtime API.
pub struct Timebank<C, BE, Block> {
	client: Arc<C>,
	backend: Arc<BE>,
	invariants: InvariantCheck,
	_block: PhantomData<Block>,
}

/// The runtime's invariant checks, run natively by the node over a block's state.
pub type InvariantCheck = fn() -> Result<(), String>;

impl<C, BE, Block> Timebank<C, BE, Block> {
	pub fn new(client: Arc<C>, backend: Arc<BE>, invariants: InvariantCheck) -> Self {
		Self { client, backend, invariants, _block: PhantomData }
	}
}

impl<C, BE, Block> Timebank<C, BE, Block>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
	BE: Backend<Block>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	/// Runs the checks over the block's state with read-only externalities: the node's own
	/// (native) build of the runtime's checks, so after a runtime upgrade the node must be the
	/// matching release (docs/OPERATORS.md). A check that panics or writes is reported as a
	/// failure, never as a crashed RPC worker.
	fn check_natively(&self, at: Block::Hash) -> Result<Result<(), String>, TimebankRpcError> {
		let state = self.backend.state_at(at, TrieCacheContext::Untrusted)?;
		let check = self.invariants;
		let outcome =
			std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.inspect_state(check)));
		Ok(outcome.unwrap_or_else(|_| Err("an invariant check panicked".into())))
	}
}

#[async_trait]
impl<C, BE, Block, AccountId> TimebankRpcServer<Block::Hash, AccountId> for Timebank<C, BE, Block>
where
	Block: BlockT,
	BE: Backend<Block> + Send + Sync + 'static,
	AccountId: codec::Codec + Clone + Send + Sync + serde::Serialize + 'static,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
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
		let limit = page_limit(limit)?;
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

	fn certificate(
		&self,
		id: CertificateId,
	) -> RpcResult<Option<CertificateProof<AccountId, Block::Hash, u64>>> {
		let info = self.client.info();
		let at = info.finalized_hash;
		let Some((certificate, key)) =
			self.client.runtime_api().certificate(at, id).map_err(TimebankRpcError::from)?
		else {
			return Ok(None);
		};
		let header =
			self.client.header(at).map_err(TimebankRpcError::from)?.ok_or_else(|| {
				TimebankRpcError::Proof(ClientError::UnknownBlock(at.to_string()))
			})?;
		let proof = self
			.client
			.read_proof(at, &mut std::iter::once(key.as_slice()))
			.map_err(TimebankRpcError::from)?;
		Ok(Some(CertificateProof {
			certificate,
			block_hash: at,
			block_number: polkadot_sdk::sp_runtime::SaturatedConversion::saturated_into(
				info.finalized_number,
			),
			state_root: *header.state_root(),
			storage_key: key.into(),
			proof: proof.into_iter_nodes().map(Bytes).collect(),
		}))
	}

	fn audit_log(
		&self,
		subject: AuditSubject<AccountId>,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<AuditLogPage<AccountId>> {
		let limit = page_limit(limit)?;
		let at = self.at(at);
		let (entries, total) = self
			.client
			.runtime_api()
			.audit_log(at, subject, from.unwrap_or(0), limit)
			.map_err(TimebankRpcError::from)?;
		Ok(AuditLogPage { entries, total })
	}

	fn check_invariants(
		&self,
		extensions: &jsonrpsee::Extensions,
		at: Option<Block::Hash>,
	) -> RpcResult<InvariantReport<Block::Hash>> {
		check_if_safe(extensions)?;
		let at = self.at(at);
		let result = self.check_natively(at)?;
		Ok(InvariantReport { block_hash: at, holds: result.is_ok(), failure: result.err() })
	}

	fn listing(
		&self,
		id: ListingId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<ListingView<AccountId>>> {
		let at = self.at(at);
		Ok(self.client.runtime_api().listing(at, id).map_err(TimebankRpcError::from)?)
	}

	fn engagement(
		&self,
		id: EngagementId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<EngagementView<AccountId>>> {
		let at = self.at(at);
		Ok(self.client.runtime_api().engagement(at, id).map_err(TimebankRpcError::from)?)
	}

	fn validators(&self, at: Option<Block::Hash>) -> RpcResult<ElectionView<AccountId>> {
		let at = self.at(at);
		Ok(self.client.runtime_api().validators(at).map_err(TimebankRpcError::from)?)
	}
}

/// The page size asked for, or the default; refused outside 1..=100.
fn page_limit(limit: Option<u32>) -> Result<u32, TimebankRpcError> {
	let limit = limit.unwrap_or(DEFAULT_PAGE);
	if limit == 0 || limit > MAX_PAGE {
		return Err(TimebankRpcError::InvalidLimit(limit));
	}
	Ok(limit)
}
