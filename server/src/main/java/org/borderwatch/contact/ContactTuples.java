package org.borderwatch.contact;

import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Column arrays for {@link ContactSql}'s statements: a whole batch travels as one row of arrays, unnested in SQL. */
final class ContactTuples {

    private ContactTuples() {
    }

    /** One row per contact of the batch (its first fix), sorted by id as the batch is: the rows to lock. */
    static Tuple lock(List<Contact> batch) {
        Map<String, Contact> first = new LinkedHashMap<>();
        batch.forEach(c -> first.putIfAbsent(c.id(), c));
        int n = first.size();
        String[] ids = new String[n];
        String[] sources = new String[n];
        String[] trackIds = new String[n];
        String[] agencies = new String[n];
        String[] kinds = new String[n];
        Double[] lat = new Double[n];
        Double[] lon = new Double[n];
        int i = 0;
        for (Contact c : first.values()) {
            ids[i] = c.id();
            sources[i] = c.source();
            trackIds[i] = c.trackId();
            agencies[i] = c.agency();
            kinds[i] = c.kind();
            lat[i] = c.lat();
            lon[i] = c.lon();
            i++;
        }
        return Tuple.tuple(List.of(ids, sources, trackIds, agencies, kinds, lat, lon));
    }

    static Tuple store(List<Contact> batch) {
        int n = batch.size();
        String[] ids = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] lat = new Double[n];
        Double[] lon = new Double[n];
        Double[] alt = new Double[n];
        Double[] speed = new Double[n];
        Double[] heading = new Double[n];
        String[] kinds = new String[n];
        String[] names = new String[n];
        String[] attributes = new String[n];
        String[] agencies = new String[n];
        String[] reporters = new String[n];
        for (int i = 0; i < n; i++) {
            Contact c = batch.get(i);
            ids[i] = c.id();
            times[i] = Times.utc(c.time());
            lat[i] = c.lat();
            lon[i] = c.lon();
            alt[i] = c.alt();
            speed[i] = c.speed();
            heading[i] = c.heading();
            kinds[i] = c.kind();
            names[i] = c.name();
            attributes[i] = c.attributes() == null ? null : c.attributes().encode();
            agencies[i] = c.agency();
            reporters[i] = c.reportedBy();
        }
        return Tuple.tuple(List.of(ids, times, lat, lon, alt, speed, heading, kinds, names, attributes, agencies,
                reporters));
    }
}
