//! The Time Bank Chain node: the binary every branch institution runs to author, finalise and serve the shared ledger.

// `sc_cli::Error` and `sc_service::Error` are large enums defined upstream; boxing them at every
// call site would only add noise to code that runs once per process start.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> std::process::ExitCode {
	match command::run() {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			// Display, not Debug: operators read this line, so it must be a sentence.
			eprintln!("Error: {error}");
			std::process::ExitCode::FAILURE
		}
	}
}
