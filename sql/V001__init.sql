-- Borderwatch schema, version 1. Never edit a released migration: add V002__… instead.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Shared secrets of the cluster (the login-token signing key), created once by the first node that starts.
CREATE TABLE server_secret (
    name  text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE users (
    username      text PRIMARY KEY,
    password_hash text NOT NULL,                    -- bcrypt
    role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE units (
    id              text PRIMARY KEY,
    name            text NOT NULL,
    type            text NOT NULL CHECK (type IN ('drone', 'vehicle', 'boat', 'foot', 'aircraft', 'sensor')),
    device_key_hash text NOT NULL UNIQUE,           -- SHA-256 of a 256-bit random key
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Every position ever accepted. The primary key makes (unit, time) idempotent and serves track queries; no
-- spatial index here on purpose: it would cut batched ingest several-fold and nothing queries positions by area.
CREATE TABLE positions (
    unit_id     text NOT NULL,
    time        timestamptz NOT NULL,
    geom        geometry(Point, 4326) NOT NULL,
    alt         double precision,
    speed       double precision,
    heading     double precision,
    accuracy    double precision,
    battery     double precision,
    attributes  jsonb,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_id, time)
);

-- The newest applied position per unit: the map's last-known position and the clock that orders geofence state.
CREATE TABLE unit_state (
    unit_id     text PRIMARY KEY REFERENCES units (id) ON DELETE CASCADE,
    time        timestamptz NOT NULL,
    lat         double precision NOT NULL,
    lon         double precision NOT NULL,
    speed       double precision,
    heading     double precision,
    received_at timestamptz NOT NULL DEFAULT now(),
    silence     text CHECK (silence IN ('stale', 'lost'))  -- the silence already alerted for this last fix
);

CREATE TABLE geofences (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('polygon', 'circle', 'corridor')),
    geom        geometry(Geometry, 4326) NOT NULL,  -- the area as drawn (circles and corridors as polygons)
    shape       geography,                          -- circle centre or corridor line, for exact metric tests
    radius_m    double precision,                   -- circle radius or corridor half-width
    edge        geography,                          -- a polygon's boundary, for margins measured in metres
    search      geometry(Polygon, 4326) NOT NULL,   -- box that covers the exact shape; the indexed column
    margin_m    double precision NOT NULL DEFAULT 0, -- hysteresis band around the edge against GPS jitter
    schedule    jsonb,                              -- weekly window when the fence raises alerts; null = always
    severity    text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    rules       jsonb NOT NULL,
    unit_types  text[],
    properties  jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX geofences_search_idx ON geofences USING gist (search);

-- Which fences each unit is inside, written in the same transaction as the positions that decided it, so a
-- restart neither repeats nor loses a crossing.
CREATE TABLE geofence_state (
    unit_id     text NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    geofence_id uuid NOT NULL,                      -- no foreign key: a fence deleted mid-batch must not fail ingest
    entered_at  timestamptz NOT NULL,
    dwell_alerted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (unit_id, geofence_id)
);

CREATE TABLE alerts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type          text NOT NULL CHECK (type IN ('enter', 'exit', 'dwell', 'stale', 'lost')),
    unit_id       text NOT NULL,
    geofence_id   uuid,
    geofence_name text,
    severity      text NOT NULL,
    time          timestamptz NOT NULL,
    detected_at   timestamptz NOT NULL DEFAULT now(),
    lat           double precision,
    lon           double precision,
    acked_by      text,
    acked_at      timestamptz
);
-- One crossing, one alert: a retried or replayed evaluation hits this key and inserts nothing.
CREATE UNIQUE INDEX alerts_once_idx
    ON alerts (unit_id, type, coalesce(geofence_id, '00000000-0000-0000-0000-000000000000'::uuid), time);
CREATE INDEX alerts_detected_idx ON alerts (detected_at DESC);

-- Alert subscribers. Each alert gets a delivery row per matching webhook in the same transaction that stored the
-- alert, so a crash between the two cannot lose a delivery.
CREATE TABLE webhooks (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url        text NOT NULL,
    secret     text NOT NULL,                       -- HMAC-SHA256 key for X-Borderwatch-Signature
    types      text[],                              -- null = every alert type
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    alert_id        uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text,
    PRIMARY KEY (webhook_id, alert_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
