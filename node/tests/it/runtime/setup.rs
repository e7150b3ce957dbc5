//! Building a scene through real calls, each signed by the account the rules require: the sudo
//! key (dev only) for what the council decides, branch admins for officers, staff for members,
//! members for their proxies.

use super::harness::Harness;
use polkadot_sdk::{
	frame_support::traits::Get,
	pallet_sudo,
	sp_core::{sr25519, Pair, H256},
};
use timebank_primitives::{BranchId, MemberRoles, OfficerRole, ProxyPermissions};
use timebank_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent};

/// The development key pair `//name` (`pair("Alice")` is the keyring's Alice).
pub fn pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).expect("valid derivation path")
}

/// The account of `pair`.
pub fn account(pair: &sr25519::Pair) -> AccountId {
	AccountId::from(pair.public())
}

/// Roles of an ordinary member who both gives and receives services.
pub const VOLUNTEER_AND_RECIPIENT: MemberRoles =
	MemberRoles { volunteer: true, recipient: true, family_proxy: false };

impl Harness {
	/// Applies `call` signed by `pair`, panicking unless it is included and dispatched without
	/// error.
	pub fn must(&mut self, pair: &sr25519::Pair, call: RuntimeCall) {
		let what = format!("{call:?}");
		let result = self.submit(pair, call);
		assert_eq!(result, Ok(Ok(())), "setup call failed: {what}");
	}

	/// Dispatches `call` as root through the dev chain's sudo key (Alice), panicking unless the
	/// inner call succeeded.
	pub fn sudo(&mut self, call: RuntimeCall) {
		let what = format!("{call:?}");
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
		self.must(&pair("Alice"), sudo);
		let inner_ok = self.last_extrinsic_events().iter().any(|event| {
			matches!(event, RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(()) }))
		});
		assert!(inner_ok, "sudo's inner call failed: {what}: {:?}", self.last_extrinsic_events());
	}

	/// Registers a root branch administered by `admin` (a council decision, here by sudo).
	pub fn register_branch(&mut self, admin: &AccountId) -> BranchId {
		let id = self.with(pallet_timebank_registry::NextBranchId::<Runtime>::get);
		self.sudo(RuntimeCall::Registry(pallet_timebank_registry::Call::register_branch {
			parent: None,
			admin: admin.clone(),
			profile_hash: H256::repeat_byte(7),
		}));
		id
	}

	/// The council (sudo on dev) appoints `who` at `branch` with `role`: a branch with one admin
	/// cannot appoint alone (security review M11).
	pub fn appoint(&mut self, branch: BranchId, who: &AccountId, role: OfficerRole) {
		self.sudo(RuntimeCall::Registry(pallet_timebank_registry::Call::appoint_officer {
			branch,
			who: who.clone(),
			role,
		}));
	}

	/// `staff` (an officer of `branch`) registers `who` as an active member there, a volunteer
	/// and recipient.
	pub fn register_member(&mut self, staff: &sr25519::Pair, who: &AccountId, branch: BranchId) {
		self.register_member_as(staff, who, branch, VOLUNTEER_AND_RECIPIENT);
	}

	/// `staff` (an officer of `branch`) registers `who` as an active member with `roles`.
	pub fn register_member_as(
		&mut self,
		staff: &sr25519::Pair,
		who: &AccountId,
		branch: BranchId,
		roles: MemberRoles,
	) {
		self.wait_for_registration_room(branch);
		self.must(
			staff,
			RuntimeCall::Registry(pallet_timebank_registry::Call::register_member {
				who: who.clone(),
				branch,
				identity_commitment: H256::from(polkadot_sdk::sp_io::hashing::blake2_256(
					who.as_ref(),
				)),
				roles,
			}),
		);
	}

	/// A branch's officers register at most `RegistrationsPerWindow` accounts per quota window
	/// (security review H4): when this one is used up, skip to the next window.
	fn wait_for_registration_room(&mut self, branch: BranchId) {
		let limit = <Runtime as pallet_timebank_registry::Config>::RegistrationsPerWindow::get();
		let window = quota_window();
		let used = self.with(|| {
			let now = polkadot_sdk::frame_system::Pallet::<Runtime>::block_number();
			pallet_timebank_registry::Registrations::<Runtime>::get(branch)
				.filter(|count| count.window == now / window)
				.map_or(0, |count| count.registered)
		});
		if used >= limit {
			self.jump(window);
		}
	}

	/// `member` authorises `proxy` (an active member) with `permissions`.
	pub fn authorise_proxy(
		&mut self,
		member: &sr25519::Pair,
		proxy: &AccountId,
		permissions: ProxyPermissions,
	) {
		self.must(
			member,
			RuntimeCall::Registry(pallet_timebank_registry::Call::authorise_proxy {
				proxy: proxy.clone(),
				permissions,
			}),
		);
	}

	/// Gives `who` the auditor role (a council decision, here by sudo).
	pub fn set_auditor(&mut self, who: &AccountId) {
		self.sudo(RuntimeCall::Registry(pallet_timebank_registry::Call::set_auditor {
			who: who.clone(),
			enabled: true,
		}));
	}

	/// Replaces the council's members (`pallet-membership`, which the council itself or root
	/// changes; here root by sudo).
	pub fn set_council(&mut self, members: Vec<AccountId>) {
		self.sudo(RuntimeCall::CouncilMembership(
			polkadot_sdk::pallet_membership::Call::reset_members { members },
		));
	}

	/// `admin` grants `minutes` of credit to `who` from the admin's branch.
	pub fn grant(&mut self, admin: &sr25519::Pair, who: &AccountId, minutes: u64) {
		self.must(
			admin,
			RuntimeCall::Ledger(pallet_timebank_ledger::Call::grant {
				to: who.clone(),
				amount: minutes,
				memo: H256::repeat_byte(1),
			}),
		);
	}
}

/// The quota window, in blocks.
pub fn quota_window() -> u32 {
	<Runtime as pallet_timebank_registry::Config>::QuotaWindow::get()
}
