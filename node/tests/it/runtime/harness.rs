//! The harness: the real `timebank_runtime` (every pallet, no mocks) in native code over an
//! in-memory state, driven through its runtime APIs exactly as a node drives it: blocks are
//! opened with `Core_initialize_block` (an Aura pre-digest) and the timestamp inherent,
//! transactions are checked with `TaggedTransactionQueue_validate_transaction` and included with
//! `BlockBuilder_apply_extrinsic`, blocks are closed with `BlockBuilder_finalize_block`, and the
//! pallets' invariants are read with `timebank_runtime::check_invariants`.
//!
//! Signed transactions carry the runtime's real `TxExtension` (`timebank_runtime::signing`), so
//! nonce, `CheckWeight` (weight and length), fees and the member quota run as on a node.

use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::dispatch::{DispatchClass, PerDispatchClass},
	frame_system, pallet_transaction_payment,
	sc_chain_spec::json_merge,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_core::{sr25519, Pair, H256},
	sp_genesis_builder::PresetId,
	sp_io::{self, TestExternalities},
	sp_runtime::{
		generic::{Digest, DigestItem},
		traits::{Block as BlockT, Header as HeaderT},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, BuildStorage, ExtrinsicInclusionMode,
	},
	sp_state_machine::Backend,
};
use timebank_runtime::{
	genesis_config_presets::get_preset,
	signing::{signed_extrinsic, SigningContext},
	AccountId, Balance, Block, BlockNumber, Header, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeGenesisConfig, TimestampCall, UncheckedExtrinsic, SLOT_DURATION, VERSION,
};

/// The first block's Aura slot: a moment in late 2026, so the chain's clock reads a real date.
const FIRST_SLOT: u64 = 1_796_000_000;

/// Weight and length a block used, read just before it was finalised.
#[derive(Clone, Debug, Default)]
pub struct BlockStats {
	/// `frame_system::BlockSize`: the header and every extrinsic, in bytes.
	pub size: u32,
	/// `frame_system::BlockWeight`: consumed weight per dispatch class.
	pub weight: PerDispatchClass<polkadot_sdk::frame_support::weights::Weight>,
}

impl BlockStats {
	/// Consumed ref time of the normal class, in picoseconds.
	pub fn normal_ref_time(&self) -> u64 {
		self.weight.get(DispatchClass::Normal).ref_time()
	}
}

/// The runtime with its state, the block being built and the events seen so far.
pub struct Harness {
	ext: TestExternalities,
	genesis: H256,
	/// Number of the block being built, or of the last finished block when none is open.
	number: BlockNumber,
	open: bool,
	parent_hash: H256,
	/// Events of the open block already handed out by [`Harness::take_events`].
	taken: usize,
	/// Events of finished blocks not yet handed out.
	earlier: Vec<RuntimeEvent>,
	last_extrinsic_events: Vec<RuntimeEvent>,
	last_block: BlockStats,
}

/// Calls one runtime API function by its exported name with SCALE-encoded arguments, as the node's
/// executor does, and decodes the answer.
fn runtime_api<R: Decode>(method: &str, args: impl Encode) -> R {
	let out = timebank_runtime::apis::api::dispatch(method, &args.encode())
		.unwrap_or_else(|| panic!("the runtime has no API function {method}"));
	R::decode(&mut &out[..]).unwrap_or_else(|e| panic!("{method} answered undecodable bytes: {e}"))
}

/// The genesis state of `preset`: its JSON patch over the default config, as the node builds it.
fn genesis_storage(preset: &str) -> polkadot_sdk::sp_core::storage::Storage {
	let patch: serde_json::Value =
		serde_json::from_slice(&get_preset(&PresetId::from(preset)).expect("preset exists"))
			.expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serialise");
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("genesis config");
	config.build_storage().expect("genesis builds")
}

impl Harness {
	/// The `dev` preset's genesis: branch 0 administered by Alice, who is also the sudo key and
	/// the only council member; the well-known development accounts hold tokens.
	pub fn dev() -> Self {
		Self::from_storage(genesis_storage(timebank_runtime::genesis_config_presets::DEV_PRESET))
	}

	/// A harness over `storage` (a genesis or a [`Harness::snapshot`] taken between blocks).
	pub fn from_storage(storage: polkadot_sdk::sp_core::storage::Storage) -> Self {
		let mut ext = TestExternalities::new(storage);
		let (genesis, number, parent_hash) = ext.execute_with(|| {
			let number = frame_system::Pallet::<Runtime>::block_number();
			(
				frame_system::BlockHash::<Runtime>::get(0),
				number,
				frame_system::BlockHash::<Runtime>::get(number),
			)
		});
		let parent_hash = if number == 0 { genesis } else { parent_hash };
		Self {
			ext,
			genesis,
			number,
			open: false,
			parent_hash,
			taken: 0,
			earlier: Vec::new(),
			last_extrinsic_events: Vec::new(),
			last_block: BlockStats::default(),
		}
	}

	/// The whole state, to start other harnesses from (closes the open block first).
	pub fn snapshot(&mut self) -> polkadot_sdk::sp_core::storage::Storage {
		self.finish_block();
		let top = self.with(|| {
			let mut top = std::collections::BTreeMap::new();
			let mut key = Vec::new();
			while let Some(next) = sp_io::storage::next_key(&key) {
				let value = sp_io::storage::get(&next).expect("listed key has a value");
				top.insert(next.clone(), value.to_vec());
				key = next;
			}
			top
		});
		// Block hashes are part of it, so a copy continues this chain.
		polkadot_sdk::sp_core::storage::Storage { top, children_default: Default::default() }
	}

	/// Runs `f` against the runtime's state (reads, or direct inspection in assertions).
	pub fn with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// What signed transactions commit to on this chain.
	pub fn signing_context(&self) -> SigningContext {
		SigningContext {
			genesis: self.genesis,
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		}
	}

	/// The next nonce of `who` in the current state.
	pub fn nonce(&mut self, who: &AccountId) -> u32 {
		self.with(|| frame_system::Pallet::<Runtime>::account_nonce(who))
	}

	/// `call` signed by `pair` with its account's next nonce and the runtime's `TxExtension`.
	pub fn sign(&mut self, pair: &sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
		let nonce = self.nonce(&AccountId::from(pair.public()));
		self.sign_with_nonce(pair, nonce, call)
	}

	/// `call` signed by `pair` with `nonce`.
	pub fn sign_with_nonce(
		&self,
		pair: &sr25519::Pair,
		nonce: u32,
		call: RuntimeCall,
	) -> UncheckedExtrinsic {
		signed_extrinsic(&self.signing_context(), pair, nonce, call)
	}

	/// The transaction pool's check of `xt` against the current state (rolled back afterwards, as
	/// the pool's runtime calls are): between blocks this is exactly the node's view.
	pub fn validate(&mut self, xt: &UncheckedExtrinsic) -> TransactionValidity {
		let at = self.parent_hash;
		self.with(|| {
			sp_io::storage::start_transaction();
			let validity: TransactionValidity = runtime_api(
				"TaggedTransactionQueue_validate_transaction",
				(TransactionSource::External, xt, at),
			);
			sp_io::storage::rollback_transaction();
			validity
		})
	}

	/// Calls runtime API `method` on the current state and throws its changes away, as the node's
	/// `state_call` RPC does: between blocks this is a call at the best block.
	pub fn state_call<R: Decode>(&mut self, method: &str, args: impl Encode) -> R {
		self.with(|| {
			sp_io::storage::start_transaction();
			let answer = runtime_api(method, args);
			sp_io::storage::rollback_transaction();
			answer
		})
	}

	/// The gateway's dry run of `xt` (`TransactionPreview_apply_in_next_block` at the last
	/// finished block; call between blocks).
	pub fn preview(&mut self, xt: &UncheckedExtrinsic) -> ApplyExtrinsicResult {
		let at = self.parent_hash;
		self.state_call("TransactionPreview_apply_in_next_block", (at, xt))
	}

	/// Includes `xt` in the open block (opening one if needed) as the node's block builder does:
	/// a transaction refused as invalid (`Err`) leaves no trace; one whose dispatch failed
	/// (`Ok(Err(_))`) is included, pays its fee and uses its nonce.
	pub fn apply(&mut self, xt: &UncheckedExtrinsic) -> ApplyExtrinsicResult {
		if !self.open {
			self.start_block();
		}
		let (result, events) = self.with(|| {
			let before = frame_system::Pallet::<Runtime>::read_events_no_consensus().count();
			sp_io::storage::start_transaction();
			let result: ApplyExtrinsicResult = runtime_api("BlockBuilder_apply_extrinsic", xt);
			if result.is_ok() {
				sp_io::storage::commit_transaction();
			} else {
				sp_io::storage::rollback_transaction();
			}
			let events = frame_system::Pallet::<Runtime>::read_events_no_consensus()
				.skip(before)
				.map(|record| record.event)
				.collect::<Vec<_>>();
			(result, events)
		});
		self.last_extrinsic_events = events;
		result
	}

	/// Signs `call` with `pair`'s next nonce and applies it.
	pub fn submit(&mut self, pair: &sr25519::Pair, call: RuntimeCall) -> ApplyExtrinsicResult {
		let xt = self.sign(pair, call);
		self.apply(&xt)
	}

	/// Events the last [`Harness::apply`] deposited.
	pub fn last_extrinsic_events(&self) -> &[RuntimeEvent] {
		&self.last_extrinsic_events
	}

	/// Native tokens the last applied transaction paid in fees (0 when it paid none).
	pub fn last_fee(&self) -> Balance {
		self.last_extrinsic_events
			.iter()
			.filter_map(|event| match event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
				) => Some(*actual_fee),
				_ => None,
			})
			.sum()
	}

	/// Opens the next block: Aura's pre-digest with the next slot, then the timestamp inherent.
	pub fn start_block(&mut self) {
		if self.open {
			return;
		}
		self.open_block_at(self.number + 1);
	}

	fn open_block_at(&mut self, number: BlockNumber) {
		let slot = Slot::from(FIRST_SLOT + u64::from(number));
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
		let header = Header::new(number, H256::zero(), H256::zero(), self.parent_hash, digest);
		let now = (FIRST_SLOT + u64::from(number)) * SLOT_DURATION;
		let mode = self.with(|| {
			let mode: ExtrinsicInclusionMode = runtime_api("Core_initialize_block", &header);
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(TimestampCall::set { now }));
			let applied: ApplyExtrinsicResult =
				runtime_api("BlockBuilder_apply_extrinsic", &inherent);
			assert_eq!(applied, Ok(Ok(())), "the timestamp inherent applies");
			mode
		});
		assert_eq!(mode, ExtrinsicInclusionMode::AllExtrinsics);
		self.number = number;
		self.open = true;
		self.taken = 0;
	}

	/// Closes the open block (if any): records its size and weight, keeps its untaken events and
	/// runs `finalize_block` (every pallet's `on_finalize`).
	pub fn finish_block(&mut self) {
		if !self.open {
			return;
		}
		let taken = self.taken;
		let (stats, events, header) = self.with(|| {
			let stats = BlockStats {
				size: frame_system::Pallet::<Runtime>::block_size(),
				weight: frame_system::BlockWeight::<Runtime>::get(),
			};
			let events = frame_system::Pallet::<Runtime>::read_events_no_consensus()
				.skip(taken)
				.map(|record| record.event)
				.collect::<Vec<_>>();
			let header: <Block as BlockT>::Header = runtime_api("BlockBuilder_finalize_block", ());
			(stats, events, header)
		});
		self.earlier.extend(events);
		self.last_block = stats;
		self.parent_hash = header.hash();
		self.open = false;
	}

	/// Produces `blocks` empty blocks one by one, every pallet's hooks running in each.
	pub fn advance(&mut self, blocks: u32) {
		self.finish_block();
		for _ in 0..blocks {
			self.start_block();
			self.finish_block();
		}
	}

	/// The next block is numbered `blocks` later (its slot and timestamp too), as if the blocks in
	/// between had been empty but without running their hooks: for waiting out days-long periods
	/// (a council motion's duration) in a moment. `frame_system`'s block number is set to the one
	/// before, the only way `initialize_block` accepts a later number.
	pub fn jump(&mut self, blocks: u32) {
		self.finish_block();
		let target = self.number + blocks.max(1);
		self.with(|| frame_system::Pallet::<Runtime>::set_block_number(target - 1));
		self.open_block_at(target);
		self.finish_block();
	}

	/// Number of the open block, or of the last finished one.
	pub fn block_number(&self) -> BlockNumber {
		self.number
	}

	/// Size and consumed weight of the open block so far.
	pub fn open_block_stats(&mut self) -> BlockStats {
		self.with(|| BlockStats {
			size: frame_system::Pallet::<Runtime>::block_size(),
			weight: frame_system::BlockWeight::<Runtime>::get(),
		})
	}

	/// Size and consumed weight of the last finished block.
	pub fn last_block_stats(&self) -> &BlockStats {
		&self.last_block
	}

	/// Every event deposited since the last call (finished blocks and the open one).
	pub fn take_events(&mut self) -> Vec<RuntimeEvent> {
		let mut events = std::mem::take(&mut self.earlier);
		if self.open {
			let taken = self.taken;
			let current = self.with(|| {
				frame_system::Pallet::<Runtime>::read_events_no_consensus()
					.skip(taken)
					.map(|record| record.event)
					.collect::<Vec<_>>()
			});
			self.taken += current.len();
			events.extend(current);
		}
		events
	}

	/// The time-bank pallets' own invariants (`do_try_state` of registry, ledger, activities,
	/// audits, training and election), as the node's `timebank_checkInvariants` runs them.
	pub fn try_state(&mut self) -> Result<(), String> {
		self.with(timebank_runtime::check_invariants)
	}

	/// Folds every change so far into the backing state: from here [`Harness::changed_keys`]
	/// lists only later changes. Needs no block-building step half done (call between
	/// transactions).
	pub fn commit(&mut self) {
		self.ext.commit_all().expect("no storage transaction is open between transactions");
	}

	/// Keys whose value differs from the last [`Harness::commit`] (written keys whose value came
	/// back to the committed one are not listed).
	pub fn changed_keys(&mut self) -> Vec<Vec<u8>> {
		let written =
			self.ext.overlayed_changes().changes().map(|(key, _)| key.clone()).collect::<Vec<_>>();
		written
			.into_iter()
			.filter(|key| {
				let committed = self.ext.backend.storage(key).expect("in-memory state reads");
				let now = self.with(|| sp_io::storage::get(key).map(|value| value.to_vec()));
				committed != now
			})
			.collect()
	}

	/// Like [`Harness::try_state`], panicking with `context` when an invariant is broken.
	pub fn assert_invariants(&mut self, context: &str) {
		if let Err(broken) = self.try_state() {
			panic!("invariant broken after {context}: {broken}");
		}
	}
}
