DROP INDEX `suggestion_sets_fresh_lowest_idx`;--> statement-breakpoint
ALTER TABLE `suggestion_sets` ADD `stale_sources` text;