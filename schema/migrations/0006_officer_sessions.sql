CREATE TABLE `officer_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`api_key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `officer_sessions_api_key_id_idx` ON `officer_sessions` (`api_key_id`);