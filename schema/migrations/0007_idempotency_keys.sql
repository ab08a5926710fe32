CREATE TABLE `idempotency_keys` (
	`principal` text NOT NULL,
	`key_hash` text NOT NULL,
	`request_hash` text NOT NULL,
	`state` text NOT NULL,
	`claim_token` text NOT NULL,
	`status` integer,
	`headers` text,
	`body` text,
	`body_iv` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`principal`, `key_hash`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_at_idx` ON `idempotency_keys` (`created_at`);