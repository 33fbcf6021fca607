//! The schema, as forward-only migrations on `PRAGMA user_version`.
//!
//! Migration N (1-based) brings a database from version N-1 to N. Never edit a shipped
//! migration: add a new one. A database whose version is above `MIGRATIONS.len()` was written
//! by a newer firepatrol and is refused, never modified.
//!
//! Shape for merging: facts (patrols, answers, hazards, events) are only ever inserted and
//! carry a UUID v7 id, the device and the time. The current state of a hazard is derived
//! from its events into `hazard_state`, rebuilt in the same transaction as each event.

pub const MIGRATIONS: &[&str] = &[
    // 1: the community tree, people, templates, patrols, answers, hazards and the event log.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE community (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    device_id  TEXT NOT NULL
) STRICT;

CREATE TABLE grid (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES community(id),
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    UNIQUE (community_id, name)
) STRICT;

CREATE TABLE compound (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES community(id),
    grid_id      TEXT REFERENCES grid(id),
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    UNIQUE (community_id, name)
) STRICT;

CREATE TABLE building (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES community(id),
    grid_id      TEXT REFERENCES grid(id),
    compound_id  TEXT REFERENCES compound(id),
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('residential', 'shop', 'bike_shed', 'other')),
    floors       INTEGER,
    search_keys  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX building_place ON building (community_id, ifnull(compound_id, ''), name);
CREATE INDEX building_compound ON building (compound_id);

CREATE TABLE unit (
    id          TEXT PRIMARY KEY,
    building_id TEXT NOT NULL REFERENCES building(id),
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    UNIQUE (building_id, number)
) STRICT;

CREATE TABLE person (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('area_leader', 'building_leader', 'unit_leader', 'grid_worker', 'office')),
    phone        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX person_identity ON person (name, phone);

-- Who looks after which building (and optionally which unit of it).
CREATE TABLE duty (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person(id),
    building_id TEXT NOT NULL REFERENCES building(id),
    unit_id     TEXT REFERENCES unit(id),
    created_at  TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX duty_once ON duty (person_id, building_id, ifnull(unit_id, ''));
CREATE INDEX duty_building ON duty (building_id);

-- Checklist templates: each import is a new version; the newest per template_id is in force.
CREATE TABLE template_version (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    template_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
CREATE INDEX template_current ON template_version (template_id, seq);

-- One patrol per leader per day.
CREATE TABLE patrol (
    id           TEXT PRIMARY KEY,
    inspector_id TEXT NOT NULL REFERENCES person(id),
    day          TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL
) STRICT;
CREATE INDEX patrol_day ON patrol (day, inspector_id);

-- Answers are only inserted; the newest per (patrol, building, unit, item) is in force.
-- Undo inserts the value the item had before ('cleared' when it had none).
CREATE TABLE answer (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    patrol_id   TEXT NOT NULL REFERENCES patrol(id),
    building_id TEXT NOT NULL REFERENCES building(id),
    unit_id     TEXT REFERENCES unit(id),
    item_id     TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (value IN ('ok', 'hazard', 'na', 'cleared')),
    hazard_id   TEXT REFERENCES hazard(id),
    answered_at TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
CREATE INDEX answer_visit ON answer (building_id, patrol_id);
CREATE INDEX answer_patrol ON answer (patrol_id);
CREATE INDEX answer_time ON answer (answered_at);

CREATE TABLE hazard (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL,
    patrol_id     TEXT REFERENCES patrol(id),
    building_id   TEXT NOT NULL REFERENCES building(id),
    unit_id       TEXT REFERENCES unit(id),
    item_id       TEXT NOT NULL,
    category      TEXT NOT NULL,
    spot          TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    party_name    TEXT NOT NULL DEFAULT '',
    party_room    TEXT NOT NULL DEFAULT '',
    party_phone   TEXT NOT NULL DEFAULT '',
    found_at      TEXT NOT NULL,
    found_day     TEXT NOT NULL,
    found_by      TEXT REFERENCES person(id),
    deadline      TEXT NOT NULL,
    fixed_on_spot INTEGER NOT NULL DEFAULT 0,
    previous_id   TEXT REFERENCES hazard(id),
    recurrence    INTEGER NOT NULL DEFAULT 0,
    device_id     TEXT NOT NULL
) STRICT;
CREATE INDEX hazard_place ON hazard (building_id, unit_id, item_id, found_at);
CREATE INDEX hazard_found ON hazard (found_day);
CREATE INDEX hazard_number ON hazard (number);

-- Derived from the event log, rebuilt in the same transaction as each hazard event.
CREATE TABLE hazard_state (
    hazard_id    TEXT PRIMARY KEY REFERENCES hazard(id),
    building_id  TEXT NOT NULL REFERENCES building(id),
    status       TEXT NOT NULL CHECK (status IN ('open', 'escalated', 'rectified', 'voided')),
    deadline     TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    closed_day   TEXT,
    escalated_to TEXT
) STRICT;
CREATE INDEX hazard_state_due ON hazard_state (status, deadline);
CREATE INDEX hazard_state_closed ON hazard_state (closed_day);
CREATE INDEX hazard_state_building ON hazard_state (building_id, status);

-- Derived: the last day each building was patrolled, kept with every answer.
CREATE TABLE building_visit (
    building_id TEXT PRIMARY KEY REFERENCES building(id),
    last_day    TEXT NOT NULL
) STRICT;

-- The append-only log of every change, chained by hash (tamper evidence).
CREATE TABLE event (
    seq       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    at        TEXT NOT NULL,
    device_id TEXT NOT NULL,
    person_id TEXT REFERENCES person(id),
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note      TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX event_entity ON event (entity, entity_id, seq);
"#,
    // 2: counts kept cheap. Tallies derived from the hazards' state, kept in the same
    // transaction as every hazard event: open hazards by deadline, category and status; all
    // hazards by status and category; found and rectified per day. And indexes for the
    // ledger's orders.
    r#"
CREATE TABLE open_tally (
    deadline TEXT NOT NULL,
    category TEXT NOT NULL,
    status   TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (deadline, category, status)
) WITHOUT ROWID, STRICT;

CREATE TABLE status_tally (
    status   TEXT NOT NULL,
    category TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (status, category)
) WITHOUT ROWID, STRICT;

CREATE TABLE daily_tally (
    day       TEXT PRIMARY KEY,
    found     INTEGER NOT NULL DEFAULT 0,
    rectified INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID, STRICT;

INSERT INTO open_tally (deadline, category, status, n)
    SELECT s.deadline, h.category, s.status, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
    WHERE s.status IN ('open', 'escalated') GROUP BY 1, 2, 3;
INSERT INTO status_tally (status, category, n)
    SELECT s.status, h.category, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id GROUP BY 1, 2;
INSERT INTO daily_tally (day, found)
    SELECT h.found_day, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
    WHERE s.status <> 'voided' GROUP BY 1;
INSERT INTO daily_tally (day, rectified)
    SELECT closed_day, count(*) FROM hazard_state WHERE status = 'rectified' AND closed_day IS NOT NULL GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET rectified = excluded.rectified;

CREATE INDEX hazard_state_order ON hazard_state (deadline, hazard_id, status);
CREATE INDEX hazard_state_counts ON hazard_state (building_id, status, deadline);
CREATE INDEX hazard_found_at ON hazard (found_at);
"#,
    // 3: the ledger sorted by severity reads a page in index order.
    r#"
ALTER TABLE hazard ADD COLUMN severity_rank INTEGER GENERATED ALWAYS AS
    (CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) VIRTUAL;
CREATE INDEX hazard_severity ON hazard (severity_rank, found_at);
"#,
    // 4: tamper evidence for every fact. Each device's events form a chain of their own (so
    // logs from several laptops merge), the head of each chain is kept, and every fact row is
    // sealed by an event holding the hash of its content (the rows already there are sealed
    // by the upgrade, in Rust: `journal::seal_all`).
    r#"
CREATE INDEX event_device ON event (device_id, seq);
CREATE TABLE chain_head (
    device_id TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) SELECT 'chain_per_device_after', ifnull(max(seq), 0) FROM event WHERE true
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
INSERT INTO chain_head (device_id, seq, hash)
    SELECT e.device_id, e.seq, e.hash FROM event e
    WHERE e.seq = (SELECT max(seq) FROM event f WHERE f.device_id = e.device_id);
"#,
    // 5: people leave and duties end (facts, never deletes: the newest change of a person or a
    // duty says whether it is in force), and photos of hazards: each file once, named by its
    // SHA-256 in `photos/` beside the database, and which hazard it shows.
    r#"
CREATE TABLE roster_change (
    id         TEXT PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('person', 'duty')),
    entity_id  TEXT NOT NULL,
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    device_id  TEXT NOT NULL
) STRICT;
CREATE INDEX roster_change_of ON roster_change (entity_id, created_at);

CREATE TABLE photo (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    format     TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    bytes      INTEGER NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    taken_at   TEXT,
    created_at TEXT NOT NULL,
    device_id  TEXT NOT NULL
) STRICT;

CREATE TABLE hazard_photo (
    id         TEXT PRIMARY KEY,
    hazard_id  TEXT NOT NULL REFERENCES hazard(id),
    photo_id   TEXT NOT NULL REFERENCES photo(id),
    file_name  TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    UNIQUE (hazard_id, photo_id)
) STRICT;
CREATE INDEX hazard_photo_hazard ON hazard_photo (hazard_id);
"#,
    // 6: many laptops, one office. The facts whose key was a local row number (events,
    // answers, template versions) are keyed by their UUID, so rows from several databases
    // merge; `seq` stays as an order: an event's is its place in its device's chain, unique
    // per device (a second event at the same place is a fork). An event names the event of
    // the same thing it followed (`parent_id`): two with one parent were concurrent. The sync
    // tables are local to each database and never travel.
    r#"
CREATE TABLE event_new (
    id        TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    at        TEXT NOT NULL,
    device_id TEXT NOT NULL,
    person_id TEXT,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note      TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    parent_id TEXT,
    UNIQUE (device_id, seq)
) STRICT;
INSERT INTO event_new (id, seq, at, device_id, person_id, entity, entity_id, action, old_value, new_value, note, prev_hash, hash)
    SELECT id, seq, at, device_id, person_id, entity, entity_id, action, old_value, new_value, note, prev_hash, hash
    FROM event ORDER BY seq;
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;
CREATE INDEX event_entity ON event (entity, entity_id, at, device_id, seq);

CREATE TABLE answer_new (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    patrol_id   TEXT NOT NULL REFERENCES patrol(id),
    building_id TEXT NOT NULL REFERENCES building(id),
    unit_id     TEXT REFERENCES unit(id),
    item_id     TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (value IN ('ok', 'hazard', 'na', 'cleared')),
    hazard_id   TEXT REFERENCES hazard(id),
    answered_at TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
INSERT INTO answer_new (id, seq, patrol_id, building_id, unit_id, item_id, value, hazard_id, answered_at, device_id)
    SELECT id, seq, patrol_id, building_id, unit_id, item_id, value, hazard_id, answered_at, device_id
    FROM answer ORDER BY seq;
DROP TABLE answer;
ALTER TABLE answer_new RENAME TO answer;
CREATE INDEX answer_visit ON answer (building_id, patrol_id);
CREATE INDEX answer_patrol ON answer (patrol_id);
CREATE INDEX answer_time ON answer (answered_at);
CREATE INDEX answer_seq ON answer (seq);

CREATE TABLE template_version_new (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    template_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
INSERT INTO template_version_new (id, seq, template_id, body, created_at, device_id)
    SELECT id, seq, template_id, body, created_at, device_id FROM template_version ORDER BY seq;
DROP TABLE template_version;
ALTER TABLE template_version_new RENAME TO template_version;
CREATE INDEX template_current ON template_version (template_id, created_at, seq);

-- Chains from before per-device chains: only one device's events were ever in them, or the
-- old single chain is checked as it was (by the devices recorded here).
INSERT INTO meta (key, value)
    SELECT 'chain_legacy_devices', group_concat(device_id, ',') FROM
        (SELECT DISTINCT device_id FROM event
         WHERE seq <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'chain_per_device_after'))
    HAVING count(*) > 1
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- This database's part in the community: its outbox (each write's changeset, in order),
-- the bundles it has applied, the laptops (at the office) or the office (on a laptop), ids
-- merged at joining, and what a bundle changed that the receiver kept its own version of.
-- AUTOINCREMENT: numbers are never reused once acknowledged entries are pruned.
CREATE TABLE sync_outbox (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    origin    TEXT NOT NULL,
    at        TEXT NOT NULL,
    changeset BLOB NOT NULL
) STRICT;
CREATE INDEX sync_outbox_origin ON sync_outbox (origin, seq);
CREATE TABLE sync_inbox (
    hash       TEXT PRIMARY KEY,
    sender     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    rows       INTEGER NOT NULL
) STRICT;
CREATE TABLE sync_device (
    id          TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('office', 'laptop')),
    person_id   TEXT,
    person_name TEXT NOT NULL DEFAULT '',
    letter      TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT,
    last_sync   TEXT,
    received_to INTEGER NOT NULL DEFAULT 0,
    acked_to    INTEGER NOT NULL DEFAULT 0,
    rows_in     INTEGER NOT NULL DEFAULT 0,
    bundles_in  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX sync_device_letter ON sync_device (letter) WHERE role = 'laptop';
CREATE TABLE sync_device_alias (
    device_id TEXT PRIMARY KEY,
    enrolment TEXT NOT NULL REFERENCES sync_device(id)
) STRICT;
CREATE TABLE id_alias (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL,
    tbl    TEXT NOT NULL
) STRICT;
CREATE TABLE sync_conflict (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    sender  TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
) STRICT;
"#,
    // 7 (issue 12): reports and stats at district scale. The events of a day found by their
    // day (the report's follow-ups read a day's events, not all of them); a leader's hazards
    // found by who found them; and the answers in force (what `stats` shows) kept as a
    // tally, moved by a trigger in the same transaction as every answer written (by the app,
    // the generator, or rows applied from elsewhere). No table of the journal changes shape.
    r#"
CREATE INDEX event_day ON event (entity, substr(at, 1, 10));
CREATE INDEX hazard_found_by ON hazard (found_by, found_day);

CREATE TABLE answer_tally (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    in_force INTEGER NOT NULL
) STRICT;
INSERT INTO answer_tally (id, in_force)
    SELECT 1, count(*) FROM (SELECT value, row_number() OVER (
        PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
     FROM answer) WHERE rn = 1 AND value <> 'cleared';

-- The answer before this one for the same item of the same patrol (if any) was in force
-- unless it was taken back; this one is in force unless it takes back.
CREATE TRIGGER answer_tally_insert AFTER INSERT ON answer BEGIN
    UPDATE answer_tally SET in_force = in_force + (NEW.value <> 'cleared')
        - ifnull((SELECT a.value <> 'cleared' FROM answer a
                  WHERE a.building_id = NEW.building_id AND a.patrol_id = NEW.patrol_id
                    AND a.unit_id IS NEW.unit_id AND a.item_id = NEW.item_id AND a.seq < NEW.seq
                  ORDER BY a.seq DESC LIMIT 1), 0)
    WHERE id = 1;
END;
"#,
    // 8 (issue 12): a day's report over the district reads what it shows, not every hazard.
    // The residents' names (to mask them in shared text) found by an index, one step per
    // name; and the days each building was patrolled (an answer other than a taken-back
    // one), kept by triggers whichever of a patrol and its answers is written first (rows
    // applied by sync come in table order), so the buildings due in a period are read from
    // a few rows per building instead of from every answer; and the checks of each visit.
    r#"
CREATE INDEX hazard_party ON hazard (party_name);

CREATE TABLE visit_day (
    building_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    PRIMARY KEY (building_id, day)
) WITHOUT ROWID, STRICT;
INSERT INTO visit_day (building_id, day)
    SELECT DISTINCT a.building_id, p.day FROM answer a JOIN patrol p ON p.id = a.patrol_id
    WHERE a.value <> 'cleared';

CREATE TRIGGER visit_day_answer AFTER INSERT ON answer WHEN NEW.value <> 'cleared' BEGIN
    INSERT OR IGNORE INTO visit_day (building_id, day)
        SELECT NEW.building_id, p.day FROM patrol p WHERE p.id = NEW.patrol_id;
END;
CREATE TRIGGER visit_day_patrol AFTER INSERT ON patrol BEGIN
    INSERT OR IGNORE INTO visit_day (building_id, day)
        SELECT DISTINCT a.building_id, NEW.day FROM answer a
        WHERE a.patrol_id = NEW.id AND a.value <> 'cleared';
END;

-- A hazard's escalations and the office's answers, found without reading its other events
-- (the summary's response times read them for every hazard of a month).
CREATE INDEX event_escalated ON event (entity_id, at) WHERE action = 'escalated';
CREATE INDEX event_office_response ON event (entity_id, at) WHERE action = 'office_response';

-- The answers in force per patrol and building (the checks of each visit, what the monthly
-- summary counts), moved as `answer_tally` is by every answer written in order; sync counts
-- the visits it touched anew.
CREATE TABLE visit_tally (
    patrol_id   TEXT NOT NULL,
    building_id TEXT NOT NULL,
    in_force    INTEGER NOT NULL,
    PRIMARY KEY (patrol_id, building_id)
) WITHOUT ROWID, STRICT;
INSERT INTO visit_tally (patrol_id, building_id, in_force)
    SELECT patrol_id, building_id, sum(rn = 1 AND value <> 'cleared') FROM (
        SELECT patrol_id, building_id, value, row_number() OVER (
            PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
        FROM answer)
    GROUP BY patrol_id, building_id;

CREATE TRIGGER visit_tally_insert AFTER INSERT ON answer BEGIN
    INSERT INTO visit_tally (patrol_id, building_id, in_force)
        VALUES (NEW.patrol_id, NEW.building_id, 0) ON CONFLICT DO NOTHING;
    UPDATE visit_tally SET in_force = in_force + (NEW.value <> 'cleared')
        - ifnull((SELECT a.value <> 'cleared' FROM answer a
                  WHERE a.building_id = NEW.building_id AND a.patrol_id = NEW.patrol_id
                    AND a.unit_id IS NEW.unit_id AND a.item_id = NEW.item_id AND a.seq < NEW.seq
                  ORDER BY a.seq DESC LIMIT 1), 0)
    WHERE patrol_id = NEW.patrol_id AND building_id = NEW.building_id;
END;
"#,
    // 9 (issues 22, 23, 27): sync that survives ordinary life.
    // - Seals are this database's own record of what it wrote, one 16-byte digest a row, and
    //   never travel (`journal::seal`); they are filled for the rows already there by the
    //   upgrade (`journal::seal_all`). The `sealed` events of the old kind stay in the chains
    //   that hold them, and are no longer read.
    // - Events are ordered by a hybrid logical clock (`hlc`), not by the text of `at`: the
    //   events already there get their instant (UTC milliseconds, no counter).
    // - What a laptop changes in the lists is a proposal at the office (`sync_proposal`),
    //   and the office's decision travels back as a fact (`decision`). A laptop keeps its
    //   own proposals as pending (`sync_pending`) until the office's version arrives.
    // - Each side keeps the bundles it made (`sync_sent`), so that an acknowledgement is
    //   believed only when it names one of them; the office knows each laptop's clock offset
    //   and whether it must send it everything again.
    // - The outboxes are emptied: their changesets have the old shape of `event`. Each side
    //   sends the other everything once (laptops their own records, the office the whole
    //   community); what arrives twice is recognised and skipped.
    r#"
CREATE TABLE row_seal (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    digest BLOB NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID, STRICT;

ALTER TABLE event ADD COLUMN hlc INTEGER;
UPDATE event SET hlc = unixepoch(at) * 65536000;
DROP INDEX event_entity;
CREATE INDEX event_entity ON event (entity, entity_id, hlc, device_id, seq);
INSERT INTO meta (key, value) SELECT 'hlc', ifnull(max(hlc), 0) FROM event WHERE true
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;

CREATE TABLE sync_proposal (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    tbl         TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('change', 'new', 'same')),
    detail      TEXT NOT NULL,
    row_values  TEXT NOT NULL,
    senders     TEXT NOT NULL,
    first_at    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    decided_at  TEXT,
    decided_by  TEXT
) STRICT;
CREATE INDEX sync_proposal_row ON sync_proposal (tbl, row_id, status);

CREATE TABLE sync_sent (
    hash  TEXT PRIMARY KEY,
    to_id TEXT NOT NULL,
    upto  INTEGER NOT NULL,
    full  INTEGER NOT NULL DEFAULT 0,
    at    TEXT NOT NULL
) STRICT;

ALTER TABLE sync_device ADD COLUMN clock_offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_device ADD COLUMN send_all INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sync_device ADD COLUMN retired_at TEXT;
ALTER TABLE sync_device ADD COLUMN database_id TEXT;

DELETE FROM sync_outbox;
INSERT INTO meta (key, value) SELECT 'sync_resend_all', '1' FROM meta
    WHERE key = 'sync_role' AND value = 'laptop';
"#,
    // 10 (issue 23): keys of their own. What travels is sealed to its recipient; a laptop
    // makes its keys at `join`, and the office takes them from its first bundle, vouched for
    // by the enrolment's one-time key (`enrol_key`). Laptops enrolled before keep the key
    // they had (`keyed`), and tell the office their age key at their next sync.
    include_str!("migrations/10-keys.sql"),
];

/// The migration after which the rows already there are sealed (`journal::seal_all`): since
/// schema 9, by local seals.
pub const SEALS_FROM: i64 = 9;

/// The oldest schema whose bundles this build takes in: older ones have the old shape of
/// `event` and the seals that travelled.
pub const SYNC_FROM: i64 = 10;

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}
