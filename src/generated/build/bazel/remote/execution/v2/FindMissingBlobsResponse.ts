// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { Digest as _build_bazel_remote_execution_v2_Digest, Digest__Output as _build_bazel_remote_execution_v2_Digest__Output } from '../../../../../build/bazel/remote/execution/v2/Digest.js';

export interface FindMissingBlobsResponse {
  'missing_blob_digests'?: (_build_bazel_remote_execution_v2_Digest)[];
}

export interface FindMissingBlobsResponse__Output {
  'missing_blob_digests': (_build_bazel_remote_execution_v2_Digest__Output)[];
}
