//! What the indexer keeps from events: each event it projects becomes statements on its tables,
//! decoded with the generated event types. Those decode by field name, so a field added or moved
//! by a runtime upgrade still decodes; an incompatible change stops the indexer at the block
//! instead of skipping it. One file per pallet; history rows keep the account that acted then.

mod activities;
mod audits;
mod election;
mod ledger;
mod registry;
mod training;

use crate::{chain::ChainConfig, store::Statement, store::Value};

pub use activities::listing_details;

/// What one block's events do to the index.
#[derive(Clone, Debug, Default)]
pub struct Projection {
	/// The statements, in event order.
	pub statements: Vec<Statement>,
	/// Listings published in the block, whose public draft fields (category, slot, area…) the
	/// event does not carry and the indexer reads from the block's storage.
	pub published_listings: Vec<u64>,
}

/// The event being projected, with the block it is in.
pub(crate) type Event<'a> = subxt::events::Event<'a, ChainConfig>;

impl Projection {
	/// Add what `event`, in block `number`, changes; the decoding error, in words, if the event's
	/// shape is not the one this gateway was generated for.
	pub fn add(&mut self, event: &Event<'_>, number: u64) -> Result<(), String> {
		let n = Value::Int(i64::try_from(number).map_err(|e| e.to_string())?);
		match event.pallet_name() {
			"Registry" => registry::project(event, &n, &mut self.statements),
			"Activities" => {
				activities::project(event, &n, &mut self.statements, &mut self.published_listings)
			}
			"Ledger" => ledger::project(event, &n, &mut self.statements),
			"Audits" => audits::project(event, &n, &mut self.statements),
			"Training" => training::project(event, &n, &mut self.statements),
			"Election" => election::project(event, &n, &mut self.statements),
			_ => Ok(()),
		}
	}
}

/// Decode `event` as `$ty`; if it is one, push the statements `$body` makes and return.
macro_rules! on {
	($event:ident, $out:ident, $ty:ty, |$e:ident| $body:expr) => {
		if let Some(decoded) = $event.decode_fields_as::<$ty>() {
			let $e = decoded
				.map_err(|e| format!("{}.{}: {e}", $event.pallet_name(), $event.event_name()))?;
			$out.extend($body);
			return Ok(());
		}
	};
}
pub(crate) use on;

/// The name of an enum value's variant (`Deceased { .. }` → `Deceased`).
pub fn variant_name(value: &impl std::fmt::Debug) -> String {
	let text = format!("{value:?}");
	text.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default().to_owned()
}

/// A chain integer as a column value; one that does not fit a signed 64-bit column is an error,
/// never a silently wrapped number.
pub(crate) fn int(value: u64) -> Result<Value, String> {
	i64::try_from(value).map(Value::Int).map_err(|_| format!("{value} does not fit the index"))
}

/// A flag as a column value (`0` or `1`).
pub(crate) fn flag(value: bool) -> Value {
	Value::Int(i64::from(value))
}

/// A statement without a row guard.
pub(crate) fn sql(text: &'static str, params: Vec<Value>) -> Statement {
	Statement::new(text, params)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn variant_names_drop_fields() {
		#[derive(Debug)]
		#[allow(dead_code)]
		enum Status {
			Active,
			Deceased { at: u32 },
			Split(u8),
		}
		assert_eq!(variant_name(&Status::Active), "Active");
		assert_eq!(variant_name(&Status::Deceased { at: 3 }), "Deceased");
		assert_eq!(variant_name(&Status::Split(50)), "Split");
	}

	#[test]
	fn integers_that_do_not_fit_are_errors() {
		assert_eq!(int(7), Ok(Value::Int(7)));
		assert_eq!(int(u64::MAX), Err(format!("{} does not fit the index", u64::MAX)));
	}
}
