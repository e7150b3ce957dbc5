//! The gateway's view of its node: safe RPC methods only, through subxt at the version the
//! clients plan names (decision 0014). It signs with keys it never holds (a closure from custody),
//! dry-runs, submits, and reads which transactions finalised blocks hold and how each ended.
//!
//! Refusals come back as [`Refusal`]: a stable code (`Registry.NotStaff`, `Invalid.Custom(2)`)
//! and the chain's own words (the error's doc line from the metadata, or the pool's reason), so a
//! member hears why, not a number.

mod blocks;
mod wire;

pub use blocks::{pallets_with_events, Block, BlockExtrinsic};

use std::{
	collections::{HashMap, VecDeque},
	sync::{Arc, Mutex, PoisonError, RwLock},
};
use subxt::{
	backend::LegacyBackend,
	client::OnlineClientAtBlock,
	config::{DefaultExtrinsicParamsBuilder, HashFor, RpcConfigFor},
	rpcs::{methods::legacy::LegacyRpcMethods, RpcClient},
	utils::{AccountId32, MultiSignature, H256},
	OnlineClient, SubstrateConfig,
};

/// The chain's types as subxt needs them: the standard Substrate ones. The runtime's own
/// `CheckMemberQuota` extension carries no data and signs none, so the default extensions encode
/// exactly what the runtime checks (`clients/js/chain-api/src/extensions.ts` says the same).
pub type ChainConfig = SubstrateConfig;

/// A 32-byte block or transaction hash.
pub type Hash = HashFor<ChainConfig>;

/// Why talking to the node failed (not the chain's refusal of a transaction: see [`Refusal`]).
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node did not answer or the connection broke.
	#[error("the node at {url} is not reachable: {reason}")]
	Unreachable {
		/// The node's address.
		url: String,
		/// What failed.
		reason: String,
	},
	/// The node answered something the gateway cannot use.
	#[error("the node answered unexpectedly to {what}: {reason}")]
	Unexpected {
		/// What was asked.
		what: &'static str,
		/// What was wrong.
		reason: String,
	},
	/// A call or block does not fit the runtime this gateway was built for.
	#[error("{what} does not fit the chain's runtime: {reason}")]
	Incompatible {
		/// What did not fit.
		what: &'static str,
		/// How.
		reason: String,
	},
}

/// The chain's refusal of a transaction, in a stable code and in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	/// Stable and machine-readable: `Pallet.Error` for a dispatch error, `Invalid.<reason>` or
	/// `Pool.<reason>` for a transaction the pool refused.
	pub code: String,
	/// For people: the error's documentation from the runtime metadata, or the pool's reason.
	pub words: String,
}

impl Refusal {
	fn new(code: impl Into<String>, words: impl Into<String>) -> Self {
		Self { code: code.into(), words: words.into() }
	}

	/// Whether waiting and trying again with the same transaction can succeed: a full block, the
	/// member's fee-free quota, a full pool, or a branch's per-window limit on registrations and
	/// imports (the window reopens within 10 minutes; staff would rather see the 11th
	/// registration of a busy morning wait than have to enter it again).
	pub fn is_transient(&self) -> bool {
		matches!(
			self.code.as_str(),
			"Invalid.Custom(2)"
				| "Invalid.ExhaustsResources"
				| "Pool.Full"
				| "Pool.PriorityTooLow"
				| "Registry.RegistrationLimitReached"
				| "Registry.ImportLimitReached"
		)
	}
}

/// What a dry run predicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DryRun {
	/// It would be included and succeed.
	Succeeds,
	/// It would be included and fail (fee-free calls cost only quota then), or not be accepted.
	Refused(Refusal),
}

/// What submitting did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
	/// The pool took it, or already had it.
	Accepted,
	/// The nonce is already used on chain: this transaction or another with the same nonce was
	/// included (the watcher tells which).
	NonceUsed,
	/// The pool refused it.
	Refused(Refusal),
}

/// A signed transaction in a finalised block, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Included {
	/// The signer's account.
	pub signer: [u8; 32],
	/// Its nonce.
	pub nonce: u64,
	/// Its position in the block.
	pub index: u32,
	/// The transaction's hash.
	pub hash: [u8; 32],
	/// `None` when it succeeded, else the chain's reason.
	pub refusal: Option<Refusal>,
}

/// A transaction signed for submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTx {
	/// The encoded extrinsic.
	pub bytes: Vec<u8>,
	/// Its hash.
	pub hash: [u8; 32],
	/// The runtime version it was signed for.
	pub spec_version: u32,
}

/// The blocks a new signature is made against.
#[derive(Clone, Copy, Debug)]
pub struct SignAt {
	/// Where the transaction's mortal era starts ([`Chain::era_birth`]).
	pub birth: (u64, Hash),
	/// For how many blocks from `birth` it is valid.
	pub period: u64,
	/// A block whose runtime will run it: the best block. Its metadata encodes the call, and its
	/// spec and transaction versions are signed (`CheckSpecVersion`). Not the birth block: right
	/// after an upgrade that block still ran the old code, and the new code reads a signature
	/// over the old version as a bad one.
	pub runtime: (u64, Hash),
}

/// One WebSocket connection to the node.
#[derive(Clone)]
struct Connection {
	client: OnlineClient<ChainConfig>,
	rpc: LegacyRpcMethods<RpcConfigFor<ChainConfig>>,
	raw: RpcClient,
	/// The clients at the last few blocks asked for ([`Chain::at_block`]), newest last.
	recent_blocks: Arc<Mutex<VecDeque<(Hash, AtBlock)>>>,
}

/// The subxt client at one block: its metadata, runtime version and storage.
type AtBlock = OnlineClientAtBlock<ChainConfig>;

/// Clients at blocks kept per connection: the pipeline signs and tries transactions at one best
/// block for about a second at a time, and the watcher and a pass may straddle a new block.
const RECENT_BLOCKS: usize = 4;

/// The node, reached through a connection that [`Chain::reconnect`] replaces when it breaks (a
/// restarted node closes it, and the client does not reopen it by itself).
#[derive(Clone)]
pub struct Chain {
	connection: Arc<RwLock<Connection>>,
	genesis: [u8; 32],
	url: String,
	/// One block decoder per runtime version met (`blocks.rs`); kept across reconnections.
	decoders: Arc<RwLock<HashMap<u32, blocks::Decoder>>>,
}

impl Chain {
	/// Connect once to the node at `url` (`ws://` on loopback is allowed).
	pub async fn connect(url: &str) -> Result<Self, ChainError> {
		let connection = Self::open(url).await?;
		let genesis = connection.client.genesis_hash().0;
		Ok(Self {
			connection: Arc::new(RwLock::new(connection)),
			genesis,
			url: url.to_owned(),
			decoders: Arc::default(),
		})
	}

	async fn open(url: &str) -> Result<Connection, ChainError> {
		let unreachable = |reason: String| ChainError::Unreachable { url: url.to_owned(), reason };
		let rpc_client =
			RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
		let backend = LegacyBackend::builder().build(rpc_client.clone());
		let client = OnlineClient::from_backend(Arc::new(backend))
			.await
			.map_err(|e| unreachable(e.to_string()))?;
		Ok(Connection {
			client,
			rpc: LegacyRpcMethods::new(rpc_client.clone()),
			raw: rpc_client,
			recent_blocks: Arc::default(),
		})
	}

	/// Open a new connection in place of the current one (after a failure). A node that now
	/// serves another chain is refused.
	pub async fn reconnect(&self) -> Result<(), ChainError> {
		let fresh = Self::open(&self.url).await?;
		if fresh.client.genesis_hash().0 != self.genesis {
			return Err(ChainError::Incompatible {
				what: "the node",
				reason: "it now serves another chain (its genesis hash changed)".into(),
			});
		}
		*self.connection.write().unwrap_or_else(PoisonError::into_inner) = fresh;
		tracing::info!(url = %self.url, "reconnected to the node");
		Ok(())
	}

	fn conn(&self) -> Connection {
		self.connection.read().unwrap_or_else(PoisonError::into_inner).clone()
	}

	/// Connect, waiting while the node is down: a logged retry every few seconds, never an exit.
	pub async fn connect_patiently(url: &str) -> Self {
		let mut wait = std::time::Duration::from_millis(250);
		loop {
			match Self::connect(url).await {
				Ok(chain) => return chain,
				Err(e) => {
					tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "waiting for the node");
					tokio::time::sleep(wait).await;
					wait = (wait * 2).min(std::time::Duration::from_secs(5));
				}
			}
		}
	}

	/// The client at block `number` with `hash`. Making one asks the node for the block's runtime
	/// version (a runtime call), so the last few are kept: thousands of transactions are signed
	/// and tried at the same few blocks. They live with the connection, so a reconnection
	/// drops them.
	async fn at_block(&self, number: u64, hash: Hash) -> Result<AtBlock, ChainError> {
		let conn = self.conn();
		let kept =
			conn.recent_blocks.lock().ok().and_then(|kept| {
				kept.iter().find(|(kept, _)| *kept == hash).map(|(_, at)| at.clone())
			});
		if let Some(at) = kept {
			return Ok(at);
		}
		let at = conn
			.client
			.at_block_hash_and_number(hash, number)
			.await
			.map_err(|e| self.unreachable(e))?;
		// A poisoned cache is only a cache: the client is used without keeping it.
		if let Ok(mut kept) = conn.recent_blocks.lock() {
			if !kept.iter().any(|(kept, _)| *kept == hash) {
				if kept.len() == RECENT_BLOCKS {
					kept.pop_front();
				}
				kept.push_back((hash, at.clone()));
			}
		}
		Ok(at)
	}

	fn unreachable(&self, e: impl std::fmt::Display) -> ChainError {
		ChainError::Unreachable { url: self.url.clone(), reason: e.to_string() }
	}

	/// The chain's genesis hash (which chain this is).
	pub fn genesis(&self) -> [u8; 32] {
		self.genesis
	}

	/// The latest finalised block: number and hash.
	pub async fn finalized_head(&self) -> Result<(u64, Hash), ChainError> {
		let hash =
			self.conn().rpc.chain_get_finalized_head().await.map_err(|e| self.unreachable(e))?;
		Ok((self.number_of(hash).await?, hash))
	}

	/// The block a new transaction's mortal era starts from: the parent of the finalised head.
	/// Not the head itself: the chain records a block's hash only when its child begins, so on a
	/// node whose best block is its finalised one (a dev node finalises at once) a transaction
	/// born at the head fails the dry run as `AncientBirthBlock`.
	pub async fn era_birth(&self) -> Result<(u64, Hash), ChainError> {
		let (head, hash) = self.finalized_head().await?;
		if head == 0 {
			return Ok((0, hash));
		}
		let parent = self.block_hash(head - 1).await?.ok_or(ChainError::Unexpected {
			what: "chain_getBlockHash",
			reason: format!("no hash for finalised block {}", head - 1),
		})?;
		Ok((head - 1, parent))
	}

	/// The best block: number and hash.
	pub async fn best_head(&self) -> Result<(u64, Hash), ChainError> {
		let hash = self
			.conn()
			.rpc
			.chain_get_block_hash(None)
			.await
			.map_err(|e| self.unreachable(e))?
			.ok_or(ChainError::Unexpected {
				what: "chain_getBlockHash",
				reason: "no best block".into(),
			})?;
		Ok((self.number_of(hash).await?, hash))
	}

	/// The hash of block `number`, if the node has it.
	pub async fn block_hash(&self, number: u64) -> Result<Option<Hash>, ChainError> {
		self.conn()
			.rpc
			.chain_get_block_hash(Some(number.into()))
			.await
			.map_err(|e| self.unreachable(e))
	}

	async fn number_of(&self, hash: Hash) -> Result<u64, ChainError> {
		let header =
			self.conn().rpc.chain_get_header(Some(hash)).await.map_err(|e| self.unreachable(e))?;
		header.map(|h| h.number).ok_or(ChainError::Unexpected {
			what: "chain_getHeader",
			reason: format!("no header for {hash:?}"),
		})
	}

	/// A JSON-RPC request to the node (the `timebank_*` methods and other safe ones).
	pub async fn request(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<serde_json::Value, ChainError> {
		let mut rpc_params = subxt::rpcs::client::RpcParams::new();
		for param in params {
			rpc_params
				.push(param)
				.map_err(|e| ChainError::Unexpected { what: "a request", reason: e.to_string() })?;
		}
		self.conn().raw.request(method, rpc_params).await.map_err(|e| self.unreachable(e))
	}

	/// The next nonce of `account` as the node sees it, counting its pool.
	pub async fn next_index(&self, account: [u8; 32]) -> Result<u64, ChainError> {
		self.conn()
			.rpc
			.system_account_next_index(&AccountId32(account))
			.await
			.map_err(|e| self.unreachable(e))
	}

	/// The blocks to sign against now, for a transaction valid for `period` blocks (the
	/// pipeline reads them once per pass instead).
	pub async fn sign_at(&self, period: u64) -> Result<SignAt, ChainError> {
		Ok(SignAt { birth: self.era_birth().await?, period, runtime: self.best_head().await? })
	}

	/// Sign `call` (encoded call data) as `account` with `nonce`, against the blocks `at` names.
	/// `sign` is custody's signature over the payload; the key never comes here.
	pub async fn sign<E: std::fmt::Display>(
		&self,
		account: [u8; 32],
		call: &[u8],
		nonce: u64,
		at: SignAt,
		sign: impl FnOnce(&[u8]) -> Result<[u8; 64], E>,
	) -> Result<Result<SignedTx, E>, ChainError> {
		let SignAt { birth, period, runtime } = at;
		let at = self.at_block(runtime.0, runtime.1).await?;
		let incompatible = |e: subxt::error::ExtrinsicError| ChainError::Incompatible {
			what: "the call",
			reason: e.to_string(),
		};
		let payload = at.tx().from_call_data_bytes(call).map_err(incompatible)?;
		let params = DefaultExtrinsicParamsBuilder::<ChainConfig>::new()
			.nonce(nonce)
			.mortal_from_unchecked(period, birth.0, birth.1)
			.build();
		let mut signable =
			at.tx().create_v4_signable_offline(&payload, params).map_err(incompatible)?;
		let signature = match sign(&signable.signer_payload().map_err(incompatible)?) {
			Ok(signature) => signature,
			Err(e) => return Ok(Err(e)),
		};
		let signed = signable
			.sign_with_account_and_signature(
				&AccountId32(account),
				&MultiSignature::Sr25519(signature),
			)
			.map_err(incompatible)?;
		Ok(Ok(SignedTx {
			hash: signed.hash().0,
			bytes: signed.into_encoded(),
			spec_version: at.spec_version(),
		}))
	}

	/// The encoded call data of `payload`, checked against the node's current runtime: a call
	/// generated from other metadata than the node's (its shape hash differs) is refused, so a
	/// gateway built for another runtime never signs a call the chain would read differently.
	pub async fn encode_call(
		&self,
		payload: &impl subxt::tx::Payload,
	) -> Result<Vec<u8>, ChainError> {
		let at = self.conn().client.at_current_block().await.map_err(|e| self.unreachable(e))?;
		let incompatible = |e: subxt::error::ExtrinsicError| ChainError::Incompatible {
			what: "the call",
			reason: e.to_string(),
		};
		at.tx().validate(payload).map_err(incompatible)?;
		at.tx().call_data(payload).map_err(incompatible)
	}

	/// Execute `tx` as the first transaction of the block after the best one, keeping nothing
	/// (`TransactionPreview_apply_in_next_block` through the safe `state_call`).
	///
	/// A runtime older than that API (spec 110 and before) is asked through
	/// `BlockBuilder_apply_extrinsic` instead, which runs on the best block's finished state: it
	/// refuses everything with `ExhaustsResources` while the best block is full.
	///
	/// `best` is a recent best block (number, hash): any block the account's earlier
	/// transactions are in.
	pub async fn dry_run(&self, tx: &[u8], best: (u64, Hash)) -> Result<DryRun, ChainError> {
		let (number, best) = best;
		let at = self.at_block(number, best).await?;
		let (method, args) =
			if at.metadata_ref().runtime_api_trait_by_name("TransactionPreview").is_some() {
				let mut args = Vec::with_capacity(32 + tx.len());
				args.extend_from_slice(&best.0);
				args.extend_from_slice(tx);
				("TransactionPreview_apply_in_next_block", args)
			} else {
				("BlockBuilder_apply_extrinsic", tx.to_vec())
			};
		let result = self
			.conn()
			.rpc
			.state_call(method, Some(&args), Some(best))
			.await
			.map_err(|e| self.unreachable(e))?;
		match result.as_slice() {
			[0, 0, ..] => Ok(DryRun::Succeeds),
			[0, 1, rest @ ..] => Ok(DryRun::Refused(dispatch_refusal(at.metadata_ref(), rest))),
			[1, rest @ ..] => Ok(DryRun::Refused(validity_refusal(rest))),
			_ => Err(ChainError::Unexpected {
				what: method,
				reason: format!("{} bytes that are no ApplyExtrinsicResult", result.len()),
			}),
		}
	}

	/// Hand `tx` to the node's pool.
	pub async fn submit(&self, tx: &[u8]) -> Result<Submitted, ChainError> {
		match self.conn().rpc.author_submit_extrinsic(tx).await {
			Ok(_) => Ok(Submitted::Accepted),
			Err(subxt::rpcs::Error::User(e)) => {
				Ok(pool_answer(e.code, &e.message, e.data.as_deref().map(|d| d.get())))
			}
			Err(e) => Err(self.unreachable(e)),
		}
	}
}

/// A dispatch error's code and words: a pallet's error by its name and doc line in `metadata`.
/// `bytes` start with an encoded `sp_runtime::DispatchError` (variant 3 is `Module { index,
/// error: [u8; 4] }`); what follows it (an event's other fields) is ignored.
fn dispatch_refusal(metadata: &subxt::Metadata, bytes: &[u8]) -> Refusal {
	const OTHERS: [&str; 15] = [
		"Other",
		"CannotLookup",
		"BadOrigin",
		"Module",
		"ConsumerRemaining",
		"NoProviders",
		"TooManyConsumers",
		"Token",
		"Arithmetic",
		"Transactional",
		"Exhausted",
		"Corruption",
		"Unavailable",
		"RootNotAllowed",
		"Trie",
	];
	match bytes {
		[3, index, error, ..] => {
			let pallet = metadata.pallet_by_error_index(*index);
			match pallet
				.as_ref()
				.and_then(|p| p.error_variant_by_index(*error).map(|v| (p.name(), v)))
			{
				Some((pallet, variant)) => Refusal::new(
					format!("{pallet}.{}", variant.name),
					variant.docs.join(" ").trim().to_owned(),
				),
				None => Refusal::new(
					format!("Module({index}).Error({error})"),
					"an error of a pallet this gateway does not know",
				),
			}
		}
		[2, ..] => Refusal::new("BadOrigin", "this account may not make this call"),
		[variant, ..] => {
			let name = OTHERS.get(usize::from(*variant)).copied().unwrap_or("Unknown");
			Refusal::new(name, format!("the chain refused the call ({name})"))
		}
		[] => Refusal::new("Unknown", "the chain refused the call"),
	}
}

/// Words for the runtime's own validity codes (`docs/RPC.md`, "Errors").
fn custom_words(code: u8) -> &'static str {
	match code {
		1 => "the sender is not an active member, officer or auditor",
		2 => "the member's fee-free quota is used up for now; it refills within 10 minutes",
		3 => "the branch cannot take a new application now (unknown or inactive branch, or its queue is full)",
		4 => "this key was retired by a re-key; the account now answers to its new key",
		_ => "the runtime refused the transaction",
	}
}

/// A `TransactionValidityError` (the bytes after the `Err` tag of an `ApplyExtrinsicResult`).
fn validity_refusal(bytes: &[u8]) -> Refusal {
	const INVALID: [(&str, &str); 13] = [
		("Call", "the call is not valid"),
		("Payment", "the account cannot pay the fee"),
		("Future", "the nonce is ahead of the account's"),
		("Stale", "the nonce was already used"),
		("BadProof", "the signature does not match"),
		("AncientBirthBlock", "the transaction's birth block is too old"),
		("ExhaustsResources", "the block is full; it will fit a later one"),
		("Custom", ""),
		("BadMandatory", "a mandatory transaction failed"),
		("MandatoryValidation", "a mandatory transaction was sent as a normal one"),
		("BadSigner", "the signer cannot sign this"),
		("IndeterminateImplicit", "the signed data could not be determined"),
		("UnknownOrigin", "the origin is unknown"),
	];
	match bytes {
		[0, 7, code, ..] => Refusal::new(format!("Invalid.Custom({code})"), custom_words(*code)),
		[0, kind, ..] => INVALID
			.get(usize::from(*kind))
			.map(|(name, words)| Refusal::new(format!("Invalid.{name}"), *words))
			.unwrap_or_else(|| Refusal::new("Invalid.Unknown", "the transaction is not valid")),
		_ => Refusal::new("Unknown", "the node could not check the transaction"),
	}
}

/// The pool's answer to `author_submitExtrinsic` when it is an error (codes of `sc-rpc`).
fn pool_answer(code: i32, message: &str, data: Option<&str>) -> Submitted {
	let data = data.unwrap_or_default().trim_matches('"');
	match code {
		// Already in the pool: as good as accepted.
		1013 => Submitted::Accepted,
		1010 if data.contains("outdated") || data.contains("Stale") => Submitted::NonceUsed,
		1010 => {
			let refusal = if let Some(code) =
				data.strip_prefix("Custom error: ").and_then(|c| c.trim().parse::<u8>().ok())
			{
				Refusal::new(format!("Invalid.Custom({code})"), custom_words(code))
			} else if data.contains("ancient birth block") {
				// Mortal for too long already (it waited out a full pool, say): sign it again.
				Refusal::new("Invalid.AncientBirthBlock", "the transaction's time to live ended")
			} else if data.contains("exhaust") {
				Refusal::new(
					"Invalid.ExhaustsResources",
					"the block is full; it will fit a later one",
				)
			} else if data.contains("future") {
				Refusal::new("Invalid.Future", "the nonce is ahead of the account's")
			} else if data.contains("bad signature") {
				Refusal::new("Invalid.BadProof", "the signature does not match")
			} else {
				Refusal::new("Invalid.Other", format!("{message}: {data}"))
			};
			Submitted::Refused(refusal)
		}
		1012 => Submitted::Refused(Refusal::new(
			"Pool.Banned",
			"the node dropped this transaction recently and bans it for a while; signing it again",
		)),
		1014 => Submitted::Refused(Refusal::new(
			"Pool.PriorityTooLow",
			"the pool holds another transaction with the same nonce",
		)),
		1016 => Submitted::Refused(Refusal::new(
			"Pool.Full",
			"the node's pool is full; trying again shortly",
		)),
		_ => Submitted::Refused(Refusal::new(format!("Pool.{code}"), format!("{message}: {data}"))),
	}
}

/// A block hash from 32 bytes.
pub fn hash_from(bytes: [u8; 32]) -> Hash {
	H256(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pool_answers_become_refusals_with_words() {
		assert_eq!(pool_answer(1013, "Already imported", None), Submitted::Accepted);
		assert_eq!(
			pool_answer(1010, "Invalid Transaction", Some("\"Transaction is outdated\"")),
			Submitted::NonceUsed
		);
		let Submitted::Refused(quota) =
			pool_answer(1010, "Invalid Transaction", Some("\"Custom error: 2\""))
		else {
			panic!("a quota refusal")
		};
		assert_eq!(quota.code, "Invalid.Custom(2)");
		assert!(quota.is_transient());
		assert!(quota.words.contains("quota"));
		let Submitted::Refused(retired) =
			pool_answer(1010, "Invalid Transaction", Some("\"Custom error: 4\""))
		else {
			panic!("a retired-key refusal")
		};
		assert!(!retired.is_transient());
		let Submitted::Refused(ancient) = pool_answer(
			1010,
			"Invalid Transaction",
			Some("\"Transaction has an ancient birth block\""),
		) else {
			panic!("an expired transaction")
		};
		assert_eq!(ancient.code, "Invalid.AncientBirthBlock");
		// A branch's per-window registration limit passes; an unknown branch does not.
		assert!(Refusal::new("Registry.RegistrationLimitReached", "").is_transient());
		assert!(!Refusal::new("Registry.UnknownBranch", "").is_transient());
	}

	#[test]
	fn validity_errors_decode_to_codes() {
		assert_eq!(validity_refusal(&[0, 7, 1]).code, "Invalid.Custom(1)");
		assert_eq!(validity_refusal(&[0, 3]).code, "Invalid.Stale");
		assert_eq!(validity_refusal(&[0, 6]).code, "Invalid.ExhaustsResources");
		assert_eq!(validity_refusal(&[0, 99]).code, "Invalid.Unknown");
		assert_eq!(validity_refusal(&[1, 0]).code, "Unknown");
	}
}
