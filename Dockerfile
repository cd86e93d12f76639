# syntax=docker/dockerfile:1
# The image deploy/kubernetes runs: masque's sources in /opt/masque with their production
# dependencies only, run by Node.js 20 (tsx compiles the TypeScript when masque starts, into a
# cache under /tmp), as a non-root user, with pg_dump for `run --create-schema` on PostgreSQL
# (MariaDB's schema copy needs no client tool).
#   docker build -t registry.example.org/platform/masque:0.1.0 .
#   docker run --rm registry.example.org/platform/masque:0.1.0 --help
# test/docker-layout.test.ts builds the same /opt/masque without Docker — the build stage's COPY
# lines and its `pnpm install`, as written here — and runs masque from it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles itself when no prebuilt binary fits; the compilers stay in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm install --global pnpm@10.34.9
WORKDIR /opt/masque
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/core/package.json packages/core/
COPY packages/cli/package.json packages/cli/
# The CLI's and the core's production dependencies, exactly as locked: no test, lint or type tools.
RUN pnpm install --prod --frozen-lockfile --filter @masque/cli...
COPY packages/core/ packages/core/
COPY packages/cli/ packages/cli/
COPY rules/ rules/

FROM ${NODE_IMAGE}
# pg_dump reads servers of its own major version and older: the newest one, from the PostgreSQL
# project's own repository (Debian's stops at 15).
ARG PG_MAJOR=17
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg \
 && echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && apt-get purge -y curl gnupg \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 masque \
 && useradd --uid 10001 --gid masque --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin masque
# Owned by root, read-only to masque: it runs the sources, it never changes them.
COPY --from=build /opt/masque /opt/masque
WORKDIR /opt/masque
USER 10001:10001
ENV NODE_ENV=production
ENTRYPOINT ["node", "packages/cli/bin/masque.js"]
CMD ["--help"]
