//! Floor 2: the double-entry ledger's words, and the [`Ledger`] trait through which other pallets
//! move credits.
//!
//! The ledger pallet implements [`Ledger`] and is the only writer of balances and entries.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{DispatchError, DispatchResult};
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::ids::{BranchId, HoldId, Minutes, OperationId, SignedMinutes};

/// The kinds of credit a member holds (DOMAIN.md rule 7).
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
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum BalanceClass {
	/// Can pay for services, be gifted or donated.
	Spendable,
	/// Can only be donated (e.g. hours from group volunteering, or overflow above the cap).
	DonationOnly,
	/// Recognition only: never spent, gifted or donated.
	Honorary,
}

/// An account of the double-entry ledger. Every entry debits one and credits another, so the sum
/// of all balances is always zero.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum LedgerAccount<AccountId> {
	/// One balance class of a member.
	Member {
		/// The member.
		who: AccountId,
		/// Which of the member's balances.
		class: BalanceClass,
	},
	/// A branch's community fund: receives donations and cap overflow; never negative.
	Pool(BranchId),
	/// A branch's issuer account: the only source of new credits; its negative balance is the
	/// branch's redemption liability (DOMAIN.md rule 2).
	Grant(BranchId),
	/// Credits held for open activities; equals the sum of open holds.
	Escrow,
	/// `branch`'s clearing account towards `counterparty` for cross-branch movements; the two
	/// directions of a pair always sum to zero, and each side's net position is limited by policy.
	Clearing {
		/// The branch whose books the account is in.
		branch: BranchId,
		/// The other branch of the movements it clears.
		counterparty: BranchId,
	},
}

/// Why an entry was posted.
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
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum EntryKind {
	/// New credits issued from a branch's grant account (training rewards included).
	Grant,
	/// Credits given to a verified relative.
	Gift,
	/// Credits given to a pool or to a member who receives services.
	Donation,
	/// Credit above the storage cap moved to the class the policy names.
	CapOverflow,
	/// One leg of a cross-branch movement through clearing accounts.
	Clearing,
	/// Credits moved into escrow for an open activity.
	EscrowHold,
	/// What an open hold still held, returned to its payer.
	EscrowRelease,
	/// Held credits paid out for a service (to the provider or the pool).
	Settlement,
	/// An entry of a reversed operation, posted back the other way.
	Reversal,
	/// Balance moved when a member leaves.
	Exit,
	/// Balance distributed by a deceased member's time will or to the pool.
	Estate,
	/// A member's balance moved from their old key to their new one (decision 0013): the same
	/// member before and after, so no limit applies and nothing can reverse it.
	Rekey,
}

/// Why a correction was made; the reason text itself stays off chain, linked by hash.
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
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ReversalReason {
	/// Posted by mistake (wrong amount, wrong member).
	EnteredInError,
	/// Duplicate of another entry.
	Duplicate,
	/// The service or gift was found to be fraudulent.
	Fraud,
	/// Ordered by an arbitration or audit decision.
	AuditDecision,
	/// Anything else; the off-chain reason document explains.
	Other,
}

/// The ledger operations other pallets (activities, audits, training) use. Every movement passes
/// through the ledger's one door; callers never write ledger storage.
pub trait Ledger<AccountId> {
	/// Current balance of a ledger account.
	fn balance(account: &LedgerAccount<AccountId>) -> SignedMinutes;
	/// Move `amount` from `payer` into escrow for `branch`'s activity; `payer` must be able to pay
	/// under its policy.
	fn hold(
		branch: BranchId,
		payer: LedgerAccount<AccountId>,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<HoldId, DispatchError>;
	/// Return all that an open hold still holds to its payer and close it.
	fn release(hold: HoldId, actor: &AccountId) -> DispatchResult;
	/// Pay `amount` of an open hold to `payee` (routing through clearing accounts when the payee's
	/// home branch differs from the hold's branch); the hold stays open with what remains.
	fn settle(
		hold: HoldId,
		payee: &AccountId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
	/// Pay `amount` of an open hold to the pool of the hold's branch (the remainder of a group
	/// service's split, DOMAIN.md rule 6); the hold stays open with what remains.
	fn settle_to_pool(
		hold: HoldId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
	/// What an open hold still holds, or `None` if it is closed or unknown.
	fn held(hold: HoldId) -> Option<Minutes>;
	/// `branch`'s rounding step for settled durations, in minutes (never 0).
	fn rounding_step(branch: BranchId) -> Minutes;
	/// Credit `amount` from `branch`'s grant account to `to` (a training reward, by branch
	/// policy); `to` must be an active member.
	fn reward(
		branch: BranchId,
		to: &AccountId,
		amount: Minutes,
		actor: &AccountId,
	) -> Result<OperationId, DispatchError>;
}

/// Round a measured duration to the nearest multiple of `step`, halves up (DOMAIN.md rule 4:
/// applied once, at confirmation). A `step` of 0 leaves the duration as it is.
pub fn round_duration(minutes: Minutes, step: Minutes) -> Minutes {
	if step == 0 {
		return minutes;
	}
	let remainder = minutes % step;
	let down = minutes - remainder;
	if remainder.saturating_mul(2) >= step {
		down.saturating_add(step)
	} else {
		down
	}
}

#[cfg(test)]
mod tests {
	use super::round_duration;

	#[test]
	fn round_duration_rounds_to_the_nearest_step_halves_up() {
		assert_eq!(round_duration(52, 15), 45);
		assert_eq!(round_duration(53, 15), 60, "7.5 rounds up at 8");
		assert_eq!(round_duration(7, 15), 0);
		assert_eq!(round_duration(8, 15), 15);
		assert_eq!(round_duration(90, 30), 90);
	}

	#[test]
	fn round_duration_with_a_zero_step_keeps_the_duration() {
		assert_eq!(round_duration(44, 0), 44);
	}

	#[test]
	fn round_duration_saturates_at_the_top_of_the_range() {
		// u64::MAX ends in 5, so it rounds up past the top: the result stays at the top.
		assert_eq!(round_duration(u64::MAX, 10), u64::MAX);
		assert_eq!(round_duration(u64::MAX, 1), u64::MAX);
	}
}
