CREATE TABLE "send_budget" (
	"key" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"last_at" double precision DEFAULT 0 NOT NULL,
	"bulk_at" double precision DEFAULT 0 NOT NULL,
	"paused_until" double precision DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "send_slots" (
	"key" text NOT NULL,
	"pos" integer NOT NULL,
	"at" double precision NOT NULL,
	CONSTRAINT "send_slots_key_pos_pk" PRIMARY KEY("key","pos")
);
