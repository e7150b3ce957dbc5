//! Training events: courses, their sessions, enrolment and attendance, certificates.

use super::{flag, int, on, sql, Event};
use crate::store::{Statement, Value};
use timebank_chain_api::timebank::training::events as ev;

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	on!(event, out, ev::CourseCreated, |e| {
		[sql(
		"INSERT INTO courses (course, branch, skill, active, created_block) VALUES ($1, $2, $3, 1, $4)",
		vec![e.course.into(), e.branch.into(), e.skill.into(), n.clone()],
	)]
	});
	on!(event, out, ev::CourseActiveSet, |e| [sql(
		"UPDATE courses SET active = $1 WHERE course = $2",
		vec![flag(e.active), e.course.into()],
	)]);
	on!(event, out, ev::SessionScheduled, |e| {
		[sql(
		"INSERT INTO training_sessions (session, course, starts_at, capacity, closed, scheduled_block) \
		 VALUES ($1, $2, $3, $4, 0, $5)",
		vec![int(e.session)?, e.course.into(), int(e.starts_at)?, e.capacity.into(), n.clone()],
	)]
	});
	on!(event, out, ev::SessionClosed, |e| [sql(
		"UPDATE training_sessions SET closed = 1 WHERE session = $1",
		vec![int(e.session)?],
	)]);
	on!(event, out, ev::Enrolled, |e| [enrolment(e.session, e.who.0, "Enrolled", n)?]);
	on!(event, out, ev::Withdrawn, |e| [enrolment(e.session, e.who.0, "Withdrawn", n)?]);
	on!(event, out, ev::AttendanceRecorded, |e| [enrolment(e.session, e.who.0, "Attended", n)?]);
	on!(event, out, ev::CertificateIssued, |e| {
		[sql(
		"INSERT INTO certificates (certificate, holder, skill, course, expires_at, reward, issued_block) \
		 VALUES ($1, $2, $3, $4, $5, $6, $7)",
		vec![
			int(e.certificate)?,
			e.holder.0.into(),
			e.skill.into(),
			e.course.into(),
			e.expires_at.map(int).transpose()?.into(),
			int(e.reward)?,
			n.clone(),
		],
	)]
	});
	on!(event, out, ev::CertificateRevoked, |e| [sql(
		"UPDATE certificates SET revoked_block = $1 WHERE certificate = $2",
		vec![n.clone(), int(e.certificate)?],
	)]);
	Ok(())
}

/// `who`'s place in session `session` is now `status` (`Enrolled`, `Withdrawn`, `Attended`).
fn enrolment(
	session: u64,
	who: [u8; 32],
	status: &'static str,
	n: &Value,
) -> Result<Statement, String> {
	Ok(sql(
		"INSERT INTO enrolments (session, account, status, block) VALUES ($1, $2, $3, $4) \
		 ON CONFLICT (session, account) DO UPDATE SET status = excluded.status, block = excluded.block",
		vec![int(session)?, who.into(), status.into(), n.clone()],
	))
}
