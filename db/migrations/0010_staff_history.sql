CREATE TABLE "staff_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"school_id" uuid,
	"roles" text[] NOT NULL,
	"teaching_since" date,
	"from_week" date NOT NULL,
	"until_week" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_history_weeks" CHECK (extract(isodow from from_week) = 1 and (until_week is null or (until_week > from_week and extract(isodow from until_week) = 1)))
);
--> statement-breakpoint
ALTER TABLE "staff_history" ADD CONSTRAINT "staff_history_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_history" ADD CONSTRAINT "staff_history_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_history_staff_idx" ON "staff_history" USING btree ("staff_id","from_week");--> statement-breakpoint
CREATE INDEX "staff_history_school_idx" ON "staff_history" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_history_open_idx" ON "staff_history" USING btree ("staff_id") WHERE until_week is null;--> statement-breakpoint
-- Hand-written backfill (drizzle-kit generates schema, not data). Everyone on
-- staff now starts in the week of their created_at (Asia/Shanghai, ISO week:
-- Monday), as they are now. People already inactive get no span: before this
-- change they counted in no week, so giving them one would change weeks
-- already reported; they stay in staff for their observations' sake, and a
-- later import that names them again starts them from that week.
INSERT INTO "staff_history" ("staff_id", "school_id", "roles", "teaching_since", "from_week")
SELECT "id", "school_id", "roles", "teaching_since", date_trunc('week', "created_at" AT TIME ZONE 'Asia/Shanghai')::date
FROM "staff" WHERE "active";
