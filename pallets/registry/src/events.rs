//! The registry's events and errors: a pallet section (`#[pallet_section]`), imported into the
//! pallet module by `#[import_section]` in `lib.rs`, so that file stays readable.

use polkadot_sdk::frame_support::pallet_macros::pallet_section;

/// The registry's events, its errors, and how an officer check's failure reads.
#[pallet_section]
mod events_and_errors {
	/// What happened in the registry.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council registered a branch with its first admin.
		BranchRegistered {
			/// The new branch's number.
			branch: BranchId,
			/// The branch above it; `None` for a root branch.
			parent: Option<BranchId>,
			/// Its first admin.
			admin: T::AccountId,
		},
		/// The council suspended, reactivated or closed a branch.
		BranchStatusChanged {
			/// The branch.
			branch: BranchId,
			/// Its new status.
			status: BranchStatus,
		},
		/// An account became staff or admin of a branch.
		OfficerAppointed {
			/// The branch.
			branch: BranchId,
			/// The new officer.
			who: T::AccountId,
			/// Staff or admin.
			role: OfficerRole,
		},
		/// An account is no longer an officer of a branch.
		OfficerRemoved {
			/// The branch.
			branch: BranchId,
			/// The former officer.
			who: T::AccountId,
		},
		/// The council gave or took the auditor (regulator) role.
		AuditorSet {
			/// The account.
			who: T::AccountId,
			/// Whether it is an auditor now.
			enabled: bool,
		},
		/// A person applied to join a branch; staff (or the branch's reviewers) decide.
		MembershipApplied {
			/// The applicant's account.
			who: T::AccountId,
			/// The branch applied to.
			branch: BranchId,
		},
		/// An application was approved: the applicant is an active member.
		ApplicationApproved {
			/// The new member.
			who: T::AccountId,
			/// Their home branch.
			branch: BranchId,
			/// The officer who approved.
			by: T::AccountId,
		},
		/// An application was rejected and its record removed.
		ApplicationRejected {
			/// The applicant.
			who: T::AccountId,
			/// The branch applied to.
			branch: BranchId,
			/// The officer who rejected.
			by: T::AccountId,
			/// Hash of the written reason, kept off chain.
			reason: H256,
		},
		/// Staff (or the council) registered a member directly (pending review where the branch
		/// reviews applications and staff registered them).
		MemberRegistered {
			/// The member.
			who: T::AccountId,
			/// Their home branch.
			branch: BranchId,
			/// The staff member who registered them; none when the council did.
			by: Option<T::AccountId>,
		},
		/// Staff changed what a member does (volunteer, recipient, family proxy).
		MemberRolesChanged {
			/// The member.
			who: T::AccountId,
			/// Their roles now.
			roles: MemberRoles,
			/// The staff member.
			by: T::AccountId,
		},
		/// A member was suspended, reactivated, left or died.
		MemberStatusChanged {
			/// The member.
			who: T::AccountId,
			/// Their status now.
			status: MemberStatus,
			/// The staff member; `None` when the ledger recorded a departure.
			by: Option<T::AccountId>,
		},
		/// A member joined a branch besides their home branch.
		ExtraMembershipAdded {
			/// The member.
			who: T::AccountId,
			/// The extra branch.
			branch: BranchId,
			/// The staff member of that branch.
			by: T::AccountId,
		},
		/// A member no longer belongs to an extra branch.
		ExtraMembershipRemoved {
			/// The member.
			who: T::AccountId,
			/// The branch left.
			branch: BranchId,
			/// The member or a staff member of that branch.
			by: T::AccountId,
		},
		/// A member's home branch changed (they moved); the balance crossed through clearing,
		/// history stays.
		HomeBranchMoved {
			/// The member.
			who: T::AccountId,
			/// The former home branch.
			from: BranchId,
			/// The new home branch.
			to: BranchId,
			/// The staff member of the new home branch who accepted the member.
			by: T::AccountId,
		},
		/// A member authorised a family proxy, or changed its permissions.
		ProxyAuthorised {
			/// The member.
			member: T::AccountId,
			/// The proxy.
			proxy: T::AccountId,
			/// What the proxy may do for the member.
			permissions: ProxyPermissions,
		},
		/// A proxy may no longer act for a member.
		ProxyRevoked {
			/// The member.
			member: T::AccountId,
			/// The former proxy.
			proxy: T::AccountId,
			/// The member, the proxy, or staff of the member's home branch.
			by: T::AccountId,
		},
		/// Staff verified that two members are relatives (gifts between them are allowed).
		RelationVerified {
			/// One member.
			a: T::AccountId,
			/// The other member.
			b: T::AccountId,
			/// Hash of the evidence, kept off chain.
			evidence: H256,
			/// The staff member.
			by: T::AccountId,
		},
		/// Staff removed a verified relation.
		RelationRemoved {
			/// One member.
			a: T::AccountId,
			/// The other member.
			b: T::AccountId,
			/// The staff member.
			by: T::AccountId,
		},
		/// A member asked to move their home branch; staff of the new branch must accept.
		HomeMoveRequested {
			/// The member.
			who: T::AccountId,
			/// The current home branch.
			from: BranchId,
			/// The branch asked for.
			to: BranchId,
			/// The member or a staff member of the current home branch.
			by: T::AccountId,
		},
		/// A request to move home was withdrawn or declined; the member stays where they are.
		HomeMoveCancelled {
			/// The member.
			who: T::AccountId,
			/// The branch that was asked for.
			to: BranchId,
			/// The member, staff of the current home branch, or staff of the branch asked for.
			by: T::AccountId,
		},
		/// An admin proposed appointing or removing an officer; a second admin of the branch
		/// (or the council) must confirm.
		OfficerChangeProposed {
			/// The branch.
			branch: BranchId,
			/// The account to appoint or remove.
			who: T::AccountId,
			/// What is to change.
			change: OfficerChange,
			/// The admin who proposed it.
			by: T::AccountId,
		},
		/// A proposed officer change was withdrawn or refused.
		OfficerChangeCancelled {
			/// The branch.
			branch: BranchId,
			/// The account it concerned.
			who: T::AccountId,
			/// The admin who cancelled it; `None` for the council.
			by: Option<T::AccountId>,
		},
		/// Staff attested (or withdrew) that a member meets the branch's redemption rule.
		RedemptionEligibilitySet {
			/// The member.
			who: T::AccountId,
			/// Whether the member may now redeem from the branch's pool.
			eligible: bool,
			/// Hash of the evidence, kept off chain.
			evidence: H256,
			/// The staff member.
			by: T::AccountId,
		},
		/// A branch's admins (or the council) published its profile hash and gateway address.
		BranchProfileSet {
			/// The branch.
			branch: BranchId,
			/// Hash of its public profile document, kept off chain.
			profile_hash: H256,
			/// Where its gateway answers; `None` when withdrawn.
			gateway: Option<alloc::vec::Vec<u8>>,
			/// The admin; `None` for the council.
			by: Option<T::AccountId>,
		},
		/// An officer anchored the branch gateway's audit log.
		LogAnchored {
			/// The branch.
			branch: BranchId,
			/// The log's head after `entries` entries.
			root: H256,
			/// How many entries the log had.
			entries: u64,
			/// The officer.
			by: T::AccountId,
		},
		/// Staff recorded a family proxy for a member; a second officer or the member confirms.
		ProxyRecorded {
			/// The member.
			member: T::AccountId,
			/// The family proxy.
			proxy: T::AccountId,
			/// What the proxy is to be allowed.
			permissions: ProxyPermissions,
			/// Hash of the evidence checked at the counter, kept off chain.
			evidence: H256,
			/// The staff member who recorded it.
			by: T::AccountId,
		},
		/// A recorded proxy was confirmed (a `ProxyAuthorised` follows).
		ProxyConfirmed {
			/// The member.
			member: T::AccountId,
			/// The family proxy.
			proxy: T::AccountId,
			/// The member or the second officer.
			by: T::AccountId,
		},
		/// A recorded proxy was withdrawn or refused before taking effect.
		ProxyRecordCancelled {
			/// The member.
			member: T::AccountId,
			/// The family proxy it named.
			proxy: T::AccountId,
			/// Who cancelled it.
			by: T::AccountId,
		},
		/// An officer proposed importing members from the branch's paper records.
		ImportProposed {
			/// The branch.
			branch: BranchId,
			/// Hash of the import file.
			import_file: H256,
			/// How many members the batch carries.
			members: u32,
			/// The officer who proposed it.
			by: T::AccountId,
		},
		/// An admin confirmed an import: `imported` members registered (each with its own
		/// `MemberRegistered`), `skipped` named in `MemberImportSkipped`.
		ImportConfirmed {
			/// The branch.
			branch: BranchId,
			/// Hash of the import file.
			import_file: H256,
			/// Members registered.
			imported: u32,
			/// Members skipped.
			skipped: u32,
			/// The admin who confirmed it.
			by: T::AccountId,
		},
		/// One member of a confirmed import could not be registered; the others were.
		MemberImportSkipped {
			/// The branch.
			branch: BranchId,
			/// The account that was to be registered.
			who: T::AccountId,
			/// Why (a record exists already, or the ledger refused the opening balance).
			error: DispatchError,
		},
		/// A waiting import was withdrawn or refused.
		ImportCancelled {
			/// The branch.
			branch: BranchId,
			/// Hash of the import file.
			import_file: H256,
			/// The officer who cancelled it.
			by: T::AccountId,
		},
		/// Moving a member's account to a new key was asked for (decision 0013).
		RekeyRequested {
			/// The member's current key.
			member: T::AccountId,
			/// The key it would move to.
			new: T::AccountId,
			/// The member, or the staff member who asked for them.
			requested_by: T::AccountId,
			/// Hash of the evidence staff checked; zero when the member asked.
			evidence: H256,
		},
		/// A waiting re-key was withdrawn or refused.
		RekeyCancelled {
			/// The member.
			member: T::AccountId,
			/// Who cancelled it.
			by: T::AccountId,
		},
		/// A member's account moved to a new key; the old key is retired and its history stays
		/// under it.
		Rekeyed {
			/// The retired key.
			old: T::AccountId,
			/// The member's key from now on.
			new: T::AccountId,
			/// Who asked.
			requested_by: T::AccountId,
			/// The officer who approved.
			approved_by: T::AccountId,
			/// Hash of the evidence; zero when the member asked with their own key.
			evidence: H256,
		},
	}

	/// Why a registry call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The branch's reviewers decide this application (audits pallet), not a single officer.
		DecidedByReview,
		/// The review decision does not fit the subject.
		WrongDecision,
		/// No branch has this id.
		UnknownBranch,
		/// The branch is suspended or closed.
		BranchNotActive,
		/// The parent branch is already at the deepest level allowed.
		HierarchyTooDeep,
		/// A closed branch cannot be reopened.
		BranchClosed,
		/// The signer is not an officer of the branch with the role this needs.
		NotBranchOfficer,
		/// The account already holds an officer role at this branch.
		AlreadyOfficer,
		/// The account is not an officer of this branch.
		NotOfficer,
		/// The branch's last admin cannot be removed; appoint another first.
		LastAdmin,
		/// The account already has a member record (of any status).
		AlreadyMember,
		/// The account has no member record.
		NotMember,
		/// The member record is not a pending application.
		NotPending,
		/// The member is not active.
		MemberNotActive,
		/// This status cannot be set by staff: leaving and death go through the ledger, which
		/// settles the balance first.
		StatusNotSettable,
		/// The member already has this status.
		StatusUnchanged,
		/// The member already belongs to this branch.
		AlreadyInBranch,
		/// The member does not belong to this branch as an extra membership.
		NotInBranch,
		/// The member already has the most extra memberships allowed.
		TooManyMemberships,
		/// A member cannot be their own proxy or relative.
		SelfReference,
		/// The proxy must be an active member.
		ProxyNotMember,
		/// The proxy must hold the family-proxy role, which staff grant after checking the
		/// relationship off chain.
		NotAFamilyProxy,
		/// This account is not the member's proxy.
		NotProxy,
		/// The member already has the most proxies allowed.
		TooManyProxies,
		/// A proxy authorisation must grant at least one permission.
		EmptyPermissions,
		/// The relation is already verified.
		RelationExists,
		/// No such verified relation.
		NoSuchRelation,
		/// The signer is neither the member, the proxy, nor staff of the member's home branch.
		NotAllowed,
		/// The identity commitment is all zeros: compute a salted hash off chain.
		EmptyCommitment,
		/// The member already asked to move; cancel that request first.
		MovePending,
		/// The member has no request to move home.
		NoPendingMove,
		/// The branch has only one admin: officer changes need a second admin, so ask the
		/// council.
		NeedsSecondAdmin,
		/// A change for this account at this branch is already waiting for confirmation.
		ChangePending,
		/// No officer change is waiting for this account at this branch.
		NoPendingChange,
		/// The admin who proposed a change cannot also confirm it: a second admin must.
		SameAdmin,
		/// The branch has the most officer changes waiting that are allowed; confirm or cancel
		/// some first.
		TooManyPendingChanges,
		/// The branch registered or appointed the most accounts allowed in this quota window;
		/// try again in the next one.
		RegistrationLimitReached,
		/// The branch has the most applications waiting that are allowed; try again when its
		/// staff have decided some.
		TooManyApplications,
		/// A gateway address is `https://` or `http://` followed by printable ASCII, at most
		/// 128 bytes.
		InvalidGatewayAddress,
		/// A log root of all zeros anchors nothing.
		EmptyLogRoot,
		/// An anchor must count more log entries than the branch's last one: an append-only log
		/// only grows.
		LogDidNotGrow,
		/// The evidence hash is all zeros: hash the signed consent form off chain.
		EmptyEvidence,
		/// A recorded proxy is already waiting for this member's confirmation; confirm or
		/// cancel it first.
		ProxyPending,
		/// No recorded proxy is waiting for this member.
		NoPendingProxy,
		/// The officer who recorded a proxy or proposed an import cannot also confirm it: a
		/// second officer (or, for a proxy, the member) must.
		SameOfficer,
		/// An import batch must carry at least one member.
		EmptyImport,
		/// The same account appears twice in one import batch.
		DuplicateInImport,
		/// An import is already waiting at this branch; confirm or cancel it first.
		ImportPending,
		/// No import is waiting at this branch.
		NoPendingImport,
		/// The branch imported the most members allowed in this quota window; confirm again in
		/// the next one.
		ImportLimitReached,
		/// A re-key already waits for this member: approve or cancel it first.
		RekeyPending,
		/// No re-key waits for this member.
		NoPendingRekey,
		/// The new key's proof is not its signature over this chain's re-key message for these
		/// two keys.
		BadRekeyProof,
		/// The officer took office after the re-key was requested, so cannot approve it.
		AppointedAfterRequest,
		/// A re-key staff asked for waits `RekeyDelay` before approval, so the member can object.
		RekeyTooEarly,
		/// Officers, auditors and validator candidates change keys by appointment, not re-keying.
		OfficersCannotRekey,
		/// The member's account has moved to new keys as often as allowed (`MaxKeyHistory`).
		KeyHistoryFull,
		/// The member has more verified relatives, or acts for more members, than one re-key
		/// moves: remove some first.
		TooManyToMove,
		/// The new key is already a member, officer or auditor, retired, or has proxies or
		/// relatives of its own (or is the old key).
		NewKeyInUse,
		/// The account was retired by a re-key; the member uses their new key.
		AccountRetired,
	}

	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchOfficer
		}
	}
}
