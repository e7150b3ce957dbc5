//! The values statements take and rows give back, the same for both engines.

use super::StoreError;

/// A parameter or a column value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
	/// SQL `NULL`.
	Null,
	/// A 64-bit integer.
	Int(i64),
	/// Bytes (`BLOB` / `BYTEA`).
	Bytes(Vec<u8>),
	/// Text.
	Text(String),
}

impl Value {
	fn kind(&self) -> &'static str {
		match self {
			Self::Null => "NULL",
			Self::Int(_) => "an integer",
			Self::Bytes(_) => "bytes",
			Self::Text(_) => "text",
		}
	}
}

impl From<i64> for Value {
	fn from(v: i64) -> Self {
		Self::Int(v)
	}
}
impl From<u32> for Value {
	fn from(v: u32) -> Self {
		Self::Int(i64::from(v))
	}
}
impl From<timebank_custody::KekId> for Value {
	fn from(v: timebank_custody::KekId) -> Self {
		Self::Int(i64::from(v.0))
	}
}
impl From<Vec<u8>> for Value {
	fn from(v: Vec<u8>) -> Self {
		Self::Bytes(v)
	}
}
impl From<&[u8]> for Value {
	fn from(v: &[u8]) -> Self {
		Self::Bytes(v.to_vec())
	}
}
impl From<[u8; 32]> for Value {
	fn from(v: [u8; 32]) -> Self {
		Self::Bytes(v.to_vec())
	}
}
impl From<String> for Value {
	fn from(v: String) -> Self {
		Self::Text(v)
	}
}
impl From<&str> for Value {
	fn from(v: &str) -> Self {
		Self::Text(v.to_owned())
	}
}
impl<T: Into<Value>> From<Option<T>> for Value {
	fn from(v: Option<T>) -> Self {
		v.map_or(Self::Null, Into::into)
	}
}

/// A result row: its columns in `SELECT` order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
	pub(super) database: &'static str,
	pub(super) values: Vec<Value>,
}

impl Row {
	fn at(&self, column: usize) -> &Value {
		self.values.get(column).unwrap_or(&Value::Null)
	}

	fn wrong(&self, column: usize, expected: &'static str) -> StoreError {
		StoreError::WrongType {
			database: self.database,
			column,
			expected,
			found: self.at(column).kind(),
		}
	}

	/// An integer column that may be `NULL`.
	pub fn opt_int(&self, column: usize) -> Result<Option<i64>, StoreError> {
		match self.at(column) {
			Value::Null => Ok(None),
			Value::Int(v) => Ok(Some(*v)),
			_ => Err(self.wrong(column, "an integer")),
		}
	}

	/// A non-negative integer column that may be `NULL`; a negative value reads as `NULL` (ids,
	/// blocks and times the index stores are never negative).
	pub fn opt_uint(&self, column: usize) -> Result<Option<u64>, StoreError> {
		Ok(self.opt_int(column)?.and_then(|v| u64::try_from(v).ok()))
	}

	/// A non-negative integer column (an id, a block, an amount the index keeps unsigned).
	pub fn uint(&self, column: usize) -> Result<u64, StoreError> {
		u64::try_from(self.int(column)?).map_err(|_| self.wrong(column, "a non-negative integer"))
	}

	/// An integer column.
	pub fn int(&self, column: usize) -> Result<i64, StoreError> {
		self.opt_int(column)?.ok_or_else(|| self.wrong(column, "an integer"))
	}

	/// A bytes column that may be `NULL`.
	pub fn opt_bytes(&self, column: usize) -> Result<Option<Vec<u8>>, StoreError> {
		match self.at(column) {
			Value::Null => Ok(None),
			Value::Bytes(v) => Ok(Some(v.clone())),
			_ => Err(self.wrong(column, "bytes")),
		}
	}

	/// A bytes column.
	pub fn bytes(&self, column: usize) -> Result<Vec<u8>, StoreError> {
		self.opt_bytes(column)?.ok_or_else(|| self.wrong(column, "bytes"))
	}

	/// A 32-byte column (accounts, hashes).
	pub fn bytes32(&self, column: usize) -> Result<[u8; 32], StoreError> {
		self.bytes(column)?.try_into().map_err(|_| self.wrong(column, "32 bytes"))
	}

	/// A text column that may be `NULL`.
	pub fn opt_text(&self, column: usize) -> Result<Option<String>, StoreError> {
		match self.at(column) {
			Value::Null => Ok(None),
			Value::Text(v) => Ok(Some(v.clone())),
			_ => Err(self.wrong(column, "text")),
		}
	}

	/// A text column.
	pub fn text(&self, column: usize) -> Result<String, StoreError> {
		self.opt_text(column)?.ok_or_else(|| self.wrong(column, "text"))
	}
}
