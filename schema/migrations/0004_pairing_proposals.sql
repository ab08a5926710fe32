CREATE TABLE `pairing_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`service_id` text NOT NULL,
	`industry_id` text NOT NULL,
	`score` real NOT NULL,
	`components` text NOT NULL,
	`reasons_id` text NOT NULL,
	`reasons_en` text NOT NULL,
	`reasons_for` text NOT NULL,
	`pattern` text NOT NULL,
	`status` text NOT NULL,
	`revision` text NOT NULL,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`discard_reason` text,
	`partnership_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pairing_proposals_period_pair_uq` ON `pairing_proposals` (`period`,`service_id`,`industry_id`);--> statement-breakpoint
CREATE INDEX `pairing_proposals_status_id_idx` ON `pairing_proposals` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `pairing_proposals_pair_idx` ON `pairing_proposals` (`service_id`,`industry_id`);--> statement-breakpoint
CREATE INDEX `pairing_proposals_industry_idx` ON `pairing_proposals` (`industry_id`);--> statement-breakpoint
CREATE INDEX `pairing_proposals_run_idx` ON `pairing_proposals` (`run_id`);