//! Election events: candidate branches and their validators, members' votes, each era's
//! validator set, and sessions a validator missed.

use super::{on, sql, Event};
use crate::store::{Statement, Value};
use timebank_chain_api::timebank::election::events as ev;

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	on!(event, out, ev::CandidateProposed, |e| [sql(
		"INSERT INTO validator_candidates (branch, validator, status, since_block) \
		 VALUES ($1, $2, 'Proposed', $3) ON CONFLICT (branch) DO UPDATE \
		 SET validator = excluded.validator, status = 'Proposed', since_block = excluded.since_block",
		vec![e.branch.into(), e.validator.0.into(), n.clone()],
	)]);
	on!(event, out, ev::CandidateApproved, |e| [sql(
		"UPDATE validator_candidates SET status = 'Approved', since_block = $1 WHERE branch = $2",
		vec![n.clone(), e.branch.into()],
	)]);
	on!(event, out, ev::CandidateWithdrawn, |e| [sql(
		"DELETE FROM validator_candidates WHERE branch = $1",
		vec![e.branch.into()],
	)]);
	on!(event, out, ev::Voted, |e| [sql(
		"INSERT INTO validator_votes (voter, branch, block) VALUES ($1, $2, $3) \
		 ON CONFLICT (voter) DO UPDATE SET branch = excluded.branch, block = excluded.block",
		vec![e.voter.0.into(), e.branch.into(), n.clone()],
	)]);
	on!(event, out, ev::VoteWithdrawn, |e| [unvote(e.voter.0)]);
	on!(event, out, ev::StaleVoteRemoved, |e| [unvote(e.voter.0)]);
	on!(event, out, ev::NewValidatorSet, |e| {
		let era = Value::from(e.era);
		let mut rows = vec![sql(
			"INSERT INTO validator_eras (era, from_session, block) VALUES ($1, $2, $3)",
			vec![era.clone(), e.from_session.into(), n.clone()],
		)];
		rows.extend(e.validators.iter().map(|v| {
			sql(
				"INSERT INTO validator_era_members (era, validator) VALUES ($1, $2)",
				vec![era.clone(), v.0.into()],
			)
		}));
		rows
	});
	on!(event, out, ev::ValidatorOffline, |e| [sql(
		"INSERT INTO validator_offline (validator, session, authored, expected, block) \
		 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (validator, session) DO NOTHING",
		vec![
			e.validator.0.into(),
			e.session.into(),
			e.authored.into(),
			e.expected.into(),
			n.clone()
		],
	)]);
	Ok(())
}

fn unvote(voter: [u8; 32]) -> Statement {
	sql("DELETE FROM validator_votes WHERE voter = $1", vec![voter.into()])
}
