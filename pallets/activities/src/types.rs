//! The pallet's data: what a branch configures (categories, activity policy), what a member
//! publishes (listings), what an acceptance creates (engagements), and the timed work the
//! scheduler holds.
//!
//! Every encoded type here is in storage or in a call: its fields and variants keep their order.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		traits::{ConstU32, Get},
		BoundedVec,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
};
use scale_info::TypeInfo;
use timebank_primitives::{
	BranchId, CategoryId, EngagementId, EngagementState, HoldId, ListingId, ListingKind,
	ListingStatus, Minutes, Payout, RiskLevel, SkillId, TrustLevel,
};

use crate::Config;

/// A service category in a branch's catalogue.
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
pub struct Category {
	/// How risky the service is; the branch's policy may send risky listings to review.
	pub risk: RiskLevel,
	/// The certificate a provider needs (bathing, medical escort…); `None` for anyone.
	pub required_skill: Option<SkillId>,
	/// Inactive categories take no new listings; existing ones run to their end.
	pub active: bool,
}

/// A branch's rules for activities; a branch without one uses
/// [`Pallet::default_policy`](crate::Pallet::default_policy).
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
pub struct ActivityPolicy<BlockNumber> {
	/// Listings in categories at or above this risk wait for staff review; `None`: none do.
	pub review_from_risk: Option<RiskLevel>,
	/// Listings by members with no completed service wait for staff review.
	pub review_newcomers: bool,
	/// Blocks after check-out before an unconfirmed, undisputed engagement settles itself.
	pub confirm_window: BlockNumber,
	/// Blocks an open listing stays open.
	pub listing_lifetime: BlockNumber,
	/// The provider must give the one-time code the receiver shows to check in.
	pub check_in_code: bool,
}

/// Who pays for a request.
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
pub enum Funding {
	/// The receiving member's own spendable credits.
	Own,
	/// The branch's pool (community fund), for a redemption-eligible elder; staff publish.
	BranchPool,
	/// The branch's grant account, for a redemption-eligible elder; staff publish.
	BranchGrant,
}

/// What the publisher submits.
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
pub struct ListingDraft {
	/// A request ("I need help") or an offer ("I can help").
	pub kind: ListingKind,
	/// The branch the service takes place in.
	pub branch: BranchId,
	/// The category of the branch's catalogue.
	pub category: CategoryId,
	/// Start of the time slot, milliseconds since the Unix epoch.
	pub slot_start: u64,
	/// End of the time slot, milliseconds since the Unix epoch.
	pub slot_end: u64,
	/// A coarse place code (community or street), never an address.
	pub area: u32,
	/// How long the service should take; what acceptance holds in escrow.
	pub estimated_minutes: Minutes,
	/// Applicants need at least this trust level.
	pub min_trust: TrustLevel,
	/// Volunteers a request takes, or receivers an offer's group takes.
	pub max_participants: u32,
	/// Who pays (requests only; offers are paid by their receivers).
	pub funding: Funding,
	/// Hash of the listing's description (often health details: "needs help bathing"), which
	/// stays off chain at the owner's branch; clients show the text only when it hashes to
	/// this. All zeros: published without a description.
	pub details_hash: H256,
}

/// A published request or offer.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Listing<AccountId, BlockNumber> {
	/// What was published.
	pub draft: ListingDraft,
	/// The member the listing is for: the receiver of a request, the provider of an offer.
	pub owner: AccountId,
	/// Who signed the publication (the owner, a proxy or staff).
	pub published_by: AccountId,
	/// Where the listing is in its life (in review, open, closed…).
	pub status: ListingStatus,
	/// Engagements (requests) or receivers (offers) accepted and not cancelled.
	pub accepted: u32,
	/// Applications waiting for the owner's answer.
	pub applications: u32,
	/// The block in which an open listing expires.
	pub expires_at: BlockNumber,
}

/// A member receiving the service and the escrow hold that pays for their share.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Receiver<AccountId> {
	/// The member receiving the service.
	pub who: AccountId,
	/// The ledger's escrow hold paying for their share.
	pub hold: HoldId,
}

/// One provider serving one or more receivers, from acceptance to settlement or cancellation.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxReceivers))]
pub struct Engagement<AccountId, BlockNumber, MaxReceivers: Get<u32>> {
	/// The listing it was accepted from.
	pub listing: ListingId,
	/// The member who gives the service and is paid.
	pub provider: AccountId,
	/// The members who receive the service, each with their escrow hold.
	pub receivers: BoundedVec<Receiver<AccountId>, MaxReceivers>,
	/// Where the engagement is in its life.
	pub state: EngagementState,
	/// Commitment to the one-time check-in code the receiver shows
	/// ([`Pallet::check_in_commitment`](crate::Pallet::check_in_commitment)); cleared at
	/// check-in, so it is used once.
	pub check_in_code: Option<H256>,
	/// Check-in time (the chain's), milliseconds since the Unix epoch.
	pub checked_in_at: Option<u64>,
	/// Check-out time (the chain's), milliseconds since the Unix epoch.
	pub checked_out_at: Option<u64>,
	/// Whole minutes between check-in and check-out.
	pub measured_minutes: Minutes,
	/// When the engagement settles by itself if nobody confirms or disputes.
	pub confirm_due: Option<BlockNumber>,
	/// What settlement paid and returned; `None` before settlement.
	pub payout: Option<Payout>,
}

/// A member's service history, for the trust level.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ServiceRecord {
	/// Services given that paid the provider something.
	pub provided: u32,
	/// Services received that paid the provider something.
	pub received: u32,
	/// Ratings received.
	pub ratings: u32,
	/// Sum of the stars of those ratings.
	pub rating_sum: u32,
}

/// Timed work, done by `on_initialize` within its budget.
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
pub enum DueTask {
	/// Close an open listing whose lifetime ended.
	ExpireListing(ListingId),
	/// Cancel an engagement nobody checked in to by the end of its slot, releasing its holds.
	NoShow(EngagementId),
	/// Settle a checked-out engagement whose confirmation window ended.
	AutoConfirm(EngagementId),
}

/// A listing as this runtime stores it.
pub type ListingOf<T> = Listing<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// An engagement as this runtime stores it.
pub type EngagementOf<T> = Engagement<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxParticipants,
>;
/// The one-time code a receiver shows the provider at check-in (the chain stores only a salted
/// commitment to it).
pub type CheckInCode = BoundedVec<u8, ConstU32<32>>;
/// The secret the receiver's side (or the custodial gateway holding their key) picks at random
/// for each check-in code and reveals only with the code at check-in: 128 bits, so the stored
/// commitment cannot be searched for a short code.
pub type CheckInSalt = [u8; 16];

/// What the provider gives at check-in when the branch requires the receiver's code: the salt and
/// the code the receiver showed. Their commitment ([`Pallet::check_in_commitment`]) must be the
/// one the receiver's side recorded for this engagement.
///
/// [`Pallet::check_in_commitment`]: crate::Pallet::check_in_commitment
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct CheckInProof {
	/// The random salt the receiver's side chose with the code.
	pub salt: CheckInSalt,
	/// The code the receiver showed.
	pub code: CheckInCode,
}

/// Domain tag of check-in commitments, so that no other hash of the chain can stand for one.
pub const CHECK_IN_COMMITMENT_TAG: &[u8] = b"timebank/activities/check-in-code/v1";

/// How early a provider may check in before the slot starts: a quarter of an hour, in
/// milliseconds. Volunteers arrive a little early and phones' clocks differ from the chain's; a
/// quarter of an hour is the default rounding step, and the measured duration is capped at the
/// slot's length anyway, so an early check-in earns nothing extra.
pub const CHECK_IN_EARLY_MS: u64 = 15 * 60 * 1_000;
/// The receivers of one engagement.
pub type ReceiversOf<T> =
	BoundedVec<Receiver<<T as frame_system::Config>::AccountId>, <T as Config>::MaxParticipants>;
