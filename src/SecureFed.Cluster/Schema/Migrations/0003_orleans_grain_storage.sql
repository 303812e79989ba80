-- Orleans grain state (AdoNet grain storage). One row per (service, grain type, grain id); Version is the ETag.
-- A write carries the version the grain last read (NULL for "never stored"); a write that does not match changes
-- nothing and returns the caller's own version, which Orleans reports as InconsistentStateException (two activations
-- of one grain, e.g. during a split brain, cannot both win). PostgreSQL 15's NULLS NOT DISTINCT makes the key unique
-- even for grains without a key extension, so two first writes race on the index, not on a table lock.
CREATE TABLE OrleansStorage
(
    GrainIdHash            integer       NOT NULL,
    GrainIdN0              bigint        NOT NULL,
    GrainIdN1              bigint        NOT NULL,
    GrainTypeHash          integer       NOT NULL,
    GrainTypeString        varchar(512)  NOT NULL,
    GrainIdExtensionString varchar(512)  NULL,
    ServiceId              varchar(150)  NOT NULL,
    PayloadBinary          bytea         NULL,
    ModifiedOn             timestamptz   NOT NULL DEFAULT now(),
    Version                integer       NOT NULL,
    CONSTRAINT UQ_OrleansStorage_Grain UNIQUE NULLS NOT DISTINCT
        (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE ServiceId = @ServiceId::varchar AND GrainTypeHash = @GrainTypeHash::integer
  AND GrainIdHash = @GrainIdHash::integer AND GrainIdN0 = @GrainIdN0::bigint AND GrainIdN1 = @GrainIdN1::bigint
  AND GrainTypeString = @GrainTypeString::varchar
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString::varchar;
$q$),

-- Always one row: the new version when the write happened, the caller's version when it did not.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary::bytea, ModifiedOn = now(), Version = Version + 1
    WHERE @GrainStateVersion::integer IS NOT NULL AND Version = @GrainStateVersion::integer
      AND ServiceId = @ServiceId::varchar AND GrainTypeHash = @GrainTypeHash::integer
      AND GrainIdHash = @GrainIdHash::integer AND GrainIdN0 = @GrainIdN0::bigint AND GrainIdN1 = @GrainIdN1::bigint
      AND GrainTypeString = @GrainTypeString::varchar
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
    RETURNING Version),
inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
         PayloadBinary, Version)
    SELECT @GrainIdHash::integer, @GrainIdN0::bigint, @GrainIdN1::bigint, @GrainTypeHash::integer,
           @GrainTypeString::varchar, @GrainIdExtensionString::varchar, @ServiceId::varchar, @PayloadBinary::bytea, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT COALESCE((SELECT Version FROM updated), (SELECT Version FROM inserted), @GrainStateVersion::integer)
       AS NewGrainStateVersion;
$q$),

-- Clear keeps the row (payload NULL) so the version keeps counting; same one-row answer as a write.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE Version = @GrainStateVersion::integer
      AND ServiceId = @ServiceId::varchar AND GrainTypeHash = @GrainTypeHash::integer
      AND GrainIdHash = @GrainIdHash::integer AND GrainIdN0 = @GrainIdN0::bigint AND GrainIdN1 = @GrainIdN1::bigint
      AND GrainTypeString = @GrainTypeString::varchar
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
    RETURNING Version)
SELECT COALESCE((SELECT Version FROM cleared), @GrainStateVersion::integer) AS NewGrainStateVersion;
$q$),

-- Used instead of ClearStorageKey when the provider is set to delete state on clear.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM OrleansStorage
    WHERE Version = @GrainStateVersion::integer
      AND ServiceId = @ServiceId::varchar AND GrainTypeHash = @GrainTypeHash::integer
      AND GrainIdHash = @GrainIdHash::integer AND GrainIdN0 = @GrainIdN0::bigint AND GrainIdN1 = @GrainIdN1::bigint
      AND GrainTypeString = @GrainTypeString::varchar
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
    RETURNING Version + 1 AS Version)
SELECT COALESCE((SELECT Version FROM deleted), @GrainStateVersion::integer) AS NewGrainStateVersion;
$q$);
