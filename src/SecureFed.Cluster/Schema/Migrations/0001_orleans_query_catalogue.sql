-- The Orleans ADO.NET providers (clustering, grain storage, reminders) ship no SQL: at start each reads its
-- statements from this table by query key and binds its own parameters (@Name) to them. The statements in the
-- migrations that follow are SecureFed's text for Microsoft.Orleans.*.AdoNet 10.4.2: the keys, parameter names and
-- result column names are that version's contract; everything else is ours.
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
