#!/bin/sh
# Regenerates src/generated/ from the .proto files in protos/ (the wire contract): the TypeScript types, and
# descriptor.ts, the parsed descriptor the daemon loads at start instead of parsing .proto text.
# The generated files are committed, so a build never needs this; run it after changing a .proto file.
# --importFileExtension=.js: NodeNext needs explicit extensions, even on type-only imports.
# "--" ends -I, which would otherwise swallow the file names.
set -eu
cd "$(dirname "$0")/.."
rm -rf src/generated
npx proto-loader-gen-types --grpcLib=@grpc/grpc-js --outDir=src/generated --keepCase --longs=String --enums=String \
  --defaults --oneofs --importFileExtension=.js -I protos -- \
  build/bazel/remote/execution/v2/remote_execution.proto \
  google/bytestream/bytestream.proto \
  compilation_cache_service/compilation_caching_kv.proto \
  compilation_cache_service/compilation_caching_cas.proto \
  fabrik/v1/cache.proto \
  fabrik/p2p/v1/p2p.proto
node scripts/gen-descriptor.mjs
