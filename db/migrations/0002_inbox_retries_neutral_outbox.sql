CREATE TABLE "console_messages" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"open_id" text NOT NULL,
	"sender" text NOT NULL,
	"text" text,
	"card" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "console_messages_id_unique" UNIQUE("id")
);
--> statement-breakpoint
DROP INDEX "processed_events_pending_idx";--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "due_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "console_messages_open_id_idx" ON "console_messages" USING btree ("open_id","seq");--> statement-breakpoint
CREATE INDEX "processed_events_due_idx" ON "processed_events" USING btree ("status","due_at");--> statement-breakpoint
-- Outbox rows now hold the platform-neutral Reply: texts convert as they are;
-- a card already rendered for Lark before this version is kept as it was sent.
UPDATE "outbox" SET "content" = CASE WHEN "msg_type" = 'text' THEN jsonb_build_object('text', "content"->'text') ELSE jsonb_build_object('larkCard', "content") END;--> statement-breakpoint
ALTER TABLE "outbox" DROP COLUMN "msg_type";