//! What a branch publishes about itself: its profile hash, its gateway's address, and anchors
//! of its gateway's audit log (clients-plan findings F8, F9).

use crate::{pallet::*, BranchStatus, BranchView, GatewayAddress, LogAnchor};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::ensure,
	frame_system,
	sp_core::H256,
	sp_runtime::{DispatchError, DispatchResult},
};
use timebank_primitives::{BranchId, OfficerRole};

impl<T: Config> Pallet<T> {
	/// Replace `branch`'s profile hash and gateway address; `by` is the admin, `None` the
	/// council.
	pub(crate) fn do_set_branch_profile(
		branch: BranchId,
		profile_hash: H256,
		gateway: Option<GatewayAddress>,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		if let Some(address) = &gateway {
			ensure!(is_gateway_address(address), Error::<T>::InvalidGatewayAddress);
		}
		Branches::<T>::try_mutate(branch, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::UnknownBranch)?;
			ensure!(record.status != BranchStatus::Closed, Error::<T>::BranchClosed);
			record.profile_hash = profile_hash;
			Ok::<_, DispatchError>(())
		})?;
		match &gateway {
			Some(address) => BranchGateways::<T>::insert(branch, address),
			None => BranchGateways::<T>::remove(branch),
		}
		Self::deposit_event(Event::BranchProfileSet {
			branch,
			profile_hash,
			gateway: gateway.map(|g| g.into_inner()),
			by,
		});
		Ok(())
	}

	/// `by`, an officer of `branch`, records the root of its gateway's audit log after
	/// `entries` entries.
	pub(crate) fn do_anchor_log(
		by: T::AccountId,
		branch: BranchId,
		root: H256,
		entries: u64,
	) -> DispatchResult {
		Self::ensure_branch_officer(branch, &by, OfficerRole::Staff)?;
		ensure!(root != H256::zero(), Error::<T>::EmptyLogRoot);
		if let Some(last) = LogAnchors::<T>::get(branch) {
			// An append-only log only grows: fewer entries than last time means it was cut.
			ensure!(entries > last.entries, Error::<T>::LogDidNotGrow);
		} else {
			ensure!(entries > 0, Error::<T>::LogDidNotGrow);
		}
		let at = frame_system::Pallet::<T>::block_number();
		LogAnchors::<T>::insert(branch, LogAnchor { root, entries, by: by.clone(), at });
		Self::deposit_event(Event::LogAnchored { branch, root, entries, by });
		Ok(())
	}

	/// Every branch, for the `branches` view function: a chain has a few hundred.
	pub(crate) fn branch_views() -> Vec<BranchView> {
		let mut views: Vec<BranchView> = Branches::<T>::iter()
			.map(|(id, b)| BranchView {
				id,
				parent: b.parent,
				depth: b.depth,
				status: b.status,
				profile_hash: b.profile_hash,
				gateway: BranchGateways::<T>::get(id).map(|g| g.into_inner()),
				members: MemberCountsByBranch::<T>::get(id),
			})
			.collect();
		views.sort_by_key(|v| v.id);
		views
	}
}

/// Whether `address` looks like a gateway URL: `https://` or `http://` then at least one
/// printable, non-space ASCII character (clients open it; anything else is a typo or worse).
fn is_gateway_address(address: &[u8]) -> bool {
	let rest = address
		.strip_prefix(b"https://".as_slice())
		.or_else(|| address.strip_prefix(b"http://".as_slice()));
	rest.is_some_and(|rest| !rest.is_empty() && rest.iter().all(|c| c.is_ascii_graphic()))
}

#[cfg(test)]
mod tests {
	use super::is_gateway_address;

	#[test]
	fn gateway_addresses_are_http_urls_without_spaces() {
		assert!(is_gateway_address(b"https://tb.example.org"));
		assert!(is_gateway_address(b"http://127.0.0.1:8080/api"));
		assert!(!is_gateway_address(b"https://"));
		assert!(!is_gateway_address(b"ftp://tb.example.org"));
		assert!(!is_gateway_address(b"https://tb example.org"));
		assert!(!is_gateway_address("https://时间银行.cn".as_bytes()));
		assert!(!is_gateway_address(b""));
	}
}
