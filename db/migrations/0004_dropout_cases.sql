CREATE TABLE "dropout_case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text DEFAULT '' NOT NULL,
	"actor_id" uuid,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dropout_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" serial NOT NULL,
	"bureau_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"student_name" text NOT NULL,
	"student_no" text NOT NULL,
	"grade" text NOT NULL,
	"class_name" text DEFAULT '' NOT NULL,
	"reason" text NOT NULL,
	"discovered_on" date NOT NULL,
	"status" text DEFAULT 'discovered' NOT NULL,
	"teacher_staff_id" uuid NOT NULL,
	"cadre_name" text NOT NULL,
	"cadre_phone" text DEFAULT '' NOT NULL,
	"guardian_name" text NOT NULL,
	"guardian_phone" text DEFAULT '' NOT NULL,
	"home_plan" text,
	"last_follow_up_on" date NOT NULL,
	"source" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dropout_cases_no_unique" UNIQUE("no")
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "covers_schools" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "covers_townships" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "dropout_case_events" ADD CONSTRAINT "dropout_case_events_case_id_dropout_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."dropout_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dropout_case_events" ADD CONSTRAINT "dropout_case_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dropout_cases" ADD CONSTRAINT "dropout_cases_bureau_id_bureaus_id_fk" FOREIGN KEY ("bureau_id") REFERENCES "public"."bureaus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dropout_cases" ADD CONSTRAINT "dropout_cases_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dropout_cases" ADD CONSTRAINT "dropout_cases_teacher_staff_id_staff_id_fk" FOREIGN KEY ("teacher_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dropout_cases" ADD CONSTRAINT "dropout_cases_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dropout_case_events_case_idx" ON "dropout_case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "dropout_cases_school_student_idx" ON "dropout_cases" USING btree ("school_id","student_no");--> statement-breakpoint
CREATE INDEX "dropout_cases_bureau_status_idx" ON "dropout_cases" USING btree ("bureau_id","status");--> statement-breakpoint
CREATE INDEX "dropout_cases_teacher_idx" ON "dropout_cases" USING btree ("teacher_staff_id");