# Duxue in a container (docs/deployment.md#container). Three stages:
#   deps  — production dependencies only, exactly as package-lock.json pins them;
#   build — dist/ built from the sources on top of those (the build needs no dev dependency);
#   final — Node 20 slim with node_modules, dist/ and package.json, run as the unprivileged `node` user.
# Install scripts stay off, as package.json's allowScripts says (docs/operations.md#dependencies).
# CI cannot pull images or start containers here: .ci/container lints this file and runs
# its stages and its command outside a container (test/container/run.ts).

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# --ignore-scripts skips our own postinstall too: the patches (postgres.js, PGlite: docs/deployment.md) are applied by hand.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npx patch-package

FROM deps AS build
COPY scripts ./scripts
COPY src ./src
COPY db ./db
COPY commands ./commands
COPY jobs ./jobs
RUN npm run build && mkdir -p data

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# PGlite's directory when DATABASE_URL is not set: owned by `node`, so a volume mounted here is writable.
COPY --from=build --chown=node:node /app/data ./data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM from `docker stop` reaches the server, which stops within 4 s.
CMD ["node", "dist/node.js"]
