CREATE TABLE "send_pacing" (
	"key" text PRIMARY KEY NOT NULL,
	"tat" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_targets" (
	"notice_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"school_id" uuid,
	"outbox_id" uuid NOT NULL,
	"acked_at" timestamp with time zone,
	CONSTRAINT "notice_targets_notice_id_staff_id_pk" PRIMARY KEY("notice_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"audience" jsonb NOT NULL,
	"require_ack" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"channel" text NOT NULL,
	"via" text,
	"status_message_id" text,
	"status_outbox_id" uuid,
	"reminders" integer DEFAULT 0 NOT NULL,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "receive_ids" text[];--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "rejected_ids" text[];--> statement-breakpoint
ALTER TABLE "notice_targets" ADD CONSTRAINT "notice_targets_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_targets" ADD CONSTRAINT "notice_targets_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_targets" ADD CONSTRAINT "notice_targets_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_bureau_id_bureaus_id_fk" FOREIGN KEY ("bureau_id") REFERENCES "public"."bureaus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_sender_id_staff_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_targets_open_id_idx" ON "notice_targets" USING btree ("notice_id","open_id");--> statement-breakpoint
CREATE INDEX "notice_targets_school_idx" ON "notice_targets" USING btree ("school_id","acked_at");--> statement-breakpoint
CREATE INDEX "notice_targets_outbox_idx" ON "notice_targets" USING btree ("outbox_id");--> statement-breakpoint
CREATE INDEX "notices_sender_idx" ON "notices" USING btree ("sender_id","created_at");