//! PostgreSQL: one connection per logical database, whose `search_path` is that database's own
//! schema, so a statement can only touch its own tables. No TLS: the server is reached over a
//! Unix socket or loopback (docs/OPERATORS.md).

use super::{Row, Statement, StoreError, Value};
use tokio_postgres::{
	types::{to_sql_checked, IsNull, ToSql, Type},
	Client, NoTls,
};

pub(super) struct PgDb {
	client: tokio::sync::Mutex<Client>,
	name: &'static str,
}

impl ToSql for Value {
	fn to_sql(
		&self,
		ty: &Type,
		out: &mut bytes::BytesMut,
	) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
		match self {
			Self::Null => Ok(IsNull::Yes),
			Self::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
			Self::Int(v) if *ty == Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
			Self::Int(v) => v.to_sql(ty, out),
			Self::Bytes(v) => v.to_sql(ty, out),
			Self::Text(v) => v.to_sql(ty, out),
		}
	}

	fn accepts(_ty: &Type) -> bool {
		// Checked per value in `to_sql`, which refuses a kind the column cannot take.
		true
	}

	to_sql_checked!();
}

fn column(row: &tokio_postgres::Row, i: usize) -> Result<Value, tokio_postgres::Error> {
	let ty = row.columns()[i].type_().clone();
	Ok(if ty == Type::INT8 {
		row.try_get::<_, Option<i64>>(i)?.map_or(Value::Null, Value::Int)
	} else if ty == Type::INT4 {
		row.try_get::<_, Option<i32>>(i)?.map_or(Value::Null, |v| Value::Int(v.into()))
	} else if ty == Type::INT2 {
		row.try_get::<_, Option<i16>>(i)?.map_or(Value::Null, |v| Value::Int(v.into()))
	} else if ty == Type::BOOL {
		row.try_get::<_, Option<bool>>(i)?.map_or(Value::Null, |v| Value::Int(v.into()))
	} else if ty == Type::BYTEA {
		row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Value::Null, Value::Bytes)
	} else {
		row.try_get::<_, Option<String>>(i)?.map_or(Value::Null, Value::Text)
	})
}

fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
	values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl PgDb {
	pub(super) async fn connect(conn: &str, name: &'static str) -> Result<Self, StoreError> {
		let err = |e: tokio_postgres::Error| StoreError::Postgres {
			database: name,
			reason: e.to_string(),
		};
		let (client, connection) = tokio_postgres::connect(conn, NoTls).await.map_err(err)?;
		tokio::spawn(async move {
			if let Err(e) = connection.await {
				tracing::error!(database = name, error = %e, "PostgreSQL connection ended");
			}
		});
		// The schema name is one of three constants, never input.
		client
			.batch_execute(&format!(
				"CREATE SCHEMA IF NOT EXISTS \"{name}\"; SET search_path TO \"{name}\";"
			))
			.await
			.map_err(err)?;
		Ok(Self { client: tokio::sync::Mutex::new(client), name })
	}

	fn err(&self) -> impl Fn(tokio_postgres::Error) -> StoreError + '_ {
		move |e| StoreError::Postgres { database: self.name, reason: e.to_string() }
	}

	pub(super) async fn transaction(
		&self,
		statements: Vec<Statement>,
	) -> Result<Vec<u64>, StoreError> {
		let mut client = self.client.lock().await;
		let tx = client.transaction().await.map_err(self.err())?;
		let mut changed = Vec::with_capacity(statements.len());
		for statement in statements {
			let rows =
				tx.execute(statement.sql, &params(&statement.params)).await.map_err(self.err())?;
			if statement.expect_rows.is_some_and(|expected| expected != rows) {
				// Dropping `tx` rolls back.
				return Err(StoreError::Conflict { database: self.name, what: statement.what });
			}
			changed.push(rows);
		}
		tx.commit().await.map_err(self.err())?;
		Ok(changed)
	}

	pub(super) async fn query(
		&self,
		sql: &'static str,
		values: Vec<Value>,
	) -> Result<Vec<Row>, StoreError> {
		let client = self.client.lock().await;
		let rows = client.query(sql, &params(&values)).await.map_err(self.err())?;
		rows.iter()
			.map(|row| {
				let values = (0..row.len())
					.map(|i| column(row, i))
					.collect::<Result<Vec<_>, _>>()
					.map_err(self.err())?;
				Ok(Row { database: self.name, values })
			})
			.collect()
	}

	pub(super) async fn batch(&self, script: String) -> Result<(), StoreError> {
		let mut client = self.client.lock().await;
		let tx = client.transaction().await.map_err(self.err())?;
		tx.batch_execute(&script).await.map_err(self.err())?;
		tx.commit().await.map_err(self.err())
	}
}
