//! The registry's invariants, checked by `try_state`, after every unit test, and by
//! `timebank_checkInvariants` on any block.
//!
//! # Invariants
//!
//! - `Members`: every member's home branch exists in `Branches`.
//! - `MemberCountsByBranch`: for every branch, the pending, active and suspended counts equal
//!   the `Members` records of that home branch and status.
//! - `AdminCount`: every branch has at least one admin, and the count equals its `Admin`
//!   entries in `BranchOfficers`.
//! - `Branches`: a branch's parent, if any, exists.
//! - `OfficerRoleCount`: for every account, the number of branches where `BranchOfficers` has
//!   it.
//! - `Proxies`: no member is their own proxy; `ProxyCount` equals each member's `Proxies`
//!   entries.
//! - `VerifiedRelations`: every relation is stored in both directions with the same evidence.
//! - `PendingMoves`: every request is of a member, to an existing branch other than the
//!   member's home.
//! - `PendingOfficerChanges`: every change is at an existing branch; `PendingOfficerChangeCount`
//!   equals each branch's entries and is at most `MaxPendingOfficerChanges`.
//! - `OfficerSince`: every entry belongs to an officer in `BranchOfficers`.
//! - `Registrations`: no branch used more than `RegistrationsPerWindow`.
//! - `RekeyedTo`: a retired key holds nothing that moves (no record, proxies either way,
//!   relations, officer role or auditor flag), and points at a key with a member record that
//!   lists it among its `PreviousKeys`.

use crate::{pallet::*, MemberCounts};
use alloc::collections::BTreeMap;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_runtime::TryRuntimeError,
};
use timebank_primitives::{BranchId, OfficerRole};

impl<T: Config> Pallet<T> {
	/// Check every invariant listed in this module's documentation; the first broken one is the
	/// error.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let recount = Self::count_members_by_branch()?;
		Self::check_branches(recount)?;
		Self::check_officer_role_counts()?;
		Self::check_proxies()?;
		Self::check_relations()?;
		Self::check_pending_moves()?;
		Self::check_officer_changes()?;
		Self::check_retired_keys()
	}

	/// Nothing movable stays under a retired key, and its current key knows it.
	fn check_retired_keys() -> Result<(), TryRuntimeError> {
		for (old, current) in RekeyedTo::<T>::iter() {
			ensure!(
				!Members::<T>::contains_key(&old)
					&& Proxies::<T>::iter_key_prefix(&old).next().is_none()
					&& ActingFor::<T>::iter_key_prefix(&old).next().is_none()
					&& VerifiedRelations::<T>::iter_key_prefix(&old).next().is_none()
					&& OfficerRoleCount::<T>::get(&old) == 0
					&& !Auditors::<T>::contains_key(&old),
				"a retired key still holds movable state"
			);
			ensure!(Members::<T>::contains_key(&current), "a retired key points at no member");
			ensure!(
				PreviousKeys::<T>::get(&current).is_some_and(|keys| keys.contains(&old)),
				"a retired key is missing from its member's previous keys"
			);
		}
		Ok(())
	}

	/// The member counts the records give, per home branch; every home branch must exist.
	fn count_members_by_branch() -> Result<BTreeMap<BranchId, MemberCounts>, TryRuntimeError> {
		let mut recount: BTreeMap<BranchId, MemberCounts> = Default::default();
		for (_, member) in Members::<T>::iter() {
			ensure!(
				Branches::<T>::contains_key(member.home_branch),
				"member's home branch does not exist"
			);
			recount.entry(member.home_branch).or_default().add(member.status);
		}
		Ok(recount)
	}

	/// Each branch's stored counts equal `recount`; it has admins, counted right; its parent
	/// exists.
	fn check_branches(
		mut recount: BTreeMap<BranchId, MemberCounts>,
	) -> Result<(), TryRuntimeError> {
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
				ensure!(Branches::<T>::contains_key(parent), "a branch's parent does not exist");
			}
		}
		Ok(())
	}

	/// Each account's officer role count equals its `BranchOfficers` entries.
	fn check_officer_role_counts() -> Result<(), TryRuntimeError> {
		for (who, count) in OfficerRoleCount::<T>::iter() {
			let actual =
				BranchOfficers::<T>::iter().filter(|(_, officer, _)| *officer == who).count();
			ensure!(actual as u32 == count, "officer role count disagrees");
		}
		Ok(())
	}

	/// Nobody is their own proxy; each member's proxy count equals their proxies; `ActingFor`
	/// indexes exactly the proxies there are.
	fn check_proxies() -> Result<(), TryRuntimeError> {
		for (member, proxy, _) in Proxies::<T>::iter() {
			ensure!(member != proxy, "a member is their own proxy");
			ensure!(ActingFor::<T>::contains_key(&proxy, &member), "a proxy is not indexed");
		}
		for (proxy, member, ()) in ActingFor::<T>::iter() {
			ensure!(Proxies::<T>::contains_key(&member, &proxy), "a stale ActingFor entry");
		}
		for (member, count) in ProxyCount::<T>::iter() {
			let actual = Proxies::<T>::iter_prefix(&member).count() as u32;
			ensure!(actual == count, "proxy count disagrees");
		}
		Ok(())
	}

	/// Every verified relation is stored both ways with the same evidence.
	fn check_relations() -> Result<(), TryRuntimeError> {
		for (a, b, evidence) in VerifiedRelations::<T>::iter() {
			ensure!(
				VerifiedRelations::<T>::get(&b, &a) == Some(evidence),
				"a verified relation is one-sided"
			);
		}
		Ok(())
	}

	/// Every request to move is a member's, to an existing branch that is not their home.
	fn check_pending_moves() -> Result<(), TryRuntimeError> {
		for (who, request) in PendingMoves::<T>::iter() {
			let member = Members::<T>::get(&who).ok_or("a request to move has no member")?;
			ensure!(
				Branches::<T>::contains_key(request.to),
				"a move to a branch that does not exist"
			);
			ensure!(member.home_branch != request.to, "a request to move to the home branch");
		}
		Ok(())
	}

	/// Pending officer changes are counted per branch within the limit; officers' start blocks
	/// belong to officers; no branch registered beyond its limit.
	fn check_officer_changes() -> Result<(), TryRuntimeError> {
		let mut counted: BTreeMap<BranchId, u32> = Default::default();
		for (branch, _, _) in PendingOfficerChanges::<T>::iter() {
			ensure!(Branches::<T>::contains_key(branch), "an officer change at no branch");
			*counted.entry(branch).or_default() += 1;
		}
		for (branch, count) in PendingOfficerChangeCount::<T>::iter() {
			ensure!(
				counted.remove(&branch).unwrap_or(0) == count,
				"pending officer change count disagrees"
			);
			ensure!(
				count <= T::MaxPendingOfficerChanges::get(),
				"too many pending officer changes"
			);
		}
		ensure!(counted.is_empty(), "pending officer changes without a count");
		for (branch, who, _) in OfficerSince::<T>::iter() {
			ensure!(
				BranchOfficers::<T>::contains_key(branch, &who),
				"an officer start block without an officer"
			);
		}
		for (_, usage) in Registrations::<T>::iter() {
			ensure!(
				usage.registered <= T::RegistrationsPerWindow::get(),
				"registrations beyond the limit"
			);
		}
		Ok(())
	}
}
