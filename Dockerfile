# fabrik server (the regional tier) in a container. Build: docker build -t fabrik .
# Run:  docker run -p 7070:7070 -p 9091:9091 -v /etc/fabrik:/etc/fabrik:ro -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY fabrik
FROM node:22-bookworm-slim AS build
WORKDIR /src
# python3, make and g++ build better-sqlite3 and zstd-napi from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
COPY --from=build /src/package.json /src/oclif.manifest.json ./
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist ./dist
COPY --from=build /src/protos ./protos
COPY --from=build /src/node_modules ./node_modules
RUN mkdir -p /var/lib/fabrik && chown node:node /var/lib/fabrik
USER node
ENV FABRIK_CACHE_DIR=/var/lib/fabrik/cache
EXPOSE 7070 9091
# Foreground: SIGTERM drains in-flight requests (bounded by [runtime] graceful_shutdown_timeout).
ENTRYPOINT ["node", "bin/run.js", "server"]
CMD ["--config", "/etc/fabrik/fabrik.toml"]
