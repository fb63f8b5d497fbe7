package org.borderwatch.track;

import java.util.Map;
import java.util.UUID;

/**
 * The fence versions this node was told of when a commit starts: each fence's newest announced revision, and the
 * newest revision of any announcement. Announcements of concurrent changes can arrive out of revision order, so the
 * newest alone does not say which fences are known: a fence created at revision 10 whose announcement is still on its
 * way, behind one of revision 11, is not. The commit holds the memberships of every fence the database has at a
 * revision this node was not told of (see {@code TrackSql.STORE_AND_CLASSIFY}).
 */
record KnownFences(long newest, UUID[] ids, Long[] revisions) {

    static KnownFences of(Map<String, Long> revisions, long newest) {
        UUID[] ids = new UUID[revisions.size()];
        Long[] values = new Long[revisions.size()];
        int i = 0;
        for (Map.Entry<String, Long> entry : revisions.entrySet()) {
            ids[i] = UUID.fromString(entry.getKey());
            values[i] = entry.getValue();
            i++;
        }
        return new KnownFences(newest, ids, values);
    }
}
