//! F7 on the real runtime: a full batch of paper-era members (the runtime's `MaxImportBatch`)
//! with opening balances is valid, fits one block, and costs the confirming admin only the
//! minimum of their quota; the branch's window limit stops a flood.

use super::{
	harness::Harness,
	setup::{account, pair, VOLUNTEER_AND_RECIPIENT},
};
use pallet_timebank_registry::{Call as R, ImportedMember};
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::Get, BoundedVec},
	sp_core::H256,
	sp_runtime::DispatchError,
};
use timebank_primitives::{BalanceClass, Membership, OfficerRole};
use timebank_runtime::{configs::RuntimeBlockWeights, Runtime, RuntimeCall};

type Registry = pallet_timebank_registry::Pallet<Runtime>;
type Ledger = pallet_timebank_ledger::Pallet<Runtime>;
type MaxImportBatch = <Runtime as pallet_timebank_registry::Config>::MaxImportBatch;
type ImportsPerWindow = <Runtime as pallet_timebank_registry::Config>::ImportsPerWindow;

fn full_batch(
	first: u32,
) -> BoundedVec<ImportedMember<timebank_runtime::AccountId>, MaxImportBatch> {
	(first..first + <MaxImportBatch as Get<u32>>::get())
		.map(|i| ImportedMember {
			who: account(&pair(&format!("Imported{i}"))),
			identity_commitment: H256::from_low_u64_be(u64::from(i) + 1),
			roles: VOLUNTEER_AND_RECIPIENT,
			opening_balance: 60,
		})
		.collect::<Vec<_>>()
		.try_into()
		.expect("a full batch")
}

#[test]
fn f7_a_full_import_batch_fits_a_block_and_the_window_limit_holds() {
	let mut chain = Harness::dev();
	let clerk = pair("ImportClerk");
	chain.appoint(0, &account(&clerk), OfficerRole::Staff);
	let admin = pair("Alice");
	let file = H256::repeat_byte(0xf1);
	let batch_size = <MaxImportBatch as Get<u32>>::get();

	chain.must(
		&clerk,
		RuntimeCall::Registry(R::propose_import {
			branch: 0,
			members: full_batch(0),
			import_file: file,
		}),
	);
	let confirm = RuntimeCall::Registry(R::confirm_import { branch: 0 });
	let declared = confirm.get_dispatch_info().total_weight();
	let max_extrinsic = RuntimeBlockWeights::get()
		.get(polkadot_sdk::frame_support::dispatch::DispatchClass::Normal)
		.max_extrinsic
		.expect("the normal class has a limit");
	assert!(
		declared.all_lte(max_extrinsic),
		"a full batch ({declared:?}) must fit one block ({max_extrinsic:?})"
	);
	println!(
		"F7: confirming {batch_size} members declares {:.1} ms of the {:.1} ms an extrinsic may use",
		declared.ref_time() as f64 / 1e9,
		max_extrinsic.ref_time() as f64 / 1e9
	);

	let quota_before = chain.with(|| Registry::quota_remaining(&account(&admin)));
	chain.finish_block();
	chain.must(&admin, confirm.clone());
	let quota_used = quota_before - chain.with(|| Registry::quota_remaining(&account(&admin)));
	assert_eq!(quota_used, 1_000, "a confirmation counts one millisecond of the admin's quota");
	for i in [0, batch_size - 1] {
		let who = account(&pair(&format!("Imported{i}")));
		assert!(chain.with(|| Registry::is_active_member(&who)), "imported member {i} is active");
		assert_eq!(chain.with(|| Ledger::member_balance(&who, BalanceClass::Spendable)), 60);
	}
	chain.assert_invariants("after a full import");

	// The window's limit: batches up to `ImportsPerWindow`, then the next confirmation waits.
	let per_window = <ImportsPerWindow as Get<u32>>::get() / batch_size;
	for n in 1..per_window {
		chain.must(
			&clerk,
			RuntimeCall::Registry(R::propose_import {
				branch: 0,
				members: full_batch(n * batch_size),
				import_file: file,
			}),
		);
		chain.finish_block();
		chain.must(&admin, confirm.clone());
	}
	chain.must(
		&clerk,
		RuntimeCall::Registry(R::propose_import {
			branch: 0,
			members: full_batch(per_window * batch_size),
			import_file: file,
		}),
	);
	let refused = chain.submit(&admin, confirm);
	let limit = DispatchError::from(pallet_timebank_registry::Error::<Runtime>::ImportLimitReached);
	// The runtime's errors carry no message; compare the pallet and error indices.
	let same = |e: &DispatchError| match (e, &limit) {
		(DispatchError::Module(a), DispatchError::Module(b)) => {
			(a.index, a.error) == (b.index, b.error)
		}
		_ => false,
	};
	assert!(matches!(refused, Ok(Err(ref e)) if same(e)), "{refused:?}");
}
