//! The records the training pallet keeps: courses, sessions and enrolments.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec},
	sp_core::H256,
};
use scale_info::TypeInfo;
use timebank_primitives::{BranchId, CertificateId, CourseId, Minutes, SkillId};

/// A course a branch offers. Encoded in storage: never reorder the fields.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct Course<MaxUriLen: Get<u32>> {
	/// The branch that offers the course and issues its certificates.
	pub branch: BranchId,
	/// Hash of the course material, so a certificate names exactly what was taught.
	pub content: H256,
	/// Where the material is published.
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// Length of the course.
	pub minutes: Minutes,
	/// The skill a completion certifies.
	pub skill: SkillId,
	/// Days a certificate stays valid; 0 for no expiry.
	pub validity_days: u32,
	/// Credits completing the course earns, from the branch's grant account.
	pub reward: Minutes,
	/// Inactive courses take no new sessions or enrolments.
	pub active: bool,
}

/// A scheduled session of a course. Encoded in storage: never reorder the fields.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Session {
	/// The course taught.
	pub course: CourseId,
	/// When it starts, in milliseconds since the Unix epoch.
	pub starts_at: u64,
	/// Most members it takes.
	pub capacity: u32,
	/// Members enrolled now.
	pub enrolled: u32,
	/// Closed sessions take no more enrolments.
	pub closed: bool,
}

/// Where a member's enrolment in a session stands. Encoded in storage: never reorder the
/// variants.
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
pub enum Enrolment {
	/// Enrolled; attendance not recorded yet.
	Enrolled,
	/// Staff recorded the member's attendance.
	Attended,
	/// Completed; the certificate issued.
	Completed(CertificateId),
}
