-- Revocable sessions (API.md §3). A login token names its user and carries its id (jti) and issue time (iat); it
-- stops working when its user is disabled, when it was issued before the user's tokens_valid_after (a role or
-- password change, a disabling), or when it was signed out. Every node keeps these in memory, loaded at start.
ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz;      -- null: every token of the user still counts

-- Signed-out tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        text PRIMARY KEY,
    username   text NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expiry_idx ON revoked_tokens (expires_at);

-- Failed password checks (login, MQTT CONNECT, TAK auth) by username and by client address, for throttling
-- across the cluster. Rows older than the throttle window are no longer read and are deleted as they age.
CREATE TABLE login_failures (
    subject text NOT NULL,                          -- 'user:<username>' or 'addr:<address>'
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_subject_idx ON login_failures (subject, at DESC);
CREATE INDEX login_failures_at_idx ON login_failures (at);
