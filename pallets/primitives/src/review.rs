//! Floor 2: review, arbitration and the audit log.
//!
//! The audits pallet implements [`ReviewQueue`] and keeps the audit logs; the pallet that owns a
//! subject (activities, registry, ledger) implements [`ReviewOutcome`] for it, and the runtime's
//! router sends each decision to its owner (docs/decisions/0006).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{DispatchResult, Percent},
};
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::ids::{
	BranchId, CertificateId, CourseId, EngagementId, ListingId, Minutes, OperationId,
	PendingActionId, ReviewId,
};

/// What an arbitration decides for a disputed service (DOMAIN.md rule 5); each outcome is new
/// ledger entries.
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
pub enum ArbitrationOutcome {
	/// The dispute is unfounded: settle the measured duration as a confirmation would.
	Reject,
	/// Pay the provider everything the holds still hold.
	PayProvider,
	/// Return everything the holds still hold to the receivers' side.
	RefundReceivers,
	/// Pay the provider this share of what the holds hold; return the rest.
	Split(Percent),
}

/// What can be put under review in the audits pallet.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub enum ReviewSubject<AccountId> {
	/// A listing its branch reviews before publication.
	Listing(ListingId),
	/// A disputed engagement, for arbitration.
	Dispute(EngagementId),
	/// A membership application, by the applicant's account.
	Application(AccountId),
	/// A grant at or above the branch's threshold, waiting in the ledger.
	Grant(PendingActionId),
	/// A reversal waiting in the ledger.
	Reversal(PendingActionId),
	/// A ledger policy change waiting in the ledger.
	PolicyChange(PendingActionId),
	/// A request funded by its branch's grant account, whose whole budget (estimated minutes
	/// times participants) is new issuance: reviewed as a grant of that budget before it opens.
	FundedListing(ListingId),
	/// A course's reward budget (what all its completions may earn from the branch's grant
	/// account together): reviewed as a grant of that budget before any reward is paid.
	CourseRewards(CourseId),
}

/// The kinds of review a branch's review policy sets rules for.
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
pub enum ReviewKind {
	/// Listings before publication ([`ReviewSubject::Listing`]).
	Listing,
	/// Disputed engagements ([`ReviewSubject::Dispute`]).
	Dispute,
	/// Membership applications ([`ReviewSubject::Application`]).
	Application,
	/// Large grants ([`ReviewSubject::Grant`]), and budgets that issue credits like one
	/// ([`ReviewSubject::FundedListing`], [`ReviewSubject::CourseRewards`]).
	Grant,
	/// Reversals ([`ReviewSubject::Reversal`]).
	Reversal,
	/// Ledger policy changes ([`ReviewSubject::PolicyChange`]).
	PolicyChange,
}

impl<AccountId> ReviewSubject<AccountId> {
	/// The kind of review this subject gets, for the branch's review policy.
	pub fn kind(&self) -> ReviewKind {
		match self {
			Self::Listing(_) => ReviewKind::Listing,
			Self::Dispute(_) => ReviewKind::Dispute,
			Self::Application(_) => ReviewKind::Application,
			Self::Grant(_) => ReviewKind::Grant,
			Self::Reversal(_) => ReviewKind::Reversal,
			Self::PolicyChange(_) => ReviewKind::PolicyChange,
			Self::FundedListing(_) | Self::CourseRewards(_) => ReviewKind::Grant,
		}
	}
}

/// A reviewer's decision.
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
pub enum Decision {
	/// Let the subject go ahead: publish the listing, admit the applicant, carry out the ledger
	/// action.
	Approve,
	/// Turn the subject down; nothing it asked for happens.
	Reject,
	/// Settle a dispute with this outcome (disputes only).
	Arbitrate(ArbitrationOutcome),
}

/// What an audit log is kept for.
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
pub enum AuditSubject<AccountId> {
	/// A member (or applicant), by account.
	Member(AccountId),
	/// A branch.
	Branch(BranchId),
	/// A listing of the activities pallet.
	Listing(ListingId),
	/// An engagement of the activities pallet.
	Engagement(EngagementId),
	/// A ledger operation.
	Operation(OperationId),
	/// A training certificate.
	Certificate(CertificateId),
	/// A grant, reversal or policy change while it waits for review.
	LedgerAction(PendingActionId),
	/// A course of the training pallet.
	Course(CourseId),
}

impl<AccountId> From<ReviewSubject<AccountId>> for AuditSubject<AccountId> {
	fn from(subject: ReviewSubject<AccountId>) -> Self {
		match subject {
			ReviewSubject::Listing(id) | ReviewSubject::FundedListing(id) => Self::Listing(id),
			ReviewSubject::CourseRewards(id) => Self::Course(id),
			ReviewSubject::Dispute(id) => Self::Engagement(id),
			ReviewSubject::Application(who) => Self::Member(who),
			ReviewSubject::Grant(id)
			| ReviewSubject::Reversal(id)
			| ReviewSubject::PolicyChange(id) => Self::LedgerAction(id),
		}
	}
}

/// One step recorded in an audit log.
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
pub enum AuditAction {
	/// The subject was put under review; the entry's actor asked for it.
	ReviewOpened {
		/// The review opened.
		review: ReviewId,
	},
	/// An officer voted on a review of the subject.
	Voted {
		/// The review voted on.
		review: ReviewId,
		/// What the officer voted for.
		decision: Decision,
		/// Hash of the officer's written reasons, kept off chain.
		reason: H256,
	},
	/// Enough officers agreed and the decision was carried out; the entry's actor cast the
	/// deciding vote.
	Decided {
		/// The review decided.
		review: ReviewId,
		/// What was decided.
		decision: Decision,
	},
	/// An auditor flagged the subject; `reason` is the hash of the written note.
	Flagged {
		/// Hash of the auditor's written note, kept off chain.
		reason: H256,
	},
	/// The member's account moved to a new key (decision 0013); logged under both keys, the
	/// entry's actor is the officer who approved. The registry's `Rekeyed` event names both.
	Rekeyed {
		/// Hash of the off-chain record of the request (identity check, signed form).
		evidence: H256,
	},
}

/// An audit log entry; never changed or removed.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct AuditEntry<AccountId, BlockNumber> {
	/// Who acted.
	pub actor: AccountId,
	/// What happened.
	pub action: AuditAction,
	/// The block it happened in.
	pub block: BlockNumber,
}

/// Puts subjects under review; the audits pallet implements it.
pub trait ReviewQueue<AccountId> {
	/// Whether `branch`'s review policy sends this kind of action to review; `amount` is what a
	/// grant would issue (ignored for other kinds). Listings and disputes always go when their
	/// owning pallet sends them.
	fn needs_review(branch: BranchId, kind: ReviewKind, amount: Minutes) -> bool;
	/// Open a review of `subject` in `branch`, asked for by `requester`.
	fn open(
		branch: BranchId,
		subject: ReviewSubject<AccountId>,
		requester: &AccountId,
	) -> DispatchResult;
}

/// No review queue: nothing is ever sent to review.
impl<AccountId> ReviewQueue<AccountId> for () {
	fn needs_review(_: BranchId, _: ReviewKind, _: Minutes) -> bool {
		false
	}
	fn open(_: BranchId, _: ReviewSubject<AccountId>, _: &AccountId) -> DispatchResult {
		Ok(())
	}
}

/// Carries out review decisions on the subjects a pallet owns: the activities pallet for listings
/// and disputes, the registry for applications, the ledger for its waiting actions; the runtime
/// routes each subject to its owner.
pub trait ReviewOutcome<AccountId> {
	/// Whether `decision` fits `subject` (arbitration outcomes fit disputes only).
	fn accepts(subject: &ReviewSubject<AccountId>, decision: &Decision) -> bool;
	/// Whether `who` is a party to `subject` (and so may not decide it).
	fn is_party(subject: &ReviewSubject<AccountId>, who: &AccountId) -> bool;
	/// Carry out `decision`, which enough reviewers agreed on; `actor` cast the deciding vote.
	fn execute(
		subject: &ReviewSubject<AccountId>,
		decision: &Decision,
		actor: &AccountId,
	) -> DispatchResult;
}

#[cfg(test)]
mod tests {
	use super::{AuditSubject, ReviewKind, ReviewSubject};

	#[test]
	fn each_review_subject_has_its_kind_and_audit_log() {
		let cases: [(ReviewSubject<u64>, ReviewKind, AuditSubject<u64>); 8] = [
			(ReviewSubject::Listing(1), ReviewKind::Listing, AuditSubject::Listing(1)),
			(ReviewSubject::Dispute(2), ReviewKind::Dispute, AuditSubject::Engagement(2)),
			(ReviewSubject::Application(3), ReviewKind::Application, AuditSubject::Member(3)),
			(ReviewSubject::Grant(4), ReviewKind::Grant, AuditSubject::LedgerAction(4)),
			(ReviewSubject::Reversal(5), ReviewKind::Reversal, AuditSubject::LedgerAction(5)),
			(
				ReviewSubject::PolicyChange(6),
				ReviewKind::PolicyChange,
				AuditSubject::LedgerAction(6),
			),
			(ReviewSubject::FundedListing(7), ReviewKind::Grant, AuditSubject::Listing(7)),
			(ReviewSubject::CourseRewards(8), ReviewKind::Grant, AuditSubject::Course(8)),
		];
		for (subject, kind, log) in cases {
			assert_eq!(subject.kind(), kind, "{subject:?}");
			assert_eq!(AuditSubject::from(subject), log);
		}
	}
}
