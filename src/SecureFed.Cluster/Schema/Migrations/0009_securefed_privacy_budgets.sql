-- The cluster's privacy ledger holds what the single node's privacy_ledger holds (protocol-spec/dp.md section 9):
-- every entry of a federation's PrivacyLedger in one dense sequence that PrivacyLedger.Replay checks: the budget
-- set (kind 0), the rounds' charges (kind 1, with their round) and the administrator's raises (kind 2, with the
-- actor). Version 6 kept charges only; budget entries have no round. entry is the canonical PrivacyLedgerEntry;
-- epsilon is the entry's own figure (a charge: the round's epsilon at the budget's delta; a budget entry: the budget).
ALTER TABLE securefed_privacy_ledger RENAME COLUMN charge TO entry;
ALTER TABLE securefed_privacy_ledger
    ADD COLUMN kind  smallint NOT NULL DEFAULT 1 CHECK (kind IN (0, 1, 2)),
    ADD COLUMN actor text,
    ALTER COLUMN round_id DROP NOT NULL;
ALTER TABLE securefed_privacy_ledger ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE securefed_privacy_ledger
    ADD CONSTRAINT ck_securefed_privacy_ledger_round CHECK ((kind = 1) = (round_id IS NOT NULL));

-- Each federation's budget as it stands after its latest ledger entry (the sum the ledger replays to, kept for
-- listings and for the operator's SQL). Written in the same transaction as that entry, under the federation's
-- ledger lock (an advisory transaction lock: every ledger write, budget change and DP open takes it).
CREATE TABLE securefed_privacy_budgets
(
    federation     text             NOT NULL,
    budget_epsilon double precision NOT NULL CHECK (budget_epsilon > 0 AND budget_epsilon < 'Infinity'),
    delta          double precision NOT NULL CHECK (delta > 0 AND delta < 1),
    spent_epsilon  double precision NOT NULL CHECK (spent_epsilon >= 0),
    last_seq       bigint           NOT NULL CHECK (last_seq >= 0),
    updated_at     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT pk_securefed_privacy_budgets PRIMARY KEY (federation)
);

-- A DP round's plan (DpRoundConfiguration wire bytes): while the round runs and is not charged, its worst case is
-- reserved against its federation's budget, so opens on different silos cannot overspend together.
ALTER TABLE securefed_rounds ADD COLUMN dp_plan bytea;
CREATE INDEX ix_securefed_rounds_dp_running ON securefed_rounds (federation) WHERE dp_plan IS NOT NULL AND ended_phase IS NULL;
