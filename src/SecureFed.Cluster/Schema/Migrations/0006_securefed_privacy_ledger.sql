-- The privacy ledger of the cluster: one entry per DP charge (a round's epsilon/delta spent against a federation's
-- budget), dense sequence per federation, never changed or removed. A round charges a federation at most once.
-- The charge itself is the accountant's encoded record (SecureFed.Privacy); the columns here are what the ledger
-- must be able to sum and audit without decoding it.
CREATE TABLE securefed_privacy_ledger
(
    federation  text             NOT NULL,
    seq         bigint           NOT NULL CHECK (seq >= 0),
    round_id    bytea            NOT NULL CHECK (octet_length(round_id) = 16),
    epsilon     double precision NOT NULL CHECK (epsilon >= 0 AND epsilon < 'Infinity'),
    delta       double precision NOT NULL CHECK (delta >= 0 AND delta < 1),
    charge      bytea            NOT NULL,
    recorded_at timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT pk_securefed_privacy_ledger PRIMARY KEY (federation, seq),
    CONSTRAINT uq_securefed_privacy_ledger_round UNIQUE (federation, round_id)
);

CREATE FUNCTION securefed_privacy_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    RAISE EXCEPTION 'securefed_privacy_ledger is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$f$;
CREATE TRIGGER tr_securefed_privacy_ledger_append_only BEFORE UPDATE OR DELETE ON securefed_privacy_ledger
    FOR EACH ROW EXECUTE FUNCTION securefed_privacy_ledger_is_append_only();
-- TRUNCATE bypasses row triggers; refuse it as well.
CREATE TRIGGER tr_securefed_privacy_ledger_no_truncate BEFORE TRUNCATE ON securefed_privacy_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION securefed_privacy_ledger_is_append_only();
