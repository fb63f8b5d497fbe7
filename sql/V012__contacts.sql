-- Contacts (issue 13, API.md §10): tracks of objects that carry no tracker, reported by radars and cameras over
-- HTTP, by an ADS-B (SBS-1) feed and by AIS. Geofences choose whether they watch units, contacts or both.

-- What a fence watches (API.md §5): every fence before this one watched units.
ALTER TABLE geofences ADD COLUMN targets text[] NOT NULL DEFAULT '{units}'
    CHECK (cardinality(targets) > 0 AND targets <@ ARRAY['units', 'contacts']);

-- The newest state of every contact: one row per (source, track id), id = source || ':' || track id. A contact
-- belongs to the agency of the sensor, user or feed that first reported it; reports from another agency never
-- change it.
CREATE TABLE contacts (
    id          text PRIMARY KEY,
    source      text NOT NULL,
    track_id    text NOT NULL,
    agency      text NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    kind        text CHECK (kind IN ('person', 'vehicle', 'vessel', 'aircraft')),
    name        text,                                   -- callsign, vessel name: what a map labels it with
    time        timestamptz NOT NULL,                   -- of the newest fix; -infinity while its first commit runs
    lat         double precision NOT NULL,
    lon         double precision NOT NULL,
    alt         double precision,                       -- metres (ADS-B: barometric altitude)
    speed       double precision,
    heading     double precision,
    attributes  jsonb,
    reported_by text,                                   -- sensor unit id, username or feed of the newest fix
    received_at timestamptz NOT NULL DEFAULT now(),
    geom        geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
);
-- GET /api/v1/contacts asks for recent contacts in a box; the map loads the recent ones at start.
CREATE INDEX contacts_time_idx ON contacts (time);
CREATE INDEX contacts_geom_idx ON contacts USING gist (geom);

-- Every fix of every contact, for trails. No foreign key and no spatial index: ADS-B brings hundreds of fixes a
-- second, and nothing asks for contact fixes by area. Purged after BW_CONTACT_RETENTION_HOURS (BRIN on time).
CREATE TABLE contact_positions (
    contact_id  text NOT NULL,
    time        timestamptz NOT NULL,
    lat         double precision NOT NULL,
    lon         double precision NOT NULL,
    alt         double precision,
    speed       double precision,
    heading     double precision,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contact_id, time)
);
CREATE INDEX contact_positions_time_idx ON contact_positions USING brin (time);

-- Which contact fences each contact is inside, written in the transaction that stored the fixes deciding it.
CREATE TABLE contact_fence_state (
    contact_id  text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    geofence_id uuid NOT NULL,                          -- no foreign key, as geofence_state
    entered_at  timestamptz NOT NULL,
    PRIMARY KEY (contact_id, geofence_id)
);
CREATE INDEX contact_fence_state_fence_idx ON contact_fence_state (geofence_id);

-- An alert about a contact: unit_id holds the contact id and this the contact's agency, which decides who sees the
-- alert (bw_sees_agency, as for the contact itself). Null for every alert about a unit.
ALTER TABLE alerts ADD COLUMN contact_agency text;
