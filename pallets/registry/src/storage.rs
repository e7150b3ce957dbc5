//! The registry's storage items: a pallet section (`#[pallet_section]`), imported into the pallet
//! module by `#[import_section]` in `lib.rs`, so that file keeps the configuration and the calls.

use polkadot_sdk::frame_support::pallet_macros::pallet_section;

/// Everything the registry stores.
#[pallet_section]
mod storage_items {
	// Hashers: `BranchId`s are assigned by the chain (counting up), so nobody can choose them to
	// unbalance the trie: maps keyed by a branch use `Twox64Concat`, as in every other pallet of
	// the time bank (storage version 1; `migrations::v1` moved the keys of older chains). Maps
	// keyed by an `AccountId` use `Blake2_128Concat` because accounts are chosen by their owners,
	// who could otherwise pick keys that unbalance the trie.

	/// The number the next registered branch gets; branches are numbered from 0.
	#[pallet::storage]
	pub type NextBranchId<T> = StorageValue<_, BranchId, ValueQuery>;

	/// Every branch ever registered, by number: its parent, depth, status and profile hash.
	/// Closed branches stay.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type Branches<T: Config> = StorageMap<_, Twox64Concat, BranchId, Branch<BlockNumberFor<T>>>;

	/// The officers of each branch and their role (staff or admin). Officers need not be members.
	// Hashers: Twox64Concat on the chain-assigned branch, Blake2_128Concat on the user-chosen
	// account (see above).
	#[pallet::storage]
	pub type BranchOfficers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BranchId, Blake2_128Concat, T::AccountId, OfficerRole>;

	/// Admins per branch, so the last one cannot be removed.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type AdminCount<T> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	/// How many branches an account is an officer of, so transaction validation can tell an
	/// officer in one read.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type OfficerRoleCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Applications that the branch's reviewers decide (in the audits pallet), not staff alone.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ApplicationsUnderReview<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Regulators (civil-affairs bureau): read everything, flag (audits pallet).
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Auditors<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Every member's record, by account: identity commitment, home and extra branches, status,
	/// roles and redemption eligibility. Records of members who left or died stay.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Member<BlockNumberFor<T>, T::MaxExtraMemberships>,
	>;

	/// How many pending, active and suspended members each branch has as their home branch.
	// Hasher: Twox64Concat on a chain-assigned id (see above).
	#[pallet::storage]
	pub type MemberCountsByBranch<T> =
		StorageMap<_, Twox64Concat, BranchId, MemberCounts, ValueQuery>;

	/// (member, proxy) → what the proxy may do.
	// Hashers: Blake2_128Concat, both keys are user-chosen accounts.
	#[pallet::storage]
	pub type Proxies<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		ProxyPermissions,
	>;

	/// How many proxies each member authorised, so the limit is checked in one read.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ProxyCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Verified relatives, stored in both directions; the value is the evidence hash.
	// Hashers: Blake2_128Concat, both keys are user-chosen accounts.
	#[pallet::storage]
	pub type VerifiedRelations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, H256>;

	/// How much of its fee-free allowance each account has used (a draining bucket).
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type Quota<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, QuotaUsage>;

	/// Accounts this pallet gave a provider reference, so that members with no native balance can
	/// sign transactions. Never removed: an account with history keeps existing.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type ProvidedAccounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Members' requests to move home, waiting for staff of the branch they asked for. At most
	/// one per member.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type PendingMoves<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PendingMove<T::AccountId, BlockNumberFor<T>>>;

	/// Officer appointments and admin removals one admin proposed, waiting for a second admin
	/// of the branch (or the council) to confirm.
	// Hashers: Twox64Concat on the chain-assigned branch, Blake2_128Concat on the account.
	#[pallet::storage]
	pub type PendingOfficerChanges<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BranchId,
		Blake2_128Concat,
		T::AccountId,
		PendingOfficerChange<T::AccountId, BlockNumberFor<T>>,
	>;

	/// How many officer changes wait at each branch, so the limit is checked in one read.
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type PendingOfficerChangeCount<T> = StorageMap<_, Twox64Concat, BranchId, u32, ValueQuery>;

	/// The block in which each officer took office at a branch, so audits can refuse deciders
	/// appointed after a case opened. Officers appointed before this was kept have none.
	// Hashers: Twox64Concat on the chain-assigned branch, Blake2_128Concat on the account.
	#[pallet::storage]
	pub type OfficerSince<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BranchId,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	/// Accounts each branch's officers registered or appointed in the current quota window.
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type Registrations<T> = StorageMap<_, Twox64Concat, BranchId, RegistrationCount>;

	/// Reverse index of `Proxies`: (proxy, member) for every authorised proxy, so "whom do I act
	/// for" is one prefix read. `relations.rs` keeps it in step with `Proxies`.
	// Hashers: Blake2_128Concat, both keys are user-chosen accounts.
	#[pallet::storage]
	pub type ActingFor<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, ()>;

	/// Family proxies staff recorded for members without a smartphone, waiting for a second
	/// officer or the member's confirmation; at most one per member.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type PendingProxies<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		PendingProxy<T::AccountId, BlockNumberFor<T>>,
	>;

	/// Where each branch's gateway answers, as its admins published it.
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type BranchGateways<T> = StorageMap<_, Twox64Concat, BranchId, GatewayAddress>;

	/// The latest anchor of each branch gateway's audit log; earlier ones are in the events.
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type LogAnchors<T: Config> =
		StorageMap<_, Twox64Concat, BranchId, LogAnchor<T::AccountId, BlockNumberFor<T>>>;

	/// The import batch waiting for its confirmation at each branch (at most one).
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type PendingImports<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BranchId,
		PendingImport<T::AccountId, BlockNumberFor<T>, T::MaxImportBatch>,
	>;

	/// Members each branch imported in the current quota window.
	// Hasher: Twox64Concat on a chain-assigned id.
	#[pallet::storage]
	pub type Imports<T> = StorageMap<_, Twox64Concat, BranchId, RegistrationCount>;

	/// Requests to move a member's account to a new key, waiting for an officer's approval; at
	/// most one per member, keyed by the member's current (old) key.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type PendingRekeys<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		PendingRekey<T::AccountId, BlockNumberFor<T>>,
	>;

	/// Retired keys: each old key → the member's current key (rewritten when the member moves
	/// again, so one read finds it). A retired key can send no transaction (`CheckMemberQuota`).
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type RekeyedTo<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// A member's earlier keys, oldest first (at most `MaxKeyHistory`): their history (statement
	/// lines, entries, certificates, audit log) stays under those keys.
	// Hasher: Blake2_128Concat, the key is a user-chosen account.
	#[pallet::storage]
	pub type PreviousKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BoundedVec<T::AccountId, T::MaxKeyHistory>>;
}
