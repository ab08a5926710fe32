ALTER TABLE `suggestion_sets` ADD `lowest_score` real DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `suggestion_sets_fresh_lowest_idx` ON `suggestion_sets` (`lowest_score`) WHERE stale_since is null;--> statement-breakpoint
ALTER TABLE `suggestions` ADD `reasons` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `suggestions` DROP COLUMN `reasons_id`;--> statement-breakpoint
ALTER TABLE `suggestions` DROP COLUMN `reasons_en`;--> statement-breakpoint
-- Hand-written: the stored sentences cannot be turned back into reason codes in SQL (their labels,
-- place names and KBLI names are already rendered in one language), so every stored set is marked
-- stale instead: its rows keep their candidates and scores (reasons empty) until the next read of
-- that set recomputes it, or the next incremental recompute run (which takes every stale set)
-- rewrites it. lowest_score is 0 until then, the cautious value (any changed business marks it).
UPDATE `suggestion_sets` SET `stale_since` = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE `stale_since` IS NULL;
