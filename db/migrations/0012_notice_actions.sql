ALTER TABLE "notice_targets" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "buzzes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "buzzed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "recalled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_message_id_idx" ON "outbox" USING btree ("message_id") WHERE message_id is not null;