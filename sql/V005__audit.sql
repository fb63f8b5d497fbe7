-- The audit log (API.md §3): who did what, when, from which address, with the state before and after. Append-only
-- for the server: a trigger refuses every UPDATE, DELETE and TRUNCATE, so neither a bug nor an injected statement
-- can rewrite history. (The table's owner can still disable the trigger on purpose, e.g. for a retention policy.)
-- No foreign keys: an entry outlives the user, unit or agency it names.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time         timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor        text,                              -- username, 'device:<unit>', or the name a failed login gave
    actor_agency text,                              -- the actor's agency; null for a failed login of no known user
    action       text NOT NULL,                     -- e.g. login, login.failed, user.update, unit.key, share.delete
    target       text,                              -- what was acted on: a username, unit, agency, share, fence id
    address      text,                              -- the client's address
    before       jsonb,
    after        jsonb
);
CREATE INDEX audit_log_time_idx ON audit_log (time DESC);
CREATE INDEX audit_log_agency_time_idx ON audit_log (actor_agency, time DESC);

CREATE FUNCTION bw_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION bw_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION bw_audit_log_append_only();
