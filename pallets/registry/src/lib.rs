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
//! admins (two of them: one proposes, another confirms): `appoint_officer`, `remove_officer`,
//! `confirm_officer_change`, `cancel_officer_change`. Staff: `approve_application`,
//! `reject_application`, `register_member`, `set_member_roles`, `set_member_status`,
//! `add_extra_membership`, `move_home_branch`, `accept_home_move`, `cancel_home_move`,
//! `verify_relation`, `remove_relation`, `set_redemption_eligibility`, `record_proxy` (a second
//! officer or the member confirms: `confirm_proxy`, `cancel_proxy`), `anchor_log`. Admins:
//! `set_branch_profile`. Members: `apply_for_membership` (also as a brand-new account's first
//! transaction, [`CheckNonceOrFirstApplication`]), `authorise_proxy`, `revoke_proxy`,
//! `confirm_proxy`, `cancel_proxy`, `remove_extra_membership`, `move_home_branch`,
//! `cancel_home_move`. Clients read branches, quotas, proxies and relations through the view
//! functions.
//!
//! Other pallets use it through [`timebank_primitives::Membership`] (and the authority checks
//! [`timebank_primitives::Authority`] builds on it).
//!
//! ## Code map
//!
//! This file holds the FRAME sections; each call checks its origin and hands over to the module
//! of its concern: [`types`] (what is stored), `storage.rs` (the storage items) and `events.rs`
//! (events and errors), two pallet sections this file imports, `branches.rs`,
//! `officers.rs` (appointments and who may act), `officer_changes.rs` (the second admin),
//! `members.rs` (member records and their counters), `moves.rs` (moving home), `relations.rs`
//! (proxies, recorded proxies and verified relatives), `directory.rs` (branch profiles, gateway
//! addresses, log anchors), `extension.rs` (the quota), `onboarding.rs` (a new account's first
//! application), `views.rs` (what the runtime API reads), `invariants.rs` (`do_try_state`), and
//! one `impl_*.rs` file per trait the pallet implements.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod branches;
mod directory;
mod events;
mod extension;
#[cfg(feature = "runtime-benchmarks")]
mod fixtures;
mod impl_membership;
mod impl_review_outcome;
mod imports;
mod invariants;
mod members;
pub mod migrations;
mod moves;
mod officer_changes;
mod officers;
mod onboarding;
mod rekey;
mod relations;
mod storage;
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
#[cfg(test)]
mod tests_clients;
#[cfg(test)]
mod tests_imports;
#[cfg(test)]
mod tests_moves;
#[cfg(test)]
mod tests_officers;
#[cfg(test)]
mod tests_rekey;

pub use extension::{CheckMemberQuota, ACCOUNT_RETIRED, NOT_A_MEMBER, QUOTA_EXHAUSTED};
pub use onboarding::{CheckNonceOrFirstApplication, APPLICATION_NOT_TAKEN};
#[cfg(feature = "runtime-benchmarks")]
pub use rekey::RekeyBenchmarkHelper;
pub use rekey::{MAX_LINKS_MOVED, REKEY_TAG};
pub use types::*;
pub use weights::WeightInfo;

use polkadot_sdk::sp_runtime::traits::{IdentifyAccount, Verify};
use polkadot_sdk::{
	frame_support::{self, pallet_macros::import_section},
	frame_system,
	sp_core::H256,
};
use timebank_primitives::{
	BranchId, HomeBranchChanges, IdentityCommitment, MemberRoles, MemberStatus, NotOfficer,
	OfficerRole, ProxyPermissions, Rekeying, ReviewQueue,
};

#[import_section(events::events_and_errors)]
#[import_section(storage::storage_items)]
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

	/// The storage layout's version; `migrations` moves a chain from one to the next.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

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
		/// Told of every change of an account's home branch (the ledger's per-branch totals);
		/// asked before a member moves (no debt or open holds; the balance crosses clearing).
		type HomeBranchChanges: HomeBranchChanges<Self::AccountId>;
		/// Most accounts a branch's officers may register or appoint per quota window: each new
		/// account gets its own fee-free quota, so this bounds how fast insiders multiply it.
		#[pallet::constant]
		type RegistrationsPerWindow: Get<u32>;
		/// Most officer changes waiting for a second admin at one branch.
		#[pallet::constant]
		type MaxPendingOfficerChanges: Get<u32>;
		/// Most applications waiting for a decision at one branch (its pending members).
		#[pallet::constant]
		type MaxPendingApplications: Get<u32>;
		/// Most members one import batch carries.
		#[pallet::constant]
		type MaxImportBatch: Get<u32>;
		/// Most members a branch may import per quota window: imports are not counted against
		/// the officers' own quota, so this bounds how fast a branch adds accounts by import.
		#[pallet::constant]
		type ImportsPerWindow: Get<u32>;
		/// The other pallets' parts of re-keying a member (decision 0013).
		type Rekeying: Rekeying<Self::AccountId>;
		/// The new key's signature over the re-keying message ([`Pallet::rekey_message`]).
		type RekeyProof: Parameter
			+ DecodeWithMemTracking
			+ Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>;
		/// How long a re-key that staff requested (the member's key lost) waits before an
		/// officer may approve it, so the member's devices can still object.
		#[pallet::constant]
		type RekeyDelay: Get<BlockNumberFor<Self>>;
		/// Most times one member's account may move to a new key.
		#[pallet::constant]
		type MaxKeyHistory: Get<u32>;
		/// Makes new keys and their proofs for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: RekeyBenchmarkHelper<Self::AccountId, Self::RekeyProof>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
	}

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

		/// Appoint staff or an admin. The council appoints at once. An admin of the branch
		/// proposes, and a second admin confirms with `confirm_officer_change`: one person alone
		/// never chooses the officers who co-sign their decisions. A branch with a single admin
		/// asks the council.
		#[pallet::call_index(2)]
		#[pallet::weight((
			T::WeightInfo::appoint_officer().max(T::WeightInfo::confirm_officer_change()),
			Pays::No
		))]
		pub fn appoint_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
			role: OfficerRole,
		) -> DispatchResult {
			match Self::council_or_admin(origin, branch)? {
				None => Self::do_appoint_officer(branch, who, role),
				Some(by) => {
					Self::propose_officer_change(branch, who, OfficerChange::Appoint(role), by)
				}
			}
		}

		/// Remove an officer. The last admin of a branch stays. The council removes at once; an
		/// admin of the branch removes staff at once and proposes removing a co-admin, which a
		/// second admin confirms.
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::remove_officer(), Pays::No))]
		pub fn remove_officer(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
		) -> DispatchResult {
			match Self::council_or_admin(origin, branch)? {
				Some(by) if BranchOfficers::<T>::get(branch, &who) == Some(OfficerRole::Admin) => {
					Self::propose_officer_change(branch, who, OfficerChange::Remove, by)
				}
				_ => Self::do_remove_officer(branch, who),
			}
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
			Self::do_set_auditor(who, enabled)
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
		/// `branch`, within the branch's registrations per window; or the council (`BranchOrigin`),
		/// without that limit, e.g. when a branch joins with the members it already has.
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
			let by = match T::BranchOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
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

		/// Ask to move a member's home branch (the member moved city): the member or staff of
		/// the current home branch ask, staff of `to` accept with `accept_home_move`. Neither
		/// side takes a member over alone.
		#[pallet::call_index(13)]
		#[pallet::weight((T::WeightInfo::move_home_branch(), Pays::No))]
		pub fn move_home_branch(
			origin: OriginFor<T>,
			who: T::AccountId,
			to: BranchId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_request_home_move(by, who, to)
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

		/// Accept a member's request to move here (staff of the branch asked for). Refused while
		/// the member has credits in open holds or owes credits; a positive balance crosses
		/// through the two branches' clearing accounts, within their limit. Statement and
		/// proxies stay with the account.
		#[pallet::call_index(19)]
		#[pallet::weight((
			T::WeightInfo::accept_home_move()
				.saturating_add(T::HomeBranchChanges::weight())
				.saturating_add(T::HomeBranchChanges::prepare_move_weight()),
			Pays::No
		))]
		pub fn accept_home_move(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_accept_home_move(by, who)
		}

		/// Withdraw a request to move home (the member or staff of the current home branch), or
		/// decline it (staff of the branch asked for).
		#[pallet::call_index(20)]
		#[pallet::weight((T::WeightInfo::cancel_home_move(), Pays::No))]
		pub fn cancel_home_move(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_home_move(by, who)
		}

		/// Confirm an officer change another admin proposed: an admin of the branch other than
		/// the proposer, or the council.
		#[pallet::call_index(21)]
		#[pallet::weight((T::WeightInfo::confirm_officer_change(), Pays::No))]
		pub fn confirm_officer_change(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
		) -> DispatchResult {
			let by = Self::council_or_admin(origin, branch)?;
			Self::do_confirm_officer_change(branch, who, by)
		}

		/// Withdraw or refuse a proposed officer change: any admin of the branch, or the council.
		#[pallet::call_index(22)]
		#[pallet::weight((T::WeightInfo::cancel_officer_change(), Pays::No))]
		pub fn cancel_officer_change(
			origin: OriginFor<T>,
			branch: BranchId,
			who: T::AccountId,
		) -> DispatchResult {
			let by = Self::council_or_admin(origin, branch)?;
			Self::do_cancel_officer_change(branch, who, by)
		}
		/// Publish or rotate the branch's profile hash and its gateway's address (`None`
		/// withdraws the address): an admin of the branch, or the council.
		#[pallet::call_index(23)]
		#[pallet::weight((T::WeightInfo::set_branch_profile(), Pays::No))]
		pub fn set_branch_profile(
			origin: OriginFor<T>,
			branch: BranchId,
			profile_hash: H256,
			gateway: Option<GatewayAddress>,
		) -> DispatchResult {
			let by = Self::council_or_admin(origin, branch)?;
			Self::do_set_branch_profile(branch, profile_hash, gateway, by)
		}

		/// Record the root of the branch gateway's audit log after `entries` entries: an
		/// officer of the branch. Each anchor must count more entries than the last.
		#[pallet::call_index(24)]
		#[pallet::weight((T::WeightInfo::anchor_log(), Pays::No))]
		pub fn anchor_log(
			origin: OriginFor<T>,
			branch: BranchId,
			root: H256,
			entries: u64,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_anchor_log(by, branch, root, entries)
		}

		/// Record a family proxy for a member who cannot sign (no smartphone), with the hash of
		/// the evidence checked at the counter: staff of the member's home branch. It takes
		/// effect when a second officer of that branch, or the member, confirms it.
		#[pallet::call_index(25)]
		#[pallet::weight((T::WeightInfo::record_proxy(), Pays::No))]
		pub fn record_proxy(
			origin: OriginFor<T>,
			member: T::AccountId,
			proxy: T::AccountId,
			permissions: ProxyPermissions,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_record_proxy(by, member, proxy, permissions, evidence)
		}

		/// Confirm a recorded proxy: the member, or staff of the member's home branch other
		/// than the officer who recorded it.
		#[pallet::call_index(26)]
		#[pallet::weight((T::WeightInfo::confirm_proxy(), Pays::No))]
		pub fn confirm_proxy(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_confirm_proxy(by, member)
		}

		/// Withdraw or refuse a recorded proxy: the member, the proxy, or staff of the member's
		/// home branch.
		#[pallet::call_index(27)]
		#[pallet::weight((T::WeightInfo::cancel_proxy(), Pays::No))]
		pub fn cancel_proxy(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_proxy(by, member)
		}

		/// Propose registering members from the branch's paper records in one batch, each with
		/// an opening balance, and the hash of the import file: an officer of the branch. It
		/// takes effect when an admin of the branch other than the proposer confirms it.
		#[pallet::call_index(28)]
		#[pallet::weight((T::WeightInfo::propose_import(members.len() as u32), Pays::No))]
		pub fn propose_import(
			origin: OriginFor<T>,
			branch: BranchId,
			members: BoundedVec<ImportedMember<T::AccountId>, T::MaxImportBatch>,
			import_file: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_propose_import(by, branch, members, import_file)
		}

		/// Confirm the branch's waiting import: an admin of the branch other than the proposer.
		/// Each member is registered active and credited their opening balance (a reviewed grant
		/// where the branch reviews grants of that size); a member who cannot be is skipped and
		/// named in `MemberImportSkipped`, the rest go ahead.
		#[pallet::call_index(29)]
		#[pallet::weight((
			T::WeightInfo::confirm_import(T::MaxImportBatch::get()).saturating_add(
				T::HomeBranchChanges::credit_opening_balance_weight()
					.saturating_mul(T::MaxImportBatch::get().into())
			),
			Pays::No
		))]
		pub fn confirm_import(
			origin: OriginFor<T>,
			branch: BranchId,
		) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			Self::do_confirm_import(by, branch)
		}

		/// Withdraw or refuse the branch's waiting import: any officer of the branch.
		#[pallet::call_index(30)]
		#[pallet::weight((T::WeightInfo::cancel_import(), Pays::No))]
		pub fn cancel_import(origin: OriginFor<T>, branch: BranchId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_import(by, branch)
		}

		/// Ask to move the signer's membership to the key `new` (decision 0013), which signed
		/// `proof` over [`Pallet::rekey_message`]. An officer of the home branch approves it.
		#[pallet::call_index(31)]
		#[pallet::weight((
			T::WeightInfo::request_rekey().saturating_add(T::Rekeying::rekey_weight()),
			Pays::No
		))]
		pub fn request_rekey(
			origin: OriginFor<T>,
			new: T::AccountId,
			proof: T::RekeyProof,
		) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_request_rekey(member.clone(), member, new, proof, H256::zero())
		}

		/// Ask to move `member`'s account to `new` for a member who lost their key: staff of
		/// the home branch, with the hash of the evidence checked at the counter. Another
		/// officer approves it after `RekeyDelay`.
		#[pallet::call_index(32)]
		#[pallet::weight((
			T::WeightInfo::request_rekey().saturating_add(T::Rekeying::rekey_weight()),
			Pays::No
		))]
		pub fn request_rekey_for(
			origin: OriginFor<T>,
			member: T::AccountId,
			new: T::AccountId,
			proof: T::RekeyProof,
			evidence: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_request_rekey(by, member, new, proof, evidence)
		}

		/// Approve `member`'s waiting re-key: staff of the home branch in office since before
		/// the request, other than whoever asked. The member's state moves to the new key and
		/// the old key is retired.
		#[pallet::call_index(33)]
		#[pallet::weight((
			T::WeightInfo::approve_rekey().saturating_add(T::Rekeying::rekey_weight()),
			Pays::No
		))]
		pub fn approve_rekey(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_approve_rekey(by, member)
		}

		/// Withdraw or refuse `member`'s waiting re-key: the member, whoever asked, or staff of
		/// the home branch.
		#[pallet::call_index(34)]
		#[pallet::weight((T::WeightInfo::cancel_rekey(), Pays::No))]
		pub fn cancel_rekey(origin: OriginFor<T>, member: T::AccountId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_cancel_rekey(by, member)
		}
	}

	/// Typed read-only queries for clients, through the runtime's `RuntimeViewFunction` API
	/// and the metadata (no node-side RPC code).
	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Every branch with its profile, gateway address and member counts.
		pub fn branches() -> alloc::vec::Vec<BranchView> {
			Self::branch_views()
		}

		/// `who`'s fee-free allowance: what remains now and the whole, in microseconds.
		pub fn quota(who: T::AccountId) -> QuotaView {
			QuotaView {
				remaining: Self::quota_remaining(&who),
				allowance: Self::quota_allowance(&who),
			}
		}

		/// Who may act for `member`, with what permissions.
		pub fn proxies_of(
			member: T::AccountId,
		) -> alloc::vec::Vec<(T::AccountId, ProxyPermissions)> {
			Proxies::<T>::iter_prefix(&member).collect()
		}

		/// Whom `proxy` may act for, with what permissions.
		pub fn acting_for(
			proxy: T::AccountId,
		) -> alloc::vec::Vec<(T::AccountId, ProxyPermissions)> {
			Self::members_acted_for(&proxy)
		}

		/// `who`'s verified relatives, each with the hash of the evidence.
		pub fn relations_of(who: T::AccountId) -> alloc::vec::Vec<(T::AccountId, H256)> {
			VerifiedRelations::<T>::iter_prefix(&who).collect()
		}

		/// `who`'s keys: a re-key waiting for approval, the key a retired `who` moved to, and the
		/// member's earlier keys (their history stays under those).
		pub fn keys(who: T::AccountId) -> KeysView<T::AccountId, BlockNumberFor<T>> {
			Self::keys_view(&who)
		}

		/// The proxy staff recorded for `member`, waiting for confirmation, if any.
		pub fn pending_proxy(
			member: T::AccountId,
		) -> Option<PendingProxy<T::AccountId, BlockNumberFor<T>>> {
			PendingProxies::<T>::get(&member)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			Self::check_quota_constants();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
