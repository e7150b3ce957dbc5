//! Importing a branch's paper-era members in batches (clients-plan finding F7).
//!
//! Registering members one by one is bounded per window (`RegistrationsPerWindow`, review H4),
//! which would make 5,000 paper records take days. An import instead goes in batches of at most
//! `MaxImportBatch`: one officer proposes a batch with the hash of the import file, an admin of
//! the branch other than the proposer confirms it, and the confirmation registers every member
//! and credits their opening balance through the ledger (a grant whose memo is the file's hash,
//! reviewed where the branch reviews grants of that size). What bounds it: the second person,
//! one waiting batch per branch, and `ImportsPerWindow` members per branch per quota window
//! (imports count against that instead of the officers' own quota, see `extension.rs`).
//!
//! A member who cannot be imported (a record already exists, the ledger refuses the balance) is
//! skipped and named in an event; the rest of the batch goes ahead, so one bad row does not send
//! 99 good ones back to the desk.

use crate::{pallet::*, ImportedMember, PendingImport, WeightInfo};
use alloc::collections::BTreeSet;
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		ensure,
		storage::with_storage_layer,
		traits::Get,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchErrorWithPostInfo, DispatchResult},
};
use timebank_primitives::{BranchId, HomeBranchChanges, MemberStatus, OfficerRole};

impl<T: Config> Pallet<T> {
	/// `by`, an officer of `branch`, proposes `members` from the file hashed `import_file`.
	pub(crate) fn do_propose_import(
		by: T::AccountId,
		branch: BranchId,
		members: BoundedVec<ImportedMember<T::AccountId>, T::MaxImportBatch>,
		import_file: H256,
	) -> DispatchResult {
		Self::ensure_branch_officer(branch, &by, OfficerRole::Staff)?;
		Self::ensure_branch_active(branch)?;
		ensure!(!members.is_empty(), Error::<T>::EmptyImport);
		ensure!(import_file != H256::zero(), Error::<T>::EmptyEvidence);
		ensure!(!PendingImports::<T>::contains_key(branch), Error::<T>::ImportPending);
		let mut seen = BTreeSet::new();
		for member in members.iter() {
			ensure!(seen.insert(member.who.clone()), Error::<T>::DuplicateInImport);
			ensure!(member.identity_commitment != H256::zero(), Error::<T>::EmptyCommitment);
			ensure!(!Members::<T>::contains_key(&member.who), Error::<T>::AlreadyMember);
			Self::ensure_not_retired(&member.who)?;
		}
		let count = members.len() as u32;
		let proposed_at = frame_system::Pallet::<T>::block_number();
		PendingImports::<T>::insert(
			branch,
			PendingImport { members, import_file, proposed_by: by.clone(), proposed_at },
		);
		Self::deposit_event(Event::ImportProposed { branch, import_file, members: count, by });
		Ok(())
	}

	/// `by`, an admin of `branch` who did not propose it, confirms the waiting import.
	pub(crate) fn do_confirm_import(
		by: T::AccountId,
		branch: BranchId,
	) -> DispatchResultWithPostInfo {
		// Refusals before any member is touched cost the block only these reads.
		let refused = |error: Error<T>| DispatchErrorWithPostInfo {
			post_info: PostDispatchInfo {
				actual_weight: Some(T::WeightInfo::cancel_import()),
				pays_fee: polkadot_sdk::frame_support::dispatch::Pays::No,
			},
			error: DispatchError::from(error),
		};
		Self::ensure_branch_officer(branch, &by, OfficerRole::Admin)
			.map_err(|_| refused(Error::<T>::NotBranchOfficer))?;
		Self::ensure_branch_active(branch).map_err(|_| refused(Error::<T>::BranchNotActive))?;
		let pending =
			PendingImports::<T>::get(branch).ok_or(refused(Error::<T>::NoPendingImport))?;
		if pending.proposed_by == by {
			return Err(refused(Error::<T>::SameOfficer));
		}
		let count = pending.members.len() as u32;
		Self::count_imports(branch, count).map_err(refused)?;
		PendingImports::<T>::remove(branch);

		let mut imported = 0u32;
		for member in pending.members {
			let who = member.who.clone();
			match with_storage_layer(|| Self::import_one(&by, branch, member, pending.import_file))
			{
				Ok(()) => imported += 1,
				Err(error) => {
					Self::deposit_event(Event::MemberImportSkipped { branch, who, error })
				}
			}
		}
		Self::deposit_event(Event::ImportConfirmed {
			branch,
			import_file: pending.import_file,
			imported,
			skipped: count - imported,
			by,
		});
		let per_member = T::HomeBranchChanges::credit_opening_balance_weight();
		Ok(Some(
			T::WeightInfo::confirm_import(count)
				.saturating_add(per_member.saturating_mul(count.into())),
		)
		.into())
	}

	/// Withdraw or refuse the waiting import of `branch`: any officer of it.
	pub(crate) fn do_cancel_import(by: T::AccountId, branch: BranchId) -> DispatchResult {
		Self::ensure_branch_officer(branch, &by, OfficerRole::Staff)?;
		let pending = PendingImports::<T>::take(branch).ok_or(Error::<T>::NoPendingImport)?;
		Self::deposit_event(Event::ImportCancelled {
			branch,
			import_file: pending.import_file,
			by,
		});
		Ok(())
	}

	/// Register one imported member, active, and credit the opening balance.
	fn import_one(
		by: &T::AccountId,
		branch: BranchId,
		member: ImportedMember<T::AccountId>,
		import_file: H256,
	) -> DispatchResult {
		// The record may have appeared since the proposal (an application, a registration).
		ensure!(!Members::<T>::contains_key(&member.who), Error::<T>::AlreadyMember);
		Self::ensure_not_retired(&member.who)?;
		Self::insert_member(
			&member.who,
			branch,
			member.identity_commitment,
			member.roles,
			MemberStatus::Active,
		);
		Self::ensure_provider(&member.who);
		if member.opening_balance > 0 {
			T::HomeBranchChanges::credit_opening_balance(
				&member.who,
				branch,
				member.opening_balance,
				import_file,
				by,
			)?;
		}
		Self::deposit_event(Event::MemberRegistered {
			who: member.who,
			branch,
			by: Some(by.clone()),
		});
		Ok(())
	}

	/// Count `count` imports for `branch` in this quota window, or refuse beyond the limit.
	fn count_imports(branch: BranchId, count: u32) -> Result<(), Error<T>> {
		let usage = Imports::<T>::get(branch)
			.unwrap_or_default()
			.with(Self::quota_window_index(), count, T::ImportsPerWindow::get())
			.ok_or(Error::<T>::ImportLimitReached)?;
		Imports::<T>::insert(branch, usage);
		Ok(())
	}
}
