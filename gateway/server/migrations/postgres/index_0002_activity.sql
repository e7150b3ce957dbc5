-- The index's tables for everything members and branches do after registration (decision 0014,
-- section 4). Public chain data only: accounts, ids, amounts, states and block numbers, never a
-- name, a number or a description. History keeps the account that acted at the time; after a
-- re-key, `members.rekeyed_to` links the old account to the new one.

-- Registry: applications to join, extra branches, auditors, proxies, verified relations.
CREATE TABLE membership_applications (
	account BYTEA NOT NULL,
	branch BIGINT NOT NULL,
	status TEXT NOT NULL,
	applied_block BIGINT NOT NULL,
	decided_block BIGINT,
	PRIMARY KEY (account, branch)
);
CREATE INDEX membership_applications_by_branch ON membership_applications (branch, status);

CREATE TABLE extra_memberships (
	account BYTEA NOT NULL,
	branch BIGINT NOT NULL,
	since_block BIGINT NOT NULL,
	PRIMARY KEY (account, branch)
);

CREATE TABLE auditors (
	account BYTEA PRIMARY KEY,
	since_block BIGINT NOT NULL
);

-- `status`: Recorded (staff recorded it, waiting for confirmation) or Active.
CREATE TABLE proxies (
	member BYTEA NOT NULL,
	proxy BYTEA NOT NULL,
	request_services BIGINT NOT NULL,
	confirm_services BIGINT NOT NULL,
	propose_transfers BIGINT NOT NULL,
	status TEXT NOT NULL,
	since_block BIGINT NOT NULL,
	PRIMARY KEY (member, proxy)
);
CREATE INDEX proxies_by_proxy ON proxies (proxy);

CREATE TABLE relations (
	a BYTEA NOT NULL,
	b BYTEA NOT NULL,
	since_block BIGINT NOT NULL,
	PRIMARY KEY (a, b)
);

-- Activities: listings with the draft's public fields, applications, engagements, ratings.
CREATE TABLE listings (
	listing BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,
	branch BIGINT NOT NULL,
	owner BYTEA NOT NULL,
	published_by BYTEA NOT NULL,
	status TEXT NOT NULL,
	category BIGINT,
	slot_start BIGINT,
	slot_end BIGINT,
	area BIGINT,
	estimated_minutes BIGINT,
	min_trust BIGINT,
	max_participants BIGINT,
	published_block BIGINT NOT NULL,
	ended_block BIGINT
);
CREATE INDEX listings_open ON listings (branch, status, slot_start);
CREATE INDEX listings_by_owner ON listings (owner);

CREATE TABLE listing_applications (
	listing BIGINT NOT NULL,
	applicant BYTEA NOT NULL,
	status TEXT NOT NULL,
	applied_block BIGINT NOT NULL,
	PRIMARY KEY (listing, applicant)
);
CREATE INDEX listing_applications_by_applicant ON listing_applications (applicant);

CREATE TABLE engagements (
	engagement BIGINT PRIMARY KEY,
	listing BIGINT NOT NULL,
	provider BYTEA NOT NULL,
	status TEXT NOT NULL,
	checked_in_at BIGINT,
	checked_out_at BIGINT,
	measured_minutes BIGINT,
	settled_minutes BIGINT,
	to_provider BIGINT,
	to_pool BIGINT,
	refunded BIGINT,
	arbitration TEXT,
	accepted_block BIGINT NOT NULL,
	ended_block BIGINT
);
CREATE INDEX engagements_by_provider ON engagements (provider);
CREATE INDEX engagements_by_listing ON engagements (listing);

CREATE TABLE engagement_receivers (
	engagement BIGINT NOT NULL,
	receiver BYTEA NOT NULL,
	hold BIGINT NOT NULL,
	held BIGINT NOT NULL,
	status TEXT NOT NULL,
	PRIMARY KEY (engagement, receiver)
);
CREATE INDEX engagement_receivers_by_receiver ON engagement_receivers (receiver);

CREATE TABLE ratings (
	engagement BIGINT NOT NULL,
	rater BYTEA NOT NULL,
	ratee BYTEA NOT NULL,
	stars BIGINT NOT NULL,
	block BIGINT NOT NULL,
	PRIMARY KEY (engagement, rater)
);
CREATE INDEX ratings_by_ratee ON ratings (ratee);

-- Ledger: operations and their double entries, from which statements and balances are read.
-- An entry side is a member's balance class (`member` + `class`), a branch's pool or grant
-- account (`branch`), the escrow, or a clearing account (`branch` + `counterparty`).
CREATE TABLE operations (
	operation BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,
	branch BIGINT NOT NULL,
	actor BYTEA NOT NULL,
	on_behalf_of BYTEA,
	block BIGINT NOT NULL,
	reversed_by BIGINT
);

CREATE TABLE entries (
	entry BIGINT PRIMARY KEY,
	operation BIGINT NOT NULL,
	kind TEXT NOT NULL,
	amount BIGINT NOT NULL,
	debit_side TEXT NOT NULL,
	debit_member BYTEA,
	debit_class TEXT,
	debit_branch BIGINT,
	debit_counterparty BIGINT,
	credit_side TEXT NOT NULL,
	credit_member BYTEA,
	credit_class TEXT,
	credit_branch BIGINT,
	credit_counterparty BIGINT,
	block BIGINT NOT NULL
);
CREATE INDEX entries_by_debit_member ON entries (debit_member, entry);
CREATE INDEX entries_by_credit_member ON entries (credit_member, entry);
CREATE INDEX entries_by_operation ON entries (operation);

CREATE TABLE transfer_proposals (
	proposal BIGINT PRIMARY KEY,
	member BYTEA NOT NULL,
	proxy BYTEA NOT NULL,
	status TEXT NOT NULL,
	operation BIGINT,
	proposed_block BIGINT NOT NULL,
	ended_block BIGINT
);
CREATE INDEX transfer_proposals_by_member ON transfer_proposals (member, status);

-- Audits: reviews (the management-review queue) and their votes.
CREATE TABLE reviews (
	review BIGINT PRIMARY KEY,
	branch BIGINT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject TEXT NOT NULL,
	requester BYTEA NOT NULL,
	required BIGINT NOT NULL,
	decision TEXT,
	opened_block BIGINT NOT NULL,
	decided_block BIGINT
);
CREATE INDEX reviews_open ON reviews (branch, decision);

CREATE TABLE review_votes (
	review BIGINT NOT NULL,
	voter BYTEA NOT NULL,
	decision TEXT NOT NULL,
	block BIGINT NOT NULL,
	PRIMARY KEY (review, voter)
);

-- Training: courses, their sessions, who enrolled and attended, certificates.
CREATE TABLE courses (
	course BIGINT PRIMARY KEY,
	branch BIGINT NOT NULL,
	skill BIGINT NOT NULL,
	active BIGINT NOT NULL,
	created_block BIGINT NOT NULL
);
CREATE INDEX courses_by_branch ON courses (branch, active);

CREATE TABLE training_sessions (
	session BIGINT PRIMARY KEY,
	course BIGINT NOT NULL,
	starts_at BIGINT NOT NULL,
	capacity BIGINT NOT NULL,
	closed BIGINT NOT NULL,
	scheduled_block BIGINT NOT NULL
);
CREATE INDEX training_sessions_by_course ON training_sessions (course);

-- `status`: Enrolled, Withdrawn or Attended.
CREATE TABLE enrolments (
	session BIGINT NOT NULL,
	account BYTEA NOT NULL,
	status TEXT NOT NULL,
	block BIGINT NOT NULL,
	PRIMARY KEY (session, account)
);
CREATE INDEX enrolments_by_account ON enrolments (account);

CREATE TABLE certificates (
	certificate BIGINT PRIMARY KEY,
	holder BYTEA NOT NULL,
	skill BIGINT NOT NULL,
	course BIGINT NOT NULL,
	expires_at BIGINT,
	reward BIGINT NOT NULL,
	issued_block BIGINT NOT NULL,
	revoked_block BIGINT
);
CREATE INDEX certificates_by_holder ON certificates (holder);

-- Election: candidate branches, members' votes, each era's validator set, missed sessions.
-- `status`: Proposed or Approved.
CREATE TABLE validator_candidates (
	branch BIGINT PRIMARY KEY,
	validator BYTEA NOT NULL,
	status TEXT NOT NULL,
	since_block BIGINT NOT NULL
);

CREATE TABLE validator_votes (
	voter BYTEA PRIMARY KEY,
	branch BIGINT NOT NULL,
	block BIGINT NOT NULL
);
CREATE INDEX validator_votes_by_branch ON validator_votes (branch);

CREATE TABLE validator_eras (
	era BIGINT PRIMARY KEY,
	from_session BIGINT NOT NULL,
	block BIGINT NOT NULL
);

CREATE TABLE validator_era_members (
	era BIGINT NOT NULL,
	validator BYTEA NOT NULL,
	PRIMARY KEY (era, validator)
);

CREATE TABLE validator_offline (
	validator BYTEA NOT NULL,
	session BIGINT NOT NULL,
	authored BIGINT NOT NULL,
	expected BIGINT NOT NULL,
	block BIGINT NOT NULL,
	PRIMARY KEY (validator, session)
);
