-- Agencies and sharing (API.md §9). Units, users, geofences and webhooks belong to one agency; agency 'root' sees
-- and administers everything. Existing rows belong to 'root', which is what everyone saw before agencies.
CREATE TABLE agencies (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO agencies (id, name) VALUES ('root', 'Root');

ALTER TABLE users ADD COLUMN agency text NOT NULL DEFAULT 'root' REFERENCES agencies (id);
ALTER TABLE units ADD COLUMN agency text NOT NULL DEFAULT 'root' REFERENCES agencies (id);
ALTER TABLE geofences ADD COLUMN agency text NOT NULL DEFAULT 'root' REFERENCES agencies (id);
ALTER TABLE webhooks ADD COLUMN agency text NOT NULL DEFAULT 'root' REFERENCES agencies (id);

-- What one agency shows another: all its units, or only those of some types, or only some units.
CREATE TABLE shares (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    from_agency text NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    to_agency   text NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    unit_types  text[],                             -- null = every type
    unit_ids    text[],                             -- null = every unit (of those types)
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (from_agency <> to_agency)
);
CREATE INDEX shares_pair_idx ON shares (to_agency, from_agency);

-- The visibility rule in SQL, for queries; its twin for streams is org.borderwatch.auth.Visibility. May a user of
-- agency `viewer` see a unit of agency `owner`, of type `unit_type`, with id `unit_id`?
CREATE FUNCTION bw_sees_unit(viewer text, owner text, unit_type text, unit_id text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT viewer = 'root' OR viewer = owner OR EXISTS (
        SELECT 1 FROM shares s
        WHERE s.to_agency = viewer AND s.from_agency = owner
          AND (s.unit_types IS NULL OR unit_type = ANY (s.unit_types))
          AND (s.unit_ids IS NULL OR unit_id = ANY (s.unit_ids)))
$$;

-- Geofences are visible to their agency and to the agencies it shares units with.
CREATE FUNCTION bw_sees_agency(viewer text, owner text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT viewer = 'root' OR viewer = owner
        OR EXISTS (SELECT 1 FROM shares s WHERE s.to_agency = viewer AND s.from_agency = owner)
$$;
