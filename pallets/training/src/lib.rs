//! # Training pallet
//!
//! Community training (社区培训): courses, sessions, enrolment, attendance and certificates that
//! gate risky service categories.
//!
//! ## Overview
//!
//! A branch admin creates a **course**: a hash of its material and a link to it, its length, the
//! skill it certifies, how long a certificate stays valid, how many credits completing it earns
//! (0 for none) and for how many completions at most. Rewards are new credits from the branch's
//! grant account, so the whole **reward budget** (reward × completions) is checked against the
//! branch's review policy like a grant: when it is large enough to need review, no reward is paid
//! until reviewers approve the budget, and completions never pay beyond it.
//! Staff schedule **sessions**; members enrol; once the session has started staff record
//! attendance, and once it has lasted the course's length, completion, which issues a
//! **certificate**: holder, skill, course, issuing branch, issue and expiry time. Staff of the
//! issuing branch can revoke a certificate with a reason.
//!
//! The activities pallet asks [`timebank_primitives::Certification`] whether a provider holds an
//! unexpired, unrevoked certificate for a category's skill that the category's branch accepts:
//! one it issued itself, or one from a branch its admins list as a **trusted issuer**. Anyone can
//! check a certificate against a finalised block: the node's `timebank_certificate` RPC returns it
//! with a storage proof (docs/RPC.md).
//!
//! ## Interface
//!
//! Branch admins: `create_course`, `set_course_active`, `set_trusted_issuers`. Branch staff:
//! `schedule_session`, `close_session`, `record_attendance`, `complete`, `revoke_certificate`.
//! Members: `enrol`, `withdraw`. Reviewers decide reward budgets through the audits pallet.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod certificates;
pub mod migrations;
mod rekey;
mod review;
mod types;
pub mod weights;

pub use certificates::HeldCertificate;
pub use review::{BudgetStatus, RewardBudget};
pub use types::{Course, Enrolment, Session};

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_issue15;
#[cfg(test)]
mod tests_rekey;

pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, sp_core::H256, sp_runtime};
use timebank_primitives::{
	Authority, BranchId, CertificateId, CourseId, Ledger, Membership, Minutes, NotOfficer,
	OfficerRole, ReviewQueue, SkillId,
};

/// A session of a course, numbered from 0.
pub type SessionId = u64;

const MILLISECS_PER_DAY: u64 = 24 * 60 * 60 * 1000;

#[frame_support::pallet]
// FRAME's macros expand to fully qualified paths (`frame_support::sp_runtime::DispatchError`,
// `std::string::String`, ...) under the spans of this module's `#[pallet::*]` attributes, and it
// needs the `Config` supertrait spelled `polkadot_sdk::frame_system::Config`: the lint would
// report both as this crate's. Code outside this module is linted. FRAME also generates a
// constructor per call with one parameter per argument (`create_course` has eight, each a
// course field the admin sets), which `too_many_arguments` would report.
#[allow(unused_qualifications, clippy::too_many_arguments)]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::Pays,
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;

	/// A course with the runtime's link limit.
	pub type CourseOf<T> = Course<<T as Config>::MaxUriLen>;
	/// A certificate with the runtime's account and block number types.
	pub type CertificateOf<T> =
		timebank_primitives::Certificate<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	/// The storage layout's version: 1 since certificates are indexed per member and skill with
	/// their issuing branch (`HeldCertificates`), see [`crate::migrations`].
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// Community training: courses, sessions, enrolments and certificates.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The training pallet's configuration: where officers, members and rewards come from, the
	/// clock, and the limits.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Branch officers and active members (the registry).
		type Membership: Membership<Self::AccountId>;
		/// Pays course rewards from the branch's grant account (the ledger).
		type Ledger: Ledger<Self::AccountId>;
		/// The branch's review policy and queue (the audits pallet): a course's reward budget is
		/// reviewed like a grant of that budget.
		type Reviews: ReviewQueue<Self::AccountId>;
		/// Chain time, for certificate issue and expiry.
		type UnixTime: UnixTime;
		/// Longest course link.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Most members one session takes.
		#[pallet::constant]
		type MaxSessionCapacity: Get<u32>;
		/// Longest validity a course may give its certificates, in days.
		#[pallet::constant]
		type MaxValidityDays: Get<u32>;
		/// Most credits one course may reward.
		#[pallet::constant]
		type MaxReward: Get<Minutes>;
		/// Most completions one course may reward.
		#[pallet::constant]
		type MaxRewardedCompletions: Get<u32>;
		/// Most other branches one branch may list as trusted certificate issuers.
		#[pallet::constant]
		type MaxTrustedIssuers: Get<u32>;
		/// Most valid certificates kept on record for one member and skill (older, expired and
		/// revoked ones drop out first).
		#[pallet::constant]
		type MaxHeldCertificates: Get<u32>;
		/// The measured weight of each call.
		type WeightInfo: WeightInfo;
		/// Sets up branches, members, review policies and the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	// Hashers: course, session and certificate ids are assigned by this pallet (counting up),
	// so `Twox64Concat` is safe and cheap for them; skill ids are set by branch admins but only
	// ever follow a member's account in a key, so `Twox64Concat` is safe there too. Accounts are
	// chosen by their owners, who could otherwise pick keys that unbalance the trie:
	// `Blake2_128Concat` for them.

	/// The number the next course gets; courses are numbered from 0.
	#[pallet::storage]
	pub type NextCourseId<T> = StorageValue<_, CourseId, ValueQuery>;

	/// Every course, by number: branch, material, length, skill, validity, reward, whether open.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type Courses<T: Config> = StorageMap<_, Twox64Concat, CourseId, CourseOf<T>>;

	/// The number the next session gets; sessions are numbered from 0.
	#[pallet::storage]
	pub type NextSessionId<T> = StorageValue<_, SessionId, ValueQuery>;

	/// Every session, by number: course, start, capacity, enrolment count, whether closed.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type Sessions<T> = StorageMap<_, Twox64Concat, SessionId, Session>;

	/// Each session's members and where each stands: enrolled, attended, or completed with the
	/// certificate issued.
	// Hashers: Twox64Concat on the chain-assigned session, Blake2_128Concat on the user-chosen
	// account.
	#[pallet::storage]
	pub type Enrolments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SessionId, Blake2_128Concat, T::AccountId, Enrolment>;

	/// The number the next certificate gets; certificates are numbered from 0.
	#[pallet::storage]
	pub type NextCertificateId<T> = StorageValue<_, CertificateId, ValueQuery>;

	/// Every certificate ever issued; revoked ones stay, marked.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type Certificates<T: Config> = StorageMap<_, Twox64Concat, CertificateId, CertificateOf<T>>;

	/// Course rewards already paid, per course and member.
	// Hashers: Twox64Concat on the chain-assigned course, Blake2_128Concat on the user-chosen
	// account.
	#[pallet::storage]
	pub type RewardsPaid<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CourseId, Blake2_128Concat, T::AccountId, ()>;

	/// For each member and skill, their unrevoked certificates with the issuing branch and expiry
	/// (at most `MaxHeldCertificates`); a category's branch accepts those it issued or trusts.
	// Hashers: Blake2_128Concat on the user-chosen account, then Twox64Concat on the skill
	// (safe behind the account's hash).
	#[pallet::storage]
	pub type HeldCertificates<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		SkillId,
		BoundedVec<HeldCertificate, T::MaxHeldCertificates>,
		ValueQuery,
	>;

	/// The other branches whose certificates a branch accepts for its categories; a branch
	/// always accepts its own.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type TrustedIssuers<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BranchId,
		BoundedVec<BranchId, T::MaxTrustedIssuers>,
		ValueQuery,
	>;

	/// Each rewarding course's reward budget: how many completions it pays, how many it has
	/// paid, and whether reviewers approved it.
	// Hasher: Twox64Concat, the key is a chain-assigned id.
	#[pallet::storage]
	pub type RewardBudgets<T> = StorageMap<_, Twox64Concat, CourseId, RewardBudget>;

	/// What happened in community training.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A branch admin created a course.
		CourseCreated {
			/// The new course's number.
			course: CourseId,
			/// The branch that offers it.
			branch: BranchId,
			/// The skill it certifies.
			skill: SkillId,
			/// The admin.
			by: T::AccountId,
		},
		/// A branch admin opened or closed a course to new sessions and enrolments.
		CourseActiveSet {
			/// The course.
			course: CourseId,
			/// Whether it is open now.
			active: bool,
			/// The admin.
			by: T::AccountId,
		},
		/// Staff scheduled a session of a course.
		SessionScheduled {
			/// The new session's number.
			session: SessionId,
			/// The course taught.
			course: CourseId,
			/// When it starts, in milliseconds since the Unix epoch.
			starts_at: u64,
			/// Most members it takes.
			capacity: u32,
		},
		/// Staff closed a session to enrolment.
		SessionClosed {
			/// The session.
			session: SessionId,
			/// The staff member.
			by: T::AccountId,
		},
		/// A member enrolled in a session.
		Enrolled {
			/// The session.
			session: SessionId,
			/// The member.
			who: T::AccountId,
		},
		/// A member gave up their place in a session.
		Withdrawn {
			/// The session.
			session: SessionId,
			/// The member.
			who: T::AccountId,
		},
		/// Staff recorded that a member attended a session.
		AttendanceRecorded {
			/// The session.
			session: SessionId,
			/// The member.
			who: T::AccountId,
			/// The staff member.
			by: T::AccountId,
		},
		/// A member completed a course: a certificate was issued, and the reward paid if any.
		CertificateIssued {
			/// The certificate's number.
			certificate: CertificateId,
			/// The member certified.
			holder: T::AccountId,
			/// The skill certified.
			skill: SkillId,
			/// The course completed.
			course: CourseId,
			/// When the certificate expires, in milliseconds since the Unix epoch; `None` for
			/// never.
			expires_at: Option<u64>,
			/// Minutes credited from the branch's grant account (0 when none or paid before).
			reward: Minutes,
			/// The staff member who recorded the completion.
			by: T::AccountId,
		},
		/// Staff of the issuing branch revoked a certificate; it stays on record, marked.
		CertificateRevoked {
			/// The certificate.
			certificate: CertificateId,
			/// Hash of the off-chain statement of why.
			reason: H256,
			/// The staff member.
			by: T::AccountId,
		},
		/// A branch admin set which other branches' certificates the branch accepts.
		TrustedIssuersSet {
			/// The branch.
			branch: BranchId,
			/// The other branches it trusts now (its own certificates always count).
			issuers: BoundedVec<BranchId, T::MaxTrustedIssuers>,
			/// The admin.
			by: T::AccountId,
		},
		/// A new course's reward budget was set: rewards for at most `completions` members.
		RewardBudgetSet {
			/// The course.
			course: CourseId,
			/// Most completions it rewards.
			completions: u32,
			/// Reward × completions: the most it can pay from the branch's grant account.
			budget: Minutes,
			/// Whether the budget waits for review (no reward is paid until it is approved).
			in_review: bool,
		},
		/// Reviewers decided a course's reward budget.
		RewardBudgetDecided {
			/// The course.
			course: CourseId,
			/// Approved: completions earn the reward; rejected: they earn none.
			approved: bool,
		},
	}

	/// Why a training call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The branch is not registered or not active.
		BranchNotActive,
		/// The signer is not an officer of the branch with the needed role.
		NotBranchOfficer,
		/// A course needs a length between 1 minute and a day, a link no longer than
		/// `MaxUriLen`, a validity up to `MaxValidityDays` and a reward up to `MaxReward`.
		InvalidCourse,
		/// No course has this number.
		UnknownCourse,
		/// The course takes no new sessions or enrolments.
		CourseInactive,
		/// Capacity must be between 1 and `MaxSessionCapacity`, the start in the future.
		InvalidSession,
		/// No session has this number.
		UnknownSession,
		/// The session is closed to enrolment.
		SessionClosed,
		/// The session has no free place.
		SessionFull,
		/// The member is unknown or not active.
		NotActiveMember,
		/// The member is already enrolled in this session.
		AlreadyEnrolled,
		/// The member is not enrolled in this session.
		NotEnrolled,
		/// The enrolment is not at the step this needs (attendance before completion; no
		/// withdrawal after attendance).
		WrongStep,
		/// No certificate has this number.
		UnknownCertificate,
		/// The certificate is already revoked.
		AlreadyRevoked,
		/// Staff do not record their own attendance or completion.
		OwnRecord,
		/// A course, session or certificate number would overflow.
		Overflow,
		/// A course with a reward must reward between 1 and `MaxRewardedCompletions`
		/// completions; a course without a reward, none.
		InvalidRewardBudget,
		/// The course's reward budget waits for review: completions are recorded once it is
		/// decided.
		RewardBudgetInReview,
		/// The course has no reward budget waiting for review.
		NoRewardBudgetInReview,
		/// This decision does not fit a reward budget (only approve or reject do).
		WrongDecision,
		/// Attendance is recorded once the session has started.
		SessionNotStarted,
		/// Completion is recorded once the session has lasted the course's length.
		CourseNotOver,
		/// The list names a branch twice, or the branch itself (its own certificates always
		/// count).
		RedundantIssuer,
		/// A listed branch is not registered or not active.
		IssuerNotActive,
		/// The member holds certificates in more skills than one re-keying moves.
		TooManySkillsToMove,
	}

	/// A training call by someone who is not an officer of the course's branch with the role it
	/// needs.
	impl<T: Config> From<NotOfficer> for Error<T> {
		fn from(_: NotOfficer) -> Self {
			Error::<T>::NotBranchOfficer
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a course of the branch.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::create_course(), Pays::No))]
		#[allow(clippy::too_many_arguments)]
		pub fn create_course(
			origin: OriginFor<T>,
			branch: BranchId,
			content: H256,
			uri: BoundedVec<u8, T::MaxUriLen>,
			minutes: Minutes,
			skill: SkillId,
			validity_days: u32,
			reward: Minutes,
			rewarded_completions: u32,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
			T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
				.map_err(Error::<T>::from)?;
			ensure!(
				(1..=24 * 60).contains(&minutes)
					&& validity_days <= T::MaxValidityDays::get()
					&& reward <= T::MaxReward::get(),
				Error::<T>::InvalidCourse
			);
			let course = NextCourseId::<T>::get();
			NextCourseId::<T>::put(course.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Courses::<T>::insert(
				course,
				Course {
					branch,
					content,
					uri,
					minutes,
					skill,
					validity_days,
					reward,
					active: true,
				},
			);
			Self::deposit_event(Event::CourseCreated { course, branch, skill, by: by.clone() });
			Self::open_reward_budget(course, branch, reward, rewarded_completions, &by)
		}

		/// Open or close a course to new sessions and enrolments.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::set_course_active(), Pays::No))]
		pub fn set_course_active(
			origin: OriginFor<T>,
			course: CourseId,
			active: bool,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Courses::<T>::try_mutate(course, |maybe| -> DispatchResult {
				let c = maybe.as_mut().ok_or(Error::<T>::UnknownCourse)?;
				T::Membership::ensure_officer(c.branch, &by, OfficerRole::Admin)
					.map_err(Error::<T>::from)?;
				c.active = active;
				Ok(())
			})?;
			Self::deposit_event(Event::CourseActiveSet { course, active, by });
			Ok(())
		}

		/// Schedule a session of an active course.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::schedule_session(), Pays::No))]
		pub fn schedule_session(
			origin: OriginFor<T>,
			course: CourseId,
			starts_at: u64,
			capacity: u32,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let c = Courses::<T>::get(course).ok_or(Error::<T>::UnknownCourse)?;
			T::Membership::ensure_officer(c.branch, &by, OfficerRole::Staff)
				.map_err(Error::<T>::from)?;
			ensure!(c.active, Error::<T>::CourseInactive);
			ensure!(
				(1..=T::MaxSessionCapacity::get()).contains(&capacity)
					&& starts_at > Self::now_ms(),
				Error::<T>::InvalidSession
			);
			let session = NextSessionId::<T>::get();
			NextSessionId::<T>::put(session.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Sessions::<T>::insert(
				session,
				Session { course, starts_at, capacity, enrolled: 0, closed: false },
			);
			Self::deposit_event(Event::SessionScheduled { session, course, starts_at, capacity });
			Ok(())
		}

		/// Close a session to enrolment (attendance and completion stay possible).
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::close_session(), Pays::No))]
		pub fn close_session(origin: OriginFor<T>, session: SessionId) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Sessions::<T>::try_mutate(session, |maybe| -> DispatchResult {
				let s = maybe.as_mut().ok_or(Error::<T>::UnknownSession)?;
				T::Membership::ensure_officer(Self::branch_of(s.course)?, &by, OfficerRole::Staff)
					.map_err(Error::<T>::from)?;
				ensure!(!s.closed, Error::<T>::SessionClosed);
				s.closed = true;
				Ok(())
			})?;
			Self::deposit_event(Event::SessionClosed { session, by });
			Ok(())
		}

		/// Enrol in an open session.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::enrol(), Pays::No))]
		pub fn enrol(origin: OriginFor<T>, session: SessionId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(T::Membership::is_active_member(&who), Error::<T>::NotActiveMember);
			Sessions::<T>::try_mutate(session, |maybe| -> DispatchResult {
				let s = maybe.as_mut().ok_or(Error::<T>::UnknownSession)?;
				let course = Courses::<T>::get(s.course).ok_or(Error::<T>::UnknownCourse)?;
				ensure!(course.active, Error::<T>::CourseInactive);
				ensure!(!s.closed, Error::<T>::SessionClosed);
				ensure!(!Enrolments::<T>::contains_key(session, &who), Error::<T>::AlreadyEnrolled);
				ensure!(s.enrolled < s.capacity, Error::<T>::SessionFull);
				s.enrolled += 1;
				Ok(())
			})?;
			Enrolments::<T>::insert(session, &who, Enrolment::Enrolled);
			Self::deposit_event(Event::Enrolled { session, who });
			Ok(Pays::No.into())
		}

		/// Give up a place before attendance is recorded.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::withdraw(), Pays::No))]
		pub fn withdraw(origin: OriginFor<T>, session: SessionId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let step = Enrolments::<T>::get(session, &who).ok_or(Error::<T>::NotEnrolled)?;
			ensure!(step == Enrolment::Enrolled, Error::<T>::WrongStep);
			Enrolments::<T>::remove(session, &who);
			Sessions::<T>::mutate(session, |maybe| {
				if let Some(s) = maybe {
					s.enrolled = s.enrolled.saturating_sub(1);
				}
			});
			Self::deposit_event(Event::Withdrawn { session, who });
			Ok(Pays::No.into())
		}

		/// Record that an enrolled member attended.
		#[pallet::call_index(6)]
		#[pallet::weight((T::WeightInfo::record_attendance(), Pays::No))]
		pub fn record_attendance(
			origin: OriginFor<T>,
			session: SessionId,
			who: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
			T::Membership::ensure_officer(Self::branch_of(s.course)?, &by, OfficerRole::Staff)
				.map_err(Error::<T>::from)?;
			ensure!(by != who, Error::<T>::OwnRecord);
			ensure!(Self::now_ms() >= s.starts_at, Error::<T>::SessionNotStarted);
			Enrolments::<T>::try_mutate(session, &who, |maybe| -> DispatchResult {
				let step = maybe.as_mut().ok_or(Error::<T>::NotEnrolled)?;
				ensure!(*step == Enrolment::Enrolled, Error::<T>::WrongStep);
				*step = Enrolment::Attended;
				Ok(())
			})?;
			Self::deposit_event(Event::AttendanceRecorded { session, who, by });
			Ok(())
		}

		/// Record that a member who attended completed the course: issues the certificate and
		/// pays the course's reward from the branch's grant account.
		#[pallet::call_index(7)]
		#[pallet::weight((T::WeightInfo::complete(), Pays::No))]
		pub fn complete(
			origin: OriginFor<T>,
			session: SessionId,
			who: T::AccountId,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
			let course = Courses::<T>::get(s.course).ok_or(Error::<T>::UnknownCourse)?;
			T::Membership::ensure_officer(course.branch, &by, OfficerRole::Staff)
				.map_err(Error::<T>::from)?;
			ensure!(by != who, Error::<T>::OwnRecord);
			let step = Enrolments::<T>::get(session, &who).ok_or(Error::<T>::NotEnrolled)?;
			ensure!(step == Enrolment::Attended, Error::<T>::WrongStep);
			// A member who left or died since attending gets no certificate.
			ensure!(T::Membership::is_active_member(&who), Error::<T>::NotActiveMember);
			let issued_at = Self::now_ms();
			// The course's length in milliseconds: at most a day (`create_course`), no overflow.
			let length_ms = course.minutes.saturating_mul(60_000);
			ensure!(issued_at >= s.starts_at.saturating_add(length_ms), Error::<T>::CourseNotOver);
			let certificate = NextCertificateId::<T>::get();
			NextCertificateId::<T>::put(certificate.checked_add(1).ok_or(Error::<T>::Overflow)?);
			let expires_at = (course.validity_days > 0).then(|| {
				issued_at.saturating_add(u64::from(course.validity_days) * MILLISECS_PER_DAY)
			});
			let reward = Self::pay_reward(s.course, &course, &who, &by)?;
			Certificates::<T>::insert(
				certificate,
				timebank_primitives::Certificate {
					holder: who.clone(),
					skill: course.skill,
					course: s.course,
					branch: course.branch,
					content: course.content,
					issued_at,
					expires_at,
					issued_in_block: frame_system::Pallet::<T>::block_number(),
					revoked: false,
				},
			);
			Self::hold_certificate(
				&who,
				course.skill,
				HeldCertificate { id: certificate, branch: course.branch, expires_at },
			);
			Enrolments::<T>::insert(session, &who, Enrolment::Completed(certificate));
			Self::deposit_event(Event::CertificateIssued {
				certificate,
				holder: who,
				skill: course.skill,
				course: s.course,
				expires_at,
				reward,
				by,
			});
			Ok(())
		}

		/// Revoke a certificate (fraud, an incident): staff of the issuing branch; `reason` is the
		/// hash of the off-chain statement. The certificate stays on record, marked.
		#[pallet::call_index(8)]
		#[pallet::weight((T::WeightInfo::revoke_certificate(), Pays::No))]
		pub fn revoke_certificate(
			origin: OriginFor<T>,
			certificate: CertificateId,
			reason: H256,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let (holder, skill) =
				Certificates::<T>::try_mutate(certificate, |maybe| -> Result<_, DispatchError> {
					let c = maybe.as_mut().ok_or(Error::<T>::UnknownCertificate)?;
					T::Membership::ensure_officer(c.branch, &by, OfficerRole::Staff)
						.map_err(Error::<T>::from)?;
					ensure!(!c.revoked, Error::<T>::AlreadyRevoked);
					c.revoked = true;
					Ok((c.holder.clone(), c.skill))
				})?;
			// The member's other certificates for the skill stay on record and keep counting. A
			// re-keyed holder's certificates moved to the new key.
			let holder = T::Membership::rekeyed_to(&holder).unwrap_or(holder);
			Self::release_certificate(&holder, skill, certificate);
			Self::deposit_event(Event::CertificateRevoked { certificate, reason, by });
			Ok(())
		}

		/// Set which other branches' certificates the branch accepts for its categories (an
		/// empty list: only its own). Branch admins.
		#[pallet::call_index(9)]
		#[pallet::weight((T::WeightInfo::set_trusted_issuers(), Pays::No))]
		pub fn set_trusted_issuers(
			origin: OriginFor<T>,
			branch: BranchId,
			issuers: BoundedVec<BranchId, T::MaxTrustedIssuers>,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			ensure!(T::Membership::branch_is_active(branch), Error::<T>::BranchNotActive);
			T::Membership::ensure_officer(branch, &by, OfficerRole::Admin)
				.map_err(Error::<T>::from)?;
			for (i, issuer) in issuers.iter().enumerate() {
				ensure!(
					*issuer != branch && !issuers[..i].contains(issuer),
					Error::<T>::RedundantIssuer
				);
				ensure!(T::Membership::branch_is_active(*issuer), Error::<T>::IssuerNotActive);
			}
			if issuers.is_empty() {
				TrustedIssuers::<T>::remove(branch);
			} else {
				TrustedIssuers::<T>::insert(branch, &issuers);
			}
			Self::deposit_event(Event::TrustedIssuersSet { branch, issuers, by });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn now_ms() -> u64 {
			T::UnixTime::now().as_millis() as u64
		}

		fn branch_of(course: CourseId) -> Result<BranchId, DispatchError> {
			Courses::<T>::get(course)
				.map(|c| c.branch)
				.ok_or_else(|| Error::<T>::UnknownCourse.into())
		}

		/// Every certificate kept for a member and skill is theirs, for that skill, from that
		/// branch, unrevoked; enrolment counts match the enrolments; no reward budget has paid
		/// more completions than it allows.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (holder, skill, held) in HeldCertificates::<T>::iter() {
				for h in held {
					let c = Certificates::<T>::get(h.id)
						.ok_or("a skill names a missing certificate")?;
					if c.holder != holder || c.skill != skill || c.branch != h.branch {
						return Err("a skill names another member's or skill's certificate".into());
					}
					if c.revoked || c.expires_at != h.expires_at {
						return Err("a revoked or changed certificate is still counted".into());
					}
				}
			}
			for (_, budget) in RewardBudgets::<T>::iter() {
				if budget.paid > budget.completions {
					return Err("a course paid more rewards than its budget".into());
				}
			}
			for (session, s) in Sessions::<T>::iter() {
				let count = Enrolments::<T>::iter_prefix(session).count() as u32;
				if count != s.enrolled {
					return Err("a session's enrolment count is wrong".into());
				}
			}
			Ok(())
		}
	}

	impl<T: Config> timebank_primitives::Certification<T::AccountId> for Pallet<T> {
		fn is_certified(who: &T::AccountId, skill: SkillId, for_branch: BranchId) -> bool {
			Self::holds_accepted(who, skill, for_branch)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
