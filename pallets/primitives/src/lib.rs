//! The types, traits and runtime API that the Time Bank Chain pallets, runtime and node share.
//!
//! # Pallets meet through these traits
//!
//! Pallets never import each other (docs/ARCHITECTURE.md). What one pallet needs from another is
//! a trait declared here, implemented by the pallet that owns the state, and wired to its users by
//! the runtime (`runtime/src/configs/`); pallet tests implement the same traits in their mocks.
//!
//! | trait | implemented by | used by |
//! |---|---|---|
//! | [`Membership`] | the registry | every other pallet |
//! | [`Authority`] | every [`Membership`] provider, for free | every pallet that checks who may act |
//! | [`HomeBranchChanges`] | the ledger | the registry |
//! | [`MembershipFixtures`] | the registry | the other pallets' benchmarks |
//! | [`Ledger`] | the ledger | activities, training |
//! | [`Certification`] | training | activities |
//! | [`ReviewQueue`] | audits | activities, registry, ledger |
//! | [`Rekeying`] | ledger, activities, training, election, audits | the registry |
//! | [`ReviewOutcome`] | activities, registry, ledger (through the runtime's router) | audits |
//!
//! The node reads pallet state only through the [`TimebankApi`] runtime API.
//!
//! # Modules, one per vocabulary
//!
//! Each module imports only from the floors below it, so the crate has no cycles:
//!
//! 1. `ids`: [`Minutes`] and the ids everything is keyed by; `election`: [`ElectionParameters`]
//!    and the session and era counters.
//! 2. `membership`: member status, roles, proxies and the [`Membership`] trait; `ledger`: ledger
//!    accounts, entry kinds, the [`Ledger`] trait and [`round_duration`]; `activities`: listings,
//!    engagements, payouts and trust levels; `training`: certificates and [`Certification`];
//!    `review`: review subjects, decisions, audit logs, [`ReviewQueue`] and [`ReviewOutcome`].
//! 3. `authority`: [`Authority`], the one place the rules for who may act are written.
//! 4. `api`: the views the node reads and the [`TimebankApi`] declaration.
//!
//! Every item is re-exported here, so users write `timebank_primitives::X` and never name a
//! module.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod activities;
mod api;
mod authority;
mod election;
mod ids;
mod ledger;
mod membership;
mod rekeying;
mod review;
mod training;

pub use activities::{
	EngagementState, ListingKind, ListingStatus, Payout, RiskLevel, TrustLevel, MAX_TRUST_LEVEL,
};
pub use api::{
	runtime_decl_for_timebank_api, runtime_decl_for_transaction_preview, BranchSummary,
	CandidateView, ElectionView, EngagementView, ListingView, MemberBalances, MemberView,
	StatementLine, StatementPage, ValidatorView, MAX_PAGE,
};
// The client-side traits exist only in std builds (`decl_runtime_apis!` generates them for the
// node); the Wasm runtime implements them through the `runtime_decl_for_*` modules.
#[cfg(feature = "std")]
pub use api::{TimebankApi, TransactionPreview};
pub use authority::{Authority, NotOfficer, ProxyPermission};
pub use election::{ElectionParameters, EraIndex, SessionIndex};
pub use ids::{
	BranchId, CategoryId, CertificateId, CourseId, EngagementId, EntryId, HoldId,
	IdentityCommitment, ListingId, Minutes, OperationId, PendingActionId, ProposalId, ReviewId,
	SignedMinutes, SkillId,
};
pub use ledger::{round_duration, BalanceClass, EntryKind, Ledger, LedgerAccount, ReversalReason};
pub use membership::{
	HomeBranchChanges, MemberFacts, MemberRoles, MemberStatus, Membership, MembershipFixtures,
	OfficerRole, ProxyPermissions,
};
pub use rekeying::Rekeying;
pub use review::{
	ArbitrationOutcome, AuditAction, AuditEntry, AuditSubject, Decision, ReviewKind, ReviewOutcome,
	ReviewQueue, ReviewSubject,
};
pub use training::{Certificate, Certification};
