//! Floor 1: the unit of account and the numbers that name things.
//!
//! Credits are whole [`Minutes`]; everything the chain keeps a record of is named by one of the
//! ids below, which the other modules key their types by. This module imports nothing from the
//! crate.

use polkadot_sdk::sp_core::H256;

/// Time credits, in whole minutes. One hour of service earns 60 by default (DOMAIN.md).
pub type Minutes = u64;
/// A ledger balance in minutes; negative for grant accounts and mutual-credit overdrafts.
pub type SignedMinutes = i64;
/// A branch institution, numbered from 0 in registration order.
pub type BranchId = u32;
/// One ledger entry (one debit and one credit), numbered from 0; entries are never deleted.
pub type EntryId = u64;
/// One operation: the entries a single grant, gift, settlement or reversal posted together.
pub type OperationId = u64;
/// An escrow hold opened by the activities pallet.
pub type HoldId = u64;
/// Salted hash of a member's identity documents, computed off chain; the only identity on chain.
pub type IdentityCommitment = H256;
/// A request or offer published in the activities pallet.
pub type ListingId = u64;
/// One service between a provider and the member(s) receiving it, from acceptance to settlement.
pub type EngagementId = u64;
/// A service category in a branch's catalogue (meals, medical escort, bathing…).
pub type CategoryId = u16;
/// A skill that training certifies and risky service categories require.
pub type SkillId = u32;
/// A training certificate, numbered from 0.
pub type CertificateId = u64;
/// A review in the audits pallet, numbered from 0.
pub type ReviewId = u64;
/// A ledger action (a large grant, a reversal, a policy change) waiting for review.
pub type PendingActionId = u64;
/// A proposal by a family proxy to move a member's credits (a gift or a donation), waiting for
/// the member's or branch staff's co-signature; numbered from 0.
pub type ProposalId = u64;
/// A training course published by a branch, numbered from 0.
pub type CourseId = u32;
