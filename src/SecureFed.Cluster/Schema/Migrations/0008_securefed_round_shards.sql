-- How many shard grains a round's clients are spread over (docs/cluster-design.md 2): fixed when the round opens, so
-- every silo rebuilds the same root and shards from the round's log streams (0: the root, 1 + i: shard i).
ALTER TABLE securefed_rounds
    ADD COLUMN shard_count integer NOT NULL DEFAULT 1 CHECK (shard_count BETWEEN 1 AND 256);
