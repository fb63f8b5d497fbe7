package org.borderwatch.auth;

/** Statements about agencies and shares. */
final class SharingSql {

    static final String SELECT_ALL = "SELECT id, from_agency, to_agency, unit_types, unit_ids FROM shares";
    static final String INSERT_AGENCY = "INSERT INTO agencies (id, name) VALUES ($1, $2) RETURNING id, name";
    static final String SELECT_AGENCIES = "SELECT id, name FROM agencies ORDER BY id";
    static final String INSERT_SHARE = """
            INSERT INTO shares (from_agency, to_agency, unit_types, unit_ids, created_by) VALUES ($1, $2, $3, $4, $5)
            RETURNING id, from_agency, to_agency, unit_types, unit_ids""";
    /** Shares an admin may see: those its agency gives or gets ($1 = null: root, all of them). */
    static final String SELECT_SHARES = """
            SELECT id, from_agency, to_agency, unit_types, unit_ids FROM shares
            WHERE $1::text IS NULL OR from_agency = $1 OR to_agency = $1 ORDER BY created_at""";
    /** Deletes a share its agency gave ($2 = null: root, any); returns it as it was when deleted. */
    static final String DELETE_SHARE = """
            DELETE FROM shares WHERE id = $1 AND ($2::text IS NULL OR from_agency = $2)
            RETURNING id, from_agency, to_agency, unit_types, unit_ids""";

    private SharingSql() {
    }
}
