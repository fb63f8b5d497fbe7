package org.borderwatch.auth;

/** Statements about users and the cluster's token key. */
final class AuthSql {

    static final String INSERT_SECRET = """
            INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
    static final String SELECT_SECRET = "SELECT value FROM server_secret WHERE name = $1";
    static final String SELECT_USER = "SELECT password_hash, role, agency FROM users WHERE username = $1";
    static final String INSERT_USER = """
            INSERT INTO users (username, password_hash, role, agency) VALUES ($1, $2, $3, $4)""";
    /** First start only: whichever node gets here first creates admin, the others insert nothing. */
    static final String INSERT_ADMIN = """
            INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin')
            ON CONFLICT (username) DO NOTHING RETURNING username""";
    static final String ADMIN_EXISTS = "SELECT 1 FROM users WHERE username = 'admin'";

    private AuthSql() {
    }
}
