CREATE TABLE `matching_changes` (
	`revision` integer NOT NULL,
	`business_id` text NOT NULL,
	PRIMARY KEY(`revision`, `business_id`)
);
--> statement-breakpoint
ALTER TABLE `businesses` ADD `match_inputs_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: stored sets were computed from updated_at, so start the new column there (sets stay fresh).
UPDATE `businesses` SET `match_inputs_at` = `updated_at`;
