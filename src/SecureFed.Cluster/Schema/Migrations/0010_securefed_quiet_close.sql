-- A round's optional quiet close rule (protocol-spec/transport.md, open-round request: quietCloseSeconds,
-- stageQuietCloseSeconds, quietCloseQuorum), as QuietCloseRule.ToStored writes it ("q=MS,...;f=FRACTION"); NULL for a
-- round without one, so rounds opened before this step keep closing on all-received or their deadline only.
ALTER TABLE securefed_rounds ADD COLUMN quiet_close text;
