# syncproof: the PostSync hook image. Build: `docker build -t syncproof .` (or `buildah bud`).
# Behind a TLS-intercepting proxy, hand npm the proxy's CA for the build only:
#   docker build --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt -t syncproof .
# The runtime stage never sees that secret.

# The Node the tests run on: keep equal to devDependencies.node in package.json.
ARG NODE_VERSION=24.21.0
ARG NODE_IMAGE=docker.io/library/node:${NODE_VERSION}-bookworm-slim
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

# Build /app (the bundle, bin/, package.json, the primed compile cache) with the full dependency set.
FROM ${NODE_IMAGE} AS build
ARG NODE_VERSION
RUN test "$(node --version)" = "v${NODE_VERSION}"
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs code at install; the `node` devDependency would
# otherwise download a second Node binary that nothing here uses (esbuild's own binary comes
# from its platform package, not from its install script).
RUN --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY tools/build.ts tools/ascii-only.ts tools/prime-compile-cache.yaml ./tools/
COPY bin ./bin
# The app as the bench and test/image/build.test.ts lay it out too (tools/build.ts --app): /app/{package.json,
# bin,dist} and V8's code cache of dist/ (--prime), made where and as whom the runtime runs it (/app, uid
# 10001: Node files the cache by path and uid), by running every probe type once against a closed port.
# A node flag added to the ENTRYPOINT must be added to the priming run too if it changes V8's flag hash.
RUN mkdir /app && chown 10001:10001 /app
USER 10001:10001
RUN node tools/build.ts --app /app --prime

# Runtime: Debian slim plus the same Node binary and the bundle; no npm, no node_modules, no sources.
FROM ${RUNTIME_IMAGE}
COPY --from=build /usr/local/bin/node /usr/local/bin/node
# A numeric, non-root user with a passwd entry, so HOME and `id` make sense; the home is never written.
RUN groupadd --gid 10001 syncproof \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin syncproof
WORKDIR /app
# Owned by root and not writable by the user: the root filesystem can be mounted read-only.
COPY --from=build --chown=0:0 /app ./
ENV NODE_ENV=production
ARG RUNTIME_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="syncproof" \
      org.opencontainers.image.description="Post-sync verification for Argo CD: probe what Synced cannot see, record the evidence, fail the sync when it is wrong." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
USER 10001:10001
# The suite: a ConfigMap mounted at /etc/syncproof (the CLI's default --config).
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/syncproof.js"]
CMD ["run"]
