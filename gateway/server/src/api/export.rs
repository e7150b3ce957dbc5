//! Exports: a member's statement as CSV, for staff's spreadsheets, an auditor's files and a
//! family's own records. The file opens as it is in Excel and WPS (UTF-8 with a byte-order mark,
//! CRLF lines), its headers and words are in the caller's language, and no cell can run as a
//! formula.

// utoipa's `params(…)` expansion names the query type by a path the lint finds redundant.
#![allow(unused_qualifications)]

use super::{
	access,
	error::{ApiError, Code, ErrorBody, Lang},
	input::{self, ss58, Params},
	session::SignedIn,
	statement::{line, statement_sql, Line},
	ApiState,
};
use crate::store::Value;
use axum::{
	extract::{Path, State},
	http::{header, HeaderMap, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;

/// The most lines one export holds; a longer statement is exported a period at a time.
pub const MAX_EXPORT_LINES: u32 = 10_000;

/// Time shown in exports: China Standard Time (UTC+8), where the time bank's branches are.
const UTC_OFFSET_MS: i64 = 8 * 3_600_000;

/// Which part of the statement.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Period {
	/// Entries made at or after this time, ms since 1970.
	pub from_ms: Option<u64>,
	/// Entries made before this time, ms since 1970.
	pub to_ms: Option<u64>,
}

/// A member's statement as a CSV file, oldest first (the member, a proxy, home staff, an
/// auditor). At most 10,000 lines: `from_ms` and `to_ms` choose a period.
#[utoipa::path(get, path = "/{account}/statement.csv", tag = "members",
	params(("account" = String, Path, description = "The member (SS58)"), Period),
	responses(
		(status = 200, description = "The statement, UTF-8 CSV with a byte-order mark", content_type = "text/csv"),
		(status = 400, description = "input.account, input.malformed", body = ErrorBody),
		(status = 401, description = "auth.required", body = ErrorBody),
		(status = 404, description = "member.not_found (also when not the caller's to see)", body = ErrorBody),
		(status = 413, description = "export.too_long: choose a shorter period", body = ErrorBody),
	),
	security(("session_cookie" = []), ("bearer" = [])))]
pub async fn statement_csv(
	State(state): State<ApiState>,
	SignedIn(session): SignedIn,
	headers: HeaderMap,
	Path(account): Path<String>,
	Params(period): Params<Period>,
) -> Result<Response, ApiError> {
	let member = input::account("account", &account)?;
	if !access::may_view_member(&state.gateway, session.account, member).await? {
		return Err(Code::MemberNotFound.into());
	}
	let time = |t: Option<u64>| t.map(|t| i64::try_from(t).unwrap_or(i64::MAX));
	let (from, to) = (time(period.from_ms), time(period.to_ms));
	if let (Some(from), Some(to)) = (from, to) {
		if to <= from {
			return Err(ApiError::new(Code::Malformed).field("to_ms"));
		}
	}
	let rows = state
		.gateway
		.index
		.query(
			statement_sql!(
				"WHERE (e.debit_member = $1 OR e.credit_member = $2) \
				 AND (CAST($3 AS BIGINT) IS NULL OR b.time_ms >= $4) \
				 AND (CAST($5 AS BIGINT) IS NULL OR b.time_ms < $6) \
				 ORDER BY e.entry LIMIT $7"
			),
			vec![
				member.into(),
				member.into(),
				from.into(),
				from.into(),
				to.into(),
				to.into(),
				Value::Int(i64::from(MAX_EXPORT_LINES) + 1),
			],
		)
		.await?;
	if rows.len() > MAX_EXPORT_LINES as usize {
		return Err(Code::ExportTooLong.into());
	}
	let lines = rows.iter().map(|row| line(row, member)).collect::<Result<Vec<_>, _>>()?;
	let lang = Lang::from_headers(&headers);
	let body = statement_file(&lines, lang);
	let name = format!("statement-{}.csv", &ss58(member)[..8]);
	let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
		.unwrap_or(HeaderValue::from_static("attachment"));
	Ok((
		StatusCode::OK,
		[
			(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
			(header::CONTENT_DISPOSITION, disposition),
			(header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
		],
		body,
	)
		.into_response())
}

/// The CSV file: a byte-order mark, a header row in `lang`, one row per line.
fn statement_file(lines: &[Line], lang: Lang) -> String {
	let header: [&str; 11] = match lang {
		Lang::Zh => [
			"时间",
			"区块",
			"分录",
			"业务",
			"类型",
			"方向",
			"分钟",
			"小时",
			"账户类别",
			"对方",
			"经办人",
		],
		Lang::En => [
			"time",
			"block",
			"entry",
			"operation",
			"kind",
			"direction",
			"minutes",
			"hours",
			"class",
			"counterparty",
			"actor",
		],
	};
	let mut out = String::from("\u{feff}");
	push_row(&mut out, header.iter().map(|h| (*h).to_owned()));
	for l in lines {
		let signed = if l.direction == "out" { -l.amount } else { l.amount };
		let counterparty = match (&l.counterparty.account, l.counterparty.branch) {
			(Some(account), _) => account.clone(),
			(None, Some(branch)) => format!("{}:{branch}", l.counterparty.side),
			(None, None) => l.counterparty.side.clone(),
		};
		push_row(
			&mut out,
			[
				l.time_ms.map(local_time).unwrap_or_default(),
				l.block.to_string(),
				l.entry.to_string(),
				l.operation.to_string(),
				kind_words(&l.kind, lang).to_owned(),
				direction_words(l.direction, lang).to_owned(),
				signed.to_string(),
				hours(signed),
				l.class.clone().unwrap_or_default(),
				counterparty,
				l.on_behalf_of
					.as_ref()
					.map_or_else(|| l.actor.clone(), |member| format!("{} ({member})", l.actor)),
			]
			.into_iter(),
		);
	}
	out
}

/// One CSV row: fields quoted when they hold a comma, a quote or a line break; a text field
/// that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab) starts with `'`.
fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
	for (i, field) in fields.enumerate() {
		if i > 0 {
			out.push(',');
		}
		let numeric = !field.is_empty() && field.parse::<f64>().is_ok();
		let guarded = if !numeric && field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
			format!("'{field}")
		} else {
			field
		};
		if guarded.contains([',', '"', '\n', '\r']) {
			out.push('"');
			out.push_str(&guarded.replace('"', "\"\""));
			out.push('"');
		} else {
			out.push_str(&guarded);
		}
	}
	out.push_str("\r\n");
}

/// Minutes as hours with two decimals: `90` is `1.50`, `-30` is `-0.50`.
fn hours(minutes: i64) -> String {
	let sign = if minutes < 0 { "-" } else { "" };
	let m = minutes.unsigned_abs();
	format!("{sign}{}.{:02}", m / 60, (m % 60) * 100 / 60)
}

/// `YYYY-MM-DD HH:MM` in China Standard Time.
fn local_time(ms: u64) -> String {
	let local = i64::try_from(ms).unwrap_or(i64::MAX).saturating_add(UTC_OFFSET_MS);
	let minutes = local.div_euclid(60_000);
	let (days, minute_of_day) = (minutes.div_euclid(1_440), minutes.rem_euclid(1_440));
	let (year, month, day) = civil_date(days);
	format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
	let z = days + 719_468;
	let era = z.div_euclid(146_097);
	let day_of_era = z.rem_euclid(146_097);
	let year_of_era =
		(day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
	let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	let shifted_month = (5 * day_of_year + 2) / 153;
	let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
	let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
	let year = year_of_era + era * 400 + i64::from(month <= 2);
	(year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

fn kind_words(kind: &str, lang: Lang) -> &str {
	if lang == Lang::En {
		return kind;
	}
	match kind {
		"Grant" => "发放",
		"Gift" => "赠与",
		"Donation" => "捐赠",
		"CapOverflow" => "超上限转存",
		"Clearing" => "跨网点清算",
		"EscrowHold" => "预扣",
		"EscrowRelease" => "预扣退回",
		"Settlement" => "服务结算",
		"Reversal" => "冲正",
		"Exit" => "退出",
		"Estate" => "遗赠",
		"Rekey" => "换钥",
		other => other,
	}
}

fn direction_words(direction: &str, lang: Lang) -> &str {
	match (direction, lang) {
		("in", Lang::Zh) => "收入",
		("out", Lang::Zh) => "支出",
		("within", Lang::Zh) => "内部转换",
		(other, _) => other,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::api::statement::Counterparty;

	#[test]
	fn dates_are_civil_dates_in_china_standard_time() {
		assert_eq!(local_time(0), "1970-01-01 08:00");
		// 2026-12-08 01:30 UTC is 09:30 in Beijing.
		assert_eq!(local_time(1_796_693_400_000), "2026-12-08 09:30");
		// The last minute of a leap day in Beijing (15:59 UTC).
		assert_eq!(local_time(951_839_940_000), "2000-02-29 23:59");
		assert_eq!(local_time(951_840_000_000), "2000-03-01 00:00");
		assert_eq!(civil_date(-1), (1969, 12, 31));
		assert_eq!(civil_date(11_016), (2000, 2, 29));
	}

	#[test]
	fn hours_keep_the_sign_and_two_decimals() {
		assert_eq!(hours(90), "1.50");
		assert_eq!(hours(-30), "-0.50");
		assert_eq!(hours(1), "0.01");
		assert_eq!(hours(0), "0.00");
	}

	#[test]
	fn cells_are_quoted_and_formulas_neutralised() {
		let mut out = String::new();
		let fields = ["=HYPERLINK(\"x\")", "-30", "a,b", "say \"hi\"", "@SUM(A1)", "plain"];
		push_row(&mut out, fields.iter().map(|f| (*f).to_owned()));
		assert_eq!(
			out,
			"\"'=HYPERLINK(\"\"x\"\")\",-30,\"a,b\",\"say \"\"hi\"\"\",'@SUM(A1),plain\r\n"
		);
	}

	#[test]
	fn a_file_has_a_bom_a_header_in_the_language_and_signed_amounts() {
		let line = Line {
			entry: 7,
			operation: 3,
			kind: "Gift".into(),
			direction: "out",
			amount: 30,
			class: Some("Spendable".into()),
			counterparty: Counterparty {
				side: "member".into(),
				account: Some("5Daughter".into()),
				class: Some("Spendable".into()),
				branch: None,
			},
			actor: "5Elder".into(),
			on_behalf_of: None,
			block: 12,
			time_ms: Some(0),
		};
		let zh = statement_file(std::slice::from_ref(&line), Lang::Zh);
		assert!(zh.starts_with("\u{feff}时间,区块,"), "{zh}");
		assert!(
			zh.ends_with(
				"1970-01-01 08:00,12,7,3,赠与,支出,-30,-0.50,Spendable,5Daughter,5Elder\r\n"
			),
			"{zh}"
		);
		let en = statement_file(&[line], Lang::En);
		assert!(en.contains("\r\n1970-01-01 08:00,12,7,3,Gift,out,-30,-0.50,"), "{en}");
	}
}
