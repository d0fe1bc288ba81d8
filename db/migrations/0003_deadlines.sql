CREATE TABLE "deadline_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deadline_id" uuid NOT NULL,
	"school_id" uuid,
	"staff_id" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_id" uuid NOT NULL,
	"key" text,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"due" date NOT NULL,
	"per" text NOT NULL,
	"audience" jsonb NOT NULL,
	"origin" text NOT NULL,
	"rule_id" text,
	"citation" text,
	"date_note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deadline_targets" ADD CONSTRAINT "deadline_targets_deadline_id_deadlines_id_fk" FOREIGN KEY ("deadline_id") REFERENCES "public"."deadlines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_targets" ADD CONSTRAINT "deadline_targets_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_targets" ADD CONSTRAINT "deadline_targets_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_targets" ADD CONSTRAINT "deadline_targets_submitted_by_staff_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_bureau_id_bureaus_id_fk" FOREIGN KEY ("bureau_id") REFERENCES "public"."bureaus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deadline_targets_person_idx" ON "deadline_targets" USING btree ("deadline_id","staff_id") WHERE "deadline_targets"."staff_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "deadline_targets_school_idx" ON "deadline_targets" USING btree ("deadline_id","school_id") WHERE "deadline_targets"."staff_id" is null;--> statement-breakpoint
CREATE INDEX "deadline_targets_staff_idx" ON "deadline_targets" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "deadline_targets_school_open_idx" ON "deadline_targets" USING btree ("school_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_bureau_key_idx" ON "deadlines" USING btree ("bureau_id","key");--> statement-breakpoint
CREATE INDEX "deadlines_bureau_due_idx" ON "deadlines" USING btree ("bureau_id","due");