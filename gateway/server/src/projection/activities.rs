//! Activities events: listings (with the public fields of their draft), applications,
//! engagements from acceptance to settlement, and ratings.

use super::{int, on, sql, variant_name, Event};
use crate::store::{Statement, Value};
use timebank_chain_api::timebank::{activities::events as ev, runtime_types};

type Draft = runtime_types::pallet_timebank_activities::types::ListingDraft;

pub(super) fn project(
	event: &Event<'_>,
	n: &Value,
	out: &mut Vec<Statement>,
	published: &mut Vec<u64>,
) -> Result<(), String> {
	if let Some(decoded) = event.decode::<ev::ListingPublished>() {
		let e = decoded?;
		published.push(e.listing);
		out.push(sql(
			"INSERT INTO listings (listing, kind, branch, owner, published_by, status, published_block) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7)",
			vec![
				int(e.listing)?,
				variant_name(&e.kind).into(),
				e.branch.into(),
				e.owner.0.into(),
				e.published_by.0.into(),
				(if e.in_review { "InReview" } else { "Open" }).into(),
				n.clone(),
			],
		));
		return Ok(());
	}
	listings(event, n, out)?;
	engagements(event, n, out)
}

/// The statement that fills in listing `listing`'s public draft fields, read from storage.
pub fn listing_details(listing: u64, draft: &Draft) -> Result<Statement, String> {
	Ok(sql(
		"UPDATE listings SET category = $1, slot_start = $2, slot_end = $3, area = $4, \
		 estimated_minutes = $5, min_trust = $6, max_participants = $7 WHERE listing = $8",
		vec![
			u32::from(draft.category).into(),
			int(draft.slot_start)?,
			int(draft.slot_end)?,
			draft.area.into(),
			int(draft.estimated_minutes)?,
			u32::from(draft.min_trust).into(),
			draft.max_participants.into(),
			int(listing)?,
		],
	))
}

fn listing_ended(listing: u64, status: &'static str, n: &Value) -> Result<Statement, String> {
	Ok(sql(
		"UPDATE listings SET status = $1, ended_block = $2 WHERE listing = $3",
		vec![status.into(), n.clone(), int(listing)?],
	))
}

fn listings(event: &Event<'_>, n: &Value, out: &mut Vec<Statement>) -> Result<(), String> {
	on!(event, out, ev::ListingReviewed, |e| [if e.approved {
		sql("UPDATE listings SET status = 'Open' WHERE listing = $1", vec![int(e.listing)?])
	} else {
		listing_ended(e.listing, "Rejected", n)?
	}]);
	on!(event, out, ev::ListingCancelled, |e| [listing_ended(e.listing, "Cancelled", n)?]);
	on!(event, out, ev::ListingExpired, |e| [listing_ended(e.listing, "Expired", n)?]);
	on!(event, out, ev::ListingClosed, |e| [listing_ended(e.listing, "Closed", n)?]);
	on!(event, out, ev::Applied, |e| [sql(
		"INSERT INTO listing_applications (listing, applicant, status, applied_block) \
		 VALUES ($1, $2, 'Pending', $3) ON CONFLICT (listing, applicant) DO UPDATE \
		 SET status = 'Pending', applied_block = excluded.applied_block",
		vec![int(e.listing)?, e.applicant.0.into(), n.clone()],
	)]);
	on!(event, out, ev::ApplicationWithdrawn, |e| [application(
		e.listing,
		&e.applicant.0,
		"Withdrawn"
	)?]);
	Ok(())
}

fn application(
	listing: u64,
	applicant: &[u8; 32],
	status: &'static str,
) -> Result<Statement, String> {
	Ok(sql(
		"UPDATE listing_applications SET status = $1 WHERE listing = $2 AND applicant = $3",
		vec![status.into(), int(listing)?, (*applicant).into()],
	))
}

/// Set engagement `engagement`'s status; `Settled` and `Cancelled` also note the block it ended.
fn engagement_status(
	engagement: u64,
	status: &'static str,
	n: &Value,
) -> Result<Statement, String> {
	Ok(if matches!(status, "Settled" | "Cancelled") {
		sql(
			"UPDATE engagements SET status = $1, ended_block = $2 WHERE engagement = $3",
			vec![status.into(), n.clone(), int(engagement)?],
		)
	} else {
		sql(
			"UPDATE engagements SET status = $1 WHERE engagement = $2",
			vec![status.into(), int(engagement)?],
		)
	})
}

fn engagements(event: &Event<'_>, n: &Value, out: &mut Vec<Statement>) -> Result<(), String> {
	on!(event, out, ev::Accepted, |e| accepted(&e, n)?);
	on!(event, out, ev::CheckedIn, |e| [
		engagement_status(e.engagement, "CheckedIn", n)?,
		sql(
			"UPDATE engagements SET checked_in_at = $1 WHERE engagement = $2",
			vec![int(e.at)?, int(e.engagement)?],
		),
	]);
	on!(event, out, ev::CheckedOut, |e| {
		[
		engagement_status(e.engagement, "CheckedOut", n)?,
		sql(
			"UPDATE engagements SET checked_out_at = $1, measured_minutes = $2 WHERE engagement = $3",
			vec![int(e.at)?, int(e.measured_minutes)?, int(e.engagement)?],
		),
	]
	});
	on!(event, out, ev::Confirmed, |e| [engagement_status(e.engagement, "Confirmed", n)?]);
	on!(event, out, ev::Disputed, |e| [engagement_status(e.engagement, "Disputed", n)?]);
	on!(event, out, ev::Settled, |e| [
		engagement_status(e.engagement, "Settled", n)?,
		payout(e.engagement, &e.payout, None)?,
	]);
	on!(event, out, ev::Arbitrated, |e| [
		engagement_status(e.engagement, "Settled", n)?,
		payout(e.engagement, &e.payout, Some(variant_name(&e.outcome)))?,
	]);
	on!(event, out, ev::EngagementCancelled, |e| {
		[
		engagement_status(e.engagement, "Cancelled", n)?,
		sql(
			"UPDATE engagement_receivers SET status = 'Refunded' WHERE engagement = $1 AND status = 'Active'",
			vec![int(e.engagement)?],
		),
	]
	});
	on!(event, out, ev::ReceiverWithdrew, |e| {
		[sql(
		"UPDATE engagement_receivers SET status = 'Withdrew' WHERE engagement = $1 AND receiver = $2",
		vec![int(e.engagement)?, e.receiver.0.into()],
	)]
	});
	on!(event, out, ev::Rated, |e| [sql(
		"INSERT INTO ratings (engagement, rater, ratee, stars, block) VALUES ($1, $2, $3, $4, $5) \
		 ON CONFLICT (engagement, rater) DO UPDATE SET stars = excluded.stars, block = excluded.block",
		vec![
			int(e.engagement)?,
			e.rater.0.into(),
			e.ratee.0.into(),
			u32::from(e.stars).into(),
			n.clone()
		],
	)]);
	Ok(())
}

/// An acceptance: the engagement (new for a volunteer or a new group; joined for a group that
/// exists), its receiver and hold, and the application it answered. Who provides and who
/// receives follows the listing's kind: a request's owner receives, an offer's owner provides.
fn accepted(e: &ev::Accepted, n: &Value) -> Result<[Statement; 3], String> {
	let (listing, engagement) = (int(e.listing)?, int(e.engagement)?);
	// Scalar subqueries in VALUES rather than INSERT … SELECT: every parameter then takes its
	// column's type in PostgreSQL, and a listing missing from the index fails the NOT NULL
	// (stopping the indexer at this block) instead of inserting nothing.
	Ok([
		sql(
			"INSERT INTO engagements (engagement, listing, provider, status, accepted_block) \
			 VALUES ($1, $2, (SELECT CASE kind WHEN 'Request' THEN $3 ELSE owner END FROM listings \
			 WHERE listing = $2), 'Accepted', $4) ON CONFLICT (engagement) DO NOTHING",
			vec![engagement.clone(), listing.clone(), e.applicant.0.into(), n.clone()],
		),
		sql(
			"INSERT INTO engagement_receivers (engagement, receiver, hold, held, status) \
			 VALUES ($1, (SELECT CASE kind WHEN 'Request' THEN owner ELSE $2 END FROM listings \
			 WHERE listing = $3), $4, $5, 'Active')",
			vec![engagement, e.applicant.0.into(), listing, int(e.hold)?, int(e.held)?],
		),
		application(e.listing, &e.applicant.0, "Accepted")?,
	])
}

/// What a settlement paid, and how an arbitration decided.
fn payout(
	engagement: u64,
	p: &runtime_types::timebank_primitives::activities::Payout,
	arbitration: Option<String>,
) -> Result<Statement, String> {
	Ok(sql(
		"UPDATE engagements SET settled_minutes = $1, to_provider = $2, to_pool = $3, refunded = $4, \
		 arbitration = $5 WHERE engagement = $6",
		vec![
			int(p.rounded_minutes)?,
			int(p.to_provider)?,
			int(p.to_pool)?,
			int(p.refunded)?,
			arbitration.into(),
			int(engagement)?,
		],
	))
}
