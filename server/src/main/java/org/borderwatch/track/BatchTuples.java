package org.borderwatch.track;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import net.postgis.jdbc.geometry.Point;
import net.postgis.jdbc.geometry.binary.BinaryWriter;
import org.borderwatch.Times;
import org.borderwatch.geofence.Crossing;
import org.borderwatch.geofence.Membership;
import org.borderwatch.geofence.UnitFences;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Column arrays for {@link TrackSql}'s statements: a whole batch travels as one row of arrays, unnested in SQL. */
final class BatchTuples {

    private final BinaryWriter wkb = new BinaryWriter();

    /**
     * @param evaluate whether PostGIS should classify each fix against the fences
     * @param margin   each fix's own margin (its reported accuracy), metres
     * @param reach    how far around each fix to look for fences, metres
     * @param known    newest fence revision this node was told of
     */
    Tuple store(List<Position> batch, boolean[] evaluate, double[] margin, double reach, KnownFences known) {
        int n = batch.size();
        Integer[] idx = new Integer[n];
        String[] unitIds = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Buffer[] geoms = new Buffer[n];
        Double[] alt = new Double[n];
        Double[] speed = new Double[n];
        Double[] heading = new Double[n];
        Double[] accuracy = new Double[n];
        Double[] battery = new Double[n];
        String[] attributes = new String[n];
        Boolean[] eval = new Boolean[n];
        Double[] margins = new Double[n];
        Double[] reaches = new Double[n];
        for (int i = 0; i < n; i++) {
            Position p = batch.get(i);
            idx[i] = i;
            unitIds[i] = p.unitId();
            times[i] = Times.utc(p.time());
            Point point = new Point(p.lon(), p.lat());
            point.setSrid(4326);
            geoms[i] = Buffer.buffer(wkb.writeBinary(point));
            alt[i] = p.alt();
            speed[i] = p.speed();
            heading[i] = p.heading();
            accuracy[i] = p.accuracy();
            battery[i] = p.battery();
            attributes[i] = p.attributes() == null ? null : p.attributes().encode();
            eval[i] = evaluate[i];
            margins[i] = margin[i];
            reaches[i] = Math.max(margin[i], reach);
        }
        return Tuple.tuple(List.of(idx, unitIds, times, geoms, alt, speed, heading, accuracy, battery, attributes,
                eval, margins, reaches, known.newest(), known.ids(), known.revisions()));
    }

    /**
     * @param before each unit's state as committed
     * @param after  the same units after this batch
     * @param newest each unit's newest fix in this batch
     * @param aliveOnly the batch's units with no fix newer than their last: only their arrival time changes
     */
    Tuple apply(Map<String, UnitFences> before, Map<String, UnitFences> after, Map<String, Position> newest,
                List<Crossing> crossings, String[] aliveOnly) {
        List<String> goneUnits = new ArrayList<>();
        List<String> goneFences = new ArrayList<>();
        List<String> cameUnits = new ArrayList<>();
        List<String> cameFences = new ArrayList<>();
        List<OffsetDateTime> cameAt = new ArrayList<>();
        List<Boolean> cameDwell = new ArrayList<>();
        after.forEach((unitId, state) -> {
            Map<String, Membership> was = before.getOrDefault(unitId, UnitFences.empty()).inside();
            was.keySet().stream().filter(f -> !state.inside().containsKey(f)).forEach(f -> {
                goneUnits.add(unitId);
                goneFences.add(f);
            });
            state.inside().forEach((f, membership) -> {
                if (!membership.equals(was.get(f))) {
                    cameUnits.add(unitId);
                    cameFences.add(f);
                    cameAt.add(Times.utc(membership.enteredAt()));
                    cameDwell.add(membership.dwellAlerted());
                }
            });
        });
        int n = newest.size();
        String[] ids = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] lat = new Double[n];
        Double[] lon = new Double[n];
        Double[] speed = new Double[n];
        Double[] heading = new Double[n];
        int i = 0;
        for (Position p : newest.values()) {
            ids[i] = p.unitId();
            times[i] = Times.utc(p.time());
            lat[i] = p.lat();
            lon[i] = p.lon();
            speed[i] = p.speed();
            heading[i] = p.heading();
            i++;
        }
        int m = crossings.size();
        String[] types = new String[m];
        String[] alertUnits = new String[m];
        String[] alertFences = new String[m];
        String[] fenceNames = new String[m];
        String[] severities = new String[m];
        OffsetDateTime[] alertTimes = new OffsetDateTime[m];
        Double[] alertLat = new Double[m];
        Double[] alertLon = new Double[m];
        for (int j = 0; j < m; j++) {
            Crossing c = crossings.get(j);
            types[j] = c.type();
            alertUnits[j] = c.position().unitId();
            alertFences[j] = c.fence().id();
            fenceNames[j] = c.fence().name();
            severities[j] = c.fence().severity();
            alertTimes[j] = Times.utc(c.position().time());
            alertLat[j] = c.position().lat();
            alertLon[j] = c.position().lon();
        }
        return Tuple.tuple(List.of(
                goneUnits.toArray(String[]::new), goneFences.toArray(String[]::new),
                cameUnits.toArray(String[]::new), cameFences.toArray(String[]::new),
                cameAt.toArray(OffsetDateTime[]::new), cameDwell.toArray(Boolean[]::new),
                ids, times, lat, lon, speed, heading,
                types, alertUnits, alertFences, fenceNames, severities, alertTimes, alertLat, alertLon, aliveOnly));
    }
}
