"""The workspace schema, as an ordered list of migrations.

Version N is ``MIGRATIONS[N - 1]``. Released migrations are never edited: a change to
the schema is a new entry that adds or transforms, so an upgrade never loses data.
"""

from __future__ import annotations

_V1 = [
    """
    CREATE TABLE schema_version (
        version     INTEGER NOT NULL,
        applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    "CREATE SEQUENCE owner_ids START 1",
    """
    CREATE TABLE owners (
        id               INTEGER PRIMARY KEY DEFAULT nextval('owner_ids'),
        name             VARCHAR NOT NULL UNIQUE,
        programme        VARCHAR,
        graduation_year  INTEGER,
        created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    "CREATE SEQUENCE contact_ids START 1",
    # Keys (url_key, email_key, name_key, company_key) are the normalised identity of a
    # person; precedence ranks the most trusted source that has written the row.
    """
    CREATE TABLE contacts (
        id              INTEGER PRIMARY KEY DEFAULT nextval('contact_ids'),
        owner_id        INTEGER NOT NULL,
        name            VARCHAR NOT NULL,
        email           VARCHAR,
        linkedin_url    VARCHAR,
        company         VARCHAR,
        position        VARCHAR,
        industry        VARCHAR,
        source          VARCHAR,
        referred_by_id  INTEGER,
        connected_on    DATE,
        status          VARCHAR,
        notes           VARCHAR,
        url_key         VARCHAR,
        email_key       VARCHAR,
        name_key        VARCHAR NOT NULL,
        company_key     VARCHAR,
        precedence      SMALLINT NOT NULL DEFAULT 0,
        origin          VARCHAR NOT NULL DEFAULT 'import',
        created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
        updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    "CREATE INDEX contacts_owner ON contacts (owner_id)",
    "CREATE SEQUENCE import_ids START 1",
    """
    CREATE TABLE imports (
        id                INTEGER PRIMARY KEY DEFAULT nextval('import_ids'),
        owner_id          INTEGER NOT NULL,
        file_name         VARCHAR NOT NULL,
        sha256            VARCHAR NOT NULL,
        kind              VARCHAR NOT NULL,
        rows              INTEGER NOT NULL,
        contacts_added    INTEGER NOT NULL,
        contacts_updated  INTEGER NOT NULL,
        events_added      INTEGER NOT NULL,
        warnings          VARCHAR[] NOT NULL,
        imported_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    "CREATE SEQUENCE event_ids START 1",
    # origin says where a step came from: 'import' (import_id names the file that first
    # brought it), 'manual' (logged in the app or CLI) or 'demo'.
    """
    CREATE TABLE events (
        id                BIGINT PRIMARY KEY DEFAULT nextval('event_ids'),
        owner_id          INTEGER NOT NULL,
        contact_id        INTEGER NOT NULL,
        kind              VARCHAR NOT NULL,
        on_date           DATE,
        about_contact_id  INTEGER,
        detail            VARCHAR,
        origin            VARCHAR NOT NULL DEFAULT 'import',
        import_id         INTEGER,
        created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    "CREATE INDEX events_contact ON events (contact_id)",
    "CREATE SEQUENCE prep_plan_ids START 1",
    """
    CREATE TABLE prep_plans (
        id          INTEGER PRIMARY KEY DEFAULT nextval('prep_plan_ids'),
        owner_id    INTEGER NOT NULL,
        contact_id  INTEGER NOT NULL,
        meeting_on  DATE,
        minutes     INTEGER NOT NULL,
        plan        JSON NOT NULL,
        created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
        updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
    """,
    """
    CREATE TABLE settings (
        owner_id  INTEGER NOT NULL,
        key       VARCHAR NOT NULL,
        value     JSON NOT NULL,
        PRIMARY KEY (owner_id, key)
    )
    """,
]

# v2: target organisations. company_key is identity.company_key of the name, worked out
# in Python when the target is written (SQL cannot call it), so targets match contacts
# tolerantly ("Acme Inc." and "ACME" share a key). origin is as for contacts and events.
_V2 = [
    "CREATE SEQUENCE target_ids START 1",
    """
    CREATE TABLE targets (
        id            INTEGER PRIMARY KEY DEFAULT nextval('target_ids'),
        owner_id      INTEGER NOT NULL,
        organisation  VARCHAR NOT NULL,
        company_key   VARCHAR NOT NULL,
        notes         VARCHAR,
        origin        VARCHAR NOT NULL DEFAULT 'manual',
        added_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
        UNIQUE (owner_id, company_key)
    )
    """,
]

# v3: meeting debriefs, one per contact and meeting day (saving again updates it).
# learned is the Insight and advice the Advice of AIR; referred_ids lists the contacts
# named in the debrief (the Referral), whoever is down as their referrer.
_V3 = [
    "CREATE SEQUENCE debrief_ids START 1",
    """
    CREATE TABLE debriefs (
        id                  INTEGER PRIMARY KEY DEFAULT nextval('debrief_ids'),
        owner_id            INTEGER NOT NULL,
        contact_id          INTEGER NOT NULL,
        meeting_on          DATE NOT NULL,
        learned             VARCHAR,
        advice              VARCHAR,
        follow_up_promised  VARCHAR,
        notes               VARCHAR,
        referred_ids        INTEGER[] NOT NULL DEFAULT [],
        created_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
        updated_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
        UNIQUE (contact_id, meeting_on)
    )
    """,
]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3]
