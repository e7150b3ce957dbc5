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
//! Other pallets use it through [`timebank_primitives::Membership`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod extension;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{CheckMemberQuota, NOT_A_MEMBER, QUOTA_EXHAUSTED};
pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use timebank_primitives::{
	BranchId, Decision, HomeBranchChanges, IdentityCommitment, MemberFacts, MemberRoles,
	MemberStatus, MemberView, OfficerRole, ProxyPermissions, ReviewKind, ReviewOutcome,
	ReviewQueue, ReviewSubject,
};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{dispatch::Pays, pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{UniqueSaturatedInto, Zero};

	/// The deepest branch hierarchy allowed: city → district → street → community, with room for
	/// regional layers above a city.
	pub const MAX_BRANCH_DEPTH: u8 = 8;

	/// Whether a branch may serve members.
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
	pub enum BranchStatus {
		Active,
		/// Temporarily closed: no new members or ledger operations; history stays.
		Suspended,
		/// Permanently closed.
		Closed,
	}

	/// A branch institution.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Branch<BlockNumber> {
		pub parent: Option<BranchId>,
		/// 0 for a root branch, parent's depth + 1 otherwise.
		pub depth: u8,
		pub status: BranchStatus,
		/// Hash of the branch's public profile document (name, address, contact), kept off chain.
		pub profile_hash: H256,
		pub registered_at: BlockNumber,
	}

	/// A member's on-chain record.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
	#[scale_info(skip_type_params(MaxExtra))]
	pub struct Member<BlockNumber, MaxExtra: Get<u32>> {
		/// Salted hash of identity documents; zeroed when the member is deceased (anonymised).
		pub identity_commitment: IdentityCommitment,
		pub home_branch: BranchId,
		pub extra_branches: BoundedVec<BranchId, MaxExtra>,
		pub status: MemberStatus,
		pub roles: MemberRoles,
		pub redemption_eligible: bool,
		pub joined_at: BlockNumber,
	}

	/// Members of a branch, by status; kept in step with every status change.
	#[derive(
		Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Default, Debug,
	)]
	pub struct MemberCounts {
		pub pending: u32,
		pub active: u32,
		pub suspended: u32,
	}

	/// Fee-free calls an account made in the current quota window.
	#[derive(
		Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Default, Debug,
	)]
	pub struct QuotaUsage {
		/// `block_number / QuotaWindow` when the count started.
		pub window: u32,
		pub used: u32,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
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
		/// Fee-free calls one account may submit per quota window.
		#[pallet::constant]
		type CallsPerQuotaWindow: Get<u32>;
		/// Fee-free calls that only members, officers and auditors may submit.
		type MemberCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// Fee-free calls anyone with an account may submit (applying for membership).
		type OpenCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;
		/// Where applications wait when the branch's review policy asks for it (the audits
		/// pallet).
		type Reviews: ReviewQueue<Self::AccountId>;
		/// Told of every change of an account's home branch (the ledger's per-branch totals).
		type HomeBranchChanges: HomeBranchChanges<Self::AccountId>;
		type WeightInfo: WeightInfo;
	}

	#[pallet::storage]
	pub type NextBranchId<T> = StorageValue<_, BranchId, ValueQuery>;

	#[pallet::storage]
	pub type Branches<T: Config> =
		StorageMap<_, Blake2_128Concat, BranchId, Branch<BlockNumberFor<T>>>;

	#[pallet::storage]
	pub type BranchOfficers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BranchId,
		Blake2_128Concat,
		T::AccountId,
		OfficerRole,
	>;

	/// Admins per branch, so the last one cannot be removed.
	#[pallet::storage]
	pub type AdminCount<T> = StorageMap<_, Blake2_128Concat, BranchId, u32, ValueQuery>;

	/// How many branches an account is an officer of, so transaction validation can tell an
	/// officer in one read.
	#[pallet::storage]
	pub type OfficerRoleCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Applications that the branch's reviewers decide (in the audits pallet), not staff alone.
	#[pallet::storage]
	pub type ApplicationsUnderReview<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Regulators (civil-affairs bureau): read everything, flag (audits pallet).
	#[pallet::storage]
	pub type Auditors<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Member<BlockNumberFor<T>, T::MaxExtraMemberships>,
	>;

	#[pallet::storage]
	pub type MemberCountsByBranch<T> =
		StorageMap<_, Blake2_128Concat, BranchId, MemberCounts, ValueQuery>;

	/// (member, proxy) → what the proxy may do.
	#[pallet::storage]
	pub type Proxies<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		ProxyPermissions,
	>;

	#[pallet::storage]
	pub type ProxyCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Verified relatives, stored in both directions; the value is the evidence hash.
	#[pallet::storage]
	pub type VerifiedRelations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, H256>;

	#[pallet::storage]
	pub type Quota<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, QuotaUsage>;

	/// Accounts this pallet gave a provider reference, so that members with no native balance can
	/// sign transactions. Never removed: an account with history keeps existing.
	#[pallet::storage]
	pub type ProvidedAccounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

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

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		BranchRegistered {
			branch: BranchId,
			parent: Option<BranchId>,
			admin: T::AccountId,
		},
		BranchStatusChanged {
			branch: BranchId,
			status: BranchStatus,
		},
		OfficerAppointed {
			branch: BranchId,
			who: T::AccountId,
			role: OfficerRole,
		},
		OfficerRemoved {
			branch: BranchId,
			who: T::AccountId,
		},
		AuditorSet {
			who: T::AccountId,
			enabled: bool,
		},
		MembershipApplied {
			who: T::AccountId,
			branch: BranchId,
		},
		ApplicationApproved {
			who: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
		},
		ApplicationRejected {
			who: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
			reason: H256,
		},
		MemberRegistered {
			who: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
		},
		MemberRolesChanged {
			who: T::AccountId,
			roles: MemberRoles,
			by: T::AccountId,
		},
		MemberStatusChanged {
			who: T::AccountId,
			status: MemberStatus,
			by: Option<T::AccountId>,
		},
		ExtraMembershipAdded {
			who: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
		},
		ExtraMembershipRemoved {
			who: T::AccountId,
			branch: BranchId,
			by: T::AccountId,
		},
		HomeBranchMoved {
			who: T::AccountId,
			from: BranchId,
			to: BranchId,
			by: T::AccountId,
		},
		ProxyAuthorised {
			member: T::AccountId,
			proxy: T::AccountId,
			permissions: ProxyPermissions,
		},
		ProxyRevoked {
			member: T::AccountId,
			proxy: T::AccountId,
			by: T::AccountId,
		},
		RelationVerified {
			a: T::AccountId,
			b: T::AccountId,
			evidence: H256,
			by: T::AccountId,
		},
		RelationRemoved {
			a: T::AccountId,
			b: T::AccountId,
			by: T::AccountId,
		},
		RedemptionEligibilitySet {
			who: T::AccountId,
			eligible: bool,
			evidence: H256,
			by: T::AccountId,
		},
	}

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

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a branch under `parent` (or as a root) with its first admin.
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

		/// Suspend, reactivate or close a branch. Closing is final.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_branch_status())]
		pub fn set_branch_status(
			origin: OriginFor<T>,
			branch: BranchId,
			status: BranchStatus,
		) -> DispatchResult {
			T::BranchOrigin::ensure_origin(origin)?;
			Branches::<T>::try_mutate(branch, |maybe| {
				let record = maybe.as_mut().ok_or(Error::<T>::UnknownBranch)?;
				ensure!(record.status != BranchStatus::Closed, Error::<T>::BranchClosed);
				record.status = status;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::BranchStatusChanged { branch, status });
			Ok(())
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
			Self::ensure_branch_active(branch)?;
			ensure!(!BranchOfficers::<T>::contains_key(branch, &who), Error::<T>::AlreadyOfficer);
			Self::insert_officer(branch, &who, role);
			Self::deposit_event(Event::OfficerAppointed { branch, who, role });
			Ok(pays.into())
		}

		/// Remove an officer. The last admin of a branch stays.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_officer())]
		pub fn remove_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let pays = Self::ensure_council_or_officer(origin, branch, OfficerRole::Admin)?;
			let role = BranchOfficers::<T>::get(branch, &who).ok_or(Error::<T>::NotOfficer)?;
			if role == OfficerRole::Admin {
				let admins = AdminCount::<T>::get(branch);
				ensure!(admins > 1, Error::<T>::LastAdmin);
				AdminCount::<T>::insert(branch, admins - 1);
			}
			BranchOfficers::<T>::remove(branch, &who);
			OfficerRoleCount::<T>::mutate(&who, |c| *c = c.saturating_sub(1));
			Self::deposit_event(Event::OfficerRemoved { branch, who });
			Ok(pays.into())
		}

		/// Give or take the auditor (regulator) role.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_auditor())]
		pub fn set_auditor(
			origin: OriginFor<T>,
			who: T::AccountId,
			enabled: bool,
		) -> DispatchResult {
			T::BranchOrigin::ensure_origin(origin)?;
			if enabled {
				Auditors::<T>::insert(&who, ());
				Self::ensure_provider(&who);
			} else {
				Auditors::<T>::remove(&who);
			}
			Self::deposit_event(Event::AuditorSet { who, enabled });
			Ok(())
		}

		/// Apply to join `branch`. Staff then check the person's documents off chain against the
		/// commitment and approve or reject.
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
			Self::ensure_branch_active(branch)?;
			ensure!(identity_commitment != H256::zero(), Error::<T>::EmptyCommitment);
			ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadyMember);
			Self::insert_member(
				&who,
				branch,
				identity_commitment,
				MemberRoles::default(),
				MemberStatus::Pending,
			);
			if T::Reviews::needs_review(branch, ReviewKind::Application, 0) {
				ApplicationsUnderReview::<T>::insert(&who, ());
				T::Reviews::open(branch, ReviewSubject::Application(who.clone()), &who)?;
			}
			Self::deposit_event(Event::MembershipApplied { who, branch });
			Ok(())
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

		/// Reject a pending application; the record is removed, the event keeps the trail.
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
		/// documents in person and the custodial gateway holds the account's key.
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
			Self::ensure_officer(branch, &by, OfficerRole::Staff)?;
			Self::ensure_branch_active(branch)?;
			ensure!(identity_commitment != H256::zero(), Error::<T>::EmptyCommitment);
			ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadyMember);
			// Where applications are reviewed, a registration by one officer is reviewed too.
			if T::Reviews::needs_review(branch, ReviewKind::Application, 0) {
				Self::insert_member(
					&who,
					branch,
					identity_commitment,
					roles,
					MemberStatus::Pending,
				);
				ApplicationsUnderReview::<T>::insert(&who, ());
				T::Reviews::open(branch, ReviewSubject::Application(who.clone()), &by)?;
				Self::deposit_event(Event::MemberRegistered { who, branch, by });
				return Ok(());
			}
			Self::insert_member(&who, branch, identity_commitment, roles, MemberStatus::Active);
			Self::ensure_provider(&who);
			Self::deposit_event(Event::MemberRegistered { who, branch, by });
			Ok(())
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
			Members::<T>::try_mutate(&who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				Self::ensure_officer(member.home_branch, &by, OfficerRole::Staff)?;
				member.roles = roles;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::MemberRolesChanged { who, roles, by });
			Ok(())
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
			ensure!(
				matches!(status, MemberStatus::Active | MemberStatus::Suspended),
				Error::<T>::StatusNotSettable
			);
			let member = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
			Self::ensure_officer(member.home_branch, &by, OfficerRole::Staff)?;
			ensure!(
				matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
				Error::<T>::StatusNotSettable
			);
			ensure!(member.status != status, Error::<T>::StatusUnchanged);
			Self::change_status(&who, status)?;
			Self::deposit_event(Event::MemberStatusChanged { who, status, by: Some(by) });
			Ok(())
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
			Self::ensure_officer(branch, &by, OfficerRole::Staff)?;
			Self::ensure_branch_active(branch)?;
			Members::<T>::try_mutate(&who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
				ensure!(
					member.home_branch != branch && !member.extra_branches.contains(&branch),
					Error::<T>::AlreadyInBranch
				);
				member
					.extra_branches
					.try_push(branch)
					.map_err(|_| Error::<T>::TooManyMemberships)?;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::ExtraMembershipAdded { who, branch, by });
			Ok(())
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
			ensure!(
				by == who || Self::is_officer_at(branch, &by, OfficerRole::Staff),
				Error::<T>::NotAllowed
			);
			Members::<T>::try_mutate(&who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				let position = member
					.extra_branches
					.iter()
					.position(|b| *b == branch)
					.ok_or(Error::<T>::NotInBranch)?;
				member.extra_branches.remove(position);
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::ExtraMembershipRemoved { who, branch, by });
			Ok(())
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
			ensure!(Members::<T>::contains_key(&who), Error::<T>::NotMember);
			ensure!(by == who || Self::is_home_staff(&who, &by), Error::<T>::NotAllowed);
			Self::ensure_branch_active(to)?;
			let from = Members::<T>::try_mutate(&who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				ensure!(
					matches!(member.status, MemberStatus::Active | MemberStatus::Suspended),
					Error::<T>::MemberNotActive
				);
				ensure!(member.home_branch != to, Error::<T>::AlreadyInBranch);
				let from = member.home_branch;
				member.extra_branches.retain(|b| *b != to);
				member.home_branch = to;
				let status = member.status;
				MemberCountsByBranch::<T>::mutate(from, |c| Self::count(c, status, false));
				MemberCountsByBranch::<T>::mutate(to, |c| Self::count(c, status, true));
				Ok::<_, DispatchError>(from)
			})?;
			T::HomeBranchChanges::home_branch_changed(&who, Some(from), Some(to));
			Self::deposit_event(Event::HomeBranchMoved { who, from, to, by });
			Ok(())
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
			ensure!(member != proxy, Error::<T>::SelfReference);
			ensure!(permissions != ProxyPermissions::default(), Error::<T>::EmptyPermissions);
			Self::ensure_active_member(&member)?;
			let proxy_record = Members::<T>::get(&proxy).ok_or(Error::<T>::ProxyNotMember)?;
			ensure!(proxy_record.status == MemberStatus::Active, Error::<T>::ProxyNotMember);
			ensure!(proxy_record.roles.family_proxy, Error::<T>::NotAFamilyProxy);
			if !Proxies::<T>::contains_key(&member, &proxy) {
				let count = ProxyCount::<T>::get(&member);
				ensure!(count < T::MaxProxiesPerMember::get(), Error::<T>::TooManyProxies);
				ProxyCount::<T>::insert(&member, count + 1);
			}
			Proxies::<T>::insert(&member, &proxy, permissions);
			Self::deposit_event(Event::ProxyAuthorised { member, proxy, permissions });
			Ok(())
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
			ensure!(Proxies::<T>::contains_key(&member, &proxy), Error::<T>::NotProxy);
			let allowed = by == member || by == proxy || Self::is_home_staff(&member, &by);
			ensure!(allowed, Error::<T>::NotAllowed);
			Proxies::<T>::remove(&member, &proxy);
			ProxyCount::<T>::mutate(&member, |c| *c = c.saturating_sub(1));
			Self::deposit_event(Event::ProxyRevoked { member, proxy, by });
			Ok(())
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
			ensure!(a != b, Error::<T>::SelfReference);
			ensure!(Members::<T>::contains_key(&a), Error::<T>::NotMember);
			ensure!(Members::<T>::contains_key(&b), Error::<T>::NotMember);
			ensure!(
				Self::is_home_staff(&a, &by) || Self::is_home_staff(&b, &by),
				Error::<T>::NotBranchOfficer
			);
			ensure!(!VerifiedRelations::<T>::contains_key(&a, &b), Error::<T>::RelationExists);
			VerifiedRelations::<T>::insert(&a, &b, evidence);
			VerifiedRelations::<T>::insert(&b, &a, evidence);
			Self::deposit_event(Event::RelationVerified { a, b, evidence, by });
			Ok(())
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
			ensure!(VerifiedRelations::<T>::contains_key(&a, &b), Error::<T>::NoSuchRelation);
			ensure!(
				Self::is_home_staff(&a, &by) || Self::is_home_staff(&b, &by),
				Error::<T>::NotBranchOfficer
			);
			VerifiedRelations::<T>::remove(&a, &b);
			VerifiedRelations::<T>::remove(&b, &a);
			Self::deposit_event(Event::RelationRemoved { a, b, by });
			Ok(())
		}

		/// Attest (or withdraw) that a member meets the branch's redemption rule: age threshold
		/// or hardship. The evidence stays off chain; its hash is the audit trail.
		#[pallet::call_index(18)]
		#[pallet::weight((T::WeightInfo::set_redemption_eligibility(), Pays::No))]
		pub fn set_redemption_eligibility(
			origin: OriginFor<T>,
			who: T::AccountId,
			eligible: bool,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Members::<T>::try_mutate(&who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				Self::ensure_officer(member.home_branch, &by, OfficerRole::Staff)?;
				member.redemption_eligible = eligible;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::RedemptionEligibilitySet { who, eligible, evidence, by });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::CallsPerQuotaWindow::get() > 0, "a zero quota would lock every member out");
			assert!(
				!T::QuotaWindow::get().is_zero(),
				"the quota window must be at least one block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn do_register_branch(
			parent: Option<BranchId>,
			admin: T::AccountId,
			profile_hash: H256,
		) -> Result<BranchId, DispatchError> {
			let depth = match parent {
				None => 0,
				Some(parent) => {
					let record = Branches::<T>::get(parent).ok_or(Error::<T>::UnknownBranch)?;
					ensure!(record.status == BranchStatus::Active, Error::<T>::BranchNotActive);
					ensure!(record.depth + 1 < MAX_BRANCH_DEPTH, Error::<T>::HierarchyTooDeep);
					record.depth + 1
				}
			};
			let branch = NextBranchId::<T>::get();
			let next = branch.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			Branches::<T>::insert(
				branch,
				Branch {
					parent,
					depth,
					status: BranchStatus::Active,
					profile_hash,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			NextBranchId::<T>::put(next);
			Self::insert_officer(branch, &admin, OfficerRole::Admin);
			Self::deposit_event(Event::BranchRegistered { branch, parent, admin });
			Ok(branch)
		}

		pub(crate) fn insert_officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) {
			BranchOfficers::<T>::insert(branch, who, role);
			OfficerRoleCount::<T>::mutate(who, |c| *c = c.saturating_add(1));
			if role == OfficerRole::Admin {
				AdminCount::<T>::mutate(branch, |c| *c = c.saturating_add(1));
			}
			Self::ensure_provider(who);
		}

		pub(crate) fn insert_member(
			who: &T::AccountId,
			branch: BranchId,
			identity_commitment: IdentityCommitment,
			roles: MemberRoles,
			status: MemberStatus,
		) {
			Members::<T>::insert(
				who,
				Member {
					identity_commitment,
					home_branch: branch,
					extra_branches: BoundedVec::new(),
					status,
					roles,
					redemption_eligible: false,
					joined_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			MemberCountsByBranch::<T>::mutate(branch, |c| Self::count(c, status, true));
			T::HomeBranchChanges::home_branch_changed(who, None, Some(branch));
		}

		/// Move a member between statuses, keeping the branch counts in step.
		pub(crate) fn change_status(who: &T::AccountId, status: MemberStatus) -> DispatchResult {
			Members::<T>::try_mutate(who, |maybe| {
				let member = maybe.as_mut().ok_or(Error::<T>::NotMember)?;
				MemberCountsByBranch::<T>::mutate(member.home_branch, |c| {
					Self::count(c, member.status, false);
					Self::count(c, status, true);
				});
				member.status = status;
				if status == MemberStatus::Deceased {
					member.identity_commitment = H256::zero();
				}
				Ok(())
			})
		}

		fn count(counts: &mut MemberCounts, status: MemberStatus, add: bool) {
			let slot = match status {
				MemberStatus::Pending => &mut counts.pending,
				MemberStatus::Active => &mut counts.active,
				MemberStatus::Suspended => &mut counts.suspended,
				MemberStatus::Left | MemberStatus::Deceased => return,
			};
			*slot = if add { slot.saturating_add(1) } else { slot.saturating_sub(1) };
		}

		/// Give `who` a provider reference once, so the account can sign fee-free calls without
		/// holding a native balance.
		pub(crate) fn ensure_provider(who: &T::AccountId) {
			if !ProvidedAccounts::<T>::contains_key(who) {
				frame_system::Pallet::<T>::inc_providers(who);
				ProvidedAccounts::<T>::insert(who, ());
			}
		}

		fn ensure_branch_active(branch: BranchId) -> DispatchResult {
			let record = Branches::<T>::get(branch).ok_or(Error::<T>::UnknownBranch)?;
			ensure!(record.status == BranchStatus::Active, Error::<T>::BranchNotActive);
			Ok(())
		}

		fn ensure_officer(
			branch: BranchId,
			who: &T::AccountId,
			role: OfficerRole,
		) -> DispatchResult {
			ensure!(Branches::<T>::contains_key(branch), Error::<T>::UnknownBranch);
			ensure!(Self::is_officer_at(branch, who, role), Error::<T>::NotBranchOfficer);
			Ok(())
		}

		/// The council, or an officer of `branch` with at least `role`. Council calls pay fees
		/// (they come through a motion); officers' calls are free.
		fn ensure_council_or_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			role: OfficerRole,
		) -> Result<Pays, DispatchError> {
			if T::BranchOrigin::try_origin(origin.clone()).is_ok() {
				ensure!(Branches::<T>::contains_key(branch), Error::<T>::UnknownBranch);
				return Ok(Pays::Yes);
			}
			let who = ensure_signed(origin)?;
			Self::ensure_officer(branch, &who, role)?;
			Ok(Pays::No)
		}

		fn ensure_active_member(who: &T::AccountId) -> DispatchResult {
			let member = Members::<T>::get(who).ok_or(Error::<T>::NotMember)?;
			ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
			Ok(())
		}

		pub(crate) fn is_officer_at(
			branch: BranchId,
			who: &T::AccountId,
			role: OfficerRole,
		) -> bool {
			BranchOfficers::<T>::get(branch, who).is_some_and(|held| held >= role)
		}

		fn is_home_staff(member: &T::AccountId, who: &T::AccountId) -> bool {
			Members::<T>::get(member)
				.is_some_and(|m| Self::is_officer_at(m.home_branch, who, OfficerRole::Staff))
		}

		fn is_active(who: &T::AccountId) -> bool {
			Members::<T>::get(who).is_some_and(|m| m.status == MemberStatus::Active)
		}

		/// Whether `who` may submit members-only fee-free calls: an active member, a branch
		/// officer or an auditor. Runs in transaction validation, so it reads at most three items.
		pub fn is_participant(who: &T::AccountId) -> bool {
			Self::is_active(who)
				|| OfficerRoleCount::<T>::get(who) > 0
				|| Auditors::<T>::contains_key(who)
		}

		/// The quota window that `block` falls in.
		pub(crate) fn quota_window(block: BlockNumberFor<T>) -> u32 {
			(block / T::QuotaWindow::get()).unique_saturated_into()
		}

		/// Fee-free calls `who` may still submit in the current window.
		pub fn quota_remaining(who: &T::AccountId) -> u32 {
			let window = Self::quota_window(frame_system::Pallet::<T>::block_number());
			let used = Quota::<T>::get(who).filter(|q| q.window == window).map_or(0, |q| q.used);
			T::CallsPerQuotaWindow::get().saturating_sub(used)
		}

		pub(crate) fn consume_quota(who: &T::AccountId) {
			let window = Self::quota_window(frame_system::Pallet::<T>::block_number());
			Quota::<T>::mutate(who, |usage| {
				let current =
					usage.filter(|q| q.window == window).unwrap_or(QuotaUsage { window, used: 0 });
				*usage = Some(QuotaUsage { window, used: current.used.saturating_add(1) });
			});
		}

		/// The member as `timebank_member` shows it.
		pub fn member_view(who: &T::AccountId) -> Option<MemberView> {
			Members::<T>::get(who).map(|m| MemberView {
				identity_commitment: m.identity_commitment,
				home_branch: m.home_branch,
				extra_branches: m.extra_branches.into_inner(),
				status: m.status,
				roles: m.roles,
				redemption_eligible: m.redemption_eligible,
				joined_at: m.joined_at.unique_saturated_into(),
			})
		}

		/// Parent, status and member counts of a branch, for `timebank_branchSummary`.
		pub fn branch_overview(
			branch: BranchId,
		) -> Option<(Option<BranchId>, BranchStatus, MemberCounts)> {
			Branches::<T>::get(branch)
				.map(|b| (b.parent, b.status, MemberCountsByBranch::<T>::get(branch)))
		}

		pub(crate) fn do_approve_application(
			by: &T::AccountId,
			applicant: T::AccountId,
		) -> DispatchResult {
			let member = Members::<T>::get(&applicant).ok_or(Error::<T>::NotMember)?;
			ensure!(member.status == MemberStatus::Pending, Error::<T>::NotPending);
			Self::ensure_officer(member.home_branch, by, OfficerRole::Staff)?;
			Self::ensure_branch_active(member.home_branch)?;
			Self::change_status(&applicant, MemberStatus::Active)?;
			Self::ensure_provider(&applicant);
			Self::deposit_event(Event::ApplicationApproved {
				who: applicant,
				branch: member.home_branch,
				by: by.clone(),
			});
			Ok(())
		}

		pub(crate) fn do_reject_application(
			by: &T::AccountId,
			applicant: T::AccountId,
			reason: H256,
		) -> DispatchResult {
			let member = Members::<T>::get(&applicant).ok_or(Error::<T>::NotMember)?;
			ensure!(member.status == MemberStatus::Pending, Error::<T>::NotPending);
			Self::ensure_officer(member.home_branch, by, OfficerRole::Staff)?;
			MemberCountsByBranch::<T>::mutate(member.home_branch, |c| {
				c.pending = c.pending.saturating_sub(1)
			});
			Members::<T>::remove(&applicant);
			T::HomeBranchChanges::home_branch_changed(&applicant, Some(member.home_branch), None);
			Self::deposit_event(Event::ApplicationRejected {
				who: applicant,
				branch: member.home_branch,
				by: by.clone(),
				reason,
			});
			Ok(())
		}

		/// The registry's invariants: member counts match the records; every branch has an admin
		/// and a parent that exists; proxies and relations are consistent.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut recount: alloc::collections::BTreeMap<BranchId, MemberCounts> =
				Default::default();
			for (_, member) in Members::<T>::iter() {
				ensure!(
					Branches::<T>::contains_key(member.home_branch),
					"member's home branch does not exist"
				);
				Self::count(recount.entry(member.home_branch).or_default(), member.status, true);
			}
			for (branch, record) in Branches::<T>::iter() {
				let stored = MemberCountsByBranch::<T>::get(branch);
				let counted = recount.remove(&branch).unwrap_or_default();
				ensure!(stored == counted, "member counts of a branch disagree with the records");
				ensure!(AdminCount::<T>::get(branch) >= 1, "a branch has no admin");
				let admins = BranchOfficers::<T>::iter_prefix(branch)
					.filter(|(_, role)| *role == OfficerRole::Admin)
					.count() as u32;
				ensure!(admins == AdminCount::<T>::get(branch), "admin count disagrees");
				if let Some(parent) = record.parent {
					ensure!(
						Branches::<T>::contains_key(parent),
						"a branch's parent does not exist"
					);
				}
			}
			for (who, count) in OfficerRoleCount::<T>::iter() {
				let actual =
					BranchOfficers::<T>::iter().filter(|(_, officer, _)| *officer == who).count();
				ensure!(actual as u32 == count, "officer role count disagrees");
			}
			for (member, proxy, _) in Proxies::<T>::iter() {
				ensure!(member != proxy, "a member is their own proxy");
			}
			for (member, count) in ProxyCount::<T>::iter() {
				let actual = Proxies::<T>::iter_prefix(&member).count() as u32;
				ensure!(actual == count, "proxy count disagrees");
			}
			for (a, b, evidence) in VerifiedRelations::<T>::iter() {
				ensure!(
					VerifiedRelations::<T>::get(&b, &a) == Some(evidence),
					"a verified relation is one-sided"
				);
			}
			Ok(())
		}
	}
}

impl<T: Config> timebank_primitives::Membership<T::AccountId> for Pallet<T> {
	fn member(who: &T::AccountId) -> Option<MemberFacts> {
		Members::<T>::get(who).map(|m| MemberFacts {
			home_branch: m.home_branch,
			status: m.status,
			roles: m.roles,
			redemption_eligible: m.redemption_eligible,
		})
	}

	fn branch_is_active(branch: BranchId) -> bool {
		Branches::<T>::get(branch).is_some_and(|b| b.status == BranchStatus::Active)
	}

	fn is_officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) -> bool {
		Self::is_officer_at(branch, who, role)
	}

	fn is_verified_relation(a: &T::AccountId, b: &T::AccountId) -> bool {
		VerifiedRelations::<T>::contains_key(a, b)
	}

	fn proxy_permissions(member: &T::AccountId, proxy: &T::AccountId) -> Option<ProxyPermissions> {
		Proxies::<T>::get(member, proxy)
	}

	fn is_auditor(who: &T::AccountId) -> bool {
		Auditors::<T>::contains_key(who)
	}

	fn record_departure(
		who: &T::AccountId,
		status: MemberStatus,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		frame_support::ensure!(
			matches!(status, MemberStatus::Left | MemberStatus::Deceased),
			Error::<T>::StatusNotSettable
		);
		Self::change_status(who, status)?;
		Self::deposit_event(Event::MemberStatusChanged { who: who.clone(), status, by: None });
		Ok(())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> timebank_primitives::MembershipFixtures<T::AccountId> for Pallet<T> {
	fn branch(admin: &T::AccountId) -> BranchId {
		Self::do_register_branch(None, admin.clone(), H256::zero())
			.expect("benchmark setup: a root branch can always be registered")
	}

	fn member(who: &T::AccountId, branch: BranchId) {
		let roles = MemberRoles { recipient: true, volunteer: true, ..Default::default() };
		Self::insert_member(who, branch, H256::repeat_byte(1), roles, MemberStatus::Active);
		Self::ensure_provider(who);
	}

	fn officer(branch: BranchId, who: &T::AccountId, role: OfficerRole) {
		Self::insert_officer(branch, who, role);
	}

	fn relatives(a: &T::AccountId, b: &T::AccountId) {
		VerifiedRelations::<T>::insert(a, b, H256::zero());
		VerifiedRelations::<T>::insert(b, a, H256::zero());
	}

	fn proxy(member: &T::AccountId, proxy: &T::AccountId, permissions: ProxyPermissions) {
		Proxies::<T>::insert(member, proxy, permissions);
		ProxyCount::<T>::mutate(member, |c| *c = c.saturating_add(1));
	}
}

/// Reviewers' decisions on applications the branch sends to review.
impl<T: Config> ReviewOutcome<T::AccountId> for Pallet<T> {
	fn accepts(subject: &ReviewSubject<T::AccountId>, decision: &Decision) -> bool {
		matches!(subject, ReviewSubject::Application(_))
			&& matches!(decision, Decision::Approve | Decision::Reject)
	}

	/// The applicant (who is also the review's requester).
	fn is_party(subject: &ReviewSubject<T::AccountId>, who: &T::AccountId) -> bool {
		matches!(subject, ReviewSubject::Application(applicant) if applicant == who)
	}

	fn execute(
		subject: &ReviewSubject<T::AccountId>,
		decision: &Decision,
		actor: &T::AccountId,
	) -> sp_runtime::DispatchResult {
		let ReviewSubject::Application(applicant) = subject else {
			return Err(Error::<T>::WrongDecision.into());
		};
		match decision {
			Decision::Approve => {
				Self::do_approve_application(actor, applicant.clone())?;
				ApplicationsUnderReview::<T>::remove(applicant);
				Ok(())
			}
			Decision::Reject => {
				Self::do_reject_application(actor, applicant.clone(), H256::zero())?;
				ApplicationsUnderReview::<T>::remove(applicant);
				Ok(())
			}
			Decision::Arbitrate(_) => Err(Error::<T>::WrongDecision.into()),
		}
	}
}
