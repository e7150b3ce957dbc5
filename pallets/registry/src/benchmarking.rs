//! Benchmarks of every registry call, each at its most expensive path.

use super::*;
use crate::Pallet as Registry;
use alloc::vec::Vec;
use frame_support::traits::{EnsureOrigin, Get};
use frame_support::BoundedVec;
use frame_system::RawOrigin;
use polkadot_sdk::frame_benchmarking::v2::*;
use timebank_primitives::{MemberRoles, MemberStatus, OfficerRole, ProxyPermissions};

fn branch_with_admin<T: Config>() -> (BranchId, T::AccountId) {
	let admin: T::AccountId = account("admin", 0, 0);
	let branch = Registry::<T>::do_register_branch(None, admin.clone(), H256::zero())
		.expect("a root branch can always be registered");
	(branch, admin)
}

fn active_member<T: Config>(
	name: &'static str,
	branch: BranchId,
	admin: &T::AccountId,
) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	// Every benchmark member may serve as a family proxy.
	let roles = MemberRoles { family_proxy: true, ..Default::default() };
	Registry::<T>::register_member(
		RawOrigin::Signed(admin.clone()).into(),
		who.clone(),
		branch,
		H256::repeat_byte(1),
		roles,
	)
	.expect("staff can register a new member");
	who
}

fn pending_applicant<T: Config>(branch: BranchId) -> T::AccountId {
	let applicant: T::AccountId = account("applicant", 0, 0);
	Registry::<T>::apply_for_membership(
		RawOrigin::Signed(applicant.clone()).into(),
		branch,
		H256::repeat_byte(2),
	)
	.expect("anyone may apply to an active branch");
	applicant
}

/// A second admin of `branch`, so officer changes can be proposed and confirmed.
fn second_admin<T: Config>(branch: BranchId) -> T::AccountId {
	let second: T::AccountId = account("second-admin", 0, 0);
	Registry::<T>::insert_officer(branch, &second, OfficerRole::Admin);
	second
}

/// `who`, a member of a new branch, asks to move to another new branch; its admin is returned.
fn requested_move<T: Config>() -> (T::AccountId, T::AccountId) {
	let (branch, admin) = branch_with_admin::<T>();
	let who = active_member::<T>("member", branch, &admin);
	let to_admin: T::AccountId = account("to-admin", 0, 0);
	let to =
		Registry::<T>::do_register_branch(None, to_admin.clone(), H256::zero()).expect("registers");
	Registry::<T>::move_home_branch(RawOrigin::Signed(who.clone()).into(), who.clone(), to)
		.expect("a member may ask to move");
	(who, to_admin)
}

/// `n` members of paper records, with no opening balance (the ledger's part of a confirmation
/// is weighed by the ledger: `credit_opening_balance_weight`).
fn import_batch<T: Config>(n: u32) -> BoundedVec<ImportedMember<T::AccountId>, T::MaxImportBatch> {
	let members: Vec<_> = (0..n)
		.map(|i| ImportedMember {
			who: account("imported", i, 0),
			identity_commitment: H256::repeat_byte(7),
			roles: MemberRoles { recipient: true, ..Default::default() },
			opening_balance: 0,
		})
		.collect();
	members.try_into().expect("at most MaxImportBatch")
}

fn all_permissions() -> ProxyPermissions {
	ProxyPermissions { request_services: true, confirm_services: true, propose_transfers: true }
}

/// A member of `branch` with everything a re-key moves at its bound: the most verified
/// relatives and principals (`MAX_LINKS_MOVED`), the most proxies, and a key history one short
/// of full.
fn member_with_most_to_move<T: Config>(branch: BranchId, admin: &T::AccountId) -> T::AccountId {
	let member = active_member::<T>("rekeyed", branch, admin);
	let family = MemberRoles { family_proxy: true, ..Default::default() };
	for i in 0..MAX_LINKS_MOVED {
		let other: T::AccountId = account("linked", i, 0);
		Registry::<T>::do_register_member(
			None,
			other.clone(),
			branch,
			H256::repeat_byte(2),
			family,
		)
		.expect("the council registers");
		VerifiedRelations::<T>::insert(&member, &other, H256::repeat_byte(3));
		VerifiedRelations::<T>::insert(&other, &member, H256::repeat_byte(3));
		Proxies::<T>::insert(&other, &member, all_permissions());
		ActingFor::<T>::insert(&member, &other, ());
		ProxyCount::<T>::insert(&other, 1);
	}
	for i in 0..T::MaxProxiesPerMember::get() {
		let proxy: T::AccountId = account("its-proxy", i, 0);
		Registry::<T>::do_register_member(
			None,
			proxy.clone(),
			branch,
			H256::repeat_byte(2),
			family,
		)
		.expect("the council registers");
		Proxies::<T>::insert(&member, &proxy, all_permissions());
		ActingFor::<T>::insert(&proxy, &member, ());
	}
	ProxyCount::<T>::insert(&member, T::MaxProxiesPerMember::get());
	let earlier: Vec<T::AccountId> = (0..T::MaxKeyHistory::get().saturating_sub(1))
		.map(|i| account("earlier-key", i, 0))
		.collect();
	for key in &earlier {
		RekeyedTo::<T>::insert(key, &member);
	}
	PreviousKeys::<T>::insert(&member, BoundedVec::truncate_from(earlier));
	member
}

/// `member`'s own request to move to a new key, with the new key's proof.
fn requested_rekey<T: Config>(member: &T::AccountId) -> T::AccountId {
	use crate::RekeyBenchmarkHelper;
	let new = T::BenchmarkHelper::new_key();
	let proof = T::BenchmarkHelper::sign(&new, &Registry::<T>::rekey_message(member, &new));
	Registry::<T>::request_rekey(RawOrigin::Signed(member.clone()).into(), new.clone(), proof)
		.expect("the member asks");
	new
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_branch() -> Result<(), BenchmarkError> {
		let (parent, _) = branch_with_admin::<T>();
		let origin =
			T::BranchOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let admin: T::AccountId = account("new-admin", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(parent), admin, H256::zero());
		assert!(Branches::<T>::contains_key(parent + 1));
		Ok(())
	}

	#[benchmark]
	fn set_branch_status() -> Result<(), BenchmarkError> {
		let (branch, _) = branch_with_admin::<T>();
		let origin =
			T::BranchOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, branch, BranchStatus::Suspended);
		Ok(())
	}

	// An admin's proposal, the fee-free path; the council's appointment at once costs what
	// `confirm_officer_change` measures, and the call declares the larger of the two.
	#[benchmark]
	fn appoint_officer() {
		let (branch, admin) = branch_with_admin::<T>();
		second_admin::<T>(branch);
		let staff: T::AccountId = account("staff", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, staff.clone(), OfficerRole::Admin);
		assert!(PendingOfficerChanges::<T>::contains_key(branch, &staff));
	}

	// An admin removes staff at once: the dearer of the signed paths (proposing to remove a
	// co-admin writes two entries, removing writes three).
	#[benchmark]
	fn remove_officer() {
		let (branch, admin) = branch_with_admin::<T>();
		let staff: T::AccountId = account("staff", 0, 0);
		Registry::<T>::insert_officer(branch, &staff, OfficerRole::Staff);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, staff.clone());
		assert!(!Registry::<T>::is_officer_at(branch, &staff, OfficerRole::Staff));
	}

	#[benchmark]
	fn set_auditor() -> Result<(), BenchmarkError> {
		let origin =
			T::BranchOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let auditor: T::AccountId = account("auditor", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, auditor, true);
		Ok(())
	}

	#[benchmark]
	fn apply_for_membership() {
		let (branch, _) = branch_with_admin::<T>();
		let applicant: T::AccountId = account("applicant", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(applicant.clone()), branch, H256::repeat_byte(2));
		assert!(Members::<T>::contains_key(&applicant));
	}

	#[benchmark]
	fn approve_application() {
		let (branch, admin) = branch_with_admin::<T>();
		let applicant = pending_applicant::<T>(branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), applicant.clone());
		assert!(Registry::<T>::is_participant(&applicant));
	}

	#[benchmark]
	fn reject_application() {
		let (branch, admin) = branch_with_admin::<T>();
		let applicant = pending_applicant::<T>(branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), applicant, H256::zero());
	}

	#[benchmark]
	fn register_member() {
		let (branch, admin) = branch_with_admin::<T>();
		let who: T::AccountId = account("member", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, branch, H256::repeat_byte(3), MemberRoles::default());
	}

	#[benchmark]
	fn set_member_roles() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		let roles = MemberRoles { volunteer: true, recipient: true, family_proxy: true };
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, roles);
	}

	#[benchmark]
	fn set_member_status() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, MemberStatus::Suspended);
	}

	#[benchmark]
	fn add_extra_membership() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		for _ in 1..T::MaxExtraMemberships::get() {
			let extra = Registry::<T>::do_register_branch(None, admin.clone(), H256::zero())
				.expect("registers");
			Registry::<T>::add_extra_membership(
				RawOrigin::Signed(admin.clone()).into(),
				who.clone(),
				extra,
			)
			.expect("joins");
		}
		let last = Registry::<T>::do_register_branch(None, admin.clone(), H256::zero())
			.expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, last);
	}

	#[benchmark]
	fn remove_extra_membership() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		let mut last = branch;
		for _ in 0..T::MaxExtraMemberships::get() {
			last = Registry::<T>::do_register_branch(None, admin.clone(), H256::zero())
				.expect("registers");
			Registry::<T>::add_extra_membership(
				RawOrigin::Signed(admin.clone()).into(),
				who.clone(),
				last,
			)
			.expect("joins");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), who.clone(), last);
	}

	#[benchmark]
	fn move_home_branch() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		let (to, _to_admin) = {
			let to_admin: T::AccountId = account("to-admin", 0, 0);
			let to = Registry::<T>::do_register_branch(None, to_admin.clone(), H256::zero())
				.expect("registers");
			(to, to_admin)
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, to);
	}

	#[benchmark]
	fn authorise_proxy() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("member", branch, &admin);
		let proxy = active_member::<T>("proxy", branch, &admin);
		#[extrinsic_call]
		_(RawOrigin::Signed(member), proxy, all_permissions());
	}

	#[benchmark]
	fn revoke_proxy() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("member", branch, &admin);
		let proxy = active_member::<T>("proxy", branch, &admin);
		Registry::<T>::authorise_proxy(
			RawOrigin::Signed(member.clone()).into(),
			proxy.clone(),
			all_permissions(),
		)
		.expect("authorises");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), member, proxy);
	}

	#[benchmark]
	fn verify_relation() {
		let (branch, admin) = branch_with_admin::<T>();
		let a = active_member::<T>("a", branch, &admin);
		let b = active_member::<T>("b", branch, &admin);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), a, b, H256::zero());
	}

	#[benchmark]
	fn remove_relation() {
		let (branch, admin) = branch_with_admin::<T>();
		let a = active_member::<T>("a", branch, &admin);
		let b = active_member::<T>("b", branch, &admin);
		Registry::<T>::verify_relation(
			RawOrigin::Signed(admin.clone()).into(),
			a.clone(),
			b.clone(),
			H256::zero(),
		)
		.expect("verifies");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), a, b);
	}

	#[benchmark]
	fn accept_home_move() {
		let (who, to_admin) = requested_move::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(to_admin), who.clone());
		assert!(!PendingMoves::<T>::contains_key(&who));
	}

	// Declined by the destination's staff: every check of who may cancel is read.
	#[benchmark]
	fn cancel_home_move() {
		let (who, to_admin) = requested_move::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(to_admin), who.clone());
		assert!(!PendingMoves::<T>::contains_key(&who));
	}

	// Appointing an admin confirmed by the second admin: the officer's records, the provider
	// reference and the branch's registration count are written.
	#[benchmark]
	fn confirm_officer_change() {
		let (branch, admin) = branch_with_admin::<T>();
		let second = second_admin::<T>(branch);
		let new: T::AccountId = account("new-admin", 0, 0);
		Registry::<T>::appoint_officer(
			RawOrigin::Signed(admin).into(),
			branch,
			new.clone(),
			OfficerRole::Admin,
		)
		.expect("an admin proposes");
		#[extrinsic_call]
		_(RawOrigin::Signed(second), branch, new.clone());
		assert!(Registry::<T>::is_officer_at(branch, &new, OfficerRole::Admin));
	}

	#[benchmark]
	fn cancel_officer_change() {
		let (branch, admin) = branch_with_admin::<T>();
		let second = second_admin::<T>(branch);
		let new: T::AccountId = account("new-admin", 0, 0);
		Registry::<T>::appoint_officer(
			RawOrigin::Signed(admin).into(),
			branch,
			new.clone(),
			OfficerRole::Admin,
		)
		.expect("an admin proposes");
		#[extrinsic_call]
		_(RawOrigin::Signed(second), branch, new.clone());
		assert!(!PendingOfficerChanges::<T>::contains_key(branch, &new));
	}

	#[benchmark]
	fn set_redemption_eligibility() {
		let (branch, admin) = branch_with_admin::<T>();
		let who = active_member::<T>("member", branch, &admin);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who, true, H256::zero());
	}

	#[benchmark]
	fn set_branch_profile() {
		let (branch, admin) = branch_with_admin::<T>();
		let longest: GatewayAddress =
			[b"https://".as_slice(), &[b'a'; 120]].concat().try_into().expect("128 bytes fit");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, H256::repeat_byte(3), Some(longest));
		assert!(BranchGateways::<T>::contains_key(branch));
	}

	#[benchmark]
	fn anchor_log() {
		let (branch, admin) = branch_with_admin::<T>();
		Registry::<T>::anchor_log(
			RawOrigin::Signed(admin.clone()).into(),
			branch,
			H256::repeat_byte(1),
			1,
		)
		.expect("a first anchor");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, H256::repeat_byte(2), 2);
		assert_eq!(LogAnchors::<T>::get(branch).map(|a| a.entries), Some(2));
	}

	#[benchmark]
	fn record_proxy() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("member", branch, &admin);
		let proxy = active_member::<T>("proxy", branch, &admin);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), member.clone(), proxy, all_permissions(), H256::repeat_byte(4));
		assert!(PendingProxies::<T>::contains_key(&member));
	}

	#[benchmark]
	fn confirm_proxy() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("member", branch, &admin);
		let proxy = active_member::<T>("proxy", branch, &admin);
		Registry::<T>::record_proxy(
			RawOrigin::Signed(admin).into(),
			member.clone(),
			proxy.clone(),
			all_permissions(),
			H256::repeat_byte(4),
		)
		.expect("staff record");
		// The second officer's path checks the most: home staff and not the recorder.
		let second = second_admin::<T>(branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(second), member.clone());
		assert!(Proxies::<T>::contains_key(&member, &proxy));
	}

	#[benchmark]
	fn cancel_proxy() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("member", branch, &admin);
		let proxy = active_member::<T>("proxy", branch, &admin);
		Registry::<T>::record_proxy(
			RawOrigin::Signed(admin.clone()).into(),
			member.clone(),
			proxy,
			all_permissions(),
			H256::repeat_byte(4),
		)
		.expect("staff record");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), member.clone());
		assert!(!PendingProxies::<T>::contains_key(&member));
	}

	#[benchmark]
	fn propose_import(n: Linear<1, { T::MaxImportBatch::get() }>) {
		let (branch, admin) = branch_with_admin::<T>();
		let members = import_batch::<T>(n);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch, members, H256::repeat_byte(5));
		assert!(PendingImports::<T>::contains_key(branch));
	}

	#[benchmark]
	fn confirm_import(n: Linear<1, { T::MaxImportBatch::get() }>) {
		let (branch, admin) = branch_with_admin::<T>();
		Registry::<T>::propose_import(
			RawOrigin::Signed(admin).into(),
			branch,
			import_batch::<T>(n),
			H256::repeat_byte(5),
		)
		.expect("an officer proposes");
		let second = second_admin::<T>(branch);
		#[extrinsic_call]
		_(RawOrigin::Signed(second), branch);
		assert_eq!(MemberCountsByBranch::<T>::get(branch).active, n);
	}

	#[benchmark]
	fn cancel_import() {
		let (branch, admin) = branch_with_admin::<T>();
		Registry::<T>::propose_import(
			RawOrigin::Signed(admin.clone()).into(),
			branch,
			import_batch::<T>(T::MaxImportBatch::get()),
			H256::repeat_byte(5),
		)
		.expect("an officer proposes");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), branch);
		assert!(!PendingImports::<T>::contains_key(branch));
	}

	#[benchmark]
	fn request_rekey() {
		use crate::RekeyBenchmarkHelper;
		let (branch, admin) = branch_with_admin::<T>();
		let member = member_with_most_to_move::<T>(branch, &admin);
		let new = T::BenchmarkHelper::new_key();
		let proof = T::BenchmarkHelper::sign(&new, &Registry::<T>::rekey_message(&member, &new));
		#[extrinsic_call]
		_(RawOrigin::Signed(member.clone()), new, proof);
		assert!(PendingRekeys::<T>::contains_key(&member));
	}

	#[benchmark]
	fn approve_rekey() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = member_with_most_to_move::<T>(branch, &admin);
		let new = requested_rekey::<T>(&member);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), member.clone());
		assert_eq!(RekeyedTo::<T>::get(&member), Some(new));
	}

	#[benchmark]
	fn cancel_rekey() {
		let (branch, admin) = branch_with_admin::<T>();
		let member = active_member::<T>("rekeyed", branch, &admin);
		requested_rekey::<T>(&member);
		// Home staff cancelling checks the most: not the member, not whoever asked.
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), member.clone());
		assert!(!PendingRekeys::<T>::contains_key(&member));
	}

	impl_benchmark_test_suite!(Registry, mock::new_test_ext(), mock::Test);
}
