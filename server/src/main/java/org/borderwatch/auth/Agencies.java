package org.borderwatch.auth;

import org.borderwatch.http.ApiException;

/** Which agency a new unit, user, geofence or webhook belongs to (API.md §9): the creator's, unless root says. */
public final class Agencies {

    /** Agency ids: short, stable, safe in a URL, a topic and a log line. */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";

    private Agencies() {
    }

    /**
     * The agency of something {@code creator} creates with the request's {@code agency} field: the creator's own when
     * absent; another only for a root admin. Whether it exists is the database's to say (a foreign key).
     */
    public static String forNew(Principal creator, Object requested) {
        if (requested == null) {
            return creator.agency();
        }
        if (!(requested instanceof String agency) || !agency.matches(ID_PATTERN)) {
            throw ApiException.badRequest("agency must be an agency id", "agency");
        }
        if (!agency.equals(creator.agency()) && !creator.isRoot()) {
            throw ApiException.forbidden("only root administers other agencies");
        }
        return agency;
    }
}
