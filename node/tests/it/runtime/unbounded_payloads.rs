//! Fee-free calls must not carry large payloads: a member pays nothing for them, so their size is
//! bounded by their signature, never by a check inside the call (C1).

use super::{
	call_types::{CallTypes, CallVariant},
	harness::Harness,
	raw,
	setup::{account, pair},
};
use codec::DecodeLimit;
use polkadot_sdk::frame_support::{traits::Contains, MAX_EXTRINSIC_DEPTH};
use timebank_runtime::{
	configs::{MemberOnlyCalls, MembershipApplication},
	UncheckedExtrinsic,
};

/// The largest encoding any fee-free call's arguments may have (issue 15: "a small constant").
const MAX_FEE_FREE_ARGS: usize = 1024;

/// A `uri` just under the normal class's share of the block length (75 % of 5 MiB = 3,932,160
/// bytes), as in the review's attack.
const HOSTILE_URI_LEN: usize = 3_930_000;

fn create_course(types: &CallTypes) -> CallVariant {
	types
		.calls()
		.into_iter()
		.find(|c| c.pallet == "Training" && c.name == "create_course")
		.expect("the runtime has Training.create_course")
}

/// `Training.create_course` for branch 0 with a `uri` of `uri_len` bytes; the other arguments are
/// zero. Built from the call's metadata, so it is the same bytes whether `uri` is a `Vec` or a
/// `BoundedVec` (their encodings are equal).
fn create_course_bytes(types: &CallTypes, uri_len: usize) -> Vec<u8> {
	let call = create_course(types);
	let uri =
		call.args.iter().position(|(name, ..)| name == "uri").expect("create_course has a uri");
	types.call_with_long_argument(&call, uri, uri_len).expect("create_course encodes")
}

// C1: `training.create_course` took `uri: Vec<u8>` and is fee-free for any active member: a
// 3.9 MB `uri` passed validation (no fee, one quota unit) and was included with a dispatch error,
// so one member filled blocks for free. Fixed when `uri` is bounded in the call's signature: the
// extrinsic no longer decodes, so the pool refuses it before any other check.
#[test]
fn c1_a_fee_free_call_cannot_carry_megabytes() {
	let types = CallTypes::new();
	let mut chain = Harness::dev();
	let member = pair("C1Member");
	chain.register_member(&pair("Alice"), &account(&member), 0);
	chain.finish_block();

	let nonce = chain.nonce(&account(&member));
	let bytes =
		raw::signed_bytes(&chain, &member, nonce, &create_course_bytes(&types, HOSTILE_URI_LEN));
	let decoded = <UncheckedExtrinsic as DecodeLimit>::decode_all_with_depth_limit(
		MAX_EXTRINSIC_DEPTH,
		&mut &bytes[..],
	);
	assert!(bytes.len() > HOSTILE_URI_LEN, "the extrinsic carries the whole uri");
	let Ok(xt) = decoded else {
		// The fixed behaviour: the oversized call does not decode, so it never enters a pool.
		return;
	};
	let validity = chain.validate(&xt);
	let applied = chain.apply(&xt);
	let size = chain.open_block_stats().size;
	let fee = chain.last_fee();
	panic!(
		"C1: a {}-byte fee-free create_course from an active non-officer member decodes; \
		 validate: {validity:?}; apply: {applied:?}; block size now {size} bytes; fee paid {fee}",
		bytes.len()
	);
}

// C1, generalised (issue 15: "every fee-free call has bounded arguments in its signature"): every
// call the member quota treats as fee-free (members-only calls and the membership application)
// has arguments whose largest decodable encoding is below 1 KiB. Sequences are probed through
// the runtime's own decoding, so `BoundedVec` bounds count and a plain `Vec` is caught.
#[test]
fn every_fee_free_call_has_arguments_below_one_kib() {
	let types = CallTypes::new();
	let mut failures = Vec::new();
	let mut checked = Vec::new();
	for call in types.calls() {
		let Some(decoded) = types.minimal_call(&call) else {
			// An argument type without values (Grandpa's uninhabited key-owner proof): no
			// encoding of the call decodes, so nobody can submit it.
			println!("{call}: cannot be submitted (no value of its arguments decodes)");
			continue;
		};
		if !MemberOnlyCalls::contains(&decoded) && !MembershipApplication::contains(&decoded) {
			continue;
		}
		match types.max_args_len(&call) {
			Ok(len) if len < MAX_FEE_FREE_ARGS => checked.push(format!("{call}: {len} bytes")),
			Ok(len) => failures.push(format!("{call}: arguments up to {len} bytes")),
			Err(unbounded) => failures.push(unbounded.0),
		}
	}
	println!("fee-free calls within {MAX_FEE_FREE_ARGS} bytes:\n  {}", checked.join("\n  "));
	assert!(checked.len() + failures.len() > 40, "the fee-free calls were found");
	assert!(
		failures.is_empty(),
		"C1: fee-free calls whose arguments can exceed {MAX_FEE_FREE_ARGS} bytes:\n  {}",
		failures.join("\n  ")
	);
}
