-- Orleans membership (clustering provider). One version row per cluster (DeploymentId = cluster id) and one row per
-- silo incarnation. Every membership change bumps the version row in the same statement, which is how Orleans gets
-- its compare-and-swap on the whole table. Each statement below is a single SQL statement, so it is atomic on its
-- own: a unique-key race raises an error (Orleans counts an error as a failed write and retries), never a half write.
-- Status values are Orleans' SiloStatus (3 = Active, 6 = Dead).
CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId::varchar)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created;
$q$),

-- Adds a silo row only when the caller saw the current table version, and bumps the version in the same statement.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = @DeploymentId::varchar
      AND Version = @Version::integer
      AND NOT EXISTS (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = @DeploymentId::varchar AND Address = @Address::varchar
            AND Port = @Port::integer AND Generation = @Generation::integer)
    RETURNING DeploymentId),
added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT bumped.DeploymentId, @Address::varchar, @Port::integer, @Generation::integer, @SiloName::varchar,
           @HostName::varchar, @Status::integer, @ProxyPort::integer, @StartTime::timestamptz, @IAmAliveTime::timestamptz
    FROM bumped
    RETURNING 1)
SELECT count(*)::integer FROM added;
$q$),

-- Changes a silo row only when the caller saw the current table version; the version moves only if the row exists.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = @DeploymentId::varchar
      AND Version = @Version::integer
      AND EXISTS (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = @DeploymentId::varchar AND Address = @Address::varchar
            AND Port = @Port::integer AND Generation = @Generation::integer)
    RETURNING DeploymentId),
changed AS (
    UPDATE OrleansMembershipTable AS m
    SET Status = @Status::integer, SuspectTimes = @SuspectTimes::varchar, IAmAliveTime = @IAmAliveTime::timestamptz
    FROM bumped
    WHERE m.DeploymentId = bumped.DeploymentId AND m.Address = @Address::varchar
      AND m.Port = @Port::integer AND m.Generation = @Generation::integer
    RETURNING 1)
SELECT count(*)::integer FROM changed;
$q$),

-- Heartbeat: not versioned (Orleans treats it as a liveness hint, not a membership change).
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime::timestamptz
WHERE DeploymentId = @DeploymentId::varchar AND Address = @Address::varchar
  AND Port = @Port::integer AND Generation = @Generation::integer;
$q$),

-- Both reads return the version row even when no silo row matches (LEFT JOIN): Orleans needs the version either way.
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address::varchar
      AND m.Port = @Port::integer AND m.Generation = @Generation::integer
WHERE v.DeploymentId = @DeploymentId::varchar;
$q$),

('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId::varchar;
$q$),

('DeleteMembershipTableEntriesKey', $q$
WITH silos AS (
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId::varchar)
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId::varchar;
$q$),

('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId::varchar AND Status = @Status::integer AND ProxyPort > 0;
$q$),

-- Old dead rows: only Dead silos (6) whose last heartbeat is before the cut-off.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId::varchar
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime::timestamptz
  AND StartTime < @IAmAliveTime::timestamptz;
$q$),

-- One dead row, only if it is still exactly what the caller read (no concurrent change slips through).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId::varchar AND Status = 6
  AND Address = @Address::varchar AND Port = @Port::integer AND Generation = @Generation::integer
  AND IAmAliveTime = @IAmAliveTime::timestamptz AND StartTime = @StartTime::timestamptz
  AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes::varchar;
$q$);
