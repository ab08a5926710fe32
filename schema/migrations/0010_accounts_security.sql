DROP INDEX `businesses_nib_unique`;--> statement-breakpoint
ALTER TABLE `businesses` ADD `changes_flagged_at` integer;--> statement-breakpoint
ALTER TABLE `businesses` ADD `changed_fields` text;--> statement-breakpoint
CREATE UNIQUE INDEX `businesses_nib_holder_idx` ON `businesses` (`nib`) WHERE status in ('pending_review', 'published');--> statement-breakpoint
CREATE INDEX `businesses_changes_flagged_idx` ON `businesses` (`changes_flagged_at`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `officer_id` text REFERENCES officers(id);--> statement-breakpoint
CREATE INDEX `api_keys_officer_id_idx` ON `api_keys` (`officer_id`);--> statement-breakpoint
ALTER TABLE `officer_sessions` ADD `officer_id` text REFERENCES officers(id);--> statement-breakpoint
CREATE INDEX `officer_sessions_officer_id_idx` ON `officer_sessions` (`officer_id`);--> statement-breakpoint
ALTER TABLE `sign_in_tokens` ADD `purpose` text DEFAULT 'sign_in' NOT NULL;--> statement-breakpoint
-- Backfill (hand-written): officer keys minted by createOfficer name their officer in the audit row
-- written in the same batch (details.officerId). Keys made by `npm run officer:create` or the demo
-- seed have no officer row and stay unlinked: they end only by being revoked.
UPDATE `api_keys` SET `officer_id` = (
	SELECT json_extract(`a`.`details`, '$.officerId') FROM `audit_log` `a`
	WHERE `a`.`entity_type` = 'api_key' AND `a`.`entity_id` = `api_keys`.`id` AND `a`.`action` = 'create'
		AND json_extract(`a`.`details`, '$.officerId') IN (SELECT `id` FROM `officers`)
	ORDER BY `a`.`id` LIMIT 1
) WHERE `kind` = 'officer' AND `officer_id` IS NULL;--> statement-breakpoint
UPDATE `officer_sessions` SET `officer_id` = (
	SELECT `officer_id` FROM `api_keys` WHERE `api_keys`.`id` = `officer_sessions`.`api_key_id`
) WHERE `officer_id` IS NULL;--> statement-breakpoint
-- Officers deactivated before keys were linked: their keys and console sessions end now.
UPDATE `api_keys` SET `revoked_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE `revoked_at` IS NULL AND `officer_id` IN (SELECT `id` FROM `officers` WHERE `active` = 0);--> statement-breakpoint
UPDATE `officer_sessions` SET `revoked_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE `revoked_at` IS NULL AND `officer_id` IN (SELECT `id` FROM `officers` WHERE `active` = 0);
