-- What a round grain needs beyond the configuration to rebuild its round on any silo (docs/cluster-design.md 3):
-- the scheme, the host's minimum of first-stage senders, the per-stage deadlines and a float round's encoding.
-- ended_phase is a cache for listings (1 completed, 2 aborted); the round's log stays the truth.
ALTER TABLE securefed_rounds
    ADD COLUMN scheme         smallint NOT NULL DEFAULT 0 CHECK (scheme >= 0),
    ADD COLUMN min_clients    integer  NOT NULL DEFAULT 0 CHECK (min_clients >= 0),
    ADD COLUMN deadlines_ms   bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN float_encoding bytea,
    ADD COLUMN ended_phase    smallint CHECK (ended_phase IN (1, 2));
CREATE INDEX ix_securefed_rounds_running ON securefed_rounds (opened_at) WHERE ended_phase IS NULL;

-- The round engine version each cluster (Orleans cluster id) runs: a silo built with another engine refuses to join
-- while silos of the recorded version are alive, instead of replaying logs it would misread.
CREATE TABLE securefed_cluster_engines
(
    cluster_id     text        NOT NULL,
    engine_version integer     NOT NULL CHECK (engine_version > 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_securefed_cluster_engines PRIMARY KEY (cluster_id)
);
