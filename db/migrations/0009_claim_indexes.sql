DROP INDEX "outbox_due_idx";--> statement-breakpoint
DROP INDEX "processed_events_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("priority","not_before") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_pending_due_idx" ON "outbox" USING btree ("not_before") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_sending_idx" ON "outbox" USING btree ("lease_until") WHERE status = 'sending';--> statement-breakpoint
CREATE INDEX "processed_events_open_due_idx" ON "processed_events" USING btree ("due_at") WHERE status in ('pending', 'working');