//! Floor 2: training certificates, and the [`Certification`] trait through which the activities
//! pallet asks whether a member may serve a category that needs a skill.
//!
//! The training pallet stores [`Certificate`]s and implements [`Certification`].

use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::H256;
use scale_info::TypeInfo;
#[cfg(feature = "std")]
use serde::{Deserialize, Serialize};

use crate::ids::{BranchId, CourseId, SkillId};

/// Which members hold a valid certificate for a skill; the training pallet implements it.
pub trait Certification<AccountId> {
	/// Whether `who` holds an unexpired, unrevoked certificate for `skill` that `for_branch`
	/// accepts: one issued by `for_branch` itself or by a branch it lists as a trusted issuer.
	/// `for_branch` is the branch whose category requires the skill.
	fn is_certified(who: &AccountId, skill: SkillId, for_branch: BranchId) -> bool;
}

/// No training records: nobody is certified, so categories that require a skill cannot be served.
impl<AccountId> Certification<AccountId> for () {
	fn is_certified(_: &AccountId, _: SkillId, _: BranchId) -> bool {
		false
	}
}

/// A training certificate, as the training pallet stores it and `timebank_certificate` returns it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(Serialize, Deserialize), serde(rename_all = "camelCase"))]
pub struct Certificate<AccountId, BlockNumber> {
	/// The member who passed the course.
	pub holder: AccountId,
	/// The skill it certifies.
	pub skill: SkillId,
	/// The course passed.
	pub course: CourseId,
	/// The branch that issued it; its staff may revoke it.
	pub branch: BranchId,
	/// Hash of the course material taught.
	pub content: H256,
	/// Milliseconds since the Unix epoch.
	pub issued_at: u64,
	/// `None` for certificates that do not expire.
	pub expires_at: Option<u64>,
	/// The block that recorded it.
	pub issued_in_block: BlockNumber,
	/// Revoked by its branch's staff; it certifies nothing any more, and stays on record.
	pub revoked: bool,
}
