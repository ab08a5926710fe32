CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`from_state` text,
	`to_state` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`id`);--> statement-breakpoint
CREATE TABLE `declined_pairs` (
	`low_id` text NOT NULL,
	`high_id` text NOT NULL,
	`declined_by` text NOT NULL,
	`partnership_id` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`low_id`, `high_id`)
);
--> statement-breakpoint
CREATE TABLE `partnerships` (
	`id` text PRIMARY KEY NOT NULL,
	`requester_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`origin` text NOT NULL,
	`pattern` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`terms` text,
	`status` text NOT NULL,
	`revision` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	`answered_at` integer,
	`decided_at` integer,
	`decided_by` text,
	`rejection_reason` text,
	`ended_at` integer,
	`ended_by` text,
	`outcome` text,
	`outcome_note` text
);
--> statement-breakpoint
CREATE INDEX `partnerships_requester_status_idx` ON `partnerships` (`requester_id`,`status`);--> statement-breakpoint
CREATE INDEX `partnerships_partner_status_idx` ON `partnerships` (`partner_id`,`status`);--> statement-breakpoint
CREATE INDEX `partnerships_status_expires_idx` ON `partnerships` (`status`,`expires_at`);