CREATE TABLE `deletion_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`status` text NOT NULL,
	`requested_at` integer NOT NULL,
	`requested_by` text NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`revision` text NOT NULL,
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deletion_requests_one_pending_idx` ON `deletion_requests` (`business_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `deletion_requests_status_id_idx` ON `deletion_requests` (`status`,`id`);--> statement-breakpoint
ALTER TABLE `businesses` ADD `deleted_at` integer;