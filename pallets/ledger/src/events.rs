//! What the ledger announces: its events, kept in their own file so `lib.rs` stays readable
//! (imported into the pallet with `#[import_section]`).

use polkadot_sdk::frame_support::pallet_macros::pallet_section;

/// The ledger's events, pasted verbatim into the pallet module.
#[pallet_section]
mod events {
	/// What the ledger announces. Each operation emits one `EntryPosted` per entry and then one
	/// `OperationRecorded`; the other events tell of changes to other records (holds, proposals,
	/// reversed operations, estates, membership) and carry their facts (decision 0008).
	///
	/// Variant indices are fixed: 3, 4 and 5 (`Granted`, `Gifted`, `Donated`, which repeated
	/// `OperationRecorded`) were removed by decision 0008 and are never reused.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// One entry of the ledger: `amount` minutes moved from `debit` to `credit`.
		#[codec(index = 0)]
		EntryPosted {
			/// The entry's number.
			entry: EntryId,
			/// The operation it belongs to (announced by `OperationRecorded` after its entries).
			operation: OperationId,
			/// The account the minutes left.
			debit: LedgerAccount<T::AccountId>,
			/// The account the minutes reached.
			credit: LedgerAccount<T::AccountId>,
			/// How many minutes moved.
			amount: Minutes,
			/// Why they moved.
			kind: EntryKind,
		},
		/// An operation (a grant, gift, donation, hold, settlement, reversal, exit or estate) is
		/// recorded; its entries were announced just before, each by `EntryPosted`.
		#[codec(index = 1)]
		OperationRecorded {
			/// The operation's number.
			operation: OperationId,
			/// What kind of action it was.
			kind: EntryKind,
			/// The branch whose admins may reverse it.
			branch: BranchId,
			/// Who acted: the signer, or the account another pallet acted for.
			actor: T::AccountId,
			/// The member whose credits moved, when someone else acted for them.
			on_behalf_of: Option<T::AccountId>,
			/// Hash of the document behind a grant or a reversal.
			memo: Option<H256>,
		},
		/// A branch's admins set a new version of its ledger policy.
		#[codec(index = 2)]
		PolicyChanged {
			/// The branch.
			branch: BranchId,
			/// The new version number.
			version: u32,
			/// The admin who set it (or whose request the reviewers approved).
			by: T::AccountId,
		},
		/// A family proxy proposed a gift or donation from a member's credits; nothing moved yet.
		#[codec(index = 6)]
		TransferProposed {
			/// The proposal's number, to approve or cancel it by.
			proposal: ProposalId,
			/// The member whose credits would move.
			member: T::AccountId,
			/// The proxy who proposed it.
			proxy: T::AccountId,
		},
		/// A proxy's proposal went through: the entries name the approver and the member; this
		/// event adds the proxy, so every proxied movement records all parties.
		#[codec(index = 7)]
		TransferApproved {
			/// The proposal.
			proposal: ProposalId,
			/// The operation that moved the credits.
			operation: OperationId,
			/// The member whose credits moved.
			member: T::AccountId,
			/// The proxy who proposed it.
			proxy: T::AccountId,
			/// Who approved: the member, or staff of the member's home branch.
			by: T::AccountId,
		},
		/// A proxy's proposal was withdrawn; nothing moved.
		#[codec(index = 8)]
		TransferCancelled {
			/// The proposal.
			proposal: ProposalId,
			/// Who withdrew it: the member, the proxy or staff.
			by: T::AccountId,
		},
		/// An operation was reversed by a new operation that posted the opposite entries.
		#[codec(index = 9)]
		OperationReversed {
			/// The operation reversed.
			operation: OperationId,
			/// The operation that reversed it.
			reversal: OperationId,
			/// Why.
			reason: ReversalReason,
			/// Hash of the document giving the reason.
			memo: H256,
		},
		/// A member's spendable balance went beyond the branch's soft mutual-credit limit; staff
		/// follow up.
		#[codec(index = 10)]
		SoftLimitExceeded {
			/// The member.
			who: T::AccountId,
			/// The spendable balance now (negative).
			balance: SignedMinutes,
			/// The branch's soft limit it went beyond.
			limit: Minutes,
		},
		/// Credits were set aside in escrow for an activity.
		#[codec(index = 11)]
		HoldOpened {
			/// The hold's number.
			hold: HoldId,
			/// The account the credits came from.
			payer: LedgerAccount<T::AccountId>,
			/// How many minutes are held.
			amount: Minutes,
		},
		/// What a hold still held went back to its payer; the hold is closed.
		#[codec(index = 12)]
		HoldReleased {
			/// The hold.
			hold: HoldId,
			/// How many minutes went back.
			amount: Minutes,
		},
		/// Part or all of a hold was paid to a member for a service.
		#[codec(index = 13)]
		HoldSettled {
			/// The hold.
			hold: HoldId,
			/// The member paid.
			payee: T::AccountId,
			/// How many minutes were paid.
			amount: Minutes,
			/// What the hold still holds (0: closed).
			remaining: Minutes,
		},
		/// An admin action waits for the branch's reviewers; nothing was posted yet.
		#[codec(index = 14)]
		ActionDeferred {
			/// The waiting action's number (the review's subject).
			pending: PendingActionId,
			/// The branch whose reviewers decide.
			branch: BranchId,
			/// The admin who asked for it.
			requester: T::AccountId,
		},
		/// The reviewers rejected a waiting admin action; nothing was posted.
		#[codec(index = 15)]
		PendingActionRejected {
			/// The waiting action.
			pending: PendingActionId,
		},
		/// The remainder of a group service's split went from a hold to its branch's pool.
		#[codec(index = 16)]
		HoldSettledToPool {
			/// The hold.
			hold: HoldId,
			/// The branch whose pool received it.
			branch: BranchId,
			/// How many minutes.
			amount: Minutes,
			/// What the hold still holds (0: closed).
			remaining: Minutes,
		},
		/// A member set (or, with no beneficiaries, cleared) their time will.
		#[codec(index = 17)]
		TimeWillSet {
			/// The member.
			member: T::AccountId,
			/// How many beneficiaries it names.
			beneficiaries: u32,
		},
		/// A member left the time bank; their balance went as they chose.
		#[codec(index = 18)]
		MemberLeft {
			/// The member.
			who: T::AccountId,
			/// What happened to the balance.
			choice: ExitChoice<T::AccountId>,
		},
		/// An officer opened the estate of a member whose death is documented.
		#[codec(index = 19)]
		EstateOpened {
			/// The deceased member.
			member: T::AccountId,
			/// The officer who opened it.
			by: T::AccountId,
			/// Hash of the death documentation kept off chain.
			evidence: H256,
		},
		/// A second officer approved an estate: the balance was distributed and the member is
		/// recorded deceased.
		#[codec(index = 20)]
		EstateSettled {
			/// The deceased member.
			member: T::AccountId,
			/// The officer who opened the estate.
			first_approver: T::AccountId,
			/// The officer who approved it.
			second_approver: T::AccountId,
		},
		/// An estate opened in error was closed; nothing moved.
		#[codec(index = 21)]
		EstateCancelled {
			/// The member.
			member: T::AccountId,
			/// The officer who closed it.
			by: T::AccountId,
		},
		/// A member flagged for going beyond the soft mutual-credit limit is back within the
		/// limit (or back in credit): the flag is removed.
		#[codec(index = 22)]
		SoftLimitCleared {
			/// The member.
			who: T::AccountId,
			/// The spendable balance now.
			balance: SignedMinutes,
		},
	}
}
