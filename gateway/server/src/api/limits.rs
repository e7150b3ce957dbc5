//! Rate limits per address and per account (governor, kept in memory: a restart forgets them,
//! which costs an attacker nothing they could not get by waiting). Sign-in has its own tighter
//! limits per address and per phone number, since each attempt costs an argon2 hash.

use super::error::{ApiError, Code};
use governor::{clock::Clock as _, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{hash::Hash, net::IpAddr, num::NonZeroU32};

/// The limiters of one gateway.
pub struct Limits {
	sign_in_by_address: DefaultKeyedRateLimiter<IpAddr>,
	sign_in_by_phone: DefaultKeyedRateLimiter<String>,
	by_account: DefaultKeyedRateLimiter<[u8; 32]>,
}

fn per_minute(n: u32) -> Quota {
	Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

fn per_second(n: u32, burst: u32) -> Quota {
	Quota::per_second(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
		.allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
	/// The limits: sign-in attempts per address a minute (a counter's shared computer or a
	/// load test may need more), 10 per phone number a minute, 20 requests a second per account
	/// with bursts of 40.
	pub fn new(sign_in_per_minute_per_address: u32) -> Self {
		Self {
			sign_in_by_address: RateLimiter::keyed(per_minute(sign_in_per_minute_per_address)),
			sign_in_by_phone: RateLimiter::keyed(per_minute(10)),
			by_account: RateLimiter::keyed(per_second(20, 40)),
		}
	}

	/// A sign-in attempt from `address` for `phone` (normalised).
	pub fn sign_in(&self, address: IpAddr, phone: &str) -> Result<(), ApiError> {
		check(&self.sign_in_by_address, &address)?;
		check(&self.sign_in_by_phone, &phone.to_owned())
	}

	/// A request of a signed-in `account`.
	pub fn account(&self, account: [u8; 32]) -> Result<(), ApiError> {
		check(&self.by_account, &account)
	}

	/// Forget keys that are back to full allowance (run now and then, so memory stays flat).
	pub fn forget_idle(&self) {
		self.sign_in_by_address.retain_recent();
		self.sign_in_by_phone.retain_recent();
		self.by_account.retain_recent();
	}
}

fn check<K: Hash + Eq + Clone>(
	limiter: &DefaultKeyedRateLimiter<K>,
	key: &K,
) -> Result<(), ApiError> {
	limiter.check_key(key).map_err(|not_until| {
		let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
		ApiError { retry_after_s: Some(wait.as_secs().max(1)), ..ApiError::new(Code::RateLimited) }
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sign_in_is_limited_per_phone_and_per_address() {
		let limits = Limits::new(3);
		let here = IpAddr::from([127, 0, 0, 1]);
		let there = IpAddr::from([10, 0, 0, 2]);
		for _ in 0..3 {
			limits.sign_in(here, "+8613800000001").expect("within the limit");
		}
		let refused = limits.sign_in(here, "+8613800000002").unwrap_err();
		assert_eq!(refused.code, Code::RateLimited);
		assert!(refused.retry_after_s.is_some_and(|s| s >= 1));
		// Another address still may.
		limits.sign_in(there, "+8613800000001").expect("another address");
		// Per phone number: 10 a minute, from any address.
		let limits = Limits::new(100);
		for _ in 0..10 {
			limits.sign_in(there, "+8613800000009").expect("within the phone's limit");
		}
		assert!(limits.sign_in(there, "+8613800000009").is_err());
		assert!(limits.sign_in(there, "+8613800000010").is_ok());
	}
}
