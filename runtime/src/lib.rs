//! The Time Bank Chain runtime: the state transition function every branch node executes, compiled to Wasm.
//!
//! The runtime is assembled from FRAME pallets.
//! Consensus: Aura authors blocks in fixed slots and GRANDPA finalises them; both authority sets
//! follow `pallet-session`, whose `SessionManager` is the election pallet: it elects each era's
//! branch validators by members' votes and watches their liveness.
//! Governance: a council of branch administrators (`pallet-collective`, its membership managed by
//! `pallet-membership`); it approves validator candidates, sets election parameters and
//! authorises runtime upgrades. `pallet-sudo` is present only so the single-node `dev` chain has a key;
//! every other genesis preset leaves the sudo key empty.
//!
//! Configuration of each pallet lives in [`configs`], runtime APIs in [`apis`], and genesis presets
//! (the only source of chain specs) in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Before `apis`: it defines the `list_benchmarks!` and `add_benchmarks!` macros the APIs use.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;

pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

// The runtime macros expand to code that names `Vec` unqualified.
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support, frame_system, pallet_aura, pallet_balances, pallet_collective, pallet_grandpa,
	pallet_membership, pallet_session, pallet_sudo, pallet_timestamp, pallet_transaction_payment,
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	*,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Block number: a 32-bit counter lasts 136 years of 1-second blocks.
pub type BlockNumber = u32;

/// Transaction signature: sr25519, ed25519 or ecdsa, so wallets of any kind can sign.
pub type Signature = MultiSignature;

/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of the native token. The token pays validator and fee accounting only:
/// time credits are integer minutes kept by their own ledger pallet.
pub type Balance = u128;

/// Index of a transaction sent by one account.
pub type Nonce = u32;

/// Block and state hash.
pub type Hash = sp_core::H256;

/// Identifier of an on-chain motion of the council.
pub type CouncilInstance = pallet_collective::Instance1;

/// Opaque types, so the node can sync and author without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a branch validator registers with `pallet-session`: one for authoring, one for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("timebank"),
	impl_name: alloc::borrow::Cow::Borrowed("timebank-runtime"),
	authoring_version: 1,
	// Bump on every change of runtime logic: nodes and the upgrade procedure compare it.
	spec_version: 111,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	// 2: the member quota extension joined the transaction extensions.
	// 3: calls changed their arguments (training's create_course, activities' check-in proof).
	// 4: a listing's draft carries its description's hash (activities' publish).
	transaction_version: 4,
	system_version: 1,
};

/// Target block time. Chosen by measurement: `docs/decisions/0002-slot-duration-and-finality.md`.
pub const MILLISECS_PER_BLOCK: u64 = 1000;

// INVARIANT: the slot duration is fixed at genesis; changing it on a live chain stops block
// production, so it is a constant here and never a storage item.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

/// Block counts for wall-clock durations, used by session and governance periods.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// One whole unit of the native token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// Smallest balance an account may hold before it is reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1000;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction passes before dispatch.
///
/// `CheckMemberQuota` sits right before `CheckNonce` because it reads the transaction's nonce
/// from what the later extensions imply, to count the sender's transactions still ahead of it
/// in the pool against the quota (security review L6). It carries no data, so its place changes
/// no byte of a transaction or of what is signed (spec 107 moved it from the end).
///
/// `CheckNonceOrFirstApplication` is `frame_system::CheckNonce` (same identifier, same encoding,
/// so generic clients fill it in unchanged) except for one case: the first transaction of an
/// account that holds nothing may be an application for membership (clients-plan finding F1;
/// `pallets/registry/src/onboarding.rs` says what bounds it).
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	pallet_timebank_registry::CheckMemberQuota<Runtime>,
	pallet_timebank_registry::CheckNonceOrFirstApplication<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade, besides the pallets' own. Each checks the
/// pallet's stored version, so a chain already past it skips it; remove an entry once every
/// deployed chain has run it.
type Migrations = (
	// spec 105: the ledger's per-branch totals of spendable balances.
	pallet_timebank_ledger::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 106: the ledger's policies keyed by `Twox64Concat` branch ids, like its other maps.
	pallet_timebank_ledger::migrations::v2::MigrateV1ToV2<Runtime>,
	// spec 106: the registry's branch-keyed maps keyed by `Twox64Concat` too.
	pallet_timebank_registry::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 107: activities' timed tasks move from fixed buckets to a queue; open-listing and
	// pending-task counts and grant budgets are filled in (security review M3, M4, M5, H3).
	pallet_timebank_activities::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 107: every valid certificate indexed per member and skill (security review L4).
	pallet_timebank_training::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 107: votes counted per voter's home branch, capped per candidate (review M10).
	pallet_timebank_election::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 108: estate cases record their opening block (security review M11).
	pallet_timebank_ledger::migrations::v3::MigrateV2ToV3<Runtime>,
	// spec 109: the registry indexes proxies by proxy ("whom do I act for").
	pallet_timebank_registry::migrations::v2::MigrateV1ToV2<Runtime>,
	// spec 109: listings keep the hash of their off-chain description (clients-plan F12).
	pallet_timebank_activities::migrations::v2::MigrateV1ToV2<Runtime>,
	// spec 110: activities count each member's running engagements (re-keying, decision 0013).
	pallet_timebank_activities::migrations::v3::MigrateV2ToV3<Runtime>,
);

/// Executive: dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Session must come before Aura and Grandpa so their authority sets are in place at genesis.
	#[runtime::pallet_index(4)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(5)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(6)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(7)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(8)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	#[runtime::pallet_index(9)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(20)]
	pub type Registry = pallet_timebank_registry;

	#[runtime::pallet_index(21)]
	pub type Ledger = pallet_timebank_ledger;

	#[runtime::pallet_index(22)]
	pub type Activities = pallet_timebank_activities;

	#[runtime::pallet_index(23)]
	pub type Audits = pallet_timebank_audits;

	#[runtime::pallet_index(24)]
	pub type Training = pallet_timebank_training;

	// After Session in block initialisation: the block that starts a session counts for it.
	#[runtime::pallet_index(25)]
	pub type Election = pallet_timebank_election;

	#[runtime::pallet_index(26)]
	pub type Governance = pallet_timebank_governance;
}

/// Building signed transactions off chain, for the node's tests and the load generator: the
/// extension values and the data they sign, in one place so both follow this runtime.
#[cfg(feature = "std")]
pub mod signing {
	use super::*;
	use codec::Encode;
	use sp_core::{sr25519, Pair};

	/// What a transaction commits to besides its call: the chain (genesis hash), the runtime
	/// version it was signed for, and the signer's nonce. Transactions are immortal.
	#[derive(Clone, Copy, Debug)]
	pub struct SigningContext {
		pub genesis: Hash,
		pub spec_version: u32,
		pub transaction_version: u32,
	}

	/// `call` signed by `pair` with `nonce`, no tip.
	pub fn signed_extrinsic(
		context: &SigningContext,
		pair: &sr25519::Pair,
		nonce: Nonce,
		call: RuntimeCall,
	) -> UncheckedExtrinsic {
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::new(),
			frame_system::CheckSpecVersion::new(),
			frame_system::CheckTxVersion::new(),
			frame_system::CheckGenesis::new(),
			frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
			pallet_timebank_registry::CheckMemberQuota::new(),
			pallet_timebank_registry::CheckNonceOrFirstApplication::from(nonce),
			frame_system::CheckWeight::new(),
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
		);
		let implicit = (
			(),
			context.spec_version,
			context.transaction_version,
			context.genesis,
			context.genesis,
			(),
			(),
			(),
			(),
		);
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| pair.sign(bytes));
		UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(AccountId::from(pair.public())),
			MultiSignature::Sr25519(signature),
			extension,
		)
	}
}

/// Every pallet's invariant checks (the `try_state` checks) on the current state: the first
/// failure, by pallet. The node runs this natively behind its unsafe `timebank_checkInvariants`
/// RPC method, and the runtime tests after every step; it is deliberately not a runtime API,
/// because a whole-state scan must not be open to anyone through `state_call` (security review
/// M7).
#[cfg(feature = "std")]
pub fn check_invariants() -> Result<(), alloc::string::String> {
	type Check = fn() -> Result<(), sp_runtime::TryRuntimeError>;
	let checks: [(&str, Check); 6] = [
		("registry", Registry::do_try_state),
		("ledger", Ledger::do_try_state),
		("activities", Activities::do_try_state),
		("audits", Audits::do_try_state),
		("training", Training::do_try_state),
		("election", Election::do_try_state),
	];
	for (pallet, check) in checks {
		check().map_err(|e| alloc::format!("{pallet}: {e:?}"))?;
	}
	Ok(())
}
