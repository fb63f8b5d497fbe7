-- Step 2 of 3 (see V008), in a transaction of its own: checks the old rows against the bound. VALIDATE scans the
-- table under a SHARE UPDATE EXCLUSIVE lock only, so ingest and reads go on meanwhile; the scan is why this is not
-- part of V008 (whose ACCESS EXCLUSIVE lock would be held through it) nor of V010.
ALTER TABLE positions VALIDATE CONSTRAINT positions_legacy_bound;
