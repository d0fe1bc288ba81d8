/** Where drizzle-kit writes migrations (drizzle.config.ts) and the migrators read them. Node only. */
export const defaultMigrationsFolder = new URL('./migrations', import.meta.url).pathname;
