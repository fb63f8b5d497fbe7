-- Geofence revisions: every create, edit and delete takes the next number, so a node can tell a fence version it
-- has not been told about yet (an edit committed by another request or node, whose announcement is still on its
-- way) and hold that fence's memberships still until it has re-baselined them. Deletes keep the row, marked, so an
-- unannounced delete is recognised the same way instead of looking like every unit inside just left.
CREATE SEQUENCE geofence_revision;

ALTER TABLE geofences
    ADD COLUMN revision   bigint NOT NULL DEFAULT nextval('geofence_revision'),
    ADD COLUMN deleted_at timestamptz;

ALTER SEQUENCE geofence_revision OWNED BY geofences.revision;

-- Every group commit asks for the fences newer than the revision its node knows: nearly always none.
CREATE INDEX geofences_revision_idx ON geofences (revision);
