//! Floor 2: the words of a service's life, from listing to payout, and the trust it builds.
//!
//! The activities pallet owns these; the runtime API shows them to clients.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::ids::Minutes;

/// How far a member is trusted, 0 (new) to [`MAX_TRUST_LEVEL`]; derived from completed services
/// and ratings by the activities pallet, and required by listings (`min_trust`).
pub type TrustLevel = u8;
/// The highest trust level.
pub const MAX_TRUST_LEVEL: TrustLevel = 5;

/// How risky a service category is; the branch's activity policy decides from which level
/// listings are reviewed before publication.
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
pub enum RiskLevel {
	/// Companionship, errands, smart-device help.
	Low,
	/// Cleaning, meals, escorting outside the home.
	Medium,
	/// Bathing, medical escort, emergencies.
	High,
}

/// Whether a listing asks for a service or offers one.
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
pub enum ListingKind {
	/// The owner needs a service; volunteers apply and are paid by the owner's side.
	Request,
	/// The owner provides a service; receivers apply and share the cost of the provider's time.
	Offer,
}

/// Where a listing is in its life.
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
pub enum ListingStatus {
	/// Waiting for staff review.
	InReview,
	/// Takes applications.
	Open,
	/// Takes no more applications; its engagements run to their end.
	Closed,
	/// Staff review turned it down; it was never open.
	Rejected,
	/// Withdrawn by its owner (or staff or a proxy for them).
	Cancelled,
	/// Reached its expiry with nobody accepted.
	Expired,
}

/// Where an engagement is between acceptance and settlement.
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
pub enum EngagementState {
	/// The listing's owner accepted; the receivers' credits are held; the service has not begun.
	Accepted,
	/// The provider checked in: the service is under way.
	CheckedIn,
	/// The provider checked out: the measured duration waits for confirmation or a dispute.
	CheckedOut,
	/// Holds frozen until arbitration.
	Disputed,
	/// Paid out; the participants may rate each other.
	Settled,
	/// Called off before check-in (by a party, or because the provider did not come); the holds
	/// returned to their payers.
	Cancelled,
}

/// What a settlement paid; measured and rounded durations are both kept (DOMAIN.md rule 4).
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
	Default,
)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct Payout {
	/// The duration settled, after the branch's rounding (or all that was held, when an
	/// arbitration paid the provider everything).
	pub rounded_minutes: Minutes,
	/// Credits paid to the provider.
	pub to_provider: Minutes,
	/// Credits the even split among receivers collected beyond the duration, paid to the pool.
	pub to_pool: Minutes,
	/// Credits returned from the holds to the receivers' side.
	pub refunded: Minutes,
}
