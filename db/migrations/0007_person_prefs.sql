CREATE TABLE "person_prefs" (
	"open_id" text PRIMARY KEY NOT NULL,
	"locale" text,
	"welcomed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
