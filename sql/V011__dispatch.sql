-- Sensors, detections and dispatch (issue 13, API.md §10).

-- A unit's own properties; for a sensor {"sensor":{"kind","coverage"?,"bearing"?,"fovDegrees"?,"rangeMeters"?}}.
ALTER TABLE units ADD COLUMN properties jsonb;

-- Where every unit is, indexed for the nearest-unit search (KNN with <-> on geography: distances on the sphere,
-- re-ranked on the ellipsoid). Generated from lat/lon, so the track writer's upsert needs no change.
ALTER TABLE unit_state ADD COLUMN geog geography(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED;
CREATE INDEX unit_state_geog_idx ON unit_state USING gist (geog);

-- A detection alert is an incident: it lists the nearest patrol units when raised or grown, counts the detections
-- it joins, and records who was sent, when, and when they arrived.
ALTER TABLE alerts ADD COLUMN nearest jsonb;
ALTER TABLE alerts ADD COLUMN detections integer;
ALTER TABLE alerts ADD COLUMN assigned_unit_id text;
ALTER TABLE alerts ADD COLUMN assigned_by text;
ALTER TABLE alerts ADD COLUMN assigned_at timestamptz;
ALTER TABLE alerts ADD COLUMN arrived_at timestamptz;
-- The arrival check looks only at assignments still on their way.
CREATE INDEX alerts_en_route_idx ON alerts (assigned_unit_id) WHERE assigned_unit_id IS NOT NULL AND arrived_at IS NULL;

CREATE TABLE detections (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sensor_id   text NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    time        timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    geom        geometry(Point, 4326) NOT NULL,
    bearing     double precision,
    range_m     double precision,
    confidence  double precision,
    attributes  jsonb,
    alert_id    uuid REFERENCES alerts (id) ON DELETE SET NULL
);
-- A sensor retrying a post stores its detection once.
CREATE UNIQUE INDEX detections_once_idx ON detections (sensor_id, time, kind);
-- Joining an incident looks for recent detections near a new one.
CREATE INDEX detections_time_idx ON detections (time);
CREATE INDEX detections_geom_idx ON detections USING gist (geom);

-- The nearest units of an alert that agency `viewer` may see (API.md §9): a viewer who sees a shared sensor's alert
-- does not learn of patrol units it may not see. Order kept.
CREATE FUNCTION bw_visible_nearest(viewer text, nearest jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN nearest IS NULL THEN NULL ELSE coalesce(
        (SELECT jsonb_agg(e.n ORDER BY e.ord)
         FROM jsonb_array_elements(nearest) WITH ORDINALITY AS e(n, ord)
         JOIN units u ON u.id = e.n ->> 'unitId'
         WHERE bw_sees_unit(viewer, u.agency, u.type, u.id)),
        '[]'::jsonb) END
$$;
