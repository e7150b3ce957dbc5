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
//! All movements pass through one function, [`Pallet::post_entry`] (the one door), which enforces
//! the balance floors, appends the entry, indexes it on the members' statements and emits
//! [`Event::EntryPosted`]. The operations above it (grant, gift, donation, escrow, settlement,
//! reversal, exit, estate) only decide which entries to post.
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

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod migrations;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use timebank_primitives::{
	BalanceClass, BranchId, BranchSummary, Decision, EntryId, EntryKind, HoldId, HomeBranchChanges,
	LedgerAccount, MemberBalances, MemberStatus, Membership, Minutes, OfficerRole, OperationId,
	PendingActionId, ReversalReason, ReviewKind, ReviewOutcome, ReviewQueue, ReviewSubject,
	SignedMinutes, StatementLine, StatementPage, MAX_STATEMENT_PAGE,
};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::Pays, pallet_prelude::*};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::UniqueSaturatedInto, Percent};

	/// How a branch's members may spend (DOMAIN.md rule 3).
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
	)]
	pub enum AccountingModel {
		/// No overdraft: members spend what they earned or were granted.
		Prepaid,
		/// Spendable balances may go down to `-limit`. A hard limit refuses the debit beyond it; a
		/// soft one allows it (down to the chain's `MaxCreditLimit`) and flags the account.
		MutualCredit { limit: Minutes, hard: bool },
	}

	/// What happens to credit that would lift a spendable balance above the storage cap.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
	)]
	pub enum OverflowRule {
		/// Goes to the member's donation-only class.
		ToDonationOnly,
		/// Goes to the member's honorary class.
		ToHonorary,
		/// The operation is refused.
		Refuse,
	}

	/// Who may spend spendable credits on services (DOMAIN.md rule 8), checked at redemption.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
	)]
	pub enum RedemptionRule {
		/// Every active member.
		AnyMember,
		/// Members whom staff attested meet the age threshold or the hardship rule.
		EligibleOnly { min_age: u8 },
	}

	/// A branch's ledger rules. Changes create a new version; old versions stay readable.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
	)]
	pub struct BranchPolicy {
		pub accounting: AccountingModel,
		/// Settled durations are rounded to a multiple of this many minutes (activities pallet).
		pub rounding_step: Minutes,
		/// Most spendable credit a member may hold; `None` for no cap.
		pub storage_cap: Option<Minutes>,
		pub overflow: OverflowRule,
		/// Largest single gift; 0 disables gifts.
		pub max_gift: Minutes,
		pub redemption: RedemptionRule,
		/// Largest net position towards any one other branch through clearing.
		pub clearing_limit: Minutes,
		/// Credit expiry in days. Expiry is off by default (DOMAIN.md rule 9) and not yet
		/// supported: a policy that sets it is refused.
		pub expiry_days: Option<u32>,
	}

	impl Default for BranchPolicy {
		fn default() -> Self {
			Self {
				accounting: AccountingModel::Prepaid,
				rounding_step: 15,
				// 1,500 hours, the cap Nanjing and Guangzhou use.
				storage_cap: Some(1_500 * 60),
				overflow: OverflowRule::ToDonationOnly,
				max_gift: 10 * 60,
				redemption: RedemptionRule::AnyMember,
				clearing_limit: 100 * 60,
				expiry_days: None,
			}
		}
	}

	/// One ledger entry. Never modified after it is written.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Entry<AccountId, BlockNumber> {
		pub operation: OperationId,
		pub debit: LedgerAccount<AccountId>,
		pub credit: LedgerAccount<AccountId>,
		pub amount: Minutes,
		pub kind: EntryKind,
		pub block_number: BlockNumber,
		pub extrinsic_index: u32,
	}

	/// The entries one action posted, who did it and for whom.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	#[scale_info(skip_type_params(MaxEntries))]
	pub struct Operation<AccountId, MaxEntries: Get<u32>> {
		pub kind: EntryKind,
		/// The branch whose admins may reverse it.
		pub branch: BranchId,
		pub actor: AccountId,
		pub on_behalf_of: Option<AccountId>,
		pub entries: BoundedVec<EntryId, MaxEntries>,
		/// Hash of the off-chain document giving the reason (grant, reversal).
		pub memo: Option<H256>,
		pub reverses: Option<OperationId>,
		pub reversed_by: Option<OperationId>,
	}

	/// Credits held for an open activity.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Hold<AccountId> {
		pub branch: BranchId,
		pub payer: LedgerAccount<AccountId>,
		pub remaining: Minutes,
	}

	/// Where a gift or donation goes.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
	)]
	pub enum TransferTarget<AccountId> {
		/// A gift (转赠) of spendable credits to a verified relative.
		Gift { to: AccountId },
		/// A donation of spendable or donation-only credits to a branch's pool.
		DonationToPool { branch: BranchId, class: BalanceClass },
		/// A donation of spendable or donation-only credits to a named member.
		DonationToMember { to: AccountId, class: BalanceClass },
	}

	/// A gift or donation a family proxy proposed; it moves nothing until co-signed.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct ProposedTransfer<AccountId> {
		pub member: AccountId,
		pub proxy: AccountId,
		pub target: TransferTarget<AccountId>,
		pub amount: Minutes,
	}

	/// What a leaving member does with the balance (DOMAIN.md rule 10).
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
	)]
	pub enum ExitChoice<AccountId> {
		/// Spendable credits to a verified relative; donation-only credits to the home pool.
		GiftTo(AccountId),
		/// Spendable and donation-only credits to the home pool.
		DonateToPool,
		/// Balances stay where they are.
		Dormant,
	}

	/// A documented death awaiting its second approver.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct EstateCase<AccountId> {
		pub opened_by: AccountId,
		/// Hash of the death documentation kept off chain.
		pub evidence: H256,
	}

	/// Where a debit may take a balance.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum DebitRule {
		/// Only what the account holds: gifts, donations, exits never create an overdraft.
		OwnCredits,
		/// Down to the policy's floor: spending on services and corrections.
		PolicyLimit,
	}

	/// An admin action the branch's review policy holds until reviewers approve it.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub enum PendingAction<AccountId> {
		Grant { to: AccountId, amount: Minutes, memo: H256 },
		Reversal { operation: OperationId, reason: ReversalReason, memo: H256 },
		PolicyChange { policy: BranchPolicy },
	}

	/// A waiting admin action, its branch and the admin who asked for it.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Pending<AccountId> {
		pub branch: BranchId,
		pub requester: AccountId,
		pub action: PendingAction<AccountId>,
	}

	/// 1: `HomeSpendable` (migration `migrations::v1`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
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
		type WeightInfo: WeightInfo;
		/// Sets up members and officers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type Fixtures: timebank_primitives::MembershipFixtures<Self::AccountId>;
	}

	#[pallet::storage]
	pub type NextPendingActionId<T> = StorageValue<_, PendingActionId, ValueQuery>;

	/// Grants, reversals and policy changes waiting for review.
	#[pallet::storage]
	pub type PendingActions<T: Config> =
		StorageMap<_, Twox64Concat, PendingActionId, Pending<T::AccountId>>;

	/// Each branch's current policy and its version; a branch without one uses the default
	/// (version 0).
	#[pallet::storage]
	pub type Policies<T> = StorageMap<_, Blake2_128Concat, BranchId, (u32, BranchPolicy)>;

	/// Every policy version ever set, who set it and when: the policy audit trail.
	#[pallet::storage]
	pub type PolicyHistory<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BranchId,
		Twox64Concat,
		u32,
		(BranchPolicy, T::AccountId, BlockNumberFor<T>),
	>;

	#[pallet::storage]
	pub type Balances<T: Config> =
		StorageMap<_, Blake2_128Concat, LedgerAccount<T::AccountId>, SignedMinutes, ValueQuery>;

	/// For each branch, the sum of the spendable balances of the members whose home branch it is
	/// (overdrafts included). Kept in step by `post_entry` and by the registry's home-branch
	/// changes, so the branch summary does not iterate every balance.
	///
	/// INVARIANT: equals that sum recomputed from `Balances` and the registry (`do_try_state`).
	#[pallet::storage]
	pub type HomeSpendable<T> = StorageMap<_, Twox64Concat, BranchId, SignedMinutes, ValueQuery>;

	#[pallet::storage]
	pub type NextEntryId<T> = StorageValue<_, EntryId, ValueQuery>;

	#[pallet::storage]
	pub type Entries<T: Config> =
		StorageMap<_, Twox64Concat, EntryId, Entry<T::AccountId, BlockNumberFor<T>>>;

	#[pallet::storage]
	pub type NextOperationId<T> = StorageValue<_, OperationId, ValueQuery>;

	#[pallet::storage]
	pub type Operations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		OperationId,
		Operation<T::AccountId, T::MaxEntriesPerOperation>,
	>;

	/// Each member's statement: position → entry, oldest first.
	#[pallet::storage]
	pub type Statements<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, EntryId>;

	#[pallet::storage]
	pub type StatementLength<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::storage]
	pub type NextHoldId<T> = StorageValue<_, HoldId, ValueQuery>;

	/// Open holds; a hold is removed when it is fully released or settled (its entries remain).
	#[pallet::storage]
	pub type Holds<T: Config> = StorageMap<_, Twox64Concat, HoldId, Hold<T::AccountId>>;

	/// What each member has in open holds, for balance views.
	#[pallet::storage]
	pub type HeldForMember<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Minutes, ValueQuery>;

	#[pallet::storage]
	pub type NextProposalId<T> = StorageValue<_, u64, ValueQuery>;

	#[pallet::storage]
	pub type ProposedTransfers<T: Config> =
		StorageMap<_, Twox64Concat, u64, ProposedTransfer<T::AccountId>>;

	#[pallet::storage]
	pub type TimeWills<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<(T::AccountId, Percent), T::MaxBeneficiaries>,
	>;

	#[pallet::storage]
	pub type Estates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EstateCase<T::AccountId>>;

	/// Accounts that went beyond a soft mutual-credit limit; staff follow up off chain.
	#[pallet::storage]
	pub type SoftLimitFlags<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SignedMinutes>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// One entry of the ledger: `amount` moved from `debit` to `credit`.
		EntryPosted {
			entry: EntryId,
			operation: OperationId,
			debit: LedgerAccount<T::AccountId>,
			credit: LedgerAccount<T::AccountId>,
			amount: Minutes,
			kind: EntryKind,
		},
		/// An operation's entries are all posted.
		OperationRecorded {
			operation: OperationId,
			kind: EntryKind,
			branch: BranchId,
			actor: T::AccountId,
			on_behalf_of: Option<T::AccountId>,
		},
		PolicyChanged {
			branch: BranchId,
			version: u32,
			by: T::AccountId,
		},
		Granted {
			operation: OperationId,
			to: T::AccountId,
			amount: Minutes,
			memo: H256,
		},
		Gifted {
			operation: OperationId,
			from: T::AccountId,
			to: T::AccountId,
			amount: Minutes,
		},
		Donated {
			operation: OperationId,
			from: T::AccountId,
			target: TransferTarget<T::AccountId>,
			amount: Minutes,
		},
		TransferProposed {
			proposal: u64,
			member: T::AccountId,
			proxy: T::AccountId,
		},
		/// A proxy's proposal went through: the entries name the approver and the member; this
		/// event adds the proxy, so every proxied movement records all parties.
		TransferApproved {
			proposal: u64,
			operation: OperationId,
			member: T::AccountId,
			proxy: T::AccountId,
			by: T::AccountId,
		},
		TransferCancelled {
			proposal: u64,
			by: T::AccountId,
		},
		OperationReversed {
			operation: OperationId,
			reversal: OperationId,
			reason: ReversalReason,
			memo: H256,
		},
		SoftLimitExceeded {
			who: T::AccountId,
			balance: SignedMinutes,
			limit: Minutes,
		},
		HoldOpened {
			hold: HoldId,
			payer: LedgerAccount<T::AccountId>,
			amount: Minutes,
		},
		HoldReleased {
			hold: HoldId,
			amount: Minutes,
		},
		HoldSettled {
			hold: HoldId,
			payee: T::AccountId,
			amount: Minutes,
			remaining: Minutes,
		},
		/// An admin action waits for the branch's reviewers.
		AwaitingReview {
			pending: PendingActionId,
			branch: BranchId,
			requester: T::AccountId,
		},
		/// The reviewers rejected a waiting admin action; nothing was posted.
		PendingActionRejected {
			pending: PendingActionId,
		},
		/// The remainder of a group service's split went from a hold to its branch's pool.
		HoldSettledToPool {
			hold: HoldId,
			branch: BranchId,
			amount: Minutes,
			remaining: Minutes,
		},
		TimeWillSet {
			member: T::AccountId,
			beneficiaries: u32,
		},
		MemberLeft {
			who: T::AccountId,
			choice: ExitChoice<T::AccountId>,
		},
		EstateOpened {
			member: T::AccountId,
			by: T::AccountId,
			evidence: H256,
		},
		EstateSettled {
			member: T::AccountId,
			first_approver: T::AccountId,
			second_approver: T::AccountId,
		},
		EstateCancelled {
			member: T::AccountId,
			by: T::AccountId,
		},
	}

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
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set a branch's policy (its admins). The new version applies to future operations.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set_policy(), Pays::No))]
		pub fn set_policy(
			origin: OriginFor<T>,
			branch: BranchId,
			policy: BranchPolicy,
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
			let allowed = T::Membership::proxy_permissions(&member, &proxy)
				.is_some_and(|p| p.propose_transfers);
			ensure!(allowed, Error::<T>::NotAuthorisedProxy);
			Self::ensure_active(&member)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let proposal = NextProposalId::<T>::get();
			NextProposalId::<T>::put(proposal.checked_add(1).ok_or(Error::<T>::Overflow)?);
			ProposedTransfers::<T>::insert(
				proposal,
				ProposedTransfer { member: member.clone(), proxy: proxy.clone(), target, amount },
			);
			Self::deposit_event(Event::TransferProposed { proposal, member, proxy });
			Ok(())
		}

		/// Co-sign a proxy's proposal: the member, or staff of the member's home branch. The
		/// credits move now; the entries record the member and the approver.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::approve_transfer(), Pays::No))]
		pub fn approve_transfer(origin: OriginFor<T>, proposal: u64) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let p = ProposedTransfers::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(by != p.proxy, Error::<T>::NotAllowed);
			// A proxy revoked since it proposed no longer speaks for the member.
			let still_authorised = T::Membership::proxy_permissions(&p.member, &p.proxy)
				.is_some_and(|permissions| permissions.propose_transfers);
			ensure!(still_authorised, Error::<T>::NotAuthorisedProxy);
			ensure!(
				by == p.member || Self::is_home_officer(&p.member, &by, OfficerRole::Staff),
				Error::<T>::NotAllowed
			);
			Self::ensure_active(&p.member)?;
			ProposedTransfers::<T>::remove(proposal);
			let operation = Self::do_transfer(&by, &p.member, p.target, p.amount)?;
			Self::deposit_event(Event::TransferApproved {
				proposal,
				operation,
				member: p.member,
				proxy: p.proxy,
				by,
			});
			Ok(())
		}

		/// Withdraw a proposal: the member, the proxy, or staff of the member's home branch.
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::cancel_transfer(), Pays::No))]
		pub fn cancel_transfer(origin: OriginFor<T>, proposal: u64) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let p = ProposedTransfers::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(
				by == p.member
					|| by == p.proxy
					|| Self::is_home_officer(&p.member, &by, OfficerRole::Staff),
				Error::<T>::NotAllowed
			);
			ProposedTransfers::<T>::remove(proposal);
			Self::deposit_event(Event::TransferCancelled { proposal, by });
			Ok(())
		}

		/// Reverse a grant, gift or donation (admins of the operation's branch): posts the
		/// opposite entries as a new operation with the reason; the original stays.
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
			if T::Reviews::needs_review(branch, ReviewKind::Reversal, 0) {
				return Self::defer(
					branch,
					by,
					PendingAction::Reversal { operation, reason, memo },
				);
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
			Self::ensure_active(&member)?;
			let mut total: u32 = 0;
			for (i, (who, share)) in beneficiaries.iter().enumerate() {
				ensure!(*who != member, Error::<T>::InvalidBeneficiary);
				ensure!(
					!beneficiaries.iter().skip(i + 1).any(|(other, _)| other == who),
					Error::<T>::InvalidBeneficiary
				);
				total = total.saturating_add(u32::from(share.deconstruct()));
			}
			ensure!(total <= 100, Error::<T>::SharesExceedWhole);
			let count = beneficiaries.len() as u32;
			if beneficiaries.is_empty() {
				TimeWills::<T>::remove(&member);
			} else {
				TimeWills::<T>::insert(&member, beneficiaries);
			}
			Self::deposit_event(Event::TimeWillSet { member, beneficiaries: count });
			Ok(())
		}

		/// Leave the time bank, choosing what happens to the balance. Honorary credits stay as
		/// a record; the history is kept.
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::leave(), Pays::No))]
		pub fn leave(origin: OriginFor<T>, choice: ExitChoice<T::AccountId>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let member = T::Membership::member(&who).ok_or(Error::<T>::NotMember)?;
			ensure!(
				!matches!(member.status, MemberStatus::Left | MemberStatus::Deceased),
				Error::<T>::AlreadyDeparted
			);
			ensure!(member.status != MemberStatus::Pending, Error::<T>::MemberNotActive);
			ensure!(HeldForMember::<T>::get(&who) == 0, Error::<T>::OpenHolds);
			let spendable = Self::member_balance(&who, BalanceClass::Spendable);
			ensure!(spendable >= 0, Error::<T>::OutstandingDebt);
			let home = member.home_branch;
			let mut op = Self::begin(EntryKind::Exit, home, &who, None);
			let pool = LedgerAccount::Pool(home);
			match &choice {
				ExitChoice::Dormant => {}
				ExitChoice::DonateToPool => {
					Self::empty_class_into(&mut op, &who, BalanceClass::Spendable, &pool)?;
					Self::empty_class_into(&mut op, &who, BalanceClass::DonationOnly, &pool)?;
				}
				ExitChoice::GiftTo(relative) => {
					ensure!(
						T::Membership::is_verified_relation(&who, relative),
						Error::<T>::RelationNotVerified
					);
					Self::ensure_active(relative)?;
					let amount = spendable.unsigned_abs();
					if amount > 0 {
						// Within the relative's storage cap; what is above it goes to the pool.
						Self::credit_member(
							&mut op,
							Self::spendable(&who),
							home,
							relative,
							amount,
							EntryKind::Exit,
							Some(pool.clone()),
						)?;
					}
					Self::empty_class_into(&mut op, &who, BalanceClass::DonationOnly, &pool)?;
				}
			}
			Self::commit(op)?;
			T::Membership::record_departure(&who, MemberStatus::Left)?;
			Self::deposit_event(Event::MemberLeft { who, choice });
			Ok(())
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
			let facts = T::Membership::member(&member).ok_or(Error::<T>::NotMember)?;
			Self::ensure_officer(facts.home_branch, &by, OfficerRole::Staff)?;
			ensure!(facts.status != MemberStatus::Deceased, Error::<T>::AlreadyDeparted);
			ensure!(!Estates::<T>::contains_key(&member), Error::<T>::EstateAlreadyOpen);
			ensure!(HeldForMember::<T>::get(&member) == 0, Error::<T>::OpenHolds);
			Estates::<T>::insert(&member, EstateCase { opened_by: by.clone(), evidence });
			Self::deposit_event(Event::EstateOpened { member, by, evidence });
			Ok(())
		}

		/// Second approval of an estate (a different officer of the home branch): distributes
		/// the spendable balance by the time will, within each beneficiary's storage cap, the
		/// rest and all donation-only credits to the home pool; a debt is written off against
		/// the home grant account. The member is then recorded deceased and anonymised.
		#[pallet::call_index(11)]
		#[pallet::weight((T::WeightInfo::approve_estate(T::MaxBeneficiaries::get()), Pays::No))]
		pub fn approve_estate(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let case = Estates::<T>::get(&member).ok_or(Error::<T>::NoEstateCase)?;
			let facts = T::Membership::member(&member).ok_or(Error::<T>::NotMember)?;
			let home = facts.home_branch;
			Self::ensure_officer(home, &by, OfficerRole::Staff)?;
			ensure!(by != case.opened_by, Error::<T>::SameApprover);
			ensure!(HeldForMember::<T>::get(&member) == 0, Error::<T>::OpenHolds);
			let mut op = Self::begin(EntryKind::Estate, home, &by, Some(member.clone()));
			let pool = LedgerAccount::Pool(home);
			let spendable = Self::member_balance(&member, BalanceClass::Spendable);
			if spendable < 0 {
				Self::post_entry(
					&mut op,
					LedgerAccount::Grant(home),
					Self::spendable(&member),
					spendable.unsigned_abs(),
					EntryKind::Estate,
					DebitRule::PolicyLimit,
				)?;
			} else if spendable > 0 {
				let estate = spendable.unsigned_abs();
				for (beneficiary, share) in TimeWills::<T>::get(&member).unwrap_or_default() {
					let amount = share.mul_floor(estate);
					let Some(heir) = T::Membership::member(&beneficiary) else { continue };
					if amount == 0 || heir.status != MemberStatus::Active {
						continue;
					}
					Self::credit_member(
						&mut op,
						Self::spendable(&member),
						home,
						&beneficiary,
						amount,
						EntryKind::Estate,
						Some(pool.clone()),
					)?;
				}
				Self::empty_class_into(&mut op, &member, BalanceClass::Spendable, &pool)?;
			}
			Self::empty_class_into(&mut op, &member, BalanceClass::DonationOnly, &pool)?;
			Self::commit(op)?;
			Estates::<T>::remove(&member);
			TimeWills::<T>::remove(&member);
			T::Membership::record_departure(&member, MemberStatus::Deceased)?;
			Self::deposit_event(Event::EstateSettled {
				member,
				first_approver: case.opened_by,
				second_approver: by,
			});
			Ok(())
		}

		/// Close an estate case opened in error (staff of the home branch).
		#[pallet::call_index(12)]
		#[pallet::weight((T::WeightInfo::cancel_estate(), Pays::No))]
		pub fn cancel_estate(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			ensure!(Estates::<T>::contains_key(&member), Error::<T>::NoEstateCase);
			let home = Self::home_branch(&member)?;
			Self::ensure_officer(home, &by, OfficerRole::Staff)?;
			Estates::<T>::remove(&member);
			Self::deposit_event(Event::EstateCancelled { member, by });
			Ok(())
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

	/// An operation being built: entries are posted through it and it is stored on commit.
	pub struct OperationDraft<T: Config> {
		pub id: OperationId,
		pub record: Operation<T::AccountId, T::MaxEntriesPerOperation>,
	}

	impl<T: Config> core::ops::Deref for OperationDraft<T> {
		type Target = Operation<T::AccountId, T::MaxEntriesPerOperation>;
		fn deref(&self) -> &Self::Target {
			&self.record
		}
	}

	impl<T: Config> core::ops::DerefMut for OperationDraft<T> {
		fn deref_mut(&mut self) -> &mut Self::Target {
			&mut self.record
		}
	}

	impl<T: Config> Pallet<T> {
		/// The signer may set `branch`'s policy, and the policy is valid.
		pub(crate) fn check_policy(
			by: &T::AccountId,
			branch: BranchId,
			policy: &BranchPolicy,
		) -> DispatchResult {
			Self::ensure_officer(branch, by, OfficerRole::Admin)?;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
			ensure!(policy.expiry_days.is_none(), Error::<T>::ExpiryNotSupported);
			let limit_ok = match policy.accounting {
				AccountingModel::Prepaid => true,
				AccountingModel::MutualCredit { limit, .. } => limit <= T::MaxCreditLimit::get(),
			};
			ensure!(
				limit_ok && policy.rounding_step > 0 && policy.storage_cap != Some(0),
				Error::<T>::InvalidPolicy
			);
			Ok(())
		}

		/// Record a policy `check_policy` accepted.
		pub(crate) fn do_set_policy(
			by: &T::AccountId,
			branch: BranchId,
			policy: BranchPolicy,
		) -> DispatchResult {
			let version = Policies::<T>::get(branch).map_or(0, |(v, _)| v).saturating_add(1);
			Policies::<T>::insert(branch, (version, policy));
			PolicyHistory::<T>::insert(
				branch,
				version,
				(policy, by.clone(), frame_system::Pallet::<T>::block_number()),
			);
			Self::deposit_event(Event::PolicyChanged { branch, version, by: by.clone() });
			Ok(())
		}

		/// The signer is an admin of the active member's active home branch: that branch.
		pub(crate) fn check_grant(
			by: &T::AccountId,
			to: &T::AccountId,
		) -> Result<BranchId, DispatchError> {
			let member = T::Membership::member(to).ok_or(Error::<T>::NotMember)?;
			let branch = member.home_branch;
			Self::ensure_officer(branch, by, OfficerRole::Admin)?;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
			ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
			Ok(branch)
		}

		/// Post a grant `check_grant` accepted for `branch`.
		pub(crate) fn do_grant(
			by: &T::AccountId,
			branch: BranchId,
			to: T::AccountId,
			amount: Minutes,
			memo: H256,
		) -> DispatchResult {
			let mut op = Self::begin(EntryKind::Grant, branch, by, None);
			op.memo = Some(memo);
			Self::credit_member(
				&mut op,
				LedgerAccount::Grant(branch),
				branch,
				&to,
				amount,
				EntryKind::Grant,
				None,
			)?;
			let operation = Self::commit(op)?;
			Self::deposit_event(Event::Granted { operation, to, amount, memo });
			Ok(())
		}

		/// The signer may reverse `operation`: its branch.
		pub(crate) fn check_reversal(
			by: &T::AccountId,
			operation: OperationId,
		) -> Result<BranchId, DispatchError> {
			let original = Operations::<T>::get(operation).ok_or(Error::<T>::UnknownOperation)?;
			Self::ensure_officer(original.branch, by, OfficerRole::Admin)?;
			ensure!(T::Membership::branch_is_active(original.branch), Error::<T>::BranchNotActive);
			ensure!(original.reversed_by.is_none(), Error::<T>::AlreadyReversed);
			ensure!(
				matches!(original.kind, EntryKind::Grant | EntryKind::Gift | EntryKind::Donation),
				Error::<T>::NotReversible
			);
			Ok(original.branch)
		}

		/// Post the reversal of an operation `check_reversal` accepted for `branch`.
		pub(crate) fn do_reverse(
			by: &T::AccountId,
			branch: BranchId,
			operation: OperationId,
			reason: ReversalReason,
			memo: H256,
		) -> DispatchResult {
			let original = Operations::<T>::get(operation).ok_or(Error::<T>::UnknownOperation)?;
			let mut op = Self::begin(EntryKind::Reversal, branch, by, None);
			op.memo = Some(memo);
			op.reverses = Some(operation);
			// Newest first, so each reversed entry finds the credits its successor returned.
			for entry_id in original.entries.iter().rev() {
				let entry = Entries::<T>::get(entry_id).ok_or(Error::<T>::UnknownOperation)?;
				Self::post_entry(
					&mut op,
					entry.credit,
					entry.debit,
					entry.amount,
					EntryKind::Reversal,
					DebitRule::PolicyLimit,
				)?;
			}
			let reversal = Self::commit(op)?;
			Operations::<T>::mutate(operation, |o| {
				if let Some(o) = o {
					o.reversed_by = Some(reversal);
				}
			});
			Self::deposit_event(Event::OperationReversed { operation, reversal, reason, memo });
			Ok(())
		}

		/// Keep an admin action until the branch's reviewers decide on it.
		fn defer(
			branch: BranchId,
			requester: T::AccountId,
			action: PendingAction<T::AccountId>,
		) -> DispatchResult {
			let pending = NextPendingActionId::<T>::get();
			NextPendingActionId::<T>::put(pending.checked_add(1).ok_or(Error::<T>::Overflow)?);
			let subject = match action {
				PendingAction::Grant { .. } => ReviewSubject::Grant(pending),
				PendingAction::Reversal { .. } => ReviewSubject::Reversal(pending),
				PendingAction::PolicyChange { .. } => ReviewSubject::PolicyChange(pending),
			};
			PendingActions::<T>::insert(
				pending,
				Pending { branch, requester: requester.clone(), action },
			);
			T::Reviews::open(branch, subject, &requester)?;
			Self::deposit_event(Event::AwaitingReview { pending, branch, requester });
			Ok(())
		}

		/// Start an operation. Ids are taken at commit, so a failed call leaves no gap.
		pub(crate) fn begin(
			kind: EntryKind,
			branch: BranchId,
			actor: &T::AccountId,
			on_behalf_of: Option<T::AccountId>,
		) -> OperationDraft<T> {
			OperationDraft {
				id: NextOperationId::<T>::get(),
				record: Operation {
					kind,
					branch,
					actor: actor.clone(),
					on_behalf_of,
					entries: BoundedVec::new(),
					memo: None,
					reverses: None,
					reversed_by: None,
				},
			}
		}

		/// Store the operation and announce it. An operation that posted nothing is not stored.
		pub(crate) fn commit(op: OperationDraft<T>) -> Result<OperationId, DispatchError> {
			if op.entries.is_empty() {
				return Ok(op.id);
			}
			NextOperationId::<T>::put(op.id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Self::deposit_event(Event::OperationRecorded {
				operation: op.id,
				kind: op.kind,
				branch: op.branch,
				actor: op.actor.clone(),
				on_behalf_of: op.on_behalf_of.clone(),
			});
			Operations::<T>::insert(op.id, op.record);
			Ok(op.id)
		}

		/// The one door: every movement of credits is posted here, and only here.
		///
		/// INVARIANT: the sum of all balances is zero, because each entry adds `amount` to one
		/// balance and subtracts it from another. The floors checked here are what `try_state`
		/// verifies.
		pub fn post_entry(
			op: &mut OperationDraft<T>,
			debit: LedgerAccount<T::AccountId>,
			credit: LedgerAccount<T::AccountId>,
			amount: Minutes,
			kind: EntryKind,
			rule: DebitRule,
		) -> DispatchResult {
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(debit != credit, Error::<T>::SameAccount);
			let signed_amount =
				SignedMinutes::try_from(amount).map_err(|_| Error::<T>::Overflow)?;
			let debit_after = Balances::<T>::get(&debit)
				.checked_sub(signed_amount)
				.ok_or(Error::<T>::Overflow)?;
			let credit_after = Balances::<T>::get(&credit)
				.checked_add(signed_amount)
				.ok_or(Error::<T>::Overflow)?;
			Self::check_floor(&debit, debit_after, rule)?;

			// Every check comes before the first write: callers outside an extrinsic's storage
			// layer must not see half an entry.
			let entry = NextEntryId::<T>::get();
			let next_entry = entry.checked_add(1).ok_or(Error::<T>::Overflow)?;
			op.entries.try_push(entry).map_err(|_| Error::<T>::TooManyEntries)?;
			NextEntryId::<T>::put(next_entry);
			Balances::<T>::insert(&debit, debit_after);
			Balances::<T>::insert(&credit, credit_after);
			Self::add_to_home_total(&debit, -signed_amount);
			Self::add_to_home_total(&credit, signed_amount);
			Entries::<T>::insert(
				entry,
				Entry {
					operation: op.id,
					debit: debit.clone(),
					credit: credit.clone(),
					amount,
					kind,
					block_number: frame_system::Pallet::<T>::block_number(),
					extrinsic_index: frame_system::Pallet::<T>::extrinsic_index()
						.unwrap_or_default(),
				},
			);
			let debit_owner = Self::owner(&debit);
			if let Some(who) = debit_owner {
				Self::append_statement(who, entry);
			}
			if let Some(who) = Self::owner(&credit) {
				if Some(who) != debit_owner {
					Self::append_statement(who, entry);
				}
			}
			Self::deposit_event(Event::EntryPosted {
				entry,
				operation: op.id,
				debit,
				credit,
				amount,
				kind,
			});
			Ok(())
		}

		/// Refuse a debit that takes `account` below what it may hold; flag soft-limit breaches.
		fn check_floor(
			account: &LedgerAccount<T::AccountId>,
			after: SignedMinutes,
			rule: DebitRule,
		) -> DispatchResult {
			match account {
				LedgerAccount::Grant(_) => Ok(()),
				LedgerAccount::Clearing { branch, counterparty } => {
					let limit = Self::policy(*branch)
						.clearing_limit
						.min(Self::policy(*counterparty).clearing_limit);
					ensure!(
						after.unsigned_abs() <= limit || after >= 0,
						Error::<T>::ClearingLimitExceeded
					);
					Ok(())
				}
				LedgerAccount::Member { who, class: BalanceClass::Spendable }
					if after < 0 && rule == DebitRule::PolicyLimit =>
				{
					let home = Self::home_branch(who)?;
					match Self::policy(home).accounting {
						AccountingModel::Prepaid => Err(Error::<T>::InsufficientCredits.into()),
						AccountingModel::MutualCredit { limit, hard } => {
							let debt = after.unsigned_abs();
							if debt <= limit {
								return Ok(());
							}
							ensure!(!hard, Error::<T>::CreditLimitExceeded);
							ensure!(
								debt <= T::MaxCreditLimit::get(),
								Error::<T>::CreditLimitExceeded
							);
							SoftLimitFlags::<T>::insert(who, after);
							Self::deposit_event(Event::SoftLimitExceeded {
								who: who.clone(),
								balance: after,
								limit,
							});
							Ok(())
						}
					}
				}
				_ => {
					ensure!(after >= 0, Error::<T>::InsufficientCredits);
					Ok(())
				}
			}
		}

		/// Move credits from an account of `from_branch` to one of `to_branch`; between branches
		/// the movement passes through both clearing accounts in the same operation.
		#[allow(clippy::too_many_arguments)]
		pub(crate) fn move_between(
			op: &mut OperationDraft<T>,
			from: LedgerAccount<T::AccountId>,
			from_branch: BranchId,
			to: LedgerAccount<T::AccountId>,
			to_branch: BranchId,
			amount: Minutes,
			kind: EntryKind,
			rule: DebitRule,
		) -> DispatchResult {
			if from_branch == to_branch {
				return Self::post_entry(op, from, to, amount, kind, rule);
			}
			let outbound = LedgerAccount::Clearing { branch: from_branch, counterparty: to_branch };
			let inbound = LedgerAccount::Clearing { branch: to_branch, counterparty: from_branch };
			Self::post_entry(op, from, outbound, amount, kind, rule)?;
			Self::post_entry(op, inbound, to, amount, EntryKind::Clearing, DebitRule::PolicyLimit)
		}

		/// Credit a member's spendable class up to the storage cap of the member's home branch;
		/// the overflow goes where the policy says, or to `overflow_to` when given.
		#[allow(clippy::too_many_arguments)]
		pub(crate) fn credit_member(
			op: &mut OperationDraft<T>,
			source: LedgerAccount<T::AccountId>,
			source_branch: BranchId,
			who: &T::AccountId,
			amount: Minutes,
			kind: EntryKind,
			overflow_to: Option<LedgerAccount<T::AccountId>>,
		) -> DispatchResult {
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let home = Self::home_branch(who)?;
			let policy = Self::policy(home);
			let current = Self::member_balance(who, BalanceClass::Spendable);
			let room = match policy.storage_cap {
				None => amount,
				Some(cap) => {
					let cap = SignedMinutes::try_from(cap).map_err(|_| Error::<T>::Overflow)?;
					cap.saturating_sub(current).max(0).unsigned_abs().min(amount)
				}
			};
			let overflow = amount - room;
			// Grant accounts have no floor; escrow, pools and members give only what they hold.
			let rule = DebitRule::OwnCredits;
			if room > 0 {
				Self::move_between(
					op,
					source.clone(),
					source_branch,
					Self::spendable(who),
					home,
					room,
					kind,
					rule,
				)?;
			}
			if overflow > 0 {
				let (target, target_branch) = match overflow_to {
					Some(LedgerAccount::Pool(branch)) => (LedgerAccount::Pool(branch), branch),
					Some(other) => (other, home),
					None => match policy.overflow {
						OverflowRule::ToDonationOnly => (
							LedgerAccount::Member {
								who: who.clone(),
								class: BalanceClass::DonationOnly,
							},
							home,
						),
						OverflowRule::ToHonorary => (
							LedgerAccount::Member {
								who: who.clone(),
								class: BalanceClass::Honorary,
							},
							home,
						),
						OverflowRule::Refuse => return Err(Error::<T>::StorageCapExceeded.into()),
					},
				};
				Self::move_between(
					op,
					source,
					source_branch,
					target,
					target_branch,
					overflow,
					EntryKind::CapOverflow,
					rule,
				)?;
			}
			Ok(())
		}

		/// Gift or donate `amount` from `member`'s credits; `actor` is whoever signed (the member,
		/// or the approver of a proxy's proposal).
		pub(crate) fn do_transfer(
			actor: &T::AccountId,
			member: &T::AccountId,
			target: TransferTarget<T::AccountId>,
			amount: Minutes,
		) -> Result<OperationId, DispatchError> {
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let home = Self::home_branch(member)?;
			let on_behalf_of = (actor != member).then(|| member.clone());
			let operation = match &target {
				TransferTarget::Gift { to } => {
					ensure!(to != member, Error::<T>::SelfTransfer);
					ensure!(
						T::Membership::is_verified_relation(member, to),
						Error::<T>::RelationNotVerified
					);
					Self::ensure_active(to)?;
					ensure!(amount <= Self::policy(home).max_gift, Error::<T>::GiftTooLarge);
					let mut op = Self::begin(EntryKind::Gift, home, actor, on_behalf_of);
					Self::credit_member(
						&mut op,
						Self::spendable(member),
						home,
						to,
						amount,
						EntryKind::Gift,
						None,
					)?;
					let operation = Self::commit(op)?;
					Self::deposit_event(Event::Gifted {
						operation,
						from: member.clone(),
						to: to.clone(),
						amount,
					});
					return Ok(operation);
				}
				TransferTarget::DonationToPool { branch, class } => {
					ensure!(T::Membership::branch_is_active(*branch), Error::<T>::BranchNotActive);
					let from = Self::donatable(member, *class)?;
					let mut op = Self::begin(EntryKind::Donation, home, actor, on_behalf_of);
					Self::move_between(
						&mut op,
						from,
						home,
						LedgerAccount::Pool(*branch),
						*branch,
						amount,
						EntryKind::Donation,
						DebitRule::OwnCredits,
					)?;
					Self::commit(op)?
				}
				TransferTarget::DonationToMember { to, class } => {
					ensure!(to != member, Error::<T>::SelfTransfer);
					Self::ensure_active(to)?;
					// INVARIANT: only people the time bank serves receive donations; otherwise two
					// members could launder donation-only credits into spendable ones, or gift
					// without a verified relation.
					let receiver = T::Membership::member(to).ok_or(Error::<T>::NotMember)?;
					ensure!(
						receiver.roles.recipient || receiver.redemption_eligible,
						Error::<T>::NotARecipient
					);
					let from = Self::donatable(member, *class)?;
					let mut op = Self::begin(EntryKind::Donation, home, actor, on_behalf_of);
					Self::credit_member(
						&mut op,
						from,
						home,
						to,
						amount,
						EntryKind::Donation,
						None,
					)?;
					Self::commit(op)?
				}
			};
			Self::deposit_event(Event::Donated { operation, from: member.clone(), target, amount });
			Ok(operation)
		}

		fn donatable(
			member: &T::AccountId,
			class: BalanceClass,
		) -> Result<LedgerAccount<T::AccountId>, DispatchError> {
			ensure!(class != BalanceClass::Honorary, Error::<T>::HonoraryNotTransferable);
			Ok(LedgerAccount::Member { who: member.clone(), class })
		}

		/// Move all of a member's positive balance in `class` to `to` (same branch accounts).
		fn empty_class_into(
			op: &mut OperationDraft<T>,
			who: &T::AccountId,
			class: BalanceClass,
			to: &LedgerAccount<T::AccountId>,
		) -> DispatchResult {
			let balance = Self::member_balance(who, class);
			if balance > 0 {
				let kind = op.kind;
				Self::post_entry(
					op,
					LedgerAccount::Member { who: who.clone(), class },
					to.clone(),
					balance.unsigned_abs(),
					kind,
					DebitRule::OwnCredits,
				)?;
			}
			Ok(())
		}

		fn append_statement(who: &T::AccountId, entry: EntryId) {
			let position = StatementLength::<T>::get(who);
			Statements::<T>::insert(who, position, entry);
			StatementLength::<T>::insert(who, position.saturating_add(1));
		}

		fn owner(account: &LedgerAccount<T::AccountId>) -> Option<&T::AccountId> {
			match account {
				LedgerAccount::Member { who, .. } => Some(who),
				_ => None,
			}
		}

		/// Keep the home branch's total of spendable balances in step with one balance change.
		/// Saturating: the total of balances each bounded by the storage cap and the credit
		/// floor stays far inside `i64`; `try_state` would show a drift.
		fn add_to_home_total(account: &LedgerAccount<T::AccountId>, change: SignedMinutes) {
			if let LedgerAccount::Member { who, class: BalanceClass::Spendable } = account {
				if let Some(member) = T::Membership::member(who) {
					HomeSpendable::<T>::mutate(member.home_branch, |total| {
						*total = total.saturating_add(change)
					});
				}
			}
		}

		pub(crate) fn spendable(who: &T::AccountId) -> LedgerAccount<T::AccountId> {
			LedgerAccount::Member { who: who.clone(), class: BalanceClass::Spendable }
		}

		pub fn member_balance(who: &T::AccountId, class: BalanceClass) -> SignedMinutes {
			Balances::<T>::get(LedgerAccount::Member { who: who.clone(), class })
		}

		/// A branch's current policy (the default until its admins set one).
		pub fn policy(branch: BranchId) -> BranchPolicy {
			Policies::<T>::get(branch).map(|(_, p)| p).unwrap_or_default()
		}

		fn home_branch(who: &T::AccountId) -> Result<BranchId, DispatchError> {
			T::Membership::member(who).map(|m| m.home_branch).ok_or(Error::<T>::NotMember.into())
		}

		fn ensure_active(who: &T::AccountId) -> DispatchResult {
			let member = T::Membership::member(who).ok_or(Error::<T>::NotMember)?;
			ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
			ensure!(
				T::Membership::branch_is_active(member.home_branch),
				Error::<T>::BranchNotActive
			);
			Ok(())
		}

		fn ensure_officer(
			branch: BranchId,
			who: &T::AccountId,
			role: OfficerRole,
		) -> DispatchResult {
			ensure!(T::Membership::is_officer(branch, who, role), Error::<T>::NotBranchOfficer);
			Ok(())
		}

		fn is_home_officer(member: &T::AccountId, who: &T::AccountId, role: OfficerRole) -> bool {
			T::Membership::member(member)
				.is_some_and(|m| T::Membership::is_officer(m.home_branch, who, role))
		}

		/// A member's balances as `timebank_balances` shows them.
		pub fn balances_of(who: &T::AccountId) -> MemberBalances {
			MemberBalances {
				spendable: Self::member_balance(who, BalanceClass::Spendable),
				donation_only: Self::member_balance(who, BalanceClass::DonationOnly),
				honorary: Self::member_balance(who, BalanceClass::Honorary),
				in_escrow: HeldForMember::<T>::get(who),
			}
		}

		/// A page of a member's statement, at most [`MAX_STATEMENT_PAGE`] lines.
		pub fn statement_page(
			who: &T::AccountId,
			from: u32,
			limit: u32,
		) -> StatementPage<T::AccountId> {
			let total = StatementLength::<T>::get(who);
			let limit = limit.min(MAX_STATEMENT_PAGE);
			let end = from.saturating_add(limit).min(total);
			let lines = (from..end)
				.filter_map(|position| Statements::<T>::get(who, position))
				.filter_map(|id| {
					let entry = Entries::<T>::get(id)?;
					let operation = Operations::<T>::get(entry.operation)?;
					Some(StatementLine {
						entry: id,
						operation: entry.operation,
						kind: entry.kind,
						debit: entry.debit,
						credit: entry.credit,
						amount: entry.amount,
						actor: operation.actor,
						on_behalf_of: operation.on_behalf_of,
						block_number: entry.block_number.unique_saturated_into(),
						extrinsic_index: entry.extrinsic_index,
						reverses: operation.reverses,
					})
				})
				.collect();
			StatementPage { lines, total, next: (end < total).then_some(end) }
		}

		/// The ledger's half of `timebank_branchSummary`: a few reads per branch of the chain
		/// (`branches` lists them all), whatever the number of members and entries.
		pub fn fill_branch_summary(
			summary: &mut BranchSummary,
			branches: impl IntoIterator<Item = BranchId>,
		) {
			let branch = summary.branch;
			summary.redemption_liability =
				Balances::<T>::get(LedgerAccount::Grant(branch)).min(0).unsigned_abs();
			summary.pool_balance = Balances::<T>::get(LedgerAccount::Pool(branch));
			summary.policy_version = Policies::<T>::get(branch).map_or(0, |(v, _)| v);
			summary.outstanding_spendable = HomeSpendable::<T>::get(branch);
			summary.clearing_positions = branches
				.into_iter()
				.filter(|counterparty| *counterparty != branch)
				.filter_map(|counterparty| {
					Balances::<T>::try_get(LedgerAccount::Clearing { branch, counterparty })
						.ok()
						.map(|balance| (counterparty, balance))
				})
				.collect();
		}

		/// Each branch's total of its home members' spendable balances, recomputed from every
		/// balance: what `HomeSpendable` must hold (`do_try_state`, the v1 migration).
		/// Also says how many member records it read.
		pub(crate) fn recompute_home_spendable(
		) -> (alloc::collections::BTreeMap<BranchId, SignedMinutes>, u64) {
			let mut totals = alloc::collections::BTreeMap::new();
			let mut members_read = 0;
			for (account, balance) in Balances::<T>::iter() {
				if let LedgerAccount::Member { who, class: BalanceClass::Spendable } = account {
					members_read += 1;
					if let Some(member) = T::Membership::member(&who) {
						let total: &mut SignedMinutes =
							totals.entry(member.home_branch).or_default();
						*total = total.saturating_add(balance);
					}
				}
			}
			(totals, members_read)
		}

		/// The ledger's invariants (DOMAIN.md rules 1–3 and 7):
		/// - all balances sum to zero, and each equals the sum of its entries;
		/// - escrow equals the sum of open holds, and per-member holds agree;
		/// - donation-only, honorary, pool and escrow balances are never negative, grant accounts
		///   never positive, spendable balances never below `-MaxCreditLimit`;
		/// - the two clearing accounts of a branch pair sum to zero;
		/// - a reversed operation names its reversal, and the reversal names it back;
		/// - each branch's `HomeSpendable` is the sum of its home members' spendable balances.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::BTreeMap;
			let mut sum: i128 = 0;
			let mut recomputed: BTreeMap<LedgerAccount<T::AccountId>, i128> = BTreeMap::new();
			for (_, entry) in Entries::<T>::iter() {
				*recomputed.entry(entry.debit).or_default() -= i128::from(entry.amount);
				*recomputed.entry(entry.credit).or_default() += i128::from(entry.amount);
			}
			let floor = -i128::from(T::MaxCreditLimit::get());
			for (account, balance) in Balances::<T>::iter() {
				let balance = i128::from(balance);
				sum += balance;
				ensure!(
					recomputed.remove(&account).unwrap_or_default() == balance,
					"a balance differs from the sum of its entries"
				);
				let ok = match &account {
					LedgerAccount::Grant(_) => balance <= 0,
					LedgerAccount::Member { class: BalanceClass::Spendable, .. } => {
						balance >= floor
					}
					LedgerAccount::Clearing { branch, counterparty } => {
						let other = Balances::<T>::get(LedgerAccount::Clearing {
							branch: *counterparty,
							counterparty: *branch,
						});
						balance + i128::from(other) == 0
					}
					_ => balance >= 0,
				};
				ensure!(ok, "a balance is beyond what its account may hold");
			}
			ensure!(sum == 0, "balances do not sum to zero");
			ensure!(
				recomputed.values().all(|v| *v == 0),
				"entries moved credits into an account with no balance"
			);

			let mut held: i128 = 0;
			let mut by_member: BTreeMap<T::AccountId, Minutes> = BTreeMap::new();
			for (_, hold) in Holds::<T>::iter() {
				ensure!(hold.remaining > 0, "an empty hold is still open");
				held += i128::from(hold.remaining);
				if let LedgerAccount::Member { who, .. } = hold.payer {
					*by_member.entry(who).or_default() += hold.remaining;
				}
			}
			ensure!(
				i128::from(Balances::<T>::get(LedgerAccount::Escrow)) == held,
				"escrow differs from the sum of open holds"
			);
			for (who, amount) in HeldForMember::<T>::iter() {
				ensure!(
					by_member.remove(&who).unwrap_or_default() == amount,
					"a member's held credits disagree with the open holds"
				);
			}
			ensure!(by_member.is_empty(), "an open hold is missing from its member's total");

			for (id, operation) in Operations::<T>::iter() {
				if let Some(reversal) = operation.reversed_by {
					let back = Operations::<T>::get(reversal).and_then(|r| r.reverses);
					ensure!(back == Some(id), "a reversal does not name what it reverses");
				}
			}

			let (mut home_totals, _) = Self::recompute_home_spendable();
			for (branch, total) in HomeSpendable::<T>::iter() {
				ensure!(
					home_totals.remove(&branch).unwrap_or_default() == total,
					"a branch's total of spendable balances differs from its members' balances"
				);
			}
			ensure!(
				home_totals.values().all(|v| *v == 0),
				"a branch's members hold spendable balances its total does not count"
			);
			Ok(())
		}
	}
}

/// The registry moved an account's home branch: its spendable balance now counts for the new
/// branch's total.
impl<T: Config> HomeBranchChanges<T::AccountId> for Pallet<T> {
	fn home_branch_changed(who: &T::AccountId, from: Option<BranchId>, to: Option<BranchId>) {
		let balance = Balances::<T>::get(Self::spendable(who));
		if balance == 0 || from == to {
			return;
		}
		if let Some(from) = from {
			HomeSpendable::<T>::mutate(from, |total| *total = total.saturating_sub(balance));
		}
		if let Some(to) = to {
			HomeSpendable::<T>::mutate(to, |total| *total = total.saturating_add(balance));
		}
	}

	/// The member's spendable balance, and both branches' totals.
	fn weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		T::DbWeight::get().reads_writes(3, 2)
	}
}

/// Reviewers' decisions on waiting grants, reversals and policy changes. An approved action is
/// checked again and carried out in the name of the admin who asked for it.
impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		matches!(
			subject,
			ReviewSubject::Grant(_) | ReviewSubject::Reversal(_) | ReviewSubject::PolicyChange(_)
		) && matches!(decision, Decision::Approve | Decision::Reject)
	}

	/// The member a waiting grant would credit.
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		match subject {
			ReviewSubject::Grant(id) => PendingActions::<T>::get(id).is_some_and(
				|p| matches!(p.action, PendingAction::Grant { ref to, .. } if to == who),
			),
			_ => false,
		}
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		_actor: &T::AccountId,
	) -> sp_runtime::DispatchResult {
		use frame_support::ensure;
		let pending = match subject {
			ReviewSubject::Grant(id)
			| ReviewSubject::Reversal(id)
			| ReviewSubject::PolicyChange(id) => *id,
			_ => return Err(Error::<T>::WrongDecision.into()),
		};
		ensure!(
			matches!(decision, Decision::Approve | Decision::Reject),
			Error::<T>::WrongDecision
		);
		let record = PendingActions::<T>::take(pending).ok_or(Error::<T>::UnknownPendingAction)?;
		match decision {
			Decision::Approve => match record.action {
				// Facts may have changed while the action waited: check it again.
				PendingAction::Grant { to, amount, memo } => {
					let branch = Self::check_grant(&record.requester, &to)?;
					Self::do_grant(&record.requester, branch, to, amount, memo)
				}
				PendingAction::Reversal { operation, reason, memo } => {
					let branch = Self::check_reversal(&record.requester, operation)?;
					Self::do_reverse(&record.requester, branch, operation, reason, memo)
				}
				PendingAction::PolicyChange { policy } => {
					Self::check_policy(&record.requester, record.branch, &policy)?;
					Self::do_set_policy(&record.requester, record.branch, policy)
				}
			},
			Decision::Reject => {
				Self::deposit_event(Event::PendingActionRejected { pending });
				Ok(())
			}
			Decision::Arbitrate(_) => Err(Error::<T>::WrongDecision.into()),
		}
	}
}

impl<T: Config> timebank_primitives::Ledger<T::AccountId> for Pallet<T> {
	fn balance(account: &LedgerAccount<T::AccountId>) -> SignedMinutes {
		Balances::<T>::get(account)
	}

	fn hold(
		branch: BranchId,
		payer: LedgerAccount<T::AccountId>,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<HoldId, sp_runtime::DispatchError> {
		// Callers may run outside an extrinsic (hooks): all or nothing.
		frame_support::storage::with_storage_layer(|| Self::do_hold(branch, payer, amount, actor))
	}

	fn release(hold: HoldId, actor: &T::AccountId) -> sp_runtime::DispatchResult {
		frame_support::storage::with_storage_layer(|| Self::do_release(hold, actor))
	}

	fn settle(
		hold: HoldId,
		payee: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		frame_support::storage::with_storage_layer(|| Self::do_settle(hold, payee, amount, actor))
	}

	fn settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		frame_support::storage::with_storage_layer(|| Self::do_settle_to_pool(hold, amount, actor))
	}

	fn held(hold: HoldId) -> Option<Minutes> {
		Holds::<T>::get(hold).map(|h| h.remaining)
	}

	fn rounding_step(branch: BranchId) -> Minutes {
		Self::policy(branch).rounding_step.max(1)
	}

	fn reward(
		branch: BranchId,
		to: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		frame_support::storage::with_storage_layer(|| Self::do_reward(branch, to, amount, actor))
	}
}

impl<T: Config> Pallet<T> {
	fn do_hold(
		branch: BranchId,
		payer: LedgerAccount<T::AccountId>,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<HoldId, sp_runtime::DispatchError> {
		use frame_support::ensure;
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		let payer_branch = match &payer {
			LedgerAccount::Member { who, class: BalanceClass::Spendable } => {
				let member = T::Membership::member(who).ok_or(Error::<T>::NotMember)?;
				ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
				if let RedemptionRule::EligibleOnly { .. } =
					Self::policy(member.home_branch).redemption
				{
					ensure!(member.redemption_eligible, Error::<T>::NotEligibleForRedemption);
				}
				member.home_branch
			}
			LedgerAccount::Pool(b) | LedgerAccount::Grant(b) => *b,
			_ => return Err(Error::<T>::NotSpendable.into()),
		};
		let hold = NextHoldId::<T>::get();
		let mut op = Self::begin(EntryKind::EscrowHold, payer_branch, actor, None);
		Self::post_entry(
			&mut op,
			payer.clone(),
			LedgerAccount::Escrow,
			amount,
			EntryKind::EscrowHold,
			DebitRule::PolicyLimit,
		)?;
		Self::commit(op)?;
		NextHoldId::<T>::put(hold.checked_add(1).ok_or(Error::<T>::Overflow)?);
		if let LedgerAccount::Member { who, .. } = &payer {
			HeldForMember::<T>::mutate(who, |h| *h = h.saturating_add(amount));
		}
		Holds::<T>::insert(
			hold,
			Hold { branch: payer_branch, payer: payer.clone(), remaining: amount },
		);
		Self::deposit_event(Event::HoldOpened { hold, payer, amount });
		Ok(hold)
	}

	fn do_release(hold: HoldId, actor: &T::AccountId) -> sp_runtime::DispatchResult {
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		let mut op = Self::begin(EntryKind::EscrowRelease, record.branch, actor, None);
		Self::post_entry(
			&mut op,
			LedgerAccount::Escrow,
			record.payer.clone(),
			record.remaining,
			EntryKind::EscrowRelease,
			DebitRule::OwnCredits,
		)?;
		Self::commit(op)?;
		Self::reduce_hold(hold, &record, record.remaining);
		Self::deposit_event(Event::HoldReleased { hold, amount: record.remaining });
		Ok(())
	}

	fn do_settle(
		hold: HoldId,
		payee: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		use frame_support::ensure;
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		ensure!(amount <= record.remaining, Error::<T>::ExceedsHold);
		ensure!(T::Membership::is_active_member(payee), Error::<T>::PayeeNotActive);
		let mut op = Self::begin(EntryKind::Settlement, record.branch, actor, None);
		Self::credit_member(
			&mut op,
			LedgerAccount::Escrow,
			record.branch,
			payee,
			amount,
			EntryKind::Settlement,
			None,
		)?;
		let operation = Self::commit(op)?;
		Self::reduce_hold(hold, &record, amount);
		Self::deposit_event(Event::HoldSettled {
			hold,
			payee: payee.clone(),
			amount,
			remaining: record.remaining - amount,
		});
		Ok(operation)
	}

	fn do_reward(
		branch: BranchId,
		to: &T::AccountId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		use frame_support::ensure;
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		ensure!(T::Membership::is_active_member(to), Error::<T>::PayeeNotActive);
		let mut op = Self::begin(EntryKind::Grant, branch, actor, None);
		Self::credit_member(
			&mut op,
			LedgerAccount::Grant(branch),
			branch,
			to,
			amount,
			EntryKind::Grant,
			None,
		)?;
		Self::commit(op)
	}

	fn do_settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &T::AccountId,
	) -> Result<OperationId, sp_runtime::DispatchError> {
		use frame_support::ensure;
		let record = Holds::<T>::get(hold).ok_or(Error::<T>::UnknownHold)?;
		ensure!(amount <= record.remaining, Error::<T>::ExceedsHold);
		let mut op = Self::begin(EntryKind::Settlement, record.branch, actor, None);
		Self::post_entry(
			&mut op,
			LedgerAccount::Escrow,
			LedgerAccount::Pool(record.branch),
			amount,
			EntryKind::Settlement,
			DebitRule::OwnCredits,
		)?;
		let operation = Self::commit(op)?;
		Self::reduce_hold(hold, &record, amount);
		Self::deposit_event(Event::HoldSettledToPool {
			hold,
			branch: record.branch,
			amount,
			remaining: record.remaining - amount,
		});
		Ok(operation)
	}

	fn reduce_hold(hold: HoldId, record: &Hold<T::AccountId>, amount: Minutes) {
		let remaining = record.remaining.saturating_sub(amount);
		if remaining == 0 {
			Holds::<T>::remove(hold);
		} else {
			Holds::<T>::insert(hold, Hold { remaining, ..record.clone() });
		}
		if let LedgerAccount::Member { who, .. } = &record.payer {
			HeldForMember::<T>::mutate_exists(who, |h| {
				let left = h.unwrap_or_default().saturating_sub(amount);
				*h = (left > 0).then_some(left);
			});
		}
	}
}
