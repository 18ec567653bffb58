import type { CapabilitiesHandlers } from '../../generated/build/bazel/remote/execution/v2/Capabilities.js'
import type { GetCapabilitiesRequest__Output } from '../../generated/build/bazel/remote/execution/v2/GetCapabilitiesRequest.js'
import type { ServerCapabilities } from '../../generated/build/bazel/remote/execution/v2/ServerCapabilities.js'
import type { GrpcContext } from '../context.js'
import { unary } from '../observe.js'

/**
 * What Bazel checks at startup (a failure is fatal, exit 34): SHA256 among digest_functions, update_enabled for
 * --remote_upload_local_results, ZSTD in supported_compressors for --remote_cache_compression, and the API
 * range in low_api_version (field 4) / high_api_version (field 5). deprecated_api_version (field 3) stays unset:
 * a server that only sets it makes Bazel warn. No execution_capabilities: this is a cache, not an executor.
 */
export function capabilities(ctx: GrpcContext): ServerCapabilities {
  return {
    cache_capabilities: {
      digest_functions: ['SHA256'],
      action_cache_update_capabilities: { update_enabled: true },
      cache_priority_capabilities: { priorities: [{ min_priority: 0, max_priority: 0 }] },
      max_batch_total_size_bytes: String(ctx.maxBatchBytes),
      // Stored results are opaque to us; refusing absolute symlinks would only make uploads fail.
      symlink_absolute_path_strategy: 'ALLOWED',
      supported_compressors: ['ZSTD'],
      supported_batch_update_compressors: ['ZSTD'],
    },
    low_api_version: { major: 2, minor: 0, patch: 0 },
    high_api_version: { major: 2, minor: 3, patch: 0 },
  }
}

export function capabilitiesService(ctx: GrpcContext): CapabilitiesHandlers {
  return {
    GetCapabilities: unary<GetCapabilitiesRequest__Output, ServerCapabilities>(ctx, 'capabilities', 'GetCapabilities', async () =>
      capabilities(ctx),
    ),
  }
}
