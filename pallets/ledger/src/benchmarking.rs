//! Benchmarks of every ledger call, each at its most expensive path: cross-branch movements
//! through clearing with storage-cap overflow (four entries: two clearing legs for what fits,
//! two for the overflow), a policy change that prunes the oldest kept version, and estates with a
//! full time will.

use super::*;
use crate::Pallet as TimeLedger;
use alloc::vec::Vec;
use polkadot_sdk::frame_benchmarking::v2::*;
use polkadot_sdk::frame_support::{traits::Get, BoundedVec};
use polkadot_sdk::frame_system::RawOrigin;
use sp_runtime::Percent;
use timebank_primitives::{BalanceClass, MembershipFixtures, OfficerRole, ProxyPermissions};

/// Two branches with admins and staff, a member in each, verified as relatives, with credits.
struct Cast<T: Config> {
	home: BranchId,
	away: BranchId,
	admin: T::AccountId,
	other_admin: T::AccountId,
	staff: T::AccountId,
	giver: T::AccountId,
	receiver: T::AccountId,
}

fn cast<T: Config>() -> Cast<T> {
	let admin: T::AccountId = account("admin", 0, 0);
	let other_admin: T::AccountId = account("other-admin", 0, 0);
	let staff: T::AccountId = account("staff", 0, 0);
	let home = T::BenchmarkHelper::branch(&admin);
	let away = T::BenchmarkHelper::branch(&other_admin);
	T::BenchmarkHelper::officer(home, &staff, OfficerRole::Staff);
	let giver: T::AccountId = account("giver", 0, 0);
	let receiver: T::AccountId = account("receiver", 0, 0);
	T::BenchmarkHelper::member(&giver, home);
	T::BenchmarkHelper::member(&receiver, away);
	T::BenchmarkHelper::relatives(&giver, &receiver);
	TimeLedger::<T>::grant(
		RawOrigin::Signed(admin.clone()).into(),
		giver.clone(),
		600,
		H256::zero(),
	)
	.expect("the home admin can grant");
	Cast { home, away, admin, other_admin, staff, giver, receiver }
}

/// The receiver's branch caps spendable balances at 30 minutes, so a 60-minute movement to the
/// receiver posts four entries: 30 through clearing to the spendable class, 30 through clearing
/// to the donation-only class.
fn cap_the_receiver<T: Config>(c: &Cast<T>) {
	let policy = LedgerPolicy {
		storage_cap: Some(30),
		clearing_limit: LedgerPolicy::default().clearing_limit.max(T::MinClearingLimit::get()),
		..Default::default()
	};
	TimeLedger::<T>::set_policy(RawOrigin::Signed(c.other_admin.clone()).into(), c.away, policy)
		.expect("the other admin sets the cap");
}

/// Four entries posted, as `cap_the_receiver` arranges (two where the registry's fixtures put
/// both members in one branch, as the pallet's mock does).
fn assert_four_entries<T: Config>(home: BranchId, away: BranchId) {
	let operation = NextOperationId::<T>::get() - 1;
	let entries = Operations::<T>::get(operation).map(|o| o.entries.len());
	assert_eq!(entries, Some(if home == away { 2 } else { 4 }));
}

/// A member authorised to propose transfers for the cast's giver.
fn family_proxy<T: Config>(c: &Cast<T>) -> T::AccountId {
	let proxy: T::AccountId = account("proxy", 0, 0);
	T::BenchmarkHelper::member(&proxy, c.home);
	T::BenchmarkHelper::proxy(
		&c.giver,
		&proxy,
		ProxyPermissions { propose_transfers: true, ..Default::default() },
	);
	proxy
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_policy() {
		let c = cast::<T>();
		let policy = LedgerPolicy::default();
		// The history is full: the new version pushes the oldest kept one out.
		for _ in 0..T::MaxPolicyHistory::get() {
			TimeLedger::<T>::set_policy(RawOrigin::Signed(c.admin.clone()).into(), c.home, policy)
				.expect("admin sets policy");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.home, policy);
		assert_eq!(PolicyHistory::<T>::get(c.home, 1), None);
	}

	#[benchmark]
	fn grant() {
		let c = cast::<T>();
		// Overflow beyond the cap posts a second entry.
		let policy = LedgerPolicy { storage_cap: Some(650), ..Default::default() };
		TimeLedger::<T>::set_policy(RawOrigin::Signed(c.admin.clone()).into(), c.home, policy)
			.expect("admin sets policy");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.giver, 100, H256::zero());
	}

	#[benchmark]
	fn gift() {
		let c = cast::<T>();
		cap_the_receiver::<T>(&c);
		#[extrinsic_call]
		_(RawOrigin::Signed(c.giver), c.receiver.clone(), 60);
		assert_eq!(TimeLedger::<T>::member_balance(&c.receiver, BalanceClass::Spendable), 30);
		assert_four_entries::<T>(c.home, c.away);
	}

	#[benchmark]
	fn donate() {
		let c = cast::<T>();
		cap_the_receiver::<T>(&c);
		let target = TransferTarget::DonationToMember {
			to: c.receiver.clone(),
			class: BalanceClass::Spendable,
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(c.giver), target, 60);
		assert_four_entries::<T>(c.home, c.away);
	}

	#[benchmark]
	fn propose_transfer() {
		let c = cast::<T>();
		let proxy = family_proxy::<T>(&c);
		// One below the proxy's cap: the check reads a non-zero count.
		for _ in 1..T::MaxProposalsPerProxy::get() {
			TimeLedger::<T>::propose_transfer(
				RawOrigin::Signed(proxy.clone()).into(),
				c.giver.clone(),
				TransferTarget::Gift { to: c.receiver.clone() },
				60,
			)
			.expect("proxy proposes");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(proxy), c.giver, TransferTarget::Gift { to: c.receiver }, 60);
	}

	#[benchmark]
	fn approve_transfer() {
		let c = cast::<T>();
		cap_the_receiver::<T>(&c);
		let proxy = family_proxy::<T>(&c);
		TimeLedger::<T>::propose_transfer(
			RawOrigin::Signed(proxy).into(),
			c.giver.clone(),
			TransferTarget::Gift { to: c.receiver.clone() },
			60,
		)
		.expect("proxy proposes");
		let proposal = NextProposalId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), proposal);
		assert_four_entries::<T>(c.home, c.away);
	}

	#[benchmark]
	fn cancel_transfer() {
		let c = cast::<T>();
		let proxy = family_proxy::<T>(&c);
		TimeLedger::<T>::propose_transfer(
			RawOrigin::Signed(proxy.clone()).into(),
			c.giver.clone(),
			TransferTarget::Gift { to: c.receiver },
			60,
		)
		.expect("proxy proposes");
		let proposal = NextProposalId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(proxy), proposal);
	}

	/// The dearest reversal the call posts itself: within the branch, a gift whose overflow went
	/// to the donation-only class (two entries), after reading every entry to find the branches
	/// of the accounts it debits. A reversal that takes credits back from another branch only
	/// waits for that branch's reviewers here (cheaper); its entries are posted by the deciding
	/// vote (`audits.vote`).
	#[benchmark]
	fn reverse() {
		let c = cast::<T>();
		let relative: T::AccountId = account("relative", 0, 0);
		T::BenchmarkHelper::member(&relative, c.home);
		T::BenchmarkHelper::relatives(&c.giver, &relative);
		let policy = LedgerPolicy { storage_cap: Some(30), ..Default::default() };
		TimeLedger::<T>::set_policy(RawOrigin::Signed(c.admin.clone()).into(), c.home, policy)
			.expect("admin caps the home branch");
		TimeLedger::<T>::gift(RawOrigin::Signed(c.giver.clone()).into(), relative, 60)
			.expect("gifts within the branch, with overflow");
		let operation = NextOperationId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), operation, ReversalReason::EnteredInError, H256::zero());
		assert!(Operations::<T>::get(operation).is_some_and(|o| o.reversed_by.is_some()));
	}

	#[benchmark]
	fn set_time_will() {
		let c = cast::<T>();
		let heirs: Vec<_> = (0..T::MaxBeneficiaries::get())
			.map(|i| (account::<T::AccountId>("heir", i, 0), Percent::from_percent(1)))
			.collect();
		let will: BoundedVec<_, T::MaxBeneficiaries> =
			heirs.try_into().expect("exactly the maximum");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.giver), will);
	}

	#[benchmark]
	fn leave() {
		let c = cast::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.giver), ExitChoice::GiftTo(c.receiver));
	}

	#[benchmark]
	fn open_estate() {
		let c = cast::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), c.giver, H256::zero());
	}

	#[benchmark]
	fn approve_estate(b: Linear<0, { T::MaxBeneficiaries::get() }>) {
		let c = cast::<T>();
		let heirs: Vec<_> = (0..b)
			.map(|i| {
				let heir = account::<T::AccountId>("heir", i, 0);
				T::BenchmarkHelper::member(&heir, c.home + 1);
				(heir, Percent::from_percent(10))
			})
			.collect();
		let will: BoundedVec<_, T::MaxBeneficiaries> = heirs.try_into().expect("within bound");
		TimeLedger::<T>::set_time_will(RawOrigin::Signed(c.giver.clone()).into(), will)
			.expect("member sets will");
		TimeLedger::<T>::open_estate(
			RawOrigin::Signed(c.staff).into(),
			c.giver.clone(),
			H256::zero(),
		)
		.expect("staff opens");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.admin), c.giver);
	}

	#[benchmark]
	fn cancel_estate() {
		let c = cast::<T>();
		TimeLedger::<T>::open_estate(
			RawOrigin::Signed(c.staff.clone()).into(),
			c.giver.clone(),
			H256::zero(),
		)
		.expect("staff opens");
		#[extrinsic_call]
		_(RawOrigin::Signed(c.staff), c.giver);
	}

	impl_benchmark_test_suite!(TimeLedger, mock::new_test_ext(), mock::Test);
}
