CREATE TABLE `forum_meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`forum_id` text NOT NULL,
	`slot` text NOT NULL,
	`table_no` integer NOT NULL,
	`service_id` text NOT NULL,
	`industry_id` text NOT NULL,
	`score` real NOT NULL,
	`reason` text NOT NULL,
	`locked` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `forum_meetings_forum_slot_idx` ON `forum_meetings` (`forum_id`,`slot`);--> statement-breakpoint
CREATE TABLE `forum_participants` (
	`forum_id` text NOT NULL,
	`business_id` text NOT NULL,
	`status` text NOT NULL,
	`available` text NOT NULL,
	`invited_at` integer NOT NULL,
	`answered_at` integer,
	`checked_in_at` integer,
	`agenda_sent_at` integer,
	PRIMARY KEY(`forum_id`, `business_id`)
);
--> statement-breakpoint
CREATE INDEX `forum_participants_business_idx` ON `forum_participants` (`business_id`);--> statement-breakpoint
CREATE TABLE `forum_ratings` (
	`meeting_id` text NOT NULL,
	`forum_id` text NOT NULL,
	`rater_id` text NOT NULL,
	`rating` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `rater_id`)
);
--> statement-breakpoint
CREATE INDEX `forum_ratings_forum_idx` ON `forum_ratings` (`forum_id`);--> statement-breakpoint
CREATE TABLE `forum_requests` (
	`forum_id` text NOT NULL,
	`from_id` text NOT NULL,
	`to_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`answered_at` integer,
	PRIMARY KEY(`forum_id`, `from_id`, `to_id`)
);
--> statement-breakpoint
CREATE INDEX `forum_requests_to_idx` ON `forum_requests` (`forum_id`,`to_id`);--> statement-breakpoint
CREATE TABLE `forums` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`date` text NOT NULL,
	`venue` text NOT NULL,
	`meeting_minutes` integer NOT NULL,
	`slots` text NOT NULL,
	`breaks` text NOT NULL,
	`tables` integer NOT NULL,
	`max_meetings` integer NOT NULL,
	`max_requests` integer NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`scheduled_at` integer
);
--> statement-breakpoint
ALTER TABLE `partnerships` ADD `forum_id` text;