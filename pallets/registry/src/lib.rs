//! # Registry pallet
//!
//! Branches, their officers, and members (with family proxies and verified relations) of the Time
//! Bank Chain; members transact fee-free under a per-account quota.
//!
//! ## Overview
//!
//! Branch institutions form a hierarchy (city → district → street → community site). The council
//! registers branches and their first admin; admins appoint staff; staff register and approve
//! members. A member has one home branch, optional extra memberships, roles (volunteer, recipient,
//! family proxy) and a status. On chain, a member is only an account and an identity commitment
//! (a salted hash computed off chain): names, phone and ID numbers never reach the chain.
//!
//! Branches and members live in one pallet because every member operation is authorised by the
//! officers of a branch: one pallet keeps that check in one place (docs/ARCHITECTURE.md).
//!
//! ## Terminology
//!
//! - **Officer**: an account with the staff or admin role at a branch. Officers need not be members.
//! - **Family proxy** (亲情代理): an active member a member authorised, with scoped permissions.
//! - **Verified relation**: two members that branch staff verified as relatives; gifts need it.
//! - **Quota**: members pay no fees; [`CheckMemberQuota`] limits how many fee-free calls an account
//!   may submit per window, and refuses non-members, before a transaction enters the pool.
//!
//! ## Interface
//!
//! Council (`BranchOrigin`): `register_branch`, `set_branch_status`, `set_auditor`; with branch
//! admins: `appoint_officer`, `remove_officer`. Staff: `approve_application`,
//! `reject_application`, `register_member`, `set_member_roles`, `set_member_status`,
//! `add_extra_membership`, `move_home_branch`, `verify_relation`, `remove_relation`,
//! `set_redemption_eligibility`. Members: `apply_for_membership`, `authorise_proxy`,
//! `revoke_proxy`, `remove_extra_membership`.
//!
//! Other pallets use it through [`timebank_primitives::Membership`] (and the authority checks
//! [`timebank_primitives::Authority`] builds on it).
//!
//! ## Code map
//!
//! This file holds the FRAME sections; each call checks its origin and hands over to the module
//! of its concern: [`types`] (what is stored), `branches.rs`, `officers.rs` (appointments and
//! who may act), `members.rs` (member records and their counters), `relations.rs` (proxies and
//! verified relatives), `extension.rs` (the quota), `views.rs` (what the runtime API reads),
//! `invariants.rs` (`do_try_state`), and one `impl_*.rs` file per trait the pallet implements.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod branches;
mod extension;
#[cfg(feature = "runtime-benchmarks")]
mod fixtures;
mod impl_membership;
mod impl_review_outcome;
mod invariants;
mod members;
pub mod migrations;
mod officers;
mod relations;
pub mod types;
mod views;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod quota_tests;
#[cfg(test)]
mod tests;

pub use extension::{CheckMemberQuota, NOT_A_MEMBER, QUOTA_EXHAUSTED};
pub use types::*;
pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256};
use timebank_primitives::{
	BranchId, HomeBranchChanges, IdentityCommitment, MemberRoles, MemberStatus, NotOfficer,
	OfficerRole, ProxyPermissions, ReviewQueue,
};

#[frame_support::pallet]
// FRAME's macros expand to fully qualified paths (`frame_support::sp_runtime::DispatchError`,
// `std::string::String`, ...) under the spans of this module's `#[pallet::*]` attributes, and it
// needs the `Config` supertrait spelled `polkadot_sdk::frame_system::Config`: the lint would
// report both as this crate's. Code outside this module is linted.
#[allow(unused_qualifications)]
pub mod pallet {
	use super::*;
	// Named here because FRAME's prelude also exports a trait `Member`.
	use crate::types::Member;
	use frame_support::{dispatch::Pays, pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::traits::Zero;

	/// The storage layout's version; `migrations` moves a chain from one to the next.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The registry of branches, officers and members.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The registry's configuration: who registers branches, membership limits, the quota, and
	/// the pallets it tells about members.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Registers and suspends branches, appoints admins and auditors: the council.
		type BranchOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most branches a member can belong to besides the home branch.
		#[pallet::constant]
		type MaxExtraMemberships: Get<u32>;
		/// Most proxies one member can authorise.
		#[pallet::constant]
		type MaxProxiesPerMember: Get<u32>;
		/// Length of a quota window, in blocks.
		#[pallet::constant]
		type QuotaWindow: Get<BlockNumberFor<Self>>;
		/// Block execution time (reference time) a member's fee-free calls may use per quota
		/// window, each call counted at its declared weight (what failed calls also cost the
		/// block), less what the call reports it did not use.
		#[pallet::constant]
		type MemberQuota: Get<Weight>;
		/// The same for officers and auditors, who act for many members.
		#[pallet::constant]
		type OfficerQuota: Get<Weight>;
		/// The least one fee-free call counts against a quota, however light: bounds the number
		/// of calls per window, and so what validating them costs the pool.
		#[pallet::constant]
		type MinCallCharge: Get<Weight>;
		/// Fee-free calls that only members, officers and auditors may submit.
		type MemberCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// Fee-free calls anyone with an account may submit (applying for membership).
		type OpenCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// Where applications wait when the branch's review policy asks for it (the audits
		/// pallet).
		type Reviews: ReviewQueue<Self::AccountId>;
		/// Told of every change of an account's home branch (the ledger's per-branch totals).
		type HomeBranchChanges: HomeBranchChanges<Self::AccountId>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
	}

	// Hashers: `BranchId`s are assigned by the chain (counting up), so nobody can choose them to
	// unbalance the trie: maps keyed by a branch use `Twox64Concat`, as in every other pallet of
	// the time bank (storage version 1; `migrations::v1` moved the keys of older chains). Maps
	// keyed by an `AccountId` use `Blake2_128Concat` because accounts are chosen by their owners,
	// who could otherwise pick keys that unbalance the trie.

	/// The number the next registered branch gets; branches are numbered from 0.
	#[pallet::storage]
	pub type NextBranchId<T> = StorageValue<_, BranchId, ValueQuery>;

	/// Every branch ever registered, by number: its parent, depth, status and profile hash.
	/// Closed branches stay.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type Branches<T: Config> = StorageMap<_, Twox64Concat, BranchId, Branch<BlockNumberFor<T>>>;

	/// The officers of each branch and their role (staff or admin). Officers need not be members.
	// Hashers: Twox64Concat on the chain-assigned branch, Blake2_128Concat on the user-chosen
	// account (see above).
	#[pallet::storage]
	pub type BranchOfficers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BranchId, Blake2_128Concat, T::AccountId, OfficerRole>;

	/// Admins per branch, so the last one cannot be removed.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type AdminCount<T> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	/// How many branches an account is an officer of, so transaction validation can tell an
	/// officer in one read.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type OfficerRoleCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Applications that the branch's reviewers decide (in the audits pallet), not staff alone.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ApplicationsUnderReview<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Regulators (civil-affairs bureau): read everything, flag (audits pallet).
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Auditors<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Every member's record, by account: identity commitment, home and extra branches, status,
	/// roles and redemption eligibility. Records of members who left or died stay.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Member<BlockNumberFor<T>, T::MaxExtraMemberships>,
	>;

	/// How many pending, active and suspended members each branch has as their home branch.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type MemberCountsByBranch<T> =
		StorageMap<_, Twox64Concat, BranchId, MemberCounts, ValueQuery>;

	/// (member, proxy) → what the proxy may do.
	// Hashers: Blake2_128Concat, both keys are user-chosen accounts.
	#[pallet::storage]
	pub type Proxies<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		ProxyPermissions,
	>;

	/// How many proxies each member authorised, so the limit is checked in one read.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ProxyCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Verified relatives, stored in both directions; the value is the evidence hash.
	// Hashers: Blake2_128Concat, both keys are user-chosen accounts.
	#[pallet::storage]
	pub type VerifiedRelations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, H256>;

	/// How much of its fee-free allowance each account has used (a draining bucket).
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Quota<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, QuotaUsage>;

	/// Accounts this pallet gave a provider reference, so that members with no native balance can
	/// sign transactions. Never removed: an account with history keeps existing.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ProvidedAccounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// The branches a chain starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Root branches registered at genesis, each with its first admin.
		pub branches: alloc::vec::Vec<(T::AccountId, H256)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (admin, profile_hash) in &self.branches {
				if let Err(e) = Pallet::<T>::do_register_branch(None, admin.clone(), *profile_hash)
				{
					panic!("genesis branch for admin {admin:?} is invalid: {e:?}");
				}
			}
		}
	}

	/// What happened in the registry.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council registered a branch with its first admin.
		BranchRegistered {
			/// The new branch's number.
			branch: BranchId,
			/// The branch above it; `None` for a root branch.
			parent: Option<BranchId>,
			/// Its first admin.
			admin: T::AccountId,
		},
		/// The council suspended, reactivated or closed a branch.
		BranchStatusChanged {
			/// The branch.
			branch: BranchId,
			/// Its new status.
			status: BranchStatus,
		},
		/// An account became staff or admin of a branch.
		OfficerAppointed {
			/// The branch.
			branch: BranchId,
			/// The new officer.
			who: T::AccountId,
			/// Staff or admin.
			role: OfficerRole,
		},
		/// An account is no longer an officer of a branch.
		OfficerRemoved {
			/// The branch.
			branch: BranchId,
			/// The former officer.
			who: T::AccountId,
		},
		/// The council gave or took the auditor (regulator) role.
		AuditorSet {
			/// The account.
			who: T::AccountId,
			/// Whether it is an auditor now.
			enabled: bool,
		},
		/// A person applied to join a branch; staff (or the branch's reviewers) decide.
		MembershipApplied {
			/// The applicant's account.
			who: T::AccountId,
			/// The branch applied to.
			branch: BranchId,
		},
		/// An application was approved: the applicant is an active member.
		ApplicationApproved {
			/// The new member.
			who: T::AccountId,
			/// Their home branch.
			branch: BranchId,
			/// The officer who approved.
			by: T::AccountId,
		},
		/// An application was rejected and its record removed.
		ApplicationRejected {
			/// The applicant.
			who: T::AccountId,
			/// The branch applied to.
			branch: BranchId,
			/// The officer who rejected.
			by: T::AccountId,
			/// Hash of the written reason, kept off chain.
			reason: H256,
		},
		/// Staff registered a member directly (pending review where the branch reviews
		/// applications).
		MemberRegistered {
			/// The member.
			who: T::AccountId,
			/// Their home branch.
			branch: BranchId,
			/// The staff member who registered them.
			by: T::AccountId,
		},
		/// Staff changed what a member does (volunteer, recipient, family proxy).
		MemberRolesChanged {
			/// The member.
			who: T::AccountId,
			/// Their roles now.
			roles: MemberRoles,
			/// The staff member.
			by: T::AccountId,
		},
		/// A member was suspended, reactivated, left or died.
		MemberStatusChanged {
			/// The member.
			who: T::AccountId,
			/// Their status now.
			status: MemberStatus,
			/// The staff member; `None` when the ledger recorded a departure.
			by: Option<T::AccountId>,
		},
		/// A member joined a branch besides their home branch.
		ExtraMembershipAdded {
			/// The member.
			who: T::AccountId,
			/// The extra branch.
			branch: BranchId,
			/// The staff member of that branch.
			by: T::AccountId,
		},
		/// A member no longer belongs to an extra branch.
		ExtraMembershipRemoved {
			/// The member.
			who: T::AccountId,
			/// The branch left.
			branch: BranchId,
			/// The member or a staff member of that branch.
			by: T::AccountId,
		},
		/// A member's home branch changed (they moved); balances and history stay.
		HomeBranchMoved {
			/// The member.
			who: T::AccountId,
			/// The former home branch.
			from: BranchId,
			/// The new home branch.
			to: BranchId,
			/// The member or a staff member of the former home branch.
			by: T::AccountId,
		},
		/// A member authorised a family proxy, or changed its permissions.
		ProxyAuthorised {
			/// The member.
			member: T::AccountId,
			/// The proxy.
			proxy: T::AccountId,
			/// What the proxy may do for the member.
			permissions: ProxyPermissions,
		},
		/// A proxy may no longer act for a member.
		ProxyRevoked {
			/// The member.
			member: T::AccountId,
			/// The former proxy.
			proxy: T::AccountId,
			/// The member, the proxy, or staff of the member's home branch.
			by: T::AccountId,
		},
		/// Staff verified that two members are relatives (gifts between them are allowed).
		RelationVerified {
			/// One member.
			a: T::AccountId,
			/// The other member.
			b: T::AccountId,
			/// Hash of the evidence, kept off chain.
			evidence: H256,
			/// The staff member.
			by: T::AccountId,
		},
		/// Staff removed a verified relation.
		RelationRemoved {
			/// One member.
			a: T::AccountId,
			/// The other member.
			b: T::AccountId,
			/// The staff member.
			by: T::AccountId,
		},
		/// Staff attested (or withdrew) that a member meets the branch's redemption rule.
		RedemptionEligibilitySet {
			/// The member.
			who: T::AccountId,
			/// Whether the member may now redeem from the branch's pool.
			eligible: bool,
			/// Hash of the evidence, kept off chain.
			evidence: H256,
			/// The staff member.
			by: T::AccountId,
		},
	}

	/// Why a registry call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The branch's reviewers decide this application (audits pallet), not a single officer.
		DecidedByReview,
		/// The review decision does not fit the subject.
		WrongDecision,
		/// No branch has this id.
		UnknownBranch,
		/// The branch is suspended or closed.
		BranchNotActive,
		/// The parent branch is already at the deepest level allowed.
		HierarchyTooDeep,
		/// A closed branch cannot be reopened.
		BranchClosed,
		/// The signer is not an officer of the branch with the role this needs.
		NotBranchOfficer,
		/// The account already holds an officer role at this branch.
		AlreadyOfficer,
		/// The account is not an officer of this branch.
		NotOfficer,
		/// The branch's last admin cannot be removed; appoint another first.
		LastAdmin,
		/// The account already has a member record (of any status).
		AlreadyMember,
		/// The account has no member record.
		NotMember,
		/// The member record is not a pending application.
		NotPending,
		/// The member is not active.
		MemberNotActive,
		/// This status cannot be set by staff: leaving and death go through the ledger, which
		/// settles the balance first.
		StatusNotSettable,
		/// The member already has this status.
		StatusUnchanged,
		/// The member already belongs to this branch.
		AlreadyInBranch,
		/// The member does not belong to this branch as an extra membership.
		NotInBranch,
		/// The member already has the most extra memberships allowed.
		TooManyMemberships,
		/// A member cannot be their own proxy or relative.
		SelfReference,
		/// The proxy must be an active member.
		ProxyNotMember,
		/// The proxy must hold the family-proxy role, which staff grant after checking the
		/// relationship off chain.
		NotAFamilyProxy,
		/// This account is not the member's proxy.
		NotProxy,
		/// The member already has the most proxies allowed.
		TooManyProxies,
		/// A proxy authorisation must grant at least one permission.
		EmptyPermissions,
		/// The relation is already verified.
		RelationExists,
		/// No such verified relation.
		NoSuchRelation,
		/// The signer is neither the member, the proxy, nor staff of the member's home branch.
		NotAllowed,
		/// The identity commitment is all zeros: compute a salted hash off chain.
		EmptyCommitment,
	}

	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchOfficer
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a branch under `parent` (or as a root) with its first admin. Origin: the
		/// council (`BranchOrigin`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_branch())]
		pub fn register_branch(
			origin: OriginFor<T>,
			parent: Option<BranchId>,
			admin: T::AccountId,
			profile_hash: H256,
		) -> DispatchResult {
			T::BranchOrigin::ensure_origin(origin)?;
			Self::do_register_branch(parent, admin, profile_hash).map(|_| ())
		}

		/// Suspend, reactivate or close a branch. Closing is final. Origin: the council.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_branch_status())]
		pub fn set_branch_status(
			origin: OriginFor<T>,
			branch: BranchId,
			status: BranchStatus,
		) -> DispatchResult {
			T::BranchOrigin::ensure_origin(origin)?;
			Self::do_set_branch_status(branch, status)
		}

		/// Appoint staff or an admin. The council may appoint anyone; a branch admin may appoint
		/// at their own branch.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::appoint_officer())]
		pub fn appoint_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
			role: OfficerRole,
		) -> DispatchResultWithPostInfo {
			let pays = Self::ensure_council_or_officer(origin, branch, OfficerRole::Admin)?;
			Self::do_appoint_officer(branch, who, role)?;
			Ok(pays.into())
		}

		/// Remove an officer. The last admin of a branch stays. The council, or an admin of the
		/// branch.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_officer())]
		pub fn remove_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let pays = Self::ensure_council_or_officer(origin, branch, OfficerRole::Admin)?;
			Self::do_remove_officer(branch, who)?;
			Ok(pays.into())
		}

		/// Give or take the auditor (regulator) role. Origin: the council.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_auditor())]
		pub fn set_auditor(
			origin: OriginFor<T>,
			who: T::AccountId,
			enabled: bool,
		) -> DispatchResult {
			T::BranchOrigin::ensure_origin(origin)?;
			Self::do_set_auditor(who, enabled);
			Ok(())
		}

		/// Apply to join `branch`. Staff then check the person's documents off chain against the
		/// commitment and approve or reject. Signed by the applicant.
		#[pallet::call_index(5)]
		#[pallet::weight((
			T::WeightInfo::apply_for_membership().saturating_add(T::HomeBranchChanges::weight()),
			Pays::No
		))]
		pub fn apply_for_membership(
			origin: OriginFor<T>,
			branch: BranchId,
			identity_commitment: IdentityCommitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply_for_membership(who, branch, identity_commitment)
		}

		/// Approve a pending application (staff of the branch applied to).
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::approve_application(), Pays::No))]
		pub fn approve_application(
			origin: OriginFor<T>,
			applicant: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			ensure!(
				!ApplicationsUnderReview::<T>::contains_key(&applicant),
				Error::<T>::DecidedByReview
			);
			Self::do_approve_application(&by, applicant)
		}

		/// Reject a pending application; the record is removed, the event keeps the trail (staff
		/// of the branch applied to).
		#[pallet::call_index(7)]
		#[pallet::weight((
			T::WeightInfo::reject_application().saturating_add(T::HomeBranchChanges::weight()),
			Pays::No
		))]
		pub fn reject_application(
			origin: OriginFor<T>,
			applicant: T::AccountId,
			reason: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			ensure!(
				!ApplicationsUnderReview::<T>::contains_key(&applicant),
				Error::<T>::DecidedByReview
			);
			Self::do_reject_application(&by, applicant, reason)
		}

		/// Register an active member directly, for people without a smartphone: staff verify the
		/// documents in person and the custodial gateway holds the account's key. Staff of
		/// `branch`.
		#[pallet::call_index(8)]
		#[pallet::weight((
			T::WeightInfo::register_member().saturating_add(T::HomeBranchChanges::weight()),
			Pays::No
		))]
		pub fn register_member(
			origin: OriginFor<T>,
			who: T::AccountId,
			branch: BranchId,
			identity_commitment: IdentityCommitment,
			roles: MemberRoles,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_register_member(by, who, branch, identity_commitment, roles)
		}

		/// Set what a member does (staff of the home branch).
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::set_member_roles(), Pays::No))]
		pub fn set_member_roles(
			origin: OriginFor<T>,
			who: T::AccountId,
			roles: MemberRoles,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_set_member_roles(by, who, roles)
		}

		/// Suspend or reactivate a member (staff of the home branch).
		#[pallet::call_index(10)]
		#[pallet::weight((T::WeightInfo::set_member_status(), Pays::No))]
		pub fn set_member_status(
			origin: OriginFor<T>,
			who: T::AccountId,
			status: MemberStatus,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_set_member_status(by, who, status)
		}

		/// Add a membership at `branch` besides the home branch (staff of `branch`).
		#[pallet::call_index(11)]
		#[pallet::weight((T::WeightInfo::add_extra_membership(), Pays::No))]
		pub fn add_extra_membership(
			origin: OriginFor<T>,
			who: T::AccountId,
			branch: BranchId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_add_extra_membership(by, who, branch)
		}

		/// End an extra membership (the member, or staff of that branch).
		#[pallet::call_index(12)]
		#[pallet::weight((T::WeightInfo::remove_extra_membership(), Pays::No))]
		pub fn remove_extra_membership(
			origin: OriginFor<T>,
			who: T::AccountId,
			branch: BranchId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_remove_extra_membership(by, who, branch)
		}

		/// Move a member's home branch (the member moved city). Balances, statement and proxies
		/// stay with the account. The member or staff of the current home branch do this: the
		/// new branch's officers cannot take members over on their own.
		#[pallet::call_index(13)]
		#[pallet::weight((
			T::WeightInfo::move_home_branch().saturating_add(T::HomeBranchChanges::weight()),
			Pays::No
		))]
		pub fn move_home_branch(
			origin: OriginFor<T>,
			who: T::AccountId,
			to: BranchId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_move_home_branch(by, who, to)
		}

		/// Authorise `proxy` (an active member) to act for the signer within `permissions`, or
		/// change an existing proxy's permissions.
		#[pallet::call_index(14)]
		#[pallet::weight((T::WeightInfo::authorise_proxy(), Pays::No))]
		pub fn authorise_proxy(
			origin: OriginFor<T>,
			proxy: T::AccountId,
			permissions: ProxyPermissions,
		) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_authorise_proxy(member, proxy, permissions)
		}

		/// Revoke a proxy: the member, the proxy itself, or staff of the member's home branch.
		#[pallet::call_index(15)]
		#[pallet::weight((T::WeightInfo::revoke_proxy(), Pays::No))]
		pub fn revoke_proxy(
			origin: OriginFor<T>,
			member: T::AccountId,
			proxy: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_revoke_proxy(by, member, proxy)
		}

		/// Record that two members are relatives, after staff checked the evidence off chain
		/// (staff of either member's home branch).
		#[pallet::call_index(16)]
		#[pallet::weight((T::WeightInfo::verify_relation(), Pays::No))]
		pub fn verify_relation(
			origin: OriginFor<T>,
			a: T::AccountId,
			b: T::AccountId,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_verify_relation(by, a, b, evidence)
		}

		/// Remove a verified relation (staff of either member's home branch).
		#[pallet::call_index(17)]
		#[pallet::weight((T::WeightInfo::remove_relation(), Pays::No))]
		pub fn remove_relation(
			origin: OriginFor<T>,
			a: T::AccountId,
			b: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_remove_relation(by, a, b)
		}

		/// Attest (or withdraw) that a member meets the branch's redemption rule: age threshold
		/// or hardship. The evidence stays off chain; its hash is the audit trail. Staff of the
		/// member's home branch.
		#[pallet::call_index(18)]
		#[pallet::weight((T::WeightInfo::set_redemption_eligibility(), Pays::No))]
		pub fn set_redemption_eligibility(
			origin: OriginFor<T>,
			who: T::AccountId,
			eligible: bool,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_set_redemption_eligibility(by, who, eligible, evidence)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinCallCharge::get().ref_time() >= 1_000_000,
				"a call must count at least a microsecond against a quota"
			);
			for quota in [T::MemberQuota::get(), T::OfficerQuota::get()] {
				assert!(
					quota.ref_time() >= T::MinCallCharge::get().ref_time(),
					"a quota below one call would lock its holders out"
				);
			}
			assert!(
				!T::QuotaWindow::get().is_zero(),
				"the quota window must be at least one block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
