CREATE TABLE `digest_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`recipient` text NOT NULL,
	`period` text NOT NULL,
	`status` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`email` text,
	`subject` text,
	`text` text,
	`html` text,
	`headers` text,
	`suggestion_ids` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`claim_token` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_outbox_recipient_period_idx` ON `digest_outbox` (`recipient`,`period`);--> statement-breakpoint
CREATE INDEX `digest_outbox_status_next_idx` ON `digest_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `digest_preferences` (
	`recipient` text PRIMARY KEY NOT NULL,
	`cadence` text DEFAULT 'weekly' NOT NULL,
	`language` text,
	`unsubscribed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `partnerships` ADD `reminded_at` integer;