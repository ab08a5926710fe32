CREATE TABLE `procurement_buyers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procurement_buyers_name_key_idx` ON `procurement_buyers` (`name_key`);--> statement-breakpoint
CREATE TABLE `procurement_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`business_id` text NOT NULL,
	`notified_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `procurement_packages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procurement_notices_pair_idx` ON `procurement_notices` (`package_id`,`business_id`);--> statement-breakpoint
CREATE INDEX `procurement_notices_business_idx` ON `procurement_notices` (`business_id`);--> statement-breakpoint
CREATE TABLE `procurement_packages` (
	`id` text PRIMARY KEY NOT NULL,
	`rup_key` text NOT NULL,
	`buyer_id` text NOT NULL,
	`name` text NOT NULL,
	`pagu` integer NOT NULL,
	`method` text NOT NULL,
	`type` text NOT NULL,
	`funding_source` text,
	`planned_month` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`buyer_id`) REFERENCES `procurement_buyers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procurement_packages_rup_key_idx` ON `procurement_packages` (`rup_key`);--> statement-breakpoint
CREATE INDEX `procurement_packages_buyer_idx` ON `procurement_packages` (`buyer_id`);--> statement-breakpoint
CREATE TABLE `procurement_readiness` (
	`business_id` text PRIMARY KEY NOT NULL,
	`done` text NOT NULL,
	`completed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `procurement_realisations` (
	`id` text PRIMARY KEY NOT NULL,
	`row_key` text NOT NULL,
	`buyer_id` text NOT NULL,
	`package_name` text NOT NULL,
	`supplier_name` text NOT NULL,
	`supplier_nib` text,
	`qualification` text,
	`business_id` text,
	`matched_by` text,
	`value` integer NOT NULL,
	`date` text NOT NULL,
	`channel` text NOT NULL,
	`type` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`buyer_id`) REFERENCES `procurement_buyers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `procurement_realisations_row_key_idx` ON `procurement_realisations` (`row_key`);--> statement-breakpoint
CREATE INDEX `procurement_realisations_buyer_date_idx` ON `procurement_realisations` (`buyer_id`,`date`);