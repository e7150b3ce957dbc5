//! Configuration of every pallet in the runtime, one module per concern.

mod consensus;
mod governance;
mod system;
mod timebank;

pub use consensus::*;
pub use governance::*;
pub use system::*;
pub use timebank::*;
