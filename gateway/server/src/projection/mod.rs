//! What the indexer keeps from events: each event it projects becomes statements on its tables,
//! decoded into the generated event types: as plain SCALE where the pallet's event type in the
//! block's runtime is the one those types were generated from, field by field, by name where it is
//! not, so a field added or moved by a runtime upgrade still decodes ([`Decoding`]); an
//! incompatible change stops the indexer at the block instead of skipping it. One file per pallet; history rows keep the
//! account that acted then.

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

/// How an event is decoded: its pallet's event type in the runtime that executed the block
/// decides (`chain/blocks.rs`, `pallets_with_generated_events`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoding {
	/// The pallet's event type is the one `timebank-chain-api` was generated from (the metadata's
	/// type hashes agree): the event has exactly the generated type's layout, so plain SCALE
	/// decoding reads it, without looking up each field's type in the metadata.
	Generated,
	/// Another event type (a pallet an upgrade changed, before or after it): the event is decoded
	/// field by field, matched by name, with its runtime's metadata.
	ByFieldName,
}

/// The event being projected, and how it decodes.
pub(crate) struct Event<'a> {
	event: &'a subxt::events::Event<'a, ChainConfig>,
	decoding: Decoding,
}

impl Event<'_> {
	pub(crate) fn pallet_name(&self) -> &str {
		self.event.pallet_name()
	}

	pub(crate) fn event_name(&self) -> &str {
		self.event.event_name()
	}

	/// The event as `E`, if it is one; the decoding error, in words, if its fields do not fit.
	pub(crate) fn decode<E>(&self) -> Option<Result<E, String>>
	where
		E: subxt::events::DecodeAsEvent + subxt::ext::codec::Decode,
	{
		if !E::is_event(self.pallet_name(), self.event_name()) {
			return None;
		}
		let decoded = match self.decoding {
			Decoding::Generated => {
				<E as subxt::ext::codec::DecodeAll>::decode_all(&mut self.event.field_bytes())
					.map_err(|e| e.to_string())
			}
			Decoding::ByFieldName => {
				self.event.decode_fields_unchecked_as::<E>().map_err(|e| e.to_string())
			}
		};
		Some(decoded.map_err(|e| format!("{}.{}: {e}", self.pallet_name(), self.event_name())))
	}
}

impl Projection {
	/// Add what `event`, in block `number`, changes; the decoding error, in words, if the event's
	/// shape is not the one this gateway was generated for.
	pub fn add(
		&mut self,
		event: &subxt::events::Event<'_, ChainConfig>,
		decoding: Decoding,
		number: u64,
	) -> Result<(), String> {
		let event = &Event { event, decoding };
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
		if let Some(decoded) = $event.decode::<$ty>() {
			let $e = decoded?;
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
