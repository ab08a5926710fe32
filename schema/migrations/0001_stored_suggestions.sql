CREATE TABLE `recompute_chunks` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`done_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `recompute_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`messages` integer NOT NULL,
	`businesses` integer NOT NULL,
	`done_messages` integer DEFAULT 0 NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `suggestion_sets` (
	`business_id` text PRIMARY KEY NOT NULL,
	`computed_at` integer NOT NULL,
	`source_updated_at` integer NOT NULL,
	`analyzer_version` text NOT NULL,
	`stale_since` integer,
	`run_id` text
);
--> statement-breakpoint
CREATE INDEX `suggestion_sets_stale_since_idx` ON `suggestion_sets` (`stale_since`);--> statement-breakpoint
CREATE TABLE `suggestions` (
	`business_id` text NOT NULL,
	`rank` integer NOT NULL,
	`candidate_id` text NOT NULL,
	`score` real NOT NULL,
	`components` text NOT NULL,
	`reasons_id` text NOT NULL,
	`reasons_en` text NOT NULL,
	`pattern` text NOT NULL,
	PRIMARY KEY(`business_id`, `rank`)
);
--> statement-breakpoint
CREATE INDEX `suggestions_candidate_id_idx` ON `suggestions` (`candidate_id`);