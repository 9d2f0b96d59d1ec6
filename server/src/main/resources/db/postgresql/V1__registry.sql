-- Parley registry on PostgreSQL (issue 16): the same tables as the SQLite schema's migrations 1-4
-- (server/src/main/java/parley/server/store/Schema.java), in one step, since no PostgreSQL
-- registry predates them. Portable to the Postgres-wire distributed engines (CockroachDB,
-- YugabyteDB): no triggers, no stored procedures, no sequences beyond BIGSERIAL, every row keyed
-- by a user's id so a sharded engine can place it with its user. Never edit a released
-- migration: add V2__..., V3__... (groups, issue 14, come next).

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    salt BYTEA NOT NULL,
    iterations INTEGER NOT NULL,
    stored_key BYTEA NOT NULL,
    server_key BYTEA NOT NULL,
    visibility INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE contacts (
    low BIGINT NOT NULL REFERENCES accounts(id),
    high BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (low, high),
    CHECK (low < high)
);

CREATE TABLE contact_requests (
    from_id BIGINT NOT NULL REFERENCES accounts(id),
    to_id BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (from_id, to_id),
    CHECK (from_id <> to_id)
);
CREATE INDEX contact_requests_to ON contact_requests(to_id);

CREATE TABLE blocks (
    blocker BIGINT NOT NULL REFERENCES accounts(id),
    blocked BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker, blocked),
    CHECK (blocker <> blocked)
);
CREATE INDEX blocks_blocked ON blocks(blocked);

CREATE TABLE server_meta (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- The mailbox (PROTOCOL.md 7.10). sender is NULL on EXPIRED notices; about is then the name of
-- the recipient whose mail expired.
CREATE TABLE mailbox (
    recipient BIGINT NOT NULL REFERENCES accounts(id),
    seq BIGINT NOT NULL,
    sender BIGINT REFERENCES accounts(id),
    message_id BIGINT NOT NULL,
    deposited_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    blob BYTEA,
    about TEXT,
    PRIMARY KEY (recipient, seq),
    UNIQUE (sender, recipient, message_id),
    CHECK ((kind = 1 AND sender IS NOT NULL AND blob IS NOT NULL AND about IS NULL)
        OR (kind = 2 AND sender IS NULL AND blob IS NULL AND about IS NOT NULL))
);
CREATE INDEX mailbox_expiry ON mailbox(expires_at);

-- Each recipient's last sequence handed out. A deposit takes the next one with one upsert, whose
-- row lock orders concurrent deposits to one recipient, from any node.
CREATE TABLE mailbox_seq (
    recipient BIGINT PRIMARY KEY REFERENCES accounts(id),
    last_seq BIGINT NOT NULL
);

-- Identity bundles (issue 13, PROTOCOL.md 7.9).
CREATE TABLE identities (
    account BIGINT PRIMARY KEY REFERENCES accounts(id),
    bundle BYTEA NOT NULL CHECK (octet_length(bundle) = 128),
    updated_at BIGINT NOT NULL
);
