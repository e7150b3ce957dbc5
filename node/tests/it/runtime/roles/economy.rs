//! R8 rows for the Registry's and the Ledger's calls that act on an object of the scene
//! (a pending application, a home move, a proposed transfer, an estate...), and the stage
//! that adds those objects.
//!
//! Where a call acts for a member who may also act alone (the member, a proxy of theirs, staff of
//! their home branch), the object belongs to the scene's `Member` (the role signed by
//! `R8Member`), and `ProxyPropose` is made a proxy of that member too: so the member's own cell,
//! the proxy's cell and the officers' cells all act on the same object. The rules quoted are from
//! `docs/USER-GUIDE.md` unless named otherwise.

use super::Role::*;
use super::{
	super::{
		harness::Harness,
		setup::{account, pair, VOLUNTEER_AND_RECIPIENT},
	},
	council_call, home_officers, member_call, only, other_officers, Cast, Row, OK,
};
use pallet_timebank_ledger::{ExitChoice, LedgerPolicy, TransferTarget};
use pallet_timebank_registry::BranchStatus;
use polkadot_sdk::{sp_core::H256, sp_runtime::Percent};
use timebank_primitives::{BalanceClass, OfficerRole, OperationId, ProposalId, ReversalReason};
use timebank_runtime::{AccountId, Runtime, RuntimeCall};

/// The objects the rows of this file act on.
pub(super) struct Stage {
	/// The scene's `Member`: it has an extra membership at the other branch, a verified relation
	/// with the scene's target, and `ProxyPropose` as a proxy allowed to propose transfers.
	member: AccountId,
	/// `ProxyPropose`'s account, here as the member's proxy.
	proxy: AccountId,
	/// A pending application to branch 0 (an endowed account that applied itself).
	applicant: AccountId,
	/// Staff of branch 0 besides the scene's, for the row that removes an officer.
	clerk: AccountId,
	/// An appointment as staff at the other branch that its second admin proposed, waiting for
	/// another admin or the council.
	candidate: AccountId,
	/// A member of branch 0, with credits, whose request to move to the other branch waits.
	mover: AccountId,
	/// A member of branch 0 with a time will, whose estate the home staff (`StaffHome`) opened.
	late: AccountId,
	/// A member of branch 0 nothing is open for: the estate row opens one for them.
	elder: AccountId,
	/// `ProxyPropose`'s proposal to donate 10 minutes of the member's credits to branch 0's pool.
	proposal: ProposalId,
	/// Branch 0's grant of 30 minutes to `elder`, by its admin, to be reversed.
	operation: OperationId,
}

/// The council (sudo on dev) registers `who` at branch 0: no staff registration counted, so the
/// base rows keep the room in branch 0's registrations per window they had.
fn enrol(chain: &mut Harness, who: &AccountId) {
	chain.sudo(RuntimeCall::Registry(pallet_timebank_registry::Call::register_member {
		who: who.clone(),
		branch: 0,
		identity_commitment: H256::from(polkadot_sdk::sp_io::hashing::blake2_256(who.as_ref())),
		roles: VOLUNTEER_AND_RECIPIENT,
	}));
}

/// One member of paper records with an opening balance, as an import batch.
fn import_batch(
	name: &str,
) -> polkadot_sdk::frame_support::BoundedVec<
	pallet_timebank_registry::ImportedMember<AccountId>,
	<Runtime as pallet_timebank_registry::Config>::MaxImportBatch,
> {
	vec![pallet_timebank_registry::ImportedMember {
		who: account(&pair(name)),
		identity_commitment: H256::repeat_byte(0x1d),
		roles: VOLUNTEER_AND_RECIPIENT,
		opening_balance: 30,
	}]
	.try_into()
	.expect("one member fits a batch")
}

/// Adds this file's objects to the scene, through real calls.
pub(super) fn stage(chain: &mut Harness, cast: &Cast) -> Stage {
	use pallet_timebank_ledger::Call as L;
	use pallet_timebank_registry::Call as R;
	let other = cast.other;
	let [mover, late, elder] = ["R8Mover", "R8Late", "R8Elder"].map(|n| account(&pair(n)));
	for who in [&mover, &late, &elder] {
		enrol(chain, who);
	}
	let member = account(&cast.member);
	let proxy = account(&cast.proxies[2]);
	let target = account(&cast.target);

	// An endowed account (it exists on chain, as the app makes sure) applies to branch 0.
	let applicant_pair = pair("Bob//stash");
	let applicant = account(&applicant_pair);
	chain.must(
		&applicant_pair,
		RuntimeCall::Registry(R::apply_for_membership {
			branch: 0,
			identity_commitment: H256::repeat_byte(8),
		}),
	);

	let clerk = account(&pair("R8Clerk"));
	chain.appoint(0, &clerk, OfficerRole::Staff);
	// The clerk records `ProxyPropose` for the member (a member without a smartphone would
	// have it done at the counter): it waits for the member or a second home officer.
	chain.must(
		&pair("R8Clerk"),
		RuntimeCall::Registry(R::record_proxy {
			member: account(&cast.member),
			proxy: account(&cast.proxies[2]),
			permissions: only(0),
			evidence: H256::repeat_byte(7),
		}),
	);

	// A second admin of the other branch proposes an appointment: it waits for Bob or the
	// council. (Branch 0 keeps its lone admin, which the base row `appoint_officer` relies on.)
	let second_admin = pair("Charlie//stash");
	chain.appoint(other, &account(&second_admin), OfficerRole::Admin);
	let candidate = account(&pair("R8Candidate"));
	chain.must(
		&second_admin,
		RuntimeCall::Registry(R::appoint_officer {
			branch: other,
			who: candidate.clone(),
			role: OfficerRole::Staff,
		}),
	);

	chain.must(
		&cast.dave,
		RuntimeCall::Registry(R::add_extra_membership { who: member.clone(), branch: other }),
	);
	// The other branch's staff (Dave) proposed an import: its admin Bob confirms it.
	chain.must(
		&cast.dave,
		RuntimeCall::Registry(R::propose_import {
			branch: other,
			members: import_batch("R8ImportedOther"),
			import_file: H256::repeat_byte(0xf1),
		}),
	);
	chain.authorise_proxy(&cast.member, &proxy, only(2));
	let proposal = chain.with(pallet_timebank_ledger::NextProposalId::<Runtime>::get);
	chain.must(
		&cast.proxies[2],
		RuntimeCall::Ledger(L::propose_transfer {
			member: member.clone(),
			target: TransferTarget::DonationToPool { branch: 0, class: BalanceClass::Spendable },
			amount: 10,
		}),
	);
	chain.must(
		&cast.charlie,
		RuntimeCall::Registry(R::verify_relation {
			a: member.clone(),
			b: target.clone(),
			evidence: H256::repeat_byte(4),
		}),
	);

	// The mover carries credits, so accepting the move also crosses the clearing accounts.
	chain.grant(&cast.alice, &mover, 60);
	chain.must(
		&pair("R8Mover"),
		RuntimeCall::Registry(R::move_home_branch { who: mover.clone(), to: other }),
	);

	let operation = chain.with(pallet_timebank_ledger::NextOperationId::<Runtime>::get);
	chain.grant(&cast.alice, &elder, 30);

	chain.grant(&cast.alice, &late, 60);
	chain.must(&pair("R8Late"), will(&target));
	chain.must(
		&cast.charlie,
		RuntimeCall::Ledger(L::open_estate {
			member: late.clone(),
			evidence: H256::repeat_byte(2),
		}),
	);
	Stage { member, proxy, applicant, clerk, candidate, mover, late, elder, proposal, operation }
}

/// A time will leaving half the signer's credits to `heir`.
fn will(heir: &AccountId) -> RuntimeCall {
	let beneficiaries = vec![(heir.clone(), Percent::from_percent(50))]
		.try_into()
		.expect("one beneficiary is within MaxBeneficiaries");
	RuntimeCall::Ledger(pallet_timebank_ledger::Call::set_time_will { beneficiaries })
}

pub(super) fn rows() -> Vec<Row> {
	let mut rows = registry_rows();
	rows.extend(officer_change_rows());
	rows.extend(ledger_rows());
	rows
}

fn registry_rows() -> Vec<Row> {
	use pallet_timebank_registry::Call as R;
	vec![
		Row {
			call: "Registry.set_branch_status",
			build: |s, _| {
				RuntimeCall::Registry(R::set_branch_status {
					branch: s.other,
					status: BranchStatus::Suspended,
				})
			},
			// The council suspends, reactivates or closes branches.
			expect: |r| council_call(r, true),
		},
		Row {
			call: "Registry.remove_officer",
			build: |s, _| {
				RuntimeCall::Registry(R::remove_officer { branch: 0, who: s.economy.clerk.clone() })
			},
			// Admins remove staff at once; the council removes too. Fee-free like every officer
			// call, so members reach the call and are refused by its authority check.
			expect: |r| match r {
				Council | AdminHome => OK,
				r => member_call(r, |_| "Registry.NotBranchOfficer"),
			},
		},
		Row {
			call: "Registry.approve_application",
			build: |s, _| {
				RuntimeCall::Registry(R::approve_application {
					applicant: s.economy.applicant.clone(),
				})
			},
			// Staff of the branch applied to decide applications.
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.reject_application",
			build: |s, _| {
				RuntimeCall::Registry(R::reject_application {
					applicant: s.economy.applicant.clone(),
					reason: H256::repeat_byte(5),
				})
			},
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.add_extra_membership",
			build: |s, _| {
				RuntimeCall::Registry(R::add_extra_membership {
					who: s.target.clone(),
					branch: s.other,
				})
			},
			// "Staff of that branch add the membership": the other branch's, not the home one's.
			expect: |r| member_call(r, |r| other_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.remove_extra_membership",
			build: |s, _| {
				RuntimeCall::Registry(R::remove_extra_membership {
					who: s.economy.member.clone(),
					branch: s.other,
				})
			},
			// "The member or that branch's staff can end it"; not a proxy, not the home staff.
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffOther | AdminOther => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
		Row {
			call: "Registry.move_home_branch",
			build: |s, _| {
				RuntimeCall::Registry(R::move_home_branch {
					who: s.economy.member.clone(),
					to: s.other,
				})
			},
			// "The member (or staff of the current home branch) asks to move"; a proxy does not.
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffHome | AdminHome => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
		Row {
			call: "Registry.revoke_proxy",
			build: |s, _| {
				RuntimeCall::Registry(R::revoke_proxy {
					member: s.economy.member.clone(),
					proxy: s.economy.proxy.clone(),
				})
			},
			// "The member, the proxy or staff of the member's home branch can revoke".
			expect: |r| {
				member_call(r, |r| match r {
					Member | ProxyPropose | StaffHome | AdminHome => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
		Row {
			call: "Registry.remove_relation",
			build: |s, _| {
				RuntimeCall::Registry(R::remove_relation {
					a: s.economy.member.clone(),
					b: s.target.clone(),
				})
			},
			// Staff of either relative's home branch; the relatives themselves cannot (the
			// relation is staff's attestation, not the member's claim).
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.accept_home_move",
			build: |s, _| {
				RuntimeCall::Registry(R::accept_home_move { who: s.economy.mover.clone() })
			},
			// Only staff of the branch asked for accept (H2: neither side takes a member alone).
			expect: |r| member_call(r, |r| other_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.cancel_home_move",
			build: |s, _| {
				RuntimeCall::Registry(R::cancel_home_move { who: s.economy.mover.clone() })
			},
			// The old branch's staff withdraw the request, the new branch's staff decline it.
			// The mover may withdraw it too, but the mover is none of the roles: the `Member`
			// asks to move in the row above, so the scene cannot also hold a request of theirs
			// (one request per member); here `Member` is another member, who may not.
			expect: |r| {
				member_call(r, |r| match r {
					StaffHome | AdminHome | StaffOther | AdminOther => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
	]
}

/// The second admin (M11): confirm or cancel the appointment a second admin of the other branch
/// proposed. Both calls pay a fee up front (refunded to admins), like `appoint_officer`.
fn officer_change_rows() -> Vec<Row> {
	use pallet_timebank_registry::Call as R;
	vec![
		Row {
			call: "Registry.set_branch_profile",
			build: |_, _| {
				RuntimeCall::Registry(R::set_branch_profile {
					branch: 0,
					profile_hash: H256::repeat_byte(6),
					gateway: Some(b"https://tb.example.org".to_vec().try_into().expect("short")),
				})
			},
			// The branch's admins publish its profile and gateway; the council may too.
			expect: |r| match r {
				Council | AdminHome => OK,
				r => member_call(r, |_| "Registry.NotBranchOfficer"),
			},
		},
		Row {
			call: "Registry.anchor_log",
			build: |_, _| {
				RuntimeCall::Registry(R::anchor_log {
					branch: 0,
					root: H256::repeat_byte(5),
					entries: 1,
				})
			},
			// Any officer of the branch whose gateway keeps the log.
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.record_proxy",
			build: |s, _| {
				RuntimeCall::Registry(R::record_proxy {
					member: s.economy.elder.clone(),
					proxy: s.economy.proxy.clone(),
					permissions: only(1),
					evidence: H256::repeat_byte(7),
				})
			},
			// Staff of the member's home branch, who checked the evidence at the counter.
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.confirm_proxy",
			build: |s, _| {
				RuntimeCall::Registry(R::confirm_proxy { member: s.economy.member.clone() })
			},
			// The member, or home staff other than the clerk who recorded it.
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffHome | AdminHome => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
		Row {
			call: "Registry.cancel_proxy",
			build: |s, _| {
				RuntimeCall::Registry(R::cancel_proxy { member: s.economy.member.clone() })
			},
			// The member, the proxy it names, or home staff.
			expect: |r| {
				member_call(r, |r| match r {
					Member | ProxyPropose | StaffHome | AdminHome => OK,
					_ => "Registry.NotAllowed",
				})
			},
		},
		Row {
			call: "Registry.propose_import",
			build: |_, _| {
				RuntimeCall::Registry(R::propose_import {
					branch: 0,
					members: import_batch("R8Imported"),
					import_file: H256::repeat_byte(0xf1),
				})
			},
			// Officers of the branch whose paper records they are.
			expect: |r| member_call(r, |r| home_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.confirm_import",
			build: |s, _| RuntimeCall::Registry(R::confirm_import { branch: s.other }),
			// An admin of the branch other than the proposer (Dave, its staff).
			expect: |r| {
				member_call(r, |r| if r == AdminOther { OK } else { "Registry.NotBranchOfficer" })
			},
		},
		Row {
			call: "Registry.cancel_import",
			build: |s, _| RuntimeCall::Registry(R::cancel_import { branch: s.other }),
			// Any officer of the branch.
			expect: |r| member_call(r, |r| other_officers(r, "Registry.NotBranchOfficer")),
		},
		Row {
			call: "Registry.confirm_officer_change",
			build: |s, _| {
				RuntimeCall::Registry(R::confirm_officer_change {
					branch: s.other,
					who: s.economy.candidate.clone(),
				})
			},
			// An admin of the branch other than the proposer (Bob), or the council.
			expect: |r| match r {
				Council | AdminOther => OK,
				r => member_call(r, |_| "Registry.NotBranchOfficer"),
			},
		},
		Row {
			call: "Registry.cancel_officer_change",
			build: |s, _| {
				RuntimeCall::Registry(R::cancel_officer_change {
					branch: s.other,
					who: s.economy.candidate.clone(),
				})
			},
			// Any admin of the branch ("either cancels"), or the council.
			expect: |r| match r {
				Council | AdminOther => OK,
				r => member_call(r, |_| "Registry.NotBranchOfficer"),
			},
		},
	]
}

fn ledger_rows() -> Vec<Row> {
	use pallet_timebank_ledger::Call as L;
	vec![
		Row {
			call: "Ledger.set_policy",
			build: |_, _| {
				RuntimeCall::Ledger(L::set_policy { branch: 0, policy: LedgerPolicy::default() })
			},
			// "Each branch's admins set its policy"; staff do not.
			expect: |r| {
				member_call(r, |r| if r == AdminHome { OK } else { "Ledger.NotBranchOfficer" })
			},
		},
		Row {
			call: "Ledger.gift",
			build: |s, _| RuntimeCall::Ledger(L::gift { to: s.target.clone(), amount: 10 }),
			// A member gifts its own credits to a verified relative (the member's is the target);
			// proxies are members too, with no relation to the target; officers and the auditor
			// hold no credits of their own.
			expect: |r| {
				member_call(r, |r| match r {
					Member => OK,
					ProxyRequest | ProxyConfirm | ProxyPropose => "Ledger.RelationNotVerified",
					_ => "Ledger.NotMember",
				})
			},
		},
		Row {
			call: "Ledger.approve_transfer",
			build: |s, _| RuntimeCall::Ledger(L::approve_transfer { proposal: s.economy.proposal }),
			// "Nothing moves until the member, or staff of the member's home branch, co-signs
			// it. The proxy can never approve its own proposal."
			expect: |r| {
				member_call(r, |r| match r {
					Member | StaffHome | AdminHome => OK,
					_ => "Ledger.NotAllowed",
				})
			},
		},
		Row {
			call: "Ledger.cancel_transfer",
			build: |s, _| RuntimeCall::Ledger(L::cancel_transfer { proposal: s.economy.proposal }),
			// "The member, the proxy or staff of the member's home branch can cancel a proposal."
			expect: |r| {
				member_call(r, |r| match r {
					Member | ProxyPropose | StaffHome | AdminHome => OK,
					_ => "Ledger.NotAllowed",
				})
			},
		},
		Row {
			call: "Ledger.reverse",
			build: |s, _| {
				RuntimeCall::Ledger(L::reverse {
					operation: s.economy.operation,
					reason: ReversalReason::EnteredInError,
					memo: H256::repeat_byte(6),
				})
			},
			// "Admins of the branch that recorded the operation can reverse".
			expect: |r| {
				member_call(r, |r| if r == AdminHome { OK } else { "Ledger.NotBranchOfficer" })
			},
		},
		Row {
			call: "Ledger.set_time_will",
			build: |s, _| will(&s.target),
			// Any active member names its own beneficiaries.
			expect: |r| member_call(r, |r| if r.is_member() { OK } else { "Ledger.NotMember" }),
		},
		Row {
			call: "Ledger.leave",
			build: |_, _| RuntimeCall::Ledger(L::leave { choice: ExitChoice::DonateToPool }),
			// Any active member leaves; only its own account.
			expect: |r| member_call(r, |r| if r.is_member() { OK } else { "Ledger.NotMember" }),
		},
		Row {
			call: "Ledger.open_estate",
			build: |s, _| {
				RuntimeCall::Ledger(L::open_estate {
					member: s.economy.elder.clone(),
					evidence: H256::repeat_byte(2),
				})
			},
			// "A staff member or admin of the home branch opens the estate".
			expect: |r| member_call(r, |r| home_officers(r, "Ledger.NotBranchOfficer")),
		},
		Row {
			call: "Ledger.approve_estate",
			build: |s, _| RuntimeCall::Ledger(L::approve_estate { member: s.economy.late.clone() }),
			// "A second, different staff member or admin of the home branch approves it":
			// `StaffHome` opened this case, so only the home admin may approve.
			expect: |r| {
				member_call(r, |r| match r {
					AdminHome => OK,
					StaffHome => "Ledger.SameApprover",
					_ => "Ledger.NotBranchOfficer",
				})
			},
		},
		Row {
			call: "Ledger.cancel_estate",
			build: |s, _| RuntimeCall::Ledger(L::cancel_estate { member: s.economy.late.clone() }),
			// "Any of them may cancel a case opened in error", the opener included.
			expect: |r| member_call(r, |r| home_officers(r, "Ledger.NotBranchOfficer")),
		},
	]
}
