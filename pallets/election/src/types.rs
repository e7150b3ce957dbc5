//! What the election stores about candidacies and validators' authoring.
//!
//! These types are encoded in storage: never reorder their fields.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::Percent;
use scale_info::TypeInfo;

/// The highest offline threshold the council may set.
pub const MAX_OFFLINE_THRESHOLD: Percent = Percent::from_percent(75);

/// A branch's candidacy.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Candidate<AccountId> {
	/// The account whose session keys the branch's node signs with.
	pub validator: AccountId,
	/// Whether the council approved the candidacy; only approved candidates receive votes and
	/// can be elected.
	pub approved: bool,
}

/// What the pallet knows of a validator's authoring.
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
	Default,
	Debug,
)]
pub struct Liveness {
	/// Blocks authored in the current session.
	pub authored_this_session: u32,
	/// Consecutive sessions judged offline, the last one included.
	pub offline_sessions: u32,
}
