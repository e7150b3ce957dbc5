//! The gateway's integration tests: real node, real SQLite files, real PostgreSQL server.

mod api;
mod api_family;
mod api_fuzz;
mod api_matrix;
mod api_service;
mod common;
mod crash;
mod journey;
mod keys;
mod pool;
mod service;
mod store;
mod upgrade;
