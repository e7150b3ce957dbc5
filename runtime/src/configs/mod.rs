//! Configuration of every pallet in the runtime, one module per concern.

mod consensus;
mod governance;
mod system;

pub use consensus::*;
pub use governance::*;
pub use system::*;
