//! Branch admins' and members' movements: policies, grants, reversals, gifts, donations and the
//! family proxies' proposals. Each decides which entries to post and posts them through the
//! door (`door.rs`).
//!
//! The admin actions come in `check_*`/`do_*` pairs: the call checks, then either carries the
//! action out or, when the branch's review policy asks for it, keeps it for the reviewers
//! (`review.rs`), who check it again on approval.

use crate::{
	door::Leg, AccountingModel, Config, DebitRule, Entries, Error, Event, LedgerPolicy,
	NextProposalId, Operations, Pallet, PendingAction, Policies, PolicyHistory, PolicyRecord,
	ProposalsByProxy, ProposedTransfer, ProposedTransfers, TransferTarget, VersionedPolicy,
	MAX_ROUNDING_STEP,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BalanceClass, BranchId, EntryKind, LedgerAccount, MemberStatus, Membership, Minutes,
	OfficerRole, OperationId, ProposalId, ProxyPermission, ReversalReason, ReviewKind, ReviewQueue,
};

impl<T: Config> Pallet<T> {
	/// The signer may set `branch`'s policy, and the policy is valid.
	pub(crate) fn check_policy(
		by: &T::AccountId,
		branch: BranchId,
		policy: &LedgerPolicy,
	) -> DispatchResult {
		T::Membership::ensure_officer(branch, by, OfficerRole::Admin).map_err(Error::<T>::from)?;
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		ensure!(policy.expiry_days.is_none(), Error::<T>::ExpiryNotSupported);
		let limit_ok = match policy.accounting {
			AccountingModel::Prepaid => true,
			AccountingModel::MutualCredit { limit, .. } => limit <= T::MaxCreditLimit::get(),
		};
		ensure!(
			limit_ok && policy.rounding_step > 0 && policy.storage_cap != Some(0),
			Error::<T>::InvalidPolicy
		);
		// L7: a step above an hour rounds short services to nothing or long ones up to the
		// whole hold (`MAX_ROUNDING_STEP`).
		ensure!(policy.rounding_step <= MAX_ROUNDING_STEP, Error::<T>::RoundingStepTooLarge);
		// L7, M3: a limit of 0 (or close to it) would refuse every cross-branch settlement with
		// this branch, one admin's decision for every other branch's members.
		ensure!(
			policy.clearing_limit >= T::MinClearingLimit::get(),
			Error::<T>::ClearingLimitTooSmall
		);
		Ok(())
	}

	/// Record a policy `check_policy` accepted.
	pub(crate) fn do_set_policy(
		by: &T::AccountId,
		branch: BranchId,
		policy: LedgerPolicy,
	) -> DispatchResult {
		let version = Self::policy_version(branch).saturating_add(1);
		Policies::<T>::insert(branch, VersionedPolicy { version, policy });
		let set_at = frame_system::Pallet::<T>::block_number();
		PolicyHistory::<T>::insert(
			branch,
			version,
			PolicyRecord { policy, set_by: by.clone(), set_at },
		);
		// M5: keep the latest `MaxPolicyHistory` versions; the one that falls out is removed.
		let dropped = version.saturating_sub(T::MaxPolicyHistory::get());
		if dropped > 0 {
			PolicyHistory::<T>::remove(branch, dropped);
		}
		Self::deposit_event(Event::PolicyChanged { branch, version, by: by.clone() });
		Ok(())
	}

	/// The signer is an admin of the active member's active home branch: that branch.
	pub(crate) fn check_grant(
		by: &T::AccountId,
		to: &T::AccountId,
	) -> Result<BranchId, DispatchError> {
		let member = T::Membership::member(to).ok_or(Error::<T>::NotMember)?;
		let branch = member.home_branch;
		T::Membership::ensure_officer(branch, by, OfficerRole::Admin).map_err(Error::<T>::from)?;
		ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
		ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		Ok(branch)
	}

	/// An imported member's opening balance is a grant from the branch's grant account, by the
	/// admin who confirmed the import, with the import file's hash as memo: reviewed first where
	/// the branch reviews grants of that size, like any grant (`Pallet::grant`).
	pub(crate) fn grant_opening_balance(
		who: &T::AccountId,
		branch: BranchId,
		amount: Minutes,
		import_file: H256,
		by: &T::AccountId,
	) -> DispatchResult {
		let home = Self::check_grant(by, who)?;
		ensure!(home == branch, Error::<T>::NotMember);
		if T::Reviews::needs_review(home, ReviewKind::Grant, amount) {
			let action = PendingAction::Grant { to: who.clone(), amount, memo: import_file };
			return Self::defer(home, by.clone(), action);
		}
		Self::do_grant(by, home, who.clone(), amount, import_file)
	}

	/// Post a grant `check_grant` accepted for `branch`.
	pub(crate) fn do_grant(
		by: &T::AccountId,
		branch: BranchId,
		to: T::AccountId,
		amount: Minutes,
		memo: H256,
	) -> DispatchResult {
		let mut op = Self::begin(EntryKind::Grant, branch, by, None).with_memo(memo);
		let source = Leg::new(LedgerAccount::Grant(branch), branch);
		Self::credit_member(&mut op, source, &to, amount, EntryKind::Grant, None)?;
		Self::commit_posted(op).map(|_| ())
	}

	/// The signer may reverse `operation`: its branch.
	pub(crate) fn check_reversal(
		by: &T::AccountId,
		operation: OperationId,
	) -> Result<BranchId, DispatchError> {
		let original = Operations::<T>::get(operation).ok_or(Error::<T>::UnknownOperation)?;
		T::Membership::ensure_officer(original.branch, by, OfficerRole::Admin)
			.map_err(Error::<T>::from)?;
		ensure!(T::Membership::branch_is_active(original.branch), Error::<T>::BranchNotActive);
		ensure!(original.reversed_by.is_none(), Error::<T>::AlreadyReversed);
		ensure!(
			matches!(original.kind, EntryKind::Grant | EntryKind::Gift | EntryKind::Donation),
			Error::<T>::NotReversible
		);
		Ok(original.branch)
	}

	/// Which branch's reviewers must approve reversing `operation` of `branch` first, if any.
	///
	/// L5: a reversal that takes credits back from an account of another branch (a member whose
	/// home branch is another, or another branch's pool) waits for that branch's reviewers,
	/// whatever the operation's branch asks; otherwise the operation's branch's review policy
	/// decides.
	pub(crate) fn reversal_reviewers(
		branch: BranchId,
		operation: OperationId,
	) -> Result<Option<BranchId>, DispatchError> {
		let original = Operations::<T>::get(operation).ok_or(Error::<T>::UnknownOperation)?;
		for entry_id in original.entries.iter() {
			let entry = Entries::<T>::get(entry_id).ok_or(Error::<T>::UnknownOperation)?;
			// The reversal debits what the original credited.
			if let Some(other) = Self::other_branch(&entry.credit, branch) {
				return Ok(Some(other));
			}
		}
		Ok(T::Reviews::needs_review(branch, ReviewKind::Reversal, 0).then_some(branch))
	}

	/// The branch `account` belongs to when it is a member's (by current home branch) or a pool
	/// of a branch other than `branch`. Clearing accounts, grant accounts and escrow belong to
	/// no other branch for this purpose: they hold no one's credits.
	fn other_branch(account: &LedgerAccount<T::AccountId>, branch: BranchId) -> Option<BranchId> {
		let owner = match account {
			LedgerAccount::Member { who, .. } => T::Membership::member(who)?.home_branch,
			LedgerAccount::Pool(pool) => *pool,
			_ => return None,
		};
		(owner != branch).then_some(owner)
	}

	/// Post the reversal of an operation `check_reversal` accepted for `branch`.
	pub(crate) fn do_reverse(
		by: &T::AccountId,
		branch: BranchId,
		operation: OperationId,
		reason: ReversalReason,
		memo: H256,
	) -> DispatchResult {
		let original = Operations::<T>::get(operation).ok_or(Error::<T>::UnknownOperation)?;
		let mut op =
			Self::begin(EntryKind::Reversal, branch, by, None).with_memo(memo).reversing(operation);
		// Newest first, so each reversed entry finds the credits its successor returned.
		for entry_id in original.entries.iter().rev() {
			let entry = Entries::<T>::get(entry_id).ok_or(Error::<T>::UnknownOperation)?;
			// L5: another branch's member or pool gives back only what it still holds, never
			// going into overdraft for this branch's correction; this branch's own accounts go
			// down to this branch's floor.
			let rule = match Self::other_branch(&entry.credit, branch) {
				Some(_) => DebitRule::OwnCredits,
				None => DebitRule::PolicyLimit,
			};
			Self::post_entry(
				&mut op,
				entry.credit,
				entry.debit,
				entry.amount,
				EntryKind::Reversal,
				rule,
			)?;
		}
		let reversal = Self::commit_posted(op)?;
		Self::deposit_event(Event::OperationReversed { operation, reversal, reason, memo });
		Ok(())
	}

	/// Gift or donate `amount` from `member`'s credits; `actor` is whoever signed (the member,
	/// or the approver of a proxy's proposal).
	pub(crate) fn do_transfer(
		actor: &T::AccountId,
		member: &T::AccountId,
		target: TransferTarget<T::AccountId>,
		amount: Minutes,
	) -> Result<OperationId, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let home = Self::home_branch(member)?;
		let on_behalf_of = (actor != member).then(|| member.clone());
		let kind = match target {
			TransferTarget::Gift { .. } => EntryKind::Gift,
			TransferTarget::DonationToPool { .. } | TransferTarget::DonationToMember { .. } => {
				EntryKind::Donation
			}
		};
		let mut op = Self::begin(kind, home, actor, on_behalf_of);
		let from = |account| Leg::new(account, home);
		match target {
			TransferTarget::Gift { to } => {
				Self::check_gift(member, home, &to, amount)?;
				Self::credit_member(
					&mut op,
					from(Self::spendable(member)),
					&to,
					amount,
					kind,
					None,
				)?;
			}
			TransferTarget::DonationToPool { branch, class } => {
				ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
				let to = Leg::new(LedgerAccount::Pool(branch), branch);
				let source = from(Self::donatable(member, class)?);
				Self::move_between(&mut op, source, to, amount, kind, DebitRule::OwnCredits)?;
			}
			TransferTarget::DonationToMember { to, class } => {
				Self::check_donation_receiver(member, &to)?;
				let source = from(Self::donatable(member, class)?);
				Self::credit_member(&mut op, source, &to, amount, kind, None)?;
			}
		}
		Self::commit_posted(op)
	}

	/// A gift goes from `member` (of `home`) to another, active member, a verified relative,
	/// within the home branch's gift limit.
	fn check_gift(
		member: &T::AccountId,
		home: BranchId,
		to: &T::AccountId,
		amount: Minutes,
	) -> DispatchResult {
		ensure!(to != member, Error::<T>::SelfTransfer);
		ensure!(T::Membership::is_verified_relation(member, to), Error::<T>::RelationNotVerified);
		Self::ensure_active(to)?;
		ensure!(amount <= Self::policy(home).max_gift, Error::<T>::GiftTooLarge);
		Ok(())
	}

	/// A donation to a named member goes to another, active member whom the time bank serves.
	fn check_donation_receiver(member: &T::AccountId, to: &T::AccountId) -> DispatchResult {
		ensure!(to != member, Error::<T>::SelfTransfer);
		Self::ensure_active(to)?;
		// INVARIANT: only people the time bank serves receive donations; otherwise two members
		// could launder donation-only credits into spendable ones, or gift without a verified
		// relation.
		let receiver = T::Membership::member(to).ok_or(Error::<T>::NotMember)?;
		ensure!(
			receiver.roles.recipient || receiver.redemption_eligible,
			Error::<T>::NotARecipient
		);
		Ok(())
	}

	/// The account a donation from `member`'s `class` comes from; honorary credits never move.
	fn donatable(
		member: &T::AccountId,
		class: BalanceClass,
	) -> Result<LedgerAccount<T::AccountId>, DispatchError> {
		ensure!(class != BalanceClass::Honorary, Error::<T>::HonoraryNotTransferable);
		Ok(LedgerAccount::Member { who: member.clone(), class })
	}

	/// Keep a proxy's proposal to move `member`'s credits, after checking the proxy holds the
	/// permission and the member is active.
	pub(crate) fn do_propose_transfer(
		proxy: T::AccountId,
		member: T::AccountId,
		target: TransferTarget<T::AccountId>,
		amount: Minutes,
	) -> DispatchResult {
		ensure!(
			T::Membership::is_proxy_with(&member, &proxy, ProxyPermission::ProposeTransfers),
			Error::<T>::NotAuthorisedProxy
		);
		Self::ensure_active(&member)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		// M5: a proxy keeps a bounded number of proposals waiting.
		let waiting = ProposalsByProxy::<T>::get(&proxy);
		ensure!(waiting < T::MaxProposalsPerProxy::get(), Error::<T>::TooManyProposals);
		ProposalsByProxy::<T>::insert(&proxy, waiting.saturating_add(1));
		let proposal = NextProposalId::<T>::get();
		NextProposalId::<T>::put(proposal.checked_add(1).ok_or(Error::<T>::Overflow)?);
		ProposedTransfers::<T>::insert(
			proposal,
			ProposedTransfer { member: member.clone(), proxy: proxy.clone(), target, amount },
		);
		Self::deposit_event(Event::TransferProposed { proposal, member, proxy });
		Ok(())
	}

	/// Carry out a proposal co-signed by `by`: the member or staff of the member's home
	/// branch, never the proxy itself, while the proxy still holds the permission.
	pub(crate) fn do_approve_transfer(by: T::AccountId, proposal: ProposalId) -> DispatchResult {
		let p = ProposedTransfers::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(by != p.proxy, Error::<T>::NotAllowed);
		// A proxy revoked since it proposed no longer speaks for the member.
		ensure!(
			T::Membership::is_proxy_with(&p.member, &p.proxy, ProxyPermission::ProposeTransfers),
			Error::<T>::NotAuthorisedProxy
		);
		ensure!(
			by == p.member || T::Membership::is_home_staff(&p.member, &by),
			Error::<T>::NotAllowed
		);
		Self::ensure_active(&p.member)?;
		Self::remove_proposal(proposal, &p.proxy);
		let operation = Self::do_transfer(&by, &p.member, p.target, p.amount)?;
		Self::deposit_event(Event::TransferApproved {
			proposal,
			operation,
			member: p.member,
			proxy: p.proxy,
			by,
		});
		Ok(())
	}

	/// Drop a proposal: the member, the proxy, or staff of the member's home branch.
	pub(crate) fn do_cancel_transfer(by: T::AccountId, proposal: ProposalId) -> DispatchResult {
		let p = ProposedTransfers::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(
			by == p.member || by == p.proxy || T::Membership::is_home_staff(&p.member, &by),
			Error::<T>::NotAllowed
		);
		Self::remove_proposal(proposal, &p.proxy);
		Self::deposit_event(Event::TransferCancelled { proposal, by });
		Ok(())
	}

	/// Remove a proposal and count it off its proxy's waiting proposals. Saturating: proposals
	/// kept before the count existed were never counted.
	fn remove_proposal(proposal: ProposalId, proxy: &T::AccountId) {
		ProposedTransfers::<T>::remove(proposal);
		ProposalsByProxy::<T>::mutate_exists(proxy, |count| {
			let left = count.unwrap_or_default().saturating_sub(1);
			*count = (left > 0).then_some(left);
		});
	}

	/// The account is an active member of an active branch.
	pub(crate) fn ensure_active(who: &T::AccountId) -> DispatchResult {
		let member = T::Membership::member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		ensure!(T::Membership::branch_is_active(member.home_branch), Error::<T>::BranchNotActive);
		Ok(())
	}
}
