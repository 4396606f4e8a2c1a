// PostGraphile v5 as a user would point it at the CTE Hub database: the Amber
// preset, simplified inflection, connection filters (with relation filters),
// read-only role. Ordering and filtering on every column (the default only
// allows indexed ones), so the benchmark's queries can say what CTE Hub's say.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.PG_BENCH_URL,
      schemas: ["public"],
      // The same pool size as CTE Hub's PostgreSQL pool.
      poolConfig: { max: 16 },
    }),
  ],
  grafserv: {
    port: Number(process.env.PG_BENCH_PORT || 5678),
    host: "127.0.0.1",
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
  schema: { connectionFilterRelations: true },
};
