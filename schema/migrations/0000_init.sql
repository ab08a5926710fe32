CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`kind` text NOT NULL,
	`role` text,
	`business_id` text,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_prefix_unique` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_business_id_idx` ON `api_keys` (`business_id`);--> statement-breakpoint
CREATE TABLE `businesses` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sector` text NOT NULL,
	`nib` text,
	`kbli` text NOT NULL,
	`size_class` text NOT NULL,
	`kelurahan` text,
	`kecamatan` text,
	`city` text NOT NULL,
	`region_code` text,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`offers` text DEFAULT '' NOT NULL,
	`needs` text DEFAULT '' NOT NULL,
	`email` text NOT NULL,
	`language` text DEFAULT 'id' NOT NULL,
	`max_partners` integer DEFAULT 3 NOT NULL,
	`ekatalog_listed` integer DEFAULT false NOT NULL,
	`ekatalog_url` text,
	`active` integer DEFAULT true NOT NULL,
	`match_features` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `businesses_nib_unique` ON `businesses` (`nib`);--> statement-breakpoint
CREATE INDEX `businesses_sector_id_idx` ON `businesses` (`sector`,`id`);--> statement-breakpoint
CREATE INDEX `businesses_kecamatan_idx` ON `businesses` (`kecamatan`);--> statement-breakpoint
CREATE INDEX `businesses_kelurahan_idx` ON `businesses` (`kelurahan`);--> statement-breakpoint
CREATE INDEX `businesses_active_id_idx` ON `businesses` (`active`,`id`);--> statement-breakpoint
CREATE TABLE `registry_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
