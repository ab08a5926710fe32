-- Stored suggestions keyed by (candidate, business) instead of (business, rank), served by score
-- with ties by candidate id (suggestions_serving_idx), so a rescore rewrites only the rows whose
-- candidate or score changed. The key, led by the candidate, answers "which sets list X" as the
-- dropped suggestions_candidate_id_idx did. A set never lists a candidate twice; "or ignore" keeps
-- the copy safe if one ever did. drizzle-kit wrote the index's "score desc" as one quoted name:
-- corrected by hand.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_suggestions` (
	`business_id` text NOT NULL,
	`candidate_id` text NOT NULL,
	`score` real NOT NULL,
	`components` text NOT NULL,
	`reasons` text DEFAULT '[]' NOT NULL,
	`pattern` text NOT NULL,
	PRIMARY KEY(`candidate_id`, `business_id`)
);
--> statement-breakpoint
INSERT OR IGNORE INTO `__new_suggestions`("business_id", "candidate_id", "score", "components", "reasons", "pattern") SELECT "business_id", "candidate_id", "score", "components", "reasons", "pattern" FROM `suggestions`;--> statement-breakpoint
DROP TABLE `suggestions`;--> statement-breakpoint
ALTER TABLE `__new_suggestions` RENAME TO `suggestions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `suggestions_serving_idx` ON `suggestions` (`business_id`, `score` desc, `candidate_id`);