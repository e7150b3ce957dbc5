//! Branch admins' and members' movements: policies, grants, reversals, gifts, donations and the
//! family proxies' proposals. Each decides which entries to post and posts them through the
//! door (`door.rs`).
//!
//! The admin actions come in `check_*`/`do_*` pairs: the call checks, then either carries the
//! action out or, when the branch's review policy asks for it, keeps it for the reviewers
//! (`review.rs`), who check it again on approval.

use crate::{
	door::Leg, AccountingModel, Config, DebitRule, Entries, Error, Event, LedgerPolicy,
	NextProposalId, Operations, Pallet, Policies, PolicyHistory, PolicyRecord, ProposedTransfer,
	ProposedTransfers, TransferTarget, VersionedPolicy,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{
	Authority, BalanceClass, BranchId, EntryKind, LedgerAccount, MemberStatus, Membership, Minutes,
	OfficerRole, OperationId, ProposalId, ProxyPermission, ReversalReason,
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
			Self::post_entry(
				&mut op,
				entry.credit,
				entry.debit,
				entry.amount,
				EntryKind::Reversal,
				DebitRule::PolicyLimit,
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
		ProposedTransfers::<T>::remove(proposal);
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
		ProposedTransfers::<T>::remove(proposal);
		Self::deposit_event(Event::TransferCancelled { proposal, by });
		Ok(())
	}

	/// The account is an active member of an active branch.
	pub(crate) fn ensure_active(who: &T::AccountId) -> DispatchResult {
		let member = T::Membership::member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(member.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		ensure!(T::Membership::branch_is_active(member.home_branch), Error::<T>::BranchNotActive);
		Ok(())
	}
}
