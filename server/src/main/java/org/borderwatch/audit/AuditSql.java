package org.borderwatch.audit;

/** Statements about the audit log. */
final class AuditSql {

    static final String INSERT = """
            INSERT INTO audit_log (actor, actor_agency, action, target, address, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    /** Entries of agency $1 (null: root, every entry), newest first, filtered by $2 since, $3 actor, $4 action. */
    static final String SEARCH = """
            SELECT id, time, actor, actor_agency, action, target, address, before, after FROM audit_log
            WHERE ($1::text IS NULL OR actor_agency = $1)
              AND ($2::timestamptz IS NULL OR time >= $2)
              AND ($3::text IS NULL OR actor = $3)
              AND ($4::text IS NULL OR action = $4)
            ORDER BY time DESC, id DESC
            LIMIT $5""";

    private AuditSql() {
    }
}
