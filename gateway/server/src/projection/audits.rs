//! Audits events: reviews (the management-review queue), their votes and decisions.

use super::{int, on, sql, variant_name, Event};
use crate::store::{Statement, Value};
use timebank_chain_api::timebank::{
	audits::events as ev,
	runtime_types::timebank_primitives::review::{ArbitrationOutcome, Decision, ReviewSubject},
};

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
) -> Result<(), String> {
	on!(event, out, ev::ReviewOpened, |e| {
		[sql(
		"INSERT INTO reviews (review, branch, subject_kind, subject, requester, required, opened_block) \
		 VALUES ($1, $2, $3, $4, $5, $6, $7)",
		vec![
			int(e.review)?,
			e.branch.into(),
			variant_name(&e.subject).into(),
			subject(&e.subject).into(),
			e.requester.0.into(),
			u32::from(e.required).into(),
			n.clone(),
		],
	)]
	});
	on!(event, out, ev::Voted, |e| [sql(
		"INSERT INTO review_votes (review, voter, decision, block) VALUES ($1, $2, $3, $4) \
		 ON CONFLICT (review, voter) DO UPDATE SET decision = excluded.decision, block = excluded.block",
		vec![int(e.review)?, e.by.0.into(), decision(&e.decision).into(), n.clone()],
	)]);
	on!(event, out, ev::VoteDiscarded, |e| [sql(
		"DELETE FROM review_votes WHERE review = $1 AND voter = $2",
		vec![int(e.review)?, e.voter.0.into()],
	)]);
	on!(event, out, ev::Decided, |e| [sql(
		"UPDATE reviews SET decision = $1, decided_block = $2 WHERE review = $3",
		vec![decision(&e.decision).into(), n.clone(), int(e.review)?],
	)]);
	Ok(())
}

/// A decision in words: `Approve`, `Reject`, or `Arbitrate:<outcome>` (`Arbitrate:Split50` for
/// a 50 % split).
fn decision(value: &Decision) -> String {
	match value {
		Decision::Approve => "Approve".into(),
		Decision::Reject => "Reject".into(),
		Decision::Arbitrate(ArbitrationOutcome::Split(share)) => {
			format!("Arbitrate:Split{}", share.0)
		}
		Decision::Arbitrate(outcome) => format!("Arbitrate:{}", variant_name(outcome)),
	}
}

/// What a review is about, as its id (or account, in hex, for an application).
fn subject(value: &ReviewSubject<subxt::utils::AccountId32>) -> String {
	match value {
		ReviewSubject::Listing(id)
		| ReviewSubject::FundedListing(id)
		| ReviewSubject::Dispute(id) => id.to_string(),
		ReviewSubject::Grant(id)
		| ReviewSubject::Reversal(id)
		| ReviewSubject::PolicyChange(id) => id.to_string(),
		ReviewSubject::CourseRewards(id) => id.to_string(),
		ReviewSubject::Application(who) => format!("0x{}", hex::encode(who.0)),
	}
}
