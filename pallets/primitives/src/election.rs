//! Floor 1: how validators are elected, and the session and era counters elections run on.
//!
//! This module imports nothing from the crate.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::Percent;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A session of `pallet-session`, numbered from 0 at genesis.
pub type SessionIndex = u32;
/// An era: the sessions between two validator elections, numbered from 0 at genesis.
pub type EraIndex = u32;

/// How validators are elected and judged; set at genesis and changed by the council.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElectionParameters {
	/// Blocks per session. Authority-set changes and liveness verdicts happen at session ends.
	pub session_blocks: u32,
	/// Sessions per era; an election runs at the start of every era.
	pub sessions_per_era: u32,
	/// The validator set never shrinks below this many validators.
	pub min_validators: u32,
	/// Most validators an election chooses.
	pub max_validators: u32,
	/// A validator that authored less than this share of its expected blocks in a session
	/// (blocks in the session divided by validators) was offline in that session.
	pub offline_threshold: Percent,
	/// Consecutive offline sessions after which the next election leaves the validator out.
	pub max_offline_sessions: u32,
}

impl Default for ElectionParameters {
	/// Ten-minute sessions, hourly elections, at least four validators (the smallest set in
	/// which GRANDPA survives one failure: it needs more than two thirds) and at most 21; a
	/// validator offline for two sessions in a row (about twenty minutes) loses its seat at the
	/// next election, unless that would leave fewer than four.
	fn default() -> Self {
		Self {
			session_blocks: 600,
			sessions_per_era: 6,
			min_validators: 4,
			max_validators: 21,
			offline_threshold: Percent::from_percent(50),
			max_offline_sessions: 2,
		}
	}
}
