/** Where drizzle-kit writes migrations (drizzle.config.ts) and the migrators read them. Node only. */
export const defaultMigrationsFolder = new URL('./migrations', import.meta.url).pathname;
/**
 * The migrated PGlite database a first start copies (`npm run build`, scripts/build.mjs):
 * dist/pglite-template beside the built server. Run from the sources, db/pglite-template,
 * which nothing makes: those starts run PGlite's initdb.
 */
export const defaultPgliteTemplate = new URL('./pglite-template', import.meta.url).pathname;
