// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { Digest as _build_bazel_remote_execution_v2_Digest, Digest__Output as _build_bazel_remote_execution_v2_Digest__Output } from '../../../../../build/bazel/remote/execution/v2/Digest.js';

export interface OutputDirectory {
  'path'?: (string);
  'tree_digest'?: (_build_bazel_remote_execution_v2_Digest | null);
  'is_topologically_sorted'?: (boolean);
  'root_directory_digest'?: (_build_bazel_remote_execution_v2_Digest | null);
}

export interface OutputDirectory__Output {
  'path': (string);
  'tree_digest': (_build_bazel_remote_execution_v2_Digest__Output | null);
  'is_topologically_sorted': (boolean);
  'root_directory_digest': (_build_bazel_remote_execution_v2_Digest__Output | null);
}
