//! What the indexer keeps from events: each event it projects becomes one [`Change`] to its
//! tables, decoded with the generated event types (which decode by field name, so a field added
//! or moved by a runtime upgrade still decodes; an incompatible change stops the indexer at the
//! block instead of skipping it).

use crate::chain::ChainConfig;
use timebank_chain_api::timebank::registry::events as registry;

/// A change to the index, in the order the block's events made them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
	/// A branch was registered.
	BranchRegistered {
		/// The branch.
		branch: u32,
		/// Its parent branch.
		parent: Option<u32>,
		/// Its first admin.
		admin: [u8; 32],
	},
	/// A branch's status changed (`Active`, `Suspended`, `Closed`).
	BranchStatus {
		/// The branch.
		branch: u32,
		/// Its status now.
		status: String,
	},
	/// An account became staff or admin of a branch.
	OfficerAppointed {
		/// The branch.
		branch: u32,
		/// The officer.
		who: [u8; 32],
		/// `Staff` or `Admin`.
		role: String,
	},
	/// An account is no longer an officer of a branch.
	OfficerRemoved {
		/// The branch.
		branch: u32,
		/// The former officer.
		who: [u8; 32],
	},
	/// A member joined (registered by staff, or an application approved).
	MemberJoined {
		/// The member.
		who: [u8; 32],
		/// The home branch.
		branch: u32,
	},
	/// A member's status changed.
	MemberStatus {
		/// The member.
		who: [u8; 32],
		/// Its status now (the variant's name).
		status: String,
	},
	/// A member's account moved to a new key.
	Rekeyed {
		/// The retired key.
		old: [u8; 32],
		/// The new key.
		new: [u8; 32],
	},
}

/// The name of an enum value's variant (`Deceased { .. }` → `Deceased`).
fn variant_name(value: &impl std::fmt::Debug) -> String {
	let text = format!("{value:?}");
	text.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default().to_owned()
}

/// The change `event` makes to the index, if it is one the index keeps; the decoding error, in
/// words, if the event's shape is not the one this gateway was generated for.
pub fn change_of(event: &subxt::events::Event<'_, ChainConfig>) -> Result<Option<Change>, String> {
	macro_rules! decode {
		($ty:ty, |$e:ident| $change:expr) => {
			if let Some(decoded) = event.decode_fields_as::<$ty>() {
				let $e = decoded.map_err(|e| e.to_string())?;
				return Ok(Some($change));
			}
		};
	}
	decode!(registry::BranchRegistered, |e| Change::BranchRegistered {
		branch: e.branch,
		parent: e.parent,
		admin: e.admin.0,
	});
	decode!(registry::BranchStatusChanged, |e| Change::BranchStatus {
		branch: e.branch,
		status: variant_name(&e.status),
	});
	decode!(registry::OfficerAppointed, |e| Change::OfficerAppointed {
		branch: e.branch,
		who: e.who.0,
		role: variant_name(&e.role),
	});
	decode!(registry::OfficerRemoved, |e| Change::OfficerRemoved {
		branch: e.branch,
		who: e.who.0
	});
	decode!(registry::MemberRegistered, |e| Change::MemberJoined {
		who: e.who.0,
		branch: e.branch
	});
	decode!(registry::ApplicationApproved, |e| Change::MemberJoined {
		who: e.who.0,
		branch: e.branch
	});
	decode!(registry::MemberStatusChanged, |e| Change::MemberStatus {
		who: e.who.0,
		status: variant_name(&e.status),
	});
	decode!(registry::Rekeyed, |e| Change::Rekeyed { old: e.old.0, new: e.new.0 });
	Ok(None)
}
