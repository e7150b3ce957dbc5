//! In-memory stand-ins for the registry ([`Membership`]), the review queue ([`ReviewQueue`]), the
//! training records ([`Certification`]) and the chain's clock ([`UnixTime`]), shared by the
//! pallets' mock runtimes; and the runner of their property tests ([`property`]).
//!
//! State is thread-local: each test thread has its own, and [`reset`] starts it afresh.

pub mod property;

use core::{cell::RefCell, time::Duration};
use polkadot_sdk::{frame_support::traits::UnixTime, sp_runtime::DispatchResult};
use std::collections::{BTreeMap, BTreeSet};
use timebank_primitives::{
	BranchId, Certification, HomeBranchChanges, MemberFacts, MemberRoles, MemberStatus, Membership,
	MembershipFixtures, Minutes, OfficerRole, ProxyPermissions, ReviewKind, ReviewQueue,
	ReviewSubject, SkillId,
};

/// Accounts in the mocks are plain numbers.
pub type AccountId = u64;

#[derive(Default)]
struct State {
	branches: BranchId,
	inactive_branches: BTreeSet<BranchId>,
	members: BTreeMap<AccountId, MemberFacts>,
	officers: BTreeMap<(BranchId, AccountId), OfficerRole>,
	officers_since: BTreeMap<(BranchId, AccountId), u64>,
	relations: BTreeSet<(AccountId, AccountId)>,
	proxies: BTreeMap<(AccountId, AccountId), ProxyPermissions>,
	certificates: BTreeSet<(AccountId, SkillId)>,
	auditors: BTreeSet<AccountId>,
	reviewed_kinds: BTreeSet<ReviewKind>,
	large_grant_from: Minutes,
	reviews: Vec<(BranchId, ReviewSubject<AccountId>, AccountId)>,
	now_ms: u64,
	home_branch_changes: Vec<(AccountId, Option<BranchId>, Option<BranchId>)>,
	rekeyed_to: BTreeMap<AccountId, AccountId>,
}

thread_local! {
	static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Forget everything: `branches` branches (0, 1, …) exist, all active; the clock shows `now_ms`.
pub fn reset(branches: BranchId, now_ms: u64) {
	STATE.with(|s| *s.borrow_mut() = State { branches, now_ms, ..Default::default() });
}

/// Notes the registry's home-branch changes, for its tests to check.
pub struct RecordedHomeBranchChanges;

impl RecordedHomeBranchChanges {
	/// The changes noted since the last call, oldest first.
	pub fn take() -> Vec<(AccountId, Option<BranchId>, Option<BranchId>)> {
		STATE.with(|s| core::mem::take(&mut s.borrow_mut().home_branch_changes))
	}
}

impl HomeBranchChanges<AccountId> for RecordedHomeBranchChanges {
	fn home_branch_changed(who: &AccountId, from: Option<BranchId>, to: Option<BranchId>) {
		STATE.with(|s| s.borrow_mut().home_branch_changes.push((*who, from, to)));
	}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

/// The registry as the pallets under test see it.
pub struct MockRegistry;

impl MockRegistry {
	/// An active member of `home_branch` with `roles`, not redemption-eligible.
	pub fn add_member(who: AccountId, home_branch: BranchId, roles: MemberRoles) {
		let facts = MemberFacts {
			home_branch,
			status: MemberStatus::Active,
			roles,
			redemption_eligible: false,
		};
		STATE.with(|s| s.borrow_mut().members.insert(who, facts));
	}
	/// Move a member to another home branch, telling `C` (the ledger under test) as the
	/// registry does.
	pub fn move_home<C: HomeBranchChanges<AccountId>>(who: AccountId, to: BranchId) {
		let from = <Self as Membership<AccountId>>::member(&who).map(|m| m.home_branch);
		Self::update(who, |m| m.home_branch = to);
		C::home_branch_changed(&who, from, Some(to));
	}
	/// Change a member's record (status, roles, eligibility).
	pub fn update(who: AccountId, change: impl FnOnce(&mut MemberFacts)) {
		STATE.with(|s| s.borrow_mut().members.get_mut(&who).map(change));
	}
	/// Set a member's status (active, suspended, left…).
	pub fn set_status(who: AccountId, status: MemberStatus) {
		Self::update(who, |m| m.status = status);
	}
	/// Give a member the recipient role (they receive services, so they may receive donations).
	pub fn set_recipient(who: AccountId) {
		Self::update(who, |m| m.roles.recipient = true);
	}
	/// Attest (or withdraw) a member's redemption eligibility (age or hardship).
	pub fn set_eligible(who: AccountId, eligible: bool) {
		Self::update(who, |m| m.redemption_eligible = eligible);
	}
	/// Every proxy authorisation is revoked.
	pub fn clear_proxies() {
		STATE.with(|s| s.borrow_mut().proxies.clear());
	}
	/// Make `who` an officer of `branch` with `role` (an admin also counts as staff).
	pub fn add_officer(branch: BranchId, who: AccountId, role: OfficerRole) {
		STATE.with(|s| s.borrow_mut().officers.insert((branch, who), role));
	}
	/// Appoint `who` at `branch` with `role`, taking office in block `since`.
	pub fn appoint_at(branch: BranchId, who: AccountId, role: OfficerRole, since: u64) {
		Self::add_officer(branch, who, role);
		STATE.with(|s| s.borrow_mut().officers_since.insert((branch, who), since));
	}
	/// Record a verified family relation between `a` and `b`, both ways.
	pub fn relate(a: AccountId, b: AccountId) {
		STATE.with(|s| {
			let mut s = s.borrow_mut();
			s.relations.insert((a, b));
			s.relations.insert((b, a));
		});
	}
	/// Authorise `proxy` to act for `member` with `permissions`.
	pub fn add_proxy(member: AccountId, proxy: AccountId, permissions: ProxyPermissions) {
		STATE.with(|s| s.borrow_mut().proxies.insert((member, proxy), permissions));
	}
	/// Suspend a branch: it no longer counts as active.
	pub fn suspend_branch(branch: BranchId) {
		STATE.with(|s| s.borrow_mut().inactive_branches.insert(branch));
	}
	/// Make `who` an auditor.
	pub fn add_auditor(who: AccountId) {
		STATE.with(|s| s.borrow_mut().auditors.insert(who));
	}
	/// Record a valid certificate of `who` for `skill`.
	pub fn certify(who: AccountId, skill: SkillId) {
		STATE.with(|s| s.borrow_mut().certificates.insert((who, skill)));
	}
	/// Every certificate lapses.
	pub fn clear_certificates() {
		STATE.with(|s| s.borrow_mut().certificates.clear());
	}
	/// The registry's own part of re-keying: the record, relations and proxies move from `old`
	/// to `new` and `old` is retired (the pallet under test moves its part first).
	pub fn rekey(old: AccountId, new: AccountId) {
		STATE.with(|s| {
			let mut s = s.borrow_mut();
			if let Some(facts) = s.members.remove(&old) {
				s.members.insert(new, facts);
			}
			let swap = |who: AccountId| if who == old { new } else { who };
			s.relations = s.relations.iter().map(|(a, b)| (swap(*a), swap(*b))).collect();
			s.proxies =
				s.proxies.iter().map(|((m, p), perms)| ((swap(*m), swap(*p)), *perms)).collect();
			s.rekeyed_to.insert(old, new);
		});
	}
}

impl Membership<AccountId> for MockRegistry {
	fn member(who: &AccountId) -> Option<MemberFacts> {
		STATE.with(|s| s.borrow().members.get(who).cloned())
	}
	fn branch_is_active(branch: BranchId) -> bool {
		STATE.with(|s| {
			let s = s.borrow();
			branch < s.branches && !s.inactive_branches.contains(&branch)
		})
	}
	fn is_officer(branch: BranchId, who: &AccountId, role: OfficerRole) -> bool {
		STATE.with(|s| s.borrow().officers.get(&(branch, *who)).is_some_and(|held| *held >= role))
	}
	fn is_verified_relation(a: &AccountId, b: &AccountId) -> bool {
		STATE.with(|s| s.borrow().relations.contains(&(*a, *b)))
	}
	fn proxy_permissions(member: &AccountId, proxy: &AccountId) -> Option<ProxyPermissions> {
		STATE.with(|s| s.borrow().proxies.get(&(*member, *proxy)).copied())
	}
	fn is_auditor(who: &AccountId) -> bool {
		STATE.with(|s| s.borrow().auditors.contains(who))
	}
	fn officer_since(branch: BranchId, who: &AccountId) -> Option<u64> {
		STATE.with(|s| {
			let s = s.borrow();
			let key = (branch, *who);
			s.officers.contains_key(&key).then(|| s.officers_since.get(&key).copied().unwrap_or(0))
		})
	}
	fn record_departure(who: &AccountId, status: MemberStatus) -> DispatchResult {
		Self::update(*who, |m| m.status = status);
		Ok(())
	}
	fn rekeyed_to(who: &AccountId) -> Option<AccountId> {
		STATE.with(|s| s.borrow().rekeyed_to.get(who).copied())
	}
	fn previous_keys(who: &AccountId) -> Vec<AccountId> {
		STATE.with(|s| {
			s.borrow()
				.rekeyed_to
				.iter()
				.filter(|(_, new)| *new == who)
				.map(|(old, _)| *old)
				.collect()
		})
	}
}

/// Branch 0 is the branch of every fixture; members receive services (so they may receive
/// donations).
impl MembershipFixtures<AccountId> for MockRegistry {
	fn branch(admin: &AccountId) -> BranchId {
		Self::add_officer(0, *admin, OfficerRole::Admin);
		0
	}
	fn member(who: &AccountId, branch: BranchId) {
		Self::add_member(*who, branch, MemberRoles { recipient: true, ..Default::default() });
	}
	fn officer(branch: BranchId, who: &AccountId, role: OfficerRole) {
		Self::add_officer(branch, *who, role);
	}
	fn relatives(a: &AccountId, b: &AccountId) {
		Self::relate(*a, *b);
	}
	fn proxy(member: &AccountId, proxy: &AccountId, permissions: ProxyPermissions) {
		Self::add_proxy(*member, *proxy, permissions);
	}
}

/// Certificates recorded with [`MockRegistry::certify`] count in every branch: the issuer rules
/// are the training pallet's, tested there.
impl Certification<AccountId> for MockRegistry {
	fn is_certified(who: &AccountId, skill: SkillId, _: BranchId) -> bool {
		STATE.with(|s| s.borrow().certificates.contains(&(*who, skill)))
	}
}

/// The audits pallet as the pallets under test see it: listings and disputes always go to review,
/// other kinds when [`MockReviews::review`] asked for them; it records what was opened.
pub struct MockReviews;

impl MockReviews {
	/// Send `kind` to review from now on; grants only from `large_grant_from` minutes (ignored
	/// for other kinds).
	pub fn review(kind: ReviewKind, large_grant_from: Minutes) {
		STATE.with(|s| {
			let mut s = s.borrow_mut();
			s.reviewed_kinds.insert(kind);
			if kind == ReviewKind::Grant {
				s.large_grant_from = large_grant_from;
			}
		});
	}
	/// Reviews opened so far: branch, subject, requester.
	pub fn opened() -> Vec<(BranchId, ReviewSubject<AccountId>, AccountId)> {
		STATE.with(|s| s.borrow().reviews.clone())
	}
}

impl ReviewQueue<AccountId> for MockReviews {
	fn needs_review(_: BranchId, kind: ReviewKind, amount: Minutes) -> bool {
		STATE.with(|s| {
			let s = s.borrow();
			match kind {
				ReviewKind::Listing | ReviewKind::Dispute => true,
				ReviewKind::Grant => {
					s.reviewed_kinds.contains(&kind) && amount >= s.large_grant_from
				}
				other => s.reviewed_kinds.contains(&other),
			}
		})
	}
	fn open(
		branch: BranchId,
		subject: ReviewSubject<AccountId>,
		requester: &AccountId,
	) -> DispatchResult {
		STATE.with(|s| s.borrow_mut().reviews.push((branch, subject, *requester)));
		Ok(())
	}
}

/// The chain's clock in the mocks.
pub struct MockClock;

impl MockClock {
	/// The time the clock shows, in milliseconds since the Unix epoch.
	pub fn now_ms() -> u64 {
		STATE.with(|s| s.borrow().now_ms)
	}
	/// Move the clock forward by `ms` milliseconds.
	pub fn advance_ms(ms: u64) {
		STATE.with(|s| s.borrow_mut().now_ms += ms);
	}
}

impl UnixTime for MockClock {
	fn now() -> Duration {
		Duration::from_millis(Self::now_ms())
	}
}
