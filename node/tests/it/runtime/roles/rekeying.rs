//! The R8 rows of re-keying (decision 0013): asking to move a member's account to a new key,
//! approving and cancelling it. The stage adds one member who asked with their own key.

use super::Role::*;
use super::{
	super::{
		harness::Harness,
		setup::{account, pair, VOLUNTEER_AND_RECIPIENT},
	},
	home_officers, member_call, Cast, Role, Row, Scene, OK,
};
use codec::Encode;
use polkadot_sdk::{
	sp_core::{sr25519, Pair as _, H256},
	sp_runtime::MultiSignature,
};
use timebank_runtime::{AccountId, Runtime, RuntimeCall};

/// What the rows act on.
pub(super) struct Stage {
	/// The chain's genesis hash, which every re-key proof signs.
	genesis: H256,
	/// A member of branch 0 who asked to move to a new key: the request waits for an officer.
	asking: AccountId,
}

/// The new key's consent to `old` moving to it (`Registry::rekey_message`).
fn proof(genesis: H256, old: &AccountId, new: &sr25519::Pair) -> MultiSignature {
	let message = (pallet_timebank_registry::REKEY_TAG, genesis, old, account(new)).encode();
	MultiSignature::Sr25519(new.sign(&message))
}

pub(super) fn stage(chain: &mut Harness, _cast: &Cast) -> Stage {
	let genesis = chain.with(|| polkadot_sdk::frame_system::BlockHash::<Runtime>::get(0));
	let asking_pair = pair("R8Rekeying");
	let asking = account(&asking_pair);
	// Registered by the council (sudo on dev), so branch 0's staff keep their registrations.
	chain.sudo(RuntimeCall::Registry(pallet_timebank_registry::Call::register_member {
		who: asking.clone(),
		branch: 0,
		identity_commitment: H256::repeat_byte(0x6b),
		roles: VOLUNTEER_AND_RECIPIENT,
	}));
	let new = pair("R8RekeyingNew");
	chain.must(
		&asking_pair,
		RuntimeCall::Registry(pallet_timebank_registry::Call::request_rekey {
			new: account(&new),
			proof: proof(genesis, &asking, &new),
		}),
	);
	Stage { genesis, asking }
}

/// The account that signs for `role` in the scene.
fn signer(s: &Scene, role: Role) -> AccountId {
	s.signers
		.iter()
		.find(|(r, _)| *r == role)
		.map(|(_, p)| account(p))
		.unwrap_or_else(|| s.fresh.clone())
}

pub(super) fn rows() -> Vec<Row> {
	use pallet_timebank_registry::Call as R;
	vec![
		Row {
			call: "Registry.request_rekey",
			build: |s, role| {
				let new = pair("R8NewKey");
				let old = signer(s, role);
				RuntimeCall::Registry(R::request_rekey {
					new: account(&new),
					proof: proof(s.rekeying.genesis, &old, &new),
				})
			},
			// A member asks to move their own account. The scene's `Member` has a recorded proxy
			// waiting and `ProxyPropose` a transfer proposed as a proxy: a re-key waits until
			// those are closed. Officers and the auditor are not members (they change keys by
			// appointment).
			expect: |r| {
				member_call(r, |r| match r {
					ProxyRequest | ProxyConfirm => OK,
					Member => "Registry.ProxyPending",
					ProxyPropose => "Ledger.ProposalsWaiting",
					_ => "Registry.NotMember",
				})
			},
		},
		Row {
			call: "Registry.request_rekey_for",
			build: |s, _| {
				let new = pair("R8NewKey");
				RuntimeCall::Registry(R::request_rekey_for {
					member: s.mate.clone(),
					new: account(&new),
					proof: proof(s.rekeying.genesis, &s.mate, &new),
					evidence: H256::repeat_byte(9),
				})
			},
			// Staff of the member's home branch, with the evidence they checked.
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.approve_rekey",
			build: |s, _| {
				RuntimeCall::Registry(R::approve_rekey { member: s.rekeying.asking.clone() })
			},
			// An officer of the member's home branch (the member asked with their own key).
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.cancel_rekey",
			build: |s, _| {
				RuntimeCall::Registry(R::cancel_rekey { member: s.rekeying.asking.clone() })
			},
			// The member (none of the roles), whoever asked (the member), or home staff.
			expect: |r| {
				member_call(r, |r| if r.is_home_officer() { OK } else { "Registry.NotAllowed" })
			},
		},
	]
}
