//! The client side of the Time Bank Chain that the load generator (`timebank-loadgen`) and the
//! node's integration tests share, so that each is written once: a JSON-RPC client over a
//! kept-alive HTTP/1.1 connection, hex as sp-core writes it, the numbers in block headers, and
//! the keys of the `frame_system` storage items a client reads.
//!
//! The load generator itself is the binary beside this library (`main.rs` and its modules).

pub mod rpc;
pub mod system_storage;
