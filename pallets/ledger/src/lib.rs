//! # Ledger pallet
//!
//! The Time Bank Chain's double-entry, append-only ledger of time credits in minutes, with branch
//! policies, escrow, cross-branch clearing, reversals and time wills.
//!
//! ## Overview
//!
//! Every movement of credits is one entry that debits one [`LedgerAccount`] and credits another,
//! so all balances always sum to zero. Entries are never changed or deleted: a mistake is undone
//! by a reversal operation that posts the opposite entries with a reason code. Credits enter only
//! from a branch's grant account, whose negative balance is the branch's redemption liability.
//!
//! All movements pass through one door, `post_entry` in `door.rs`, which enforces the balance
//! floors, appends the entry, indexes it on the members' statements and emits
//! [`Event::EntryPosted`]; `commit` there stores the operation and emits its one
//! [`Event::OperationRecorded`] (decision 0008). The operations above it (grant, gift, donation,
//! escrow, settlement, reversal, exit, estate) only decide which entries to post.
//!
//! ## Terminology
//!
//! - **Operation**: the entries one action posted together; reversals undo whole operations.
//! - **Policy**: a branch's versioned rules: accounting model (prepaid, or mutual credit with a
//!   hard or soft limit), rounding step, storage cap and overflow rule, gift limit, redemption
//!   eligibility and clearing limit.
//! - **Clearing**: a movement between members of different branches posts two entries through
//!   the branches' clearing accounts in one transaction, so net positions stay visible and limited.
//! - **Time will**: beneficiaries a member names for the balance on death; two branch officers
//!   settle the estate.
//!
//! ## Interface
//!
//! Branch admins: `set_policy`, `grant`, `reverse`. Members: `gift`, `donate`,
//! `set_time_will`, `leave`. Family proxies: `propose_transfer`; the member or staff then
//! `approve_transfer` (or anyone of them `cancel_transfer`). Branch staff: `open_estate`,
//! `approve_estate`, `cancel_estate`. Other pallets: [`timebank_primitives::Ledger`] (escrow).
//!
//! ## Code map
//!
//! This file holds the FRAME sections (config, storage, events, errors, calls, hooks); each call
//! checks its origin and hands over to one of the files below.
//!
//! | file | holds |
//! |---|---|
//! | `types.rs` | the stored and passed data types |
//! | `events.rs` | the events (a `#[pallet_section]` imported into the pallet) |
//! | `door.rs` | the one door: the only writer of balances, entries, statements and operations |
//! | `transfers.rs` | policies, grants, gifts, donations, proxies' proposals, reversals |
//! | `departures.rs` | time wills, leaving, estates |
//! | `escrow.rs` | the [`timebank_primitives::Ledger`] trait: holds, settlements, rewards |
//! | `review.rs` | admin actions that wait for the branch's reviewers |
//! | `invariants.rs` | `do_try_state`, the ledger's invariants as code |
//! | `views.rs` | what the runtime API reads |
//! | `migrations.rs` | one module per storage version |

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

pub mod migrations;
mod types;
pub mod weights;

mod departures;
mod door;
mod escrow;
mod events;
mod invariants;
mod rekey;
mod review;
mod transfers;
mod views;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support::pallet_macros::import_section, sp_core::H256, sp_runtime};
use timebank_primitives::{
	BranchId, EntryId, EntryKind, HoldId, LedgerAccount, Membership, Minutes, NotOfficer,
	OperationId, PendingActionId, ProposalId, ReversalReason, ReviewKind, ReviewQueue,
	SignedMinutes,
};

// FRAME's storage macro (stable2609) spells `__private::vec!` and `__private::Vec` in full in the
// metadata it generates for each storage item, which `unused_qualifications` flags in std builds;
// the lint stays on in every other module of the crate.
#[allow(unused_qualifications)]
#[import_section(events::events)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::frame_support::{dispatch::Pays, pallet_prelude::*};
	use polkadot_sdk::frame_system::pallet_prelude::*;
	use sp_runtime::Percent;

	/// 1: `HomeSpendable` (migration `migrations::v1`). 2: `Policies` and `PolicyHistory` keyed by
	/// `Twox64Concat` branch ids (migration `migrations::v2`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	/// The ledger pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// What the runtime wires into the ledger.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The member registry.
		type Membership: Membership<Self::AccountId>;
		/// Where large grants, reversals and policy changes wait when the branch's review policy
		/// asks for it (the audits pallet).
		type Reviews: ReviewQueue<Self::AccountId>;
		/// The largest mutual-credit limit any branch may set, and the floor no spendable balance
		/// ever goes below, soft limits included.
		#[pallet::constant]
		type MaxCreditLimit: Get<Minutes>;
		/// Most beneficiaries in a time will.
		#[pallet::constant]
		type MaxBeneficiaries: Get<u32>;
		/// Most entries one operation may post (an estate posts the most).
		#[pallet::constant]
		type MaxEntriesPerOperation: Get<u32>;
		/// The smallest clearing limit a branch may set, so that one admin cannot close the
		/// branch to every other branch's members (review findings L7, M3).
		#[pallet::constant]
		type MinClearingLimit: Get<Minutes>;
		/// Most proposals one family proxy may have waiting at once (review finding M5).
		#[pallet::constant]
		type MaxProposalsPerProxy: Get<u32>;
		/// How many of a branch's latest policy versions the audit trail keeps; older ones are
		/// removed as new ones are set (review finding M5).
		#[pallet::constant]
		type MaxPolicyHistory: Get<u32>;
		/// The calls' weights, measured by `scripts/benchmark-pallets`.
		type WeightInfo: WeightInfo;
		/// Sets up members and officers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: timebank_primitives::MembershipFixtures<Self::AccountId>;
	}

	// Hashers: `Twox64Concat` where the key is a number the chain assigns (ids, branch ids,
	// positions), which no one can choose to grind collisions; `Blake2_128Concat` where the key
	// holds an account id, which anyone can choose freely.

	/// Every balance of the ledger, in minutes: members' spendable, donation-only and honorary
	/// credits, branches' grant accounts (negative: what the branch issued), pools and clearing
	/// positions, and the escrow. They always sum to zero.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	// Named `CreditBalances` in Rust so it is not mistaken for the runtime's `Balances` pallet
	// (the fee token); its storage key and its name in the metadata stay `Ledger::Balances`.
	#[pallet::storage]
	#[pallet::storage_prefix = "Balances"]
	pub type CreditBalances<T: Config> =
		StorageMap<_, Blake2_128Concat, LedgerAccount<T::AccountId>, SignedMinutes, ValueQuery>;

	/// Every entry ever posted, by number: one movement of minutes from one account to another.
	/// Entries are never changed or deleted.
	///
	/// Hasher: `Twox64Concat`, since entry numbers are assigned by the chain in sequence.
	#[pallet::storage]
	pub type Entries<T: Config> =
		StorageMap<_, Twox64Concat, EntryId, Entry<T::AccountId, BlockNumberFor<T>>>;

	/// Every operation ever recorded, by number: the entries one action posted, who acted and for
	/// whom, and the reversal links.
	///
	/// Hasher: `Twox64Concat`, since operation numbers are assigned by the chain in sequence.
	#[pallet::storage]
	pub type Operations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		OperationId,
		Operation<T::AccountId, T::MaxEntriesPerOperation>,
	>;

	/// The number the next entry gets (also the number of entries posted so far).
	#[pallet::storage]
	pub type NextEntryId<T> = StorageValue<_, EntryId, ValueQuery>;

	/// The number the next recorded operation gets (also the number recorded so far).
	#[pallet::storage]
	pub type NextOperationId<T> = StorageValue<_, OperationId, ValueQuery>;

	/// Each member's statement: position → entry, oldest first.
	///
	/// Hashers: `Blake2_128Concat` for the member's account (chosen by its owner),
	/// `Twox64Concat` for the position (counted by the chain).
	#[pallet::storage]
	pub type Statements<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, EntryId>;

	/// How many lines each member's statement has.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	#[pallet::storage]
	pub type StatementLength<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// For each branch, the sum of the spendable balances of the members whose home branch it is
	/// (overdrafts included). Kept in step by `post_entry` and by the registry's home-branch
	/// changes, so the branch summary does not iterate every balance.
	///
	/// INVARIANT: equals that sum recomputed from `CreditBalances` and the registry (`do_try_state`).
	///
	/// Hasher: `Twox64Concat`, since branch ids are assigned by the chain, not chosen by users.
	#[pallet::storage]
	pub type HomeSpendable<T> = StorageMap<_, Twox64Concat, BranchId, SignedMinutes, ValueQuery>;

	/// Each branch's current policy and its version; a branch without one uses the default
	/// (version 0).
	///
	/// Hasher: `Twox64Concat`, since branch ids are assigned by the chain, not chosen by users,
	/// so they cannot be ground into collisions (`Blake2_128Concat` until storage version 2).
	#[pallet::storage]
	pub type Policies<T> = StorageMap<_, Twox64Concat, BranchId, VersionedPolicy>;

	/// The latest `MaxPolicyHistory` policy versions set, who set each and when: the policy audit
	/// trail (every version's `PolicyChanged` event stays in the chain's history).
	///
	/// Hashers: `Twox64Concat` for the branch id (assigned by the chain, not chosen by users;
	/// `Blake2_128Concat` until storage version 2) and for the version (a counter).
	#[pallet::storage]
	pub type PolicyHistory<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BranchId,
		Twox64Concat,
		u32,
		PolicyRecord<T::AccountId, BlockNumberFor<T>>,
	>;

	/// How many proposals each family proxy has waiting, at most `MaxProposalsPerProxy`.
	///
	/// Hasher: `Blake2_128Concat`, since proxy accounts are chosen by their owners.
	#[pallet::storage]
	pub type ProposalsByProxy<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The number the next admin action sent to review gets.
	#[pallet::storage]
	pub type NextPendingActionId<T> = StorageValue<_, PendingActionId, ValueQuery>;

	/// Grants, reversals and policy changes waiting for review.
	///
	/// Hasher: `Twox64Concat`, since the ids are assigned by the chain in sequence.
	#[pallet::storage]
	pub type PendingActions<T: Config> =
		StorageMap<_, Twox64Concat, PendingActionId, Pending<T::AccountId>>;

	/// The number the next hold gets.
	#[pallet::storage]
	pub type NextHoldId<T> = StorageValue<_, HoldId, ValueQuery>;

	/// Open holds; a hold is removed when it is fully released or settled (its entries remain).
	///
	/// Hasher: `Twox64Concat`, since hold ids are assigned by the chain in sequence.
	#[pallet::storage]
	pub type Holds<T: Config> = StorageMap<_, Twox64Concat, HoldId, Hold<T::AccountId>>;

	/// What each member has in open holds, for balance views.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	#[pallet::storage]
	pub type HeldForMember<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Minutes, ValueQuery>;

	/// The number the next proxy's proposal gets.
	#[pallet::storage]
	pub type NextProposalId<T> = StorageValue<_, ProposalId, ValueQuery>;

	/// Gifts and donations family proxies proposed, waiting for the member's or staff's
	/// co-signature.
	///
	/// Hasher: `Twox64Concat`, since proposal ids are assigned by the chain in sequence.
	#[pallet::storage]
	pub type ProposedTransfers<T: Config> =
		StorageMap<_, Twox64Concat, ProposalId, ProposedTransfer<T::AccountId>>;

	/// Each member's time will: who receives which share of the balance on death.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	#[pallet::storage]
	pub type TimeWills<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<(T::AccountId, Percent), T::MaxBeneficiaries>,
	>;

	/// Estates opened by one officer and waiting for a second officer's approval.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	#[pallet::storage]
	pub type Estates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EstateCase<T::AccountId>>;

	/// Accounts that went beyond a soft mutual-credit limit; staff follow up off chain.
	///
	/// Hasher: `Blake2_128Concat`, since member accounts are chosen by their owners.
	#[pallet::storage]
	pub type SoftLimitFlags<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SignedMinutes>;

	/// Why a ledger call or a call through the `Ledger` trait was refused; nothing changed.
	#[pallet::error]
	pub enum Error<T> {
		/// Amounts are whole minutes greater than zero.
		ZeroAmount,
		/// No admin action waits under this id.
		UnknownPendingAction,
		/// The review decision does not fit the subject.
		WrongDecision,
		/// An entry must move credits between two different accounts.
		SameAccount,
		/// The debit would take the balance below what the account may hold.
		InsufficientCredits,
		/// The debit would go beyond the branch's hard mutual-credit limit.
		CreditLimitExceeded,
		/// The net position between two branches would exceed a clearing limit.
		ClearingLimitExceeded,
		/// The credit would lift the balance above the storage cap and the policy refuses
		/// overflow.
		StorageCapExceeded,
		/// A balance would overflow its integer type.
		Overflow,
		/// The operation would post more entries than allowed.
		TooManyEntries,
		/// The signer is not an officer of the branch with the role this needs.
		NotBranchOfficer,
		/// The account is not a member.
		NotMember,
		/// The member (or the signer) is not active.
		MemberNotActive,
		/// The branch is unknown, suspended or closed.
		BranchNotActive,
		/// The policy's values are out of range (zero rounding step or cap, or a mutual-credit
		/// limit above the chain's maximum).
		InvalidPolicy,
		/// Credit expiry is not supported yet; leave `expiry_days` empty.
		ExpiryNotSupported,
		/// Gifts need a relation verified by branch staff.
		RelationNotVerified,
		/// The gift is larger than the giver's branch allows (0 disables gifts).
		GiftTooLarge,
		/// Honorary credits are recognition only and never move.
		HonoraryNotTransferable,
		/// Giving to oneself moves nothing.
		SelfTransfer,
		/// The signer is not an authorised proxy with permission to propose transfers.
		NotAuthorisedProxy,
		/// No such proposed transfer.
		UnknownProposal,
		/// Only the member, the proxy or staff of the member's home branch may do this; a proxy
		/// cannot approve its own proposal.
		NotAllowed,
		/// No such operation.
		UnknownOperation,
		/// The operation was already reversed.
		AlreadyReversed,
		/// Only grants, gifts and donations are reversed by admins; escrow and estates follow
		/// their own procedures, and a reversal is not itself reversed.
		NotReversible,
		/// Not an open hold.
		UnknownHold,
		/// Settling more than the hold holds would create credits from nothing.
		ExceedsHold,
		/// Escrow can only hold spendable credits, or a branch's pool or grant account.
		NotSpendable,
		/// The payer's branch only lets eligible members spend (age or hardship attested).
		NotEligibleForRedemption,
		/// A time will's shares add up to more than 100%.
		SharesExceedWhole,
		/// A time will names the member or the same beneficiary twice.
		InvalidBeneficiary,
		/// The member still has credits in open holds.
		OpenHolds,
		/// The member owes credits (negative spendable balance) and must settle before leaving.
		OutstandingDebt,
		/// An estate case is already open for this member.
		EstateAlreadyOpen,
		/// No estate case is open for this member.
		NoEstateCase,
		/// The second approval must come from a different officer.
		SameApprover,
		/// The member has already left or died.
		AlreadyDeparted,
		/// Donations to a member go only to recipients (role) or members attested eligible.
		NotARecipient,
		/// A gift is made with `gift`, not `donate`.
		NotADonation,
		/// The hold's payee must be an active member.
		PayeeNotActive,
		/// The rounding step may be at most an hour (60 minutes).
		RoundingStepTooLarge,
		/// The clearing limit is below the chain's minimum, which keeps members of other
		/// branches servable.
		ClearingLimitTooSmall,
		/// This family proxy already has as many proposals waiting as allowed; wait for them to
		/// be approved or cancel some.
		TooManyProposals,
		/// The officer took office after the estate case was opened, so cannot approve it: the
		/// second approver must have been in office when the first one opened the case.
		AppointedAfterOpening,
		/// The member has transfers waiting as someone's family proxy; they are approved or
		/// cancelled before the member's account moves to a new key.
		ProposalsWaiting,
		/// The key an account would move to already has ledger history of its own.
		NewKeyHasHistory,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set a branch's policy (its admins). The new version applies to future operations.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set_policy(), Pays::No))]
		pub fn set_policy(
			origin: OriginFor<T>,
			branch: BranchId,
			policy: LedgerPolicy,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::check_policy(&by, branch, &policy)?;
			if T::Reviews::needs_review(branch, ReviewKind::PolicyChange, 0) {
				return Self::defer(branch, by, PendingAction::PolicyChange { policy });
			}
			Self::do_set_policy(&by, branch, policy)
		}

		/// Issue credits from the home branch's grant account to a member (its admins), with the
		/// hash of the document that justifies it.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::grant(), Pays::No))]
		pub fn grant(
			origin: OriginFor<T>,
			to: T::AccountId,
			amount: Minutes,
			memo: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let branch = Self::check_grant(&by, &to)?;
			if T::Reviews::needs_review(branch, ReviewKind::Grant, amount) {
				return Self::defer(branch, by, PendingAction::Grant { to, amount, memo });
			}
			Self::do_grant(&by, branch, to, amount, memo)
		}

		/// Gift spendable credits to a verified relative.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::gift(), Pays::No))]
		pub fn gift(origin: OriginFor<T>, to: T::AccountId, amount: Minutes) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::ensure_active(&from)?;
			Self::do_transfer(&from, &from, TransferTarget::Gift { to }, amount).map(|_| ())
		}

		/// Donate spendable or donation-only credits to a branch's pool or a named member.
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::donate(), Pays::No))]
		pub fn donate(
			origin: OriginFor<T>,
			target: TransferTarget<T::AccountId>,
			amount: Minutes,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::ensure_active(&from)?;
			ensure!(!matches!(target, TransferTarget::Gift { .. }), Error::<T>::NotADonation);
			Self::do_transfer(&from, &from, target, amount).map(|_| ())
		}

		/// As a family proxy, propose a gift or donation from the member's credits. Nothing moves
		/// until the member or staff of the member's home branch approves.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::propose_transfer(), Pays::No))]
		pub fn propose_transfer(
			origin: OriginFor<T>,
			member: T::AccountId,
			target: TransferTarget<T::AccountId>,
			amount: Minutes,
		) -> DispatchResult {
			let proxy = ensure_signed(origin)?;
			Self::do_propose_transfer(proxy, member, target, amount)
		}

		/// Co-sign a proxy's proposal: the member, or staff of the member's home branch. The
		/// credits move now; the entries record the member and the approver.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::approve_transfer(), Pays::No))]
		pub fn approve_transfer(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_approve_transfer(by, proposal)
		}

		/// Withdraw a proposal: the member, the proxy, or staff of the member's home branch.
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::cancel_transfer(), Pays::No))]
		pub fn cancel_transfer(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_transfer(by, proposal)
		}

		/// Reverse a grant, gift or donation (admins of the operation's branch): posts the
		/// opposite entries as a new operation with the reason; the original stays. Taking
		/// credits back from another branch's member or pool waits for that branch's reviewers.
		#[pallet::call_index(7)]
		#[pallet::weight((T::WeightInfo::reverse(), Pays::No))]
		pub fn reverse(
			origin: OriginFor<T>,
			operation: OperationId,
			reason: ReversalReason,
			memo: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let branch = Self::check_reversal(&by, operation)?;
			if let Some(reviewers) = Self::reversal_reviewers(branch, operation)? {
				let action = PendingAction::Reversal { operation, reason, memo };
				return Self::defer(reviewers, by, action);
			}
			Self::do_reverse(&by, branch, operation, reason, memo)
		}

		/// Name the beneficiaries of the balance on death, with their shares; an empty list
		/// clears the will (everything then goes to the home pool).
		#[pallet::call_index(8)]
		#[pallet::weight((T::WeightInfo::set_time_will(), Pays::No))]
		pub fn set_time_will(
			origin: OriginFor<T>,
			beneficiaries: BoundedVec<(T::AccountId, Percent), T::MaxBeneficiaries>,
		) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_set_time_will(member, beneficiaries)
		}

		/// Leave the time bank, choosing what happens to the balance. Honorary credits stay as
		/// a record; the history is kept.
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::leave(), Pays::No))]
		pub fn leave(origin: OriginFor<T>, choice: ExitChoice<T::AccountId>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who, choice)
		}

		/// Open the estate of a member whose death is documented (staff of the home branch).
		#[pallet::call_index(10)]
		#[pallet::weight((T::WeightInfo::open_estate(), Pays::No))]
		pub fn open_estate(
			origin: OriginFor<T>,
			member: T::AccountId,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_open_estate(by, member, evidence)
		}

		/// Second approval of an estate (a different officer of the home branch, in office when
		/// the case was opened): distributes
		/// the spendable balance by the time will, within each beneficiary's storage cap, the
		/// rest and all donation-only credits to the home pool; a debt is written off against
		/// the home grant account. The member is then recorded deceased and anonymised.
		#[pallet::call_index(11)]
		#[pallet::weight((T::WeightInfo::approve_estate(T::MaxBeneficiaries::get()), Pays::No))]
		pub fn approve_estate(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_approve_estate(by, member)
		}

		/// Close an estate case opened in error (staff of the home branch).
		#[pallet::call_index(12)]
		#[pallet::weight((T::WeightInfo::cancel_estate(), Pays::No))]
		pub fn cancel_estate(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_estate(by, member)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				// Per beneficiary: up to two entries (clearing) plus one overflow; then the rest,
				// the donation-only credits and a debt write-off.
				T::MaxEntriesPerOperation::get() >= 3 * T::MaxBeneficiaries::get() + 3,
				"an estate must fit in one operation"
			);
			assert!(
				T::MaxCreditLimit::get() <= (SignedMinutes::MAX / 4).unsigned_abs(),
				"balances must stay far from the integer limits"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

/// The registry's answer "not an officer of that branch with that role" is the ledger's
/// `NotBranchOfficer`.
impl<T: Config> From<NotOfficer> for Error<T> {
	fn from(_: NotOfficer) -> Self {
		Error::<T>::NotBranchOfficer
	}
}
