//! A small seeded random number generator (SplitMix64) for the hostile-input runs: the same seed
//! replays the same sequences, and the test binary needs no new dependency.

/// SplitMix64: fast, statistically good enough for test input, reproducible from its seed.
pub struct Rng(u64);

impl Rng {
	/// A generator that replays the same numbers for the same `seed`.
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number in `0..n` (`0` when `n` is `0`).
	pub fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next_u64() % n
		}
	}

	/// An index into a collection of `len` items.
	pub fn index(&mut self, len: usize) -> usize {
		self.below(len as u64) as usize
	}

	/// True with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// `len` random bytes.
	pub fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next_u64() as u8).collect()
	}

	/// One item of `items`, which must not be empty.
	pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
		&items[self.index(items.len())]
	}
}
