//! The runtime's calls as its metadata describes them (scale-info of `RuntimeCall`): every
//! (pallet, call) variant with its argument types, encoders that build a call's bytes from that
//! description (smallest values, probes of one sequence's length, or random values), and the
//! largest encoding each call's arguments can have.
//!
//! A sequence's bound is not in the metadata (`BoundedVec` hides its bound), so it is found the way
//! a hostile client would: encode the call with that sequence ever longer until the runtime's own
//! `RuntimeCall` decoding refuses it. A sequence that still decodes at 4 MiB is unbounded.

use super::rng::Rng;
use codec::{Compact, DecodeAll, Encode};
// The umbrella crate exposes scale-info only through FRAME's re-export; using it adds no
// dependency to the lock file.
use polkadot_sdk::frame_support::__private::scale_info::{
	form::PortableForm, MetaType, PortableRegistry, Registry, Type, TypeDef, TypeDefPrimitive,
	Variant,
};
use timebank_runtime::{AccountId, RuntimeCall};

/// Deeper than any argument type of this runtime's calls; a nested call (`propose`, `sudo`) stops
/// here.
const MAX_DEPTH: usize = 24;
/// A sequence that still decodes at this many bytes is unbounded for any practical purpose: it is
/// larger than a whole block.
const UNBOUNDED_BYTES: usize = 4 * 1024 * 1024;

/// One step from a call's arguments down to a value inside them.
#[derive(Clone, Debug, PartialEq)]
enum Step {
	Field(usize),
	Variant(u8),
	Elem,
}

/// One dispatchable call of the runtime.
#[derive(Clone, Debug)]
pub struct CallVariant {
	/// Pallet name in the runtime (`Training`).
	pub pallet: String,
	/// Pallet index, the first byte of an encoded call.
	pub pallet_index: u8,
	/// Call name (`create_course`).
	pub name: String,
	/// Call index, the second byte.
	pub index: u8,
	/// Argument names, type ids and Rust type names.
	pub args: Vec<(String, u32, String)>,
}

impl std::fmt::Display for CallVariant {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		write!(f, "{}.{}", self.pallet, self.name)
	}
}

/// The type registry of `RuntimeCall`.
pub struct CallTypes {
	registry: PortableRegistry,
	call: u32,
}

/// Picks what an encoder writes wherever the type allows a choice.
trait Chooser {
	/// Index into `variants` of the enum (type `id`) reached at `at`; `None` if it has none.
	fn variant(
		&mut self,
		id: u32,
		at: &[Step],
		variants: &[Variant<PortableForm>],
	) -> Option<usize>;
	/// Length of the sequence reached at `at`.
	fn seq_len(&mut self, at: &[Step]) -> usize;
	/// Whether a sequence's elements may be encoded once and repeated.
	fn uniform(&self) -> bool;
	/// Writes a primitive value.
	fn primitive(&mut self, primitive: &TypeDefPrimitive, out: &mut Vec<u8>);
	/// Writes a compact integer.
	fn compact(&mut self, out: &mut Vec<u8>);
	/// Writes a whole value of a type it knows better than its structure (an account); `false`
	/// to let the encoder walk the type.
	fn special(&mut self, _ty: &Type<PortableForm>, _out: &mut Vec<u8>) -> bool {
		false
	}
}

fn primitive_size(primitive: &TypeDefPrimitive) -> Option<usize> {
	use TypeDefPrimitive::*;
	match primitive {
		Bool | U8 | I8 => Some(1),
		U16 | I16 => Some(2),
		U32 | I32 | Char => Some(4),
		U64 | I64 => Some(8),
		U128 | I128 => Some(16),
		U256 | I256 => Some(32),
		Str => None,
	}
}

/// The smallest value everywhere, except one sequence (the probe's site) of a given length and
/// the variants on the way to it.
struct Probe<'a> {
	site: &'a [Step],
	len: usize,
}

impl Chooser for Probe<'_> {
	fn variant(
		&mut self,
		_: u32,
		at: &[Step],
		variants: &[Variant<PortableForm>],
	) -> Option<usize> {
		match self.site.get(at.len()) {
			Some(Step::Variant(index)) if self.site.starts_with(at) => {
				variants.iter().position(|v| v.index == *index)
			}
			_ => (!variants.is_empty()).then_some(0),
		}
	}
	fn seq_len(&mut self, at: &[Step]) -> usize {
		if at == self.site {
			self.len
		} else if self.site.starts_with(at) && self.site.get(at.len()) == Some(&Step::Elem) {
			1
		} else {
			0
		}
	}
	fn uniform(&self) -> bool {
		true
	}
	fn primitive(&mut self, primitive: &TypeDefPrimitive, out: &mut Vec<u8>) {
		// An empty string for `str`, zeros otherwise (`'\0'` is a valid `char`).
		out.resize(out.len() + primitive_size(primitive).unwrap_or(1), 0);
	}
	fn compact(&mut self, out: &mut Vec<u8>) {
		out.push(0);
	}
}

impl CallTypes {
	/// The registry of `RuntimeCall` and every type it reaches.
	pub fn new() -> Self {
		let mut registry = Registry::new();
		let call = registry.register_type(&MetaType::new::<RuntimeCall>()).id;
		Self { registry: registry.into(), call }
	}

	fn ty(&self, id: u32) -> &Type<PortableForm> {
		self.registry.resolve(id).expect("the registry holds every type it refers to")
	}

	/// Every (pallet, call) variant of `RuntimeCall`.
	pub fn calls(&self) -> Vec<CallVariant> {
		let TypeDef::Variant(pallets) = &self.ty(self.call).type_def else {
			panic!("RuntimeCall is an enum");
		};
		let mut calls = Vec::new();
		for pallet in &pallets.variants {
			let TypeDef::Variant(pallet_calls) = &self.ty(pallet.fields[0].ty.id).type_def else {
				panic!("{}'s Call is an enum", pallet.name);
			};
			for call in &pallet_calls.variants {
				calls.push(CallVariant {
					pallet: pallet.name.clone(),
					pallet_index: pallet.index,
					name: call.name.clone(),
					index: call.index,
					args: call
						.fields
						.iter()
						.map(|f| {
							let name = f.name.clone().unwrap_or_default();
							(name, f.ty.id, f.type_name.clone().unwrap_or_default())
						})
						.collect(),
				});
			}
		}
		calls
	}

	fn encode_call(&self, call: &CallVariant, chooser: &mut impl Chooser) -> Option<Vec<u8>> {
		let mut out = vec![call.pallet_index, call.index];
		let mut at = Vec::new();
		for (i, (_, ty, _)) in call.args.iter().enumerate() {
			at.push(Step::Field(i));
			self.encode(*ty, &mut at, chooser, &mut out, 0)?;
			at.pop();
		}
		Some(out)
	}

	/// `call` with the smallest value of every argument.
	pub fn minimal_call(&self, call: &CallVariant) -> Option<RuntimeCall> {
		let bytes = self.encode_call(call, &mut Probe { site: &[], len: 0 })?;
		RuntimeCall::decode_all(&mut &bytes[..]).ok()
	}

	/// `call` with its `arg`-th argument (a sequence, or a wrapper of one such as `BoundedVec`)
	/// `len` elements long and every other value the smallest; `None` if that argument holds no
	/// sequence.
	pub fn call_with_long_argument(
		&self,
		call: &CallVariant,
		arg: usize,
		len: usize,
	) -> Option<Vec<u8>> {
		let mut site = vec![Step::Field(arg)];
		let mut ty = call.args.get(arg)?.1;
		loop {
			match &self.ty(ty).type_def {
				TypeDef::Sequence(_) => break,
				TypeDef::Composite(wrapper) if wrapper.fields.len() == 1 => {
					site.push(Step::Field(0));
					ty = wrapper.fields[0].ty.id;
				}
				_ => return None,
			}
		}
		self.encode_call(call, &mut Probe { site: &site, len })
	}

	fn encode(
		&self,
		id: u32,
		at: &mut Vec<Step>,
		chooser: &mut impl Chooser,
		out: &mut Vec<u8>,
		depth: usize,
	) -> Option<()> {
		if depth > MAX_DEPTH {
			return None;
		}
		let ty = self.ty(id);
		if chooser.special(ty, out) {
			return Some(());
		}
		match &ty.type_def {
			TypeDef::Composite(composite) => {
				let fields = composite.fields.iter().map(|f| f.ty.id).collect::<Vec<_>>();
				self.encode_fields(&fields, at, chooser, out, depth)
			}
			TypeDef::Tuple(tuple) => {
				let fields = tuple.fields.iter().map(|f| f.id).collect::<Vec<_>>();
				self.encode_fields(&fields, at, chooser, out, depth)
			}
			TypeDef::Variant(enumeration) => {
				let chosen =
					&enumeration.variants[chooser.variant(id, at, &enumeration.variants)?];
				out.push(chosen.index);
				at.push(Step::Variant(chosen.index));
				let fields = chosen.fields.iter().map(|f| f.ty.id).collect::<Vec<_>>();
				let done = self.encode_fields(&fields, at, chooser, out, depth);
				at.pop();
				done
			}
			TypeDef::Sequence(sequence) => {
				let len = chooser.seq_len(at);
				Compact(len as u32).encode_to(out);
				self.encode_elements(sequence.type_param.id, len, at, chooser, out, depth)
			}
			TypeDef::Array(array) => self.encode_elements(
				array.type_param.id,
				array.len as usize,
				at,
				chooser,
				out,
				depth,
			),
			TypeDef::Primitive(primitive) => {
				chooser.primitive(primitive, out);
				Some(())
			}
			TypeDef::Compact(_) => {
				chooser.compact(out);
				Some(())
			}
			TypeDef::BitSequence(_) => {
				Compact(0u32).encode_to(out);
				Some(())
			}
		}
	}

	fn encode_fields(
		&self,
		fields: &[u32],
		at: &mut Vec<Step>,
		chooser: &mut impl Chooser,
		out: &mut Vec<u8>,
		depth: usize,
	) -> Option<()> {
		for (i, field) in fields.iter().enumerate() {
			at.push(Step::Field(i));
			self.encode(*field, at, chooser, out, depth + 1)?;
			at.pop();
		}
		Some(())
	}

	fn encode_elements(
		&self,
		element: u32,
		len: usize,
		at: &mut Vec<Step>,
		chooser: &mut impl Chooser,
		out: &mut Vec<u8>,
		depth: usize,
	) -> Option<()> {
		at.push(Step::Elem);
		if chooser.uniform() && len > 0 {
			let mut one = Vec::new();
			self.encode(element, at, chooser, &mut one, depth + 1)?;
			out.reserve(one.len() * len);
			for _ in 0..len {
				out.extend_from_slice(&one);
			}
		} else {
			for _ in 0..len {
				self.encode(element, at, chooser, out, depth + 1)?;
			}
		}
		at.pop();
		Some(())
	}
}

/// Where a call's arguments can grow without bound, or why their size is unknown.
#[derive(Debug)]
pub struct Unbounded(pub String);

impl CallTypes {
	/// The largest encoding of `call`'s arguments that the runtime decodes, in bytes.
	pub fn max_args_len(&self, call: &CallVariant) -> Result<usize, Unbounded> {
		let mut total = 0;
		let mut at = Vec::new();
		for (i, (name, ty, type_name)) in call.args.iter().enumerate() {
			at.push(Step::Field(i));
			let label = format!("{call}({name}: {type_name})");
			total += self.max_len(call, *ty, &mut at, &label, 0)?;
			at.pop();
		}
		Ok(total)
	}

	fn max_len(
		&self,
		call: &CallVariant,
		id: u32,
		at: &mut Vec<Step>,
		label: &str,
		depth: usize,
	) -> Result<usize, Unbounded> {
		if depth > MAX_DEPTH {
			return Err(Unbounded(format!("{label}: nested without end (a call inside a call?)")));
		}
		let ty = self.ty(id);
		let sum = |this: &Self, fields: Vec<u32>, at: &mut Vec<Step>| {
			let mut total = 0;
			for (i, field) in fields.into_iter().enumerate() {
				at.push(Step::Field(i));
				total += this.max_len(call, field, at, label, depth + 1)?;
				at.pop();
			}
			Ok(total)
		};
		match &ty.type_def {
			TypeDef::Composite(c) => sum(self, c.fields.iter().map(|f| f.ty.id).collect(), at),
			TypeDef::Tuple(t) => sum(self, t.fields.iter().map(|f| f.id).collect(), at),
			TypeDef::Variant(v) => {
				let mut largest = 0;
				for variant in &v.variants {
					at.push(Step::Variant(variant.index));
					let size = sum(self, variant.fields.iter().map(|f| f.ty.id).collect(), at)?;
					at.pop();
					largest = largest.max(size);
				}
				Ok(1 + largest)
			}
			TypeDef::Sequence(s) => {
				let len = self.sequence_bound(call, at, label)?;
				at.push(Step::Elem);
				let element = self.max_len(call, s.type_param.id, at, label, depth + 1)?;
				at.pop();
				Ok(Compact(len as u32).encoded_size() + len * element)
			}
			TypeDef::Array(a) => {
				at.push(Step::Elem);
				let element = self.max_len(call, a.type_param.id, at, label, depth + 1)?;
				at.pop();
				Ok(a.len as usize * element)
			}
			TypeDef::Primitive(p) => {
				primitive_size(p).ok_or_else(|| Unbounded(format!("{label}: an unbounded string")))
			}
			TypeDef::Compact(c) => Ok(self.compact_max(c.type_param.id)),
			TypeDef::BitSequence(_) => {
				Err(Unbounded(format!("{label}: an unbounded bit sequence")))
			}
		}
	}

	/// Largest compact encoding of the integer type `id`.
	fn compact_max(&self, id: u32) -> usize {
		match &self.ty(id).type_def {
			TypeDef::Primitive(p) => match primitive_size(p) {
				Some(1) => 2,
				Some(2) => 4,
				Some(4) => 5,
				Some(8) => 9,
				_ => 17,
			},
			TypeDef::Composite(c) if c.fields.len() == 1 => self.compact_max(c.fields[0].ty.id),
			_ => 17,
		}
	}

	/// The most elements the runtime decodes for the sequence at `site` of `call`.
	fn sequence_bound(
		&self,
		call: &CallVariant,
		site: &[Step],
		label: &str,
	) -> Result<usize, Unbounded> {
		let encoded = |len: usize| self.encode_call(call, &mut Probe { site, len });
		let decodes = |len: usize| {
			encoded(len).is_some_and(|bytes| RuntimeCall::decode_all(&mut &bytes[..]).is_ok())
		};
		if !decodes(0) {
			return Err(Unbounded(format!("{label}: no smallest value decodes; cannot probe")));
		}
		let element_bytes = match (encoded(0), encoded(1)) {
			(Some(none), Some(one)) => one.len().saturating_sub(none.len()).max(1),
			_ => 1,
		};
		let (mut fits, mut refused) = (0, 1);
		while decodes(refused) {
			fits = refused;
			refused *= 2;
			if refused * element_bytes > UNBOUNDED_BYTES {
				return Err(Unbounded(format!(
					"{label}: a sequence still decodes with {fits} elements ({} bytes)",
					fits * element_bytes
				)));
			}
		}
		while refused - fits > 1 {
			let middle = (fits + refused) / 2;
			if decodes(middle) {
				fits = middle;
			} else {
				refused = middle;
			}
		}
		Ok(fits)
	}
}

/// Random values, biased towards the small numbers and known accounts that reach past the first
/// checks of a call.
struct RandomValues<'a> {
	rng: &'a mut Rng,
	accounts: &'a [AccountId],
	call: u32,
	/// The pallet of the outermost call.
	pallet: &'a str,
	/// Pallets that calls nested in other calls may come from.
	allowed: &'a dyn Fn(&str) -> bool,
	/// The chain's clock in milliseconds: some 64-bit numbers are times near it.
	now: u64,
}

impl RandomValues<'_> {
	fn number(&mut self, bytes: usize) -> u128 {
		if bytes == 8 && self.rng.chance(15) {
			// A time in the next three days, on the hour.
			return u128::from(self.now + self.rng.below(72) * 3_600_000);
		}
		let max = if bytes >= 16 { u128::MAX } else { (1u128 << (bytes * 8)) - 1 };
		let value = match self.rng.below(100) {
			0..=59 => self.rng.below(4) as u128,
			60..=74 => self.rng.below(100) as u128,
			75..=84 => self.rng.below(10_000) as u128,
			85..=92 => max - self.rng.below(2) as u128,
			_ => (u128::from(self.rng.next_u64()) << 64) | u128::from(self.rng.next_u64()),
		};
		value & max
	}
}

impl Chooser for RandomValues<'_> {
	fn variant(
		&mut self,
		id: u32,
		at: &[Step],
		variants: &[Variant<PortableForm>],
	) -> Option<usize> {
		if id == self.call && at.is_empty() {
			return variants.iter().position(|v| v.name == self.pallet);
		}
		if id == self.call {
			let allowed = (0..variants.len())
				.filter(|&i| (self.allowed)(&variants[i].name))
				.collect::<Vec<_>>();
			return (!allowed.is_empty()).then(|| *self.rng.pick(&allowed));
		}
		(!variants.is_empty()).then(|| self.rng.index(variants.len()))
	}
	fn seq_len(&mut self, _: &[Step]) -> usize {
		match self.rng.below(100) {
			0..=69 => self.rng.index(4),
			70..=94 => self.rng.index(17),
			_ => self.rng.index(300),
		}
	}
	fn uniform(&self) -> bool {
		false
	}
	fn primitive(&mut self, primitive: &TypeDefPrimitive, out: &mut Vec<u8>) {
		match primitive {
			TypeDefPrimitive::Bool => out.push(self.rng.below(2) as u8),
			TypeDefPrimitive::Char => u32::from('a').encode_to(out),
			TypeDefPrimitive::Str => "hostile".encode_to(out),
			TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => out.extend(self.rng.bytes(32)),
			other => {
				let bytes = primitive_size(other).unwrap_or(1);
				out.extend_from_slice(&self.number(bytes).to_le_bytes()[..bytes]);
			}
		}
	}
	fn compact(&mut self, out: &mut Vec<u8>) {
		Compact(self.number(8) as u64).encode_to(out);
	}
	fn special(&mut self, ty: &Type<PortableForm>, out: &mut Vec<u8>) -> bool {
		match ty.path.segments.last().map(String::as_str) {
			Some("AccountId32") if self.rng.chance(90) => {
				self.rng.pick(self.accounts).encode_to(out);
				true
			}
			Some("H256") => {
				match self.rng.below(10) {
					0..=3 => out.extend([0u8; 32]),
					4..=6 => out.extend([self.rng.below(3) as u8 + 1; 32]),
					_ => out.extend(self.rng.bytes(32)),
				}
				true
			}
			_ => false,
		}
	}
}

impl CallTypes {
	/// A random call of `pallet` (calls nested in it come from pallets that `allowed` accepts),
	/// with arguments biased towards `accounts`, small ids and times after `now`; `None` when no
	/// decodable call came out of a few tries.
	pub fn random_call(
		&self,
		rng: &mut Rng,
		accounts: &[AccountId],
		pallet: &str,
		allowed: &dyn Fn(&str) -> bool,
		now: u64,
	) -> Option<RuntimeCall> {
		for _ in 0..50 {
			let mut chooser = RandomValues { rng, accounts, call: self.call, pallet, allowed, now };
			let mut out = Vec::new();
			if self.encode(self.call, &mut Vec::new(), &mut chooser, &mut out, 0).is_none() {
				continue;
			}
			if let Ok(call) = RuntimeCall::decode_all(&mut &out[..]) {
				return Some(call);
			}
		}
		None
	}
}
