-- SecureFed's own round state for the cluster (the engine's grains write here; see docs/cluster-design.md).
-- Round ids are the service's 16-byte round ids. engine_version is the round engine's contract version that opened
-- the round: a silo with another engine refuses it instead of replaying a log it would misread.
CREATE TABLE securefed_rounds
(
    round_id       bytea       NOT NULL,
    federation     text        NOT NULL,
    engine_version integer     NOT NULL CHECK (engine_version > 0),
    configuration  bytea       NOT NULL,
    opened_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_securefed_rounds PRIMARY KEY (round_id),
    CONSTRAINT ck_securefed_rounds_id CHECK (octet_length(round_id) = 16)
);

-- The round's roster: who may contribute, with the identity key the round checks signatures against, and the shard
-- (mailbox grain) that holds the client's per-round state.
CREATE TABLE securefed_round_roster
(
    round_id     bytea   NOT NULL REFERENCES securefed_rounds (round_id) ON DELETE CASCADE,
    client_id    bigint  NOT NULL CHECK (client_id >= 0),
    shard        integer NOT NULL CHECK (shard >= 0),
    identity_key bytea   NOT NULL,
    CONSTRAINT pk_securefed_round_roster PRIMARY KEY (round_id, client_id)
);
CREATE INDEX ix_securefed_round_roster_shard ON securefed_round_roster (round_id, shard);

-- One append-only log per round: accepted messages, stage closes and results as events, replayed to rebuild any
-- grain. A round's log has one stream per writer (0 = the round grain, 1..S = its shards) so shards on different
-- silos append without contending; within a stream, sequence numbers are dense from 0 and the primary key fences a
-- stale writer (a second activation cannot append a number already taken).
CREATE TABLE securefed_round_log
(
    round_id    bytea       NOT NULL REFERENCES securefed_rounds (round_id) ON DELETE CASCADE,
    stream      integer     NOT NULL CHECK (stream >= 0),
    seq         bigint      NOT NULL CHECK (seq >= 0),
    kind        smallint    NOT NULL,
    payload     bytea       NOT NULL,
    appended_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_securefed_round_log PRIMARY KEY (round_id, stream, seq)
);

-- Appended, never rewritten: a whole round may be dropped (retention), single events may not be changed.
CREATE FUNCTION securefed_round_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    RAISE EXCEPTION 'securefed_round_log is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$f$;
CREATE TRIGGER tr_securefed_round_log_no_update BEFORE UPDATE ON securefed_round_log
    FOR EACH ROW EXECUTE FUNCTION securefed_round_log_is_append_only();
