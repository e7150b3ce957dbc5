//! Who may act on an engagement: proxies within their permissions (H1), officers only as staff
//! of the receiver's home branch (M2), and branch-paid requests re-checked at each acceptance
//! (L3) (`engagements.rs`).

use super::*;
use timebank_primitives::{MemberStatus, ProxyPermissions};

/// GRACE's second proxy, allowed to request services only.
const RITA: AccountId = 50;
/// Staff of branch 1.
const STAFF1: AccountId = 5;
/// A recipient of branch 1.
const OLGA: AccountId = 60;

fn proxy_of_grace(permissions: ProxyPermissions) {
	MockRegistry::add_member(RITA, 0, MemberRoles { family_proxy: true, ..Default::default() });
	MockRegistry::add_proxy(GRACE, RITA, permissions);
}

// H1: the review's scenario. A proxy with only `request_services` publishes for GRACE and
// accepts an accomplice; without the fix the volunteer is paid from GRACE's credits when the
// confirmation window ends, with nobody who may confirm having signed anything.
#[test]
fn a_proxy_that_may_only_request_services_cannot_accept_and_spend_the_members_credits() {
	run(|| {
		proxy_of_grace(ProxyPermissions { request_services: true, ..Default::default() });
		let listing = publish(RITA, request(), Some(GRACE));
		assert_ok!(A::apply(signed(VICTOR), listing));
		assert_noop!(A::accept(signed(RITA), listing, VICTOR), E::NotPermitted);
		assert_eq!((spendable(GRACE), escrow()), (600, 0), "nothing held");
		// Publishing and withdrawing stay within `request_services`.
		assert_ok!(A::cancel_listing(signed(RITA), listing));
	});
}

// H1: choosing a volunteer is `request_services`, committing the credits `confirm_services`: a
// proxy needs both to accept; the member and their home staff accept as before.
#[test]
fn a_proxy_accepts_only_with_both_request_and_confirm_permissions() {
	run(|| {
		proxy_of_grace(ProxyPermissions { confirm_services: true, ..Default::default() });
		let listing = publish(GRACE, ListingDraft { max_participants: 3, ..request() }, None);
		for volunteer in [VICTOR, WENDY, XAVIER] {
			assert_ok!(A::apply(signed(volunteer), listing));
		}
		assert_noop!(A::accept(signed(RITA), listing, VICTOR), E::NotPermitted);
		proxy_of_grace(ProxyPermissions {
			propose_transfers: true,
			request_services: true,
			..Default::default()
		});
		assert_noop!(A::accept(signed(RITA), listing, VICTOR), E::NotPermitted);
		proxy_of_grace(ProxyPermissions {
			request_services: true,
			confirm_services: true,
			..Default::default()
		});
		assert_ok!(A::accept(signed(RITA), listing, VICTOR));
		assert_ok!(A::accept(signed(GRACE), listing, WENDY));
		assert_ok!(A::accept(signed(STAFF0), listing, XAVIER));
	});
}

// H1: the other calls a request-only proxy might reach: none of them acts on an engagement.
#[test]
fn a_request_only_proxy_neither_confirms_nor_cancels_nor_sets_the_code() {
	run(|| {
		proxy_of_grace(ProxyPermissions { request_services: true, ..Default::default() });
		let engagement = engage(GRACE, request(), VICTOR);
		assert_noop!(A::set_check_in_code(signed(RITA), engagement, H256::zero()), E::NotAParty);
		assert_noop!(A::cancel_engagement(signed(RITA), engagement), E::NotAParty);
		serve(engagement, 60);
		assert_noop!(A::confirm(signed(RITA), engagement), E::NotAParty);
		assert_noop!(A::dispute(signed(RITA), engagement, H256::zero()), E::NotAParty);
	});
}

// H1: proxies publish requests only, and accept on requests only: an offer's owner (or their
// home staff) chooses its receivers.
#[test]
fn a_proxy_does_not_accept_receivers_into_its_members_offer() {
	run(|| {
		MockRegistry::add_proxy(
			VICTOR,
			RITA,
			ProxyPermissions {
				request_services: true,
				confirm_services: true,
				propose_transfers: true,
			},
		);
		let listing = publish(VICTOR, offer(2), None);
		assert_ok!(A::apply(signed(GRACE), listing));
		assert_ok!(A::apply(signed(HENRY), listing));
		assert_noop!(A::accept(signed(RITA), listing, GRACE), E::NotPermitted);
		assert_noop!(A::accept(signed(ADMIN1), listing, GRACE), E::NotPermitted);
		assert_ok!(A::accept(signed(STAFF0), listing, GRACE));
		assert_ok!(A::accept(signed(VICTOR), listing, HENRY));
	});
}

// M2: the review's scenario. GRACE (home branch 0) is served in branch 1, whose policy wants the
// receiver's code; branch 1's staff may not check in without it, check out, confirm, set the
// code, dispute or cancel for her. Her own branch's staff may.
#[test]
fn staff_of_the_listings_branch_do_not_act_for_a_receiver_of_another_branch() {
	run(|| {
		MockRegistry::add_officer(1, STAFF1, OfficerRole::Staff);
		let policy = ActivityPolicy { check_in_code: true, ..A::default_policy() };
		assert_ok!(A::set_activity_policy(signed(ADMIN1), 1, policy));
		let engagement = engage(GRACE, ListingDraft { branch: 1, ..request() }, VICTOR);
		assert_noop!(A::check_in(signed(STAFF1), engagement, None), E::NotAParty);
		assert_noop!(A::set_check_in_code(signed(STAFF1), engagement, H256::zero()), E::NotAParty);
		assert_noop!(A::cancel_engagement(signed(STAFF1), engagement), E::NotAParty);
		assert_noop!(A::dispute(signed(STAFF1), engagement, H256::zero()), E::NotAParty);
		assert_noop!(A::check_in(signed(VICTOR), engagement, None), E::WrongCheckInCode);
		assert_ok!(A::check_in(signed(STAFF0), engagement, None));
		advance_clock_minutes(60);
		assert_noop!(A::check_out(signed(STAFF1), engagement), E::NotAParty);
		assert_ok!(A::check_out(signed(STAFF0), engagement));
		assert_noop!(A::confirm(signed(STAFF1), engagement), E::NotAParty);
		assert_noop!(A::confirm(signed(ADMIN1), engagement), E::NotAParty);
		assert_ok!(A::confirm(signed(STAFF0), engagement));
		assert_eq!((spendable(GRACE), spendable(VICTOR)), (540, 60));
	});
}

// M2: a group with receivers of two branches: staff of one receiver's home branch act for that
// receiver only (withdraw them), never for the whole group (confirm, check out, cancel it).
#[test]
fn a_group_of_two_branches_is_confirmed_by_nobody_s_staff_alone() {
	run(|| {
		MockRegistry::add_officer(1, STAFF1, OfficerRole::Staff);
		MockRegistry::add_member(OLGA, 1, MemberRoles { recipient: true, ..Default::default() });
		assert_ok!(LedgerPallet::grant(signed(ADMIN1), OLGA, 600, Default::default()));
		let listing = publish(VICTOR, offer(3), None);
		for who in [GRACE, HENRY, OLGA] {
			assert_ok!(A::apply(signed(who), listing));
			assert_ok!(A::accept(signed(VICTOR), listing, who));
		}
		let engagement = OfferEngagement::<Test>::get(listing).expect("group");
		// STAFF1 speaks for OLGA alone: she withdraws, the others stay.
		assert_ok!(A::cancel_engagement(signed(STAFF1), engagement));
		assert_eq!(state(engagement), EngagementState::Accepted);
		assert_eq!(spendable(OLGA), 600);
		assert_ok!(A::apply(signed(OLGA), listing));
		assert_ok!(A::accept(signed(VICTOR), listing, OLGA));
		// STAFF0 is nobody's staff for OLGA: not a check-in without code for all.
		assert_ok!(A::set_activity_policy(
			signed(ADMIN0),
			0,
			ActivityPolicy { check_in_code: true, ..A::default_policy() }
		));
		assert_noop!(A::check_in(signed(STAFF0), engagement, None), E::NotAParty);
		let (salt, code) = ([3u8; 16], BoundedVec::truncate_from(b"8265".to_vec()));
		let commitment = A::check_in_commitment(engagement, &salt, &code);
		assert_ok!(A::set_check_in_code(signed(STAFF1), engagement, commitment));
		assert_ok!(A::check_in(signed(VICTOR), engagement, Some(CheckInProof { salt, code })));
		advance_clock_minutes(60);
		assert_noop!(A::check_out(signed(STAFF0), engagement), E::NotAParty);
		assert_ok!(A::check_out(signed(VICTOR), engagement));
		for officer in [STAFF0, STAFF1] {
			assert_noop!(A::confirm(signed(officer), engagement), E::GroupNeedsStaff);
		}
		assert_noop!(A::confirm(signed(ADMIN1 + 100), engagement), E::NotAParty);
		advance_to(2 + CONFIRM_WINDOW);
		assert_eq!(state(engagement), EngagementState::Settled, "the window settles it");
	});
}

fn branch_paid_request_for_grace() -> ListingId {
	MockRegistry::set_eligible(GRACE, true);
	let draft = ListingDraft { funding: Funding::BranchGrant, max_participants: 2, ..request() };
	let listing = publish(ADMIN0, draft, Some(GRACE));
	assert_ok!(A::apply(signed(VICTOR), listing));
	listing
}

// L3: the review's scenario: staff withdraw GRACE's eligibility after publishing a branch-paid
// request for her; accepting a volunteer may no longer draw on the branch.
#[test]
fn a_branch_paid_request_stops_when_the_owner_is_no_longer_eligible() {
	run(|| {
		let listing = branch_paid_request_for_grace();
		MockRegistry::set_eligible(GRACE, false);
		assert_noop!(A::accept(signed(STAFF0), listing, VICTOR), E::NotEligibleForRedemption);
		MockRegistry::set_eligible(GRACE, true);
		assert_ok!(A::accept(signed(STAFF0), listing, VICTOR));
	});
}

// L3: every other fact publishing checked, each with its own error.
#[test]
fn a_branch_paid_request_rechecks_the_owner_and_the_publisher_at_each_acceptance() {
	run(|| {
		let listing = branch_paid_request_for_grace();
		MockRegistry::set_status(GRACE, MemberStatus::Suspended);
		assert_noop!(A::accept(signed(GRACE), listing, VICTOR), E::OwnerNotActive);
		MockRegistry::set_status(GRACE, MemberStatus::Active);
		MockRegistry::update(GRACE, |m| m.home_branch = 1);
		assert_noop!(A::accept(signed(GRACE), listing, VICTOR), E::OwnerLeftBranch);
		MockRegistry::update(GRACE, |m| m.home_branch = 0);
		// The publishing admin is now only staff: new credits need an admin.
		MockRegistry::add_officer(0, ADMIN0, OfficerRole::Staff);
		assert_noop!(A::accept(signed(GRACE), listing, VICTOR), E::PublisherNotOfficer);
		MockRegistry::add_officer(0, ADMIN0, OfficerRole::Admin);
		assert_ok!(A::accept(signed(GRACE), listing, VICTOR));
	});
}
