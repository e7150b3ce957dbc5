//! Benchmark of the council's upgrade authorisation.

use super::*;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_support::traits::EnsureOrigin};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hash::default();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, code_hash);
		Ok(())
	}
}
