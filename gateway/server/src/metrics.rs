//! What `/metrics` shows (Prometheus text format): the outbox's transitions, the watcher's and
//! indexer's progress, and whether the node answers. Labels are state names only: never an
//! account, a call argument or anything a member typed.

use prometheus::{Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry};

/// The gateway's metrics.
#[derive(Clone)]
pub struct Metrics {
	registry: Registry,
	/// Operations that entered each state.
	pub transitions: IntCounterVec,
	/// The last finalised block the outbox's watcher has read.
	pub watcher_block: IntGauge,
	/// The last block the indexer has written.
	pub indexed_block: IntGauge,
	/// The node's latest finalised block, as last seen.
	pub finalized_block: IntGauge,
	/// 1 while the node answers, 0 while the gateway waits for it.
	pub node_up: IntGauge,
	/// How long each of the pipeline's steps took, reads, node calls and commit together.
	pub step_seconds: HistogramVec,
	/// How long each pass of the pipeline over the open operations took.
	pub pass_seconds: Histogram,
}

impl Metrics {
	/// A fresh set, registered.
	pub fn new() -> Self {
		let registry = Registry::new_custom(Some("timebank_gateway".into()), None)
			.expect("a constant, valid prefix");
		let transitions = IntCounterVec::new(
			Opts::new("operation_transitions_total", "Operations that entered each state"),
			&["state"],
		)
		.expect("a constant, valid metric");
		let watcher_block =
			IntGauge::new("watcher_block", "Last finalised block the outbox has read")
				.expect("a constant, valid metric");
		let indexed_block = IntGauge::new("indexed_block", "Last finalised block in the index")
			.expect("a constant, valid metric");
		let finalized_block = IntGauge::new("finalized_block", "The node's finalised block")
			.expect("a constant, valid metric");
		let node_up =
			IntGauge::new("node_up", "1 while the node answers").expect("a constant, valid metric");
		// From half a millisecond to about 16 seconds.
		let buckets = || prometheus::exponential_buckets(0.0005, 2.0, 16).unwrap_or_default();
		let step_seconds = HistogramVec::new(
			HistogramOpts::new("outbox_step_seconds", "Time each pipeline step took")
				.buckets(buckets()),
			&["step"],
		)
		.expect("a constant, valid metric");
		let pass_seconds = Histogram::with_opts(
			HistogramOpts::new("outbox_pass_seconds", "Time each pipeline pass took")
				.buckets(buckets()),
		)
		.expect("a constant, valid metric");
		for metric in [
			Box::new(transitions.clone()) as Box<dyn prometheus::core::Collector>,
			Box::new(watcher_block.clone()),
			Box::new(indexed_block.clone()),
			Box::new(finalized_block.clone()),
			Box::new(node_up.clone()),
			Box::new(step_seconds.clone()),
			Box::new(pass_seconds.clone()),
		] {
			registry.register(metric).expect("each metric is registered once");
		}
		Self {
			registry,
			transitions,
			watcher_block,
			indexed_block,
			finalized_block,
			node_up,
			step_seconds,
			pass_seconds,
		}
	}

	/// Count an operation entering `state`.
	pub fn entered(&self, state: crate::outbox::State) {
		self.transitions.with_label_values(&[state.as_str()]).inc();
	}

	/// The text exposition.
	pub fn render(&self) -> String {
		// Encoding our own registry's families as text cannot fail; an empty page if it did.
		prometheus::TextEncoder::new().encode_to_string(&self.registry.gather()).unwrap_or_default()
	}
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}
