package org.borderwatch.auth;

/** Statements about users, their sessions, failed sign-ins and the cluster's token key. */
final class AuthSql {

    static final String INSERT_SECRET = """
            INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
    static final String SELECT_SECRET = "SELECT value FROM server_secret WHERE name = $1";
    static final String SELECT_USER = """
            SELECT password_hash, role, agency, disabled, tokens_valid_after FROM users WHERE username = $1""";
    static final String INSERT_USER = """
            INSERT INTO users (username, password_hash, role, agency) VALUES ($1, $2, $3, $4)""";
    /** First start only: whichever node gets here first creates admin, the others insert nothing. */
    static final String INSERT_ADMIN = """
            INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin')
            ON CONFLICT (username) DO NOTHING RETURNING username""";
    static final String ADMIN_EXISTS = "SELECT 1 FROM users WHERE username = 'admin'";

    /** The users an admin of agency $1 administers (null: root, all of them); never their password hashes. */
    static final String SELECT_USERS = """
            SELECT username, role, agency, disabled, created_at FROM users
            WHERE $1::text IS NULL OR agency = $1 ORDER BY username""";
    /**
     * Changes a user of agency $6 (null: any); null parameters leave their column as it is. A new password, another
     * role or a disabling revokes the user's tokens from $5 on. Returns the user before and after.
     */
    static final String UPDATE_USER = """
            UPDATE users u SET role = coalesce($2::text, u.role), password_hash = coalesce($3::text, u.password_hash),
                disabled = coalesce($4::boolean, u.disabled),
                tokens_valid_after = CASE WHEN $3::text IS NOT NULL OR $2::text <> old.role
                                               OR ($4::boolean AND NOT old.disabled)
                                          THEN $5 ELSE u.tokens_valid_after END
            FROM (SELECT username, role, disabled FROM users WHERE username = $1 FOR UPDATE) old
            WHERE u.username = old.username AND ($6::text IS NULL OR u.agency = $6)
            RETURNING u.username, u.role, u.agency, u.disabled, u.created_at, u.tokens_valid_after,
                old.role AS old_role, old.disabled AS old_disabled""";

    /** What every node loads at start: the users with a revocation. */
    static final String SELECT_REVOCATIONS = """
            SELECT username, disabled, tokens_valid_after FROM users
            WHERE disabled OR tokens_valid_after IS NOT NULL""";
    static final String SELECT_SIGNED_OUT = "SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > now()";
    static final String INSERT_SIGNED_OUT = """
            INSERT INTO revoked_tokens (jti, username, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";
    static final String PURGE_SIGNED_OUT = "DELETE FROM revoked_tokens WHERE expires_at < now()";

    /** The newest failures of a username ($1) and an address ($2) within the last $3 seconds. */
    static final String SELECT_FAILURES = failures("$1", LoginThrottle.MAX_PER_USER) + " UNION ALL "
            + failures("$2", LoginThrottle.MAX_PER_ADDRESS);
    static final String INSERT_FAILURES = "INSERT INTO login_failures (subject) VALUES ($1), ($2)";
    static final String DELETE_USER_FAILURES = "DELETE FROM login_failures WHERE subject = $1";
    static final String PURGE_FAILURES = "DELETE FROM login_failures WHERE at < now() - $1::int * interval '1 second'";

    private AuthSql() {
    }

    /** The newest {@code limit} failures of one subject within the last $3 seconds: all the throttle reads. */
    private static String failures(String subject, int limit) {
        return "(SELECT subject, at FROM login_failures WHERE subject = " + subject
                + " AND at > now() - $3::int * interval '1 second' ORDER BY at DESC LIMIT " + limit + ")";
    }
}
