-- The index's tables for everything members and branches do after registration (decision 0014,
-- section 4). Public chain data only: accounts, ids, amounts, states and block numbers, never a
-- name, a number or a description. History keeps the account that acted at the time; after a
-- re-key, `members.rekeyed_to` links the old account to the new one.

-- Registry: applications to join, extra branches, auditors, proxies, verified relations.
CREATE TABLE membership_applications (
	account BLOB NOT NULL,
	branch INTEGER NOT NULL,
	status TEXT NOT NULL,
	applied_block INTEGER NOT NULL,
	decided_block INTEGER,
	PRIMARY KEY (account, branch)
);
CREATE INDEX membership_applications_by_branch ON membership_applications (branch, status);

CREATE TABLE extra_memberships (
	account BLOB NOT NULL,
	branch INTEGER NOT NULL,
	since_block INTEGER NOT NULL,
	PRIMARY KEY (account, branch)
);

CREATE TABLE auditors (
	account BLOB PRIMARY KEY,
	since_block INTEGER NOT NULL
);

-- `status`: Recorded (staff recorded it, waiting for confirmation) or Active.
CREATE TABLE proxies (
	member BLOB NOT NULL,
	proxy BLOB NOT NULL,
	request_services INTEGER NOT NULL,
	confirm_services INTEGER NOT NULL,
	propose_transfers INTEGER NOT NULL,
	status TEXT NOT NULL,
	since_block INTEGER NOT NULL,
	PRIMARY KEY (member, proxy)
);
CREATE INDEX proxies_by_proxy ON proxies (proxy);

CREATE TABLE relations (
	a BLOB NOT NULL,
	b BLOB NOT NULL,
	since_block INTEGER NOT NULL,
	PRIMARY KEY (a, b)
);

-- Activities: listings with the draft's public fields, applications, engagements, ratings.
CREATE TABLE listings (
	listing INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	branch INTEGER NOT NULL,
	owner BLOB NOT NULL,
	published_by BLOB NOT NULL,
	status TEXT NOT NULL,
	category INTEGER,
	slot_start INTEGER,
	slot_end INTEGER,
	area INTEGER,
	estimated_minutes INTEGER,
	min_trust INTEGER,
	max_participants INTEGER,
	published_block INTEGER NOT NULL,
	ended_block INTEGER
);
CREATE INDEX listings_open ON listings (branch, status, slot_start);
CREATE INDEX listings_by_owner ON listings (owner);

CREATE TABLE listing_applications (
	listing INTEGER NOT NULL,
	applicant BLOB NOT NULL,
	status TEXT NOT NULL,
	applied_block INTEGER NOT NULL,
	PRIMARY KEY (listing, applicant)
);
CREATE INDEX listing_applications_by_applicant ON listing_applications (applicant);

CREATE TABLE engagements (
	engagement INTEGER PRIMARY KEY,
	listing INTEGER NOT NULL,
	provider BLOB NOT NULL,
	status TEXT NOT NULL,
	checked_in_at INTEGER,
	checked_out_at INTEGER,
	measured_minutes INTEGER,
	settled_minutes INTEGER,
	to_provider INTEGER,
	to_pool INTEGER,
	refunded INTEGER,
	arbitration TEXT,
	accepted_block INTEGER NOT NULL,
	ended_block INTEGER
);
CREATE INDEX engagements_by_provider ON engagements (provider);
CREATE INDEX engagements_by_listing ON engagements (listing);

CREATE TABLE engagement_receivers (
	engagement INTEGER NOT NULL,
	receiver BLOB NOT NULL,
	hold INTEGER NOT NULL,
	held INTEGER NOT NULL,
	status TEXT NOT NULL,
	PRIMARY KEY (engagement, receiver)
);
CREATE INDEX engagement_receivers_by_receiver ON engagement_receivers (receiver);

CREATE TABLE ratings (
	engagement INTEGER NOT NULL,
	rater BLOB NOT NULL,
	ratee BLOB NOT NULL,
	stars INTEGER NOT NULL,
	block INTEGER NOT NULL,
	PRIMARY KEY (engagement, rater)
);
CREATE INDEX ratings_by_ratee ON ratings (ratee);

-- Ledger: operations and their double entries, from which statements and balances are read.
-- An entry side is a member's balance class (`member` + `class`), a branch's pool or grant
-- account (`branch`), the escrow, or a clearing account (`branch` + `counterparty`).
CREATE TABLE operations (
	operation INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	branch INTEGER NOT NULL,
	actor BLOB NOT NULL,
	on_behalf_of BLOB,
	block INTEGER NOT NULL,
	reversed_by INTEGER
);

CREATE TABLE entries (
	entry INTEGER PRIMARY KEY,
	operation INTEGER NOT NULL,
	kind TEXT NOT NULL,
	amount INTEGER NOT NULL,
	debit_side TEXT NOT NULL,
	debit_member BLOB,
	debit_class TEXT,
	debit_branch INTEGER,
	debit_counterparty INTEGER,
	credit_side TEXT NOT NULL,
	credit_member BLOB,
	credit_class TEXT,
	credit_branch INTEGER,
	credit_counterparty INTEGER,
	block INTEGER NOT NULL
);
CREATE INDEX entries_by_debit_member ON entries (debit_member, entry);
CREATE INDEX entries_by_credit_member ON entries (credit_member, entry);
CREATE INDEX entries_by_operation ON entries (operation);

CREATE TABLE transfer_proposals (
	proposal INTEGER PRIMARY KEY,
	member BLOB NOT NULL,
	proxy BLOB NOT NULL,
	status TEXT NOT NULL,
	operation INTEGER,
	proposed_block INTEGER NOT NULL,
	ended_block INTEGER
);
CREATE INDEX transfer_proposals_by_member ON transfer_proposals (member, status);

-- Audits: reviews (the management-review queue) and their votes.
CREATE TABLE reviews (
	review INTEGER PRIMARY KEY,
	branch INTEGER NOT NULL,
	subject_kind TEXT NOT NULL,
	subject TEXT NOT NULL,
	requester BLOB NOT NULL,
	required INTEGER NOT NULL,
	decision TEXT,
	opened_block INTEGER NOT NULL,
	decided_block INTEGER
);
CREATE INDEX reviews_open ON reviews (branch, decision);

CREATE TABLE review_votes (
	review INTEGER NOT NULL,
	voter BLOB NOT NULL,
	decision TEXT NOT NULL,
	block INTEGER NOT NULL,
	PRIMARY KEY (review, voter)
);

-- Training: courses, their sessions, who enrolled and attended, certificates.
CREATE TABLE courses (
	course INTEGER PRIMARY KEY,
	branch INTEGER NOT NULL,
	skill INTEGER NOT NULL,
	active INTEGER NOT NULL,
	created_block INTEGER NOT NULL
);
CREATE INDEX courses_by_branch ON courses (branch, active);

CREATE TABLE training_sessions (
	session INTEGER PRIMARY KEY,
	course INTEGER NOT NULL,
	starts_at INTEGER NOT NULL,
	capacity INTEGER NOT NULL,
	closed INTEGER NOT NULL,
	scheduled_block INTEGER NOT NULL
);
CREATE INDEX training_sessions_by_course ON training_sessions (course);

-- `status`: Enrolled, Withdrawn or Attended.
CREATE TABLE enrolments (
	session INTEGER NOT NULL,
	account BLOB NOT NULL,
	status TEXT NOT NULL,
	block INTEGER NOT NULL,
	PRIMARY KEY (session, account)
);
CREATE INDEX enrolments_by_account ON enrolments (account);

CREATE TABLE certificates (
	certificate INTEGER PRIMARY KEY,
	holder BLOB NOT NULL,
	skill INTEGER NOT NULL,
	course INTEGER NOT NULL,
	expires_at INTEGER,
	reward INTEGER NOT NULL,
	issued_block INTEGER NOT NULL,
	revoked_block INTEGER
);
CREATE INDEX certificates_by_holder ON certificates (holder);

-- Election: candidate branches, members' votes, each era's validator set, missed sessions.
-- `status`: Proposed or Approved.
CREATE TABLE validator_candidates (
	branch INTEGER PRIMARY KEY,
	validator BLOB NOT NULL,
	status TEXT NOT NULL,
	since_block INTEGER NOT NULL
);

CREATE TABLE validator_votes (
	voter BLOB PRIMARY KEY,
	branch INTEGER NOT NULL,
	block INTEGER NOT NULL
);
CREATE INDEX validator_votes_by_branch ON validator_votes (branch);

CREATE TABLE validator_eras (
	era INTEGER PRIMARY KEY,
	from_session INTEGER NOT NULL,
	block INTEGER NOT NULL
);

CREATE TABLE validator_era_members (
	era INTEGER NOT NULL,
	validator BLOB NOT NULL,
	PRIMARY KEY (era, validator)
);

CREATE TABLE validator_offline (
	validator BLOB NOT NULL,
	session INTEGER NOT NULL,
	authored INTEGER NOT NULL,
	expected INTEGER NOT NULL,
	block INTEGER NOT NULL,
	PRIMARY KEY (validator, session)
);
