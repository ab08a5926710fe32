-- Unsent digests planned before this migration hold a rendered message and no facts: drop them, and
-- the next run plans them again (facts only; the text is rendered when sent).
DELETE FROM `digest_outbox` WHERE `status` IN ('pending', 'sending');--> statement-breakpoint
ALTER TABLE `digest_outbox` ADD `content` text;--> statement-breakpoint
ALTER TABLE `digest_outbox` DROP COLUMN `email`;--> statement-breakpoint
ALTER TABLE `digest_outbox` DROP COLUMN `subject`;--> statement-breakpoint
ALTER TABLE `digest_outbox` DROP COLUMN `text`;--> statement-breakpoint
ALTER TABLE `digest_outbox` DROP COLUMN `html`;--> statement-breakpoint
ALTER TABLE `digest_outbox` DROP COLUMN `headers`;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `business_ids` text;