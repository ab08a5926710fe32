CREATE TABLE `notification_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`event_key` text NOT NULL,
	`kind` text NOT NULL,
	`recipient` text NOT NULL,
	`subject_id` text NOT NULL,
	`audit_id` integer,
	`counts` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`claim_token` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_outbox_event_key_idx` ON `notification_outbox` (`event_key`);--> statement-breakpoint
CREATE INDEX `notification_outbox_status_next_idx` ON `notification_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notification_outbox_recipient_idx` ON `notification_outbox` (`recipient`);--> statement-breakpoint
ALTER TABLE `digest_preferences` ADD `notifications_off` text;