//! The one way the gateway's background loops (outbox pipeline, watcher, indexer) wait after a
//! failure: a pause that grows with each failure in a row (up to 20 steps), a logged warning
//! with the next retry, and a fresh connection to the node when the node was unreachable (a
//! restarted node closes the old one, and the client does not reopen it by itself).

use crate::chain::Chain;
use std::time::Duration;

/// Failures in a row of one loop.
pub(crate) struct Backoff {
	what: &'static str,
	step: Duration,
	failures: u32,
}

impl Backoff {
	/// A loop named `what` (for the log), pausing `step` longer after each failure in a row.
	pub(crate) fn new(what: &'static str, step: Duration) -> Self {
		Self { what, step, failures: 0 }
	}

	/// The loop's step worked: the next failure pauses one step again.
	pub(crate) fn succeeded(&mut self) {
		self.failures = 0;
	}

	/// The loop's step failed with `error`: log it, pause, and reconnect to the node when
	/// `unreachable` says the node did not answer.
	pub(crate) async fn failed(
		&mut self,
		error: &(dyn std::fmt::Display + Sync),
		unreachable: bool,
		chain: &Chain,
	) {
		self.failures = self.failures.saturating_add(1);
		let wait = self.step * self.failures.min(20);
		tracing::warn!(error = %error, retry_in_ms = wait.as_millis() as u64, "{} waiting", self.what);
		tokio::time::sleep(wait).await;
		if unreachable {
			// Another failure here shows up at the next step.
			let _ = chain.reconnect().await;
		}
	}
}
