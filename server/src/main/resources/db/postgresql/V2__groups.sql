-- Groups (issue 14, PROTOCOL.md 7.12): the same tables as the SQLite schema's migration 5
-- (server/src/main/java/parley/server/store/Schema.java). Roles: 1 owner, 2 admin, 3 member,
-- 4 invitee. Rows are keyed by the group's random 16-byte id.

CREATE TABLE groups (
    id BYTEA PRIMARY KEY CHECK (octet_length(id) = 16),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id BYTEA NOT NULL REFERENCES groups(id),
    account BIGINT NOT NULL REFERENCES accounts(id),
    role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),
    since BIGINT NOT NULL,
    PRIMARY KEY (group_id, account)
);

CREATE INDEX group_members_account ON group_members(account);
