CREATE SEQUENCE "public"."console_messages_rev_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "console_messages" ADD COLUMN "rev" bigint DEFAULT nextval('console_messages_rev_seq') NOT NULL;--> statement-breakpoint
CREATE INDEX "console_messages_open_id_rev_idx" ON "console_messages" USING btree ("open_id","rev");