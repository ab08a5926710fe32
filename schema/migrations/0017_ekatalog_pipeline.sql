CREATE TABLE `ekatalog_registration_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`stage` text NOT NULL,
	`date` text NOT NULL,
	`note` text,
	`recorded_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ekatalog_registration_steps_business_stage_idx` ON `ekatalog_registration_steps` (`business_id`,`stage`);