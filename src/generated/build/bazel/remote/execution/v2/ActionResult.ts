// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { OutputFile as _build_bazel_remote_execution_v2_OutputFile, OutputFile__Output as _build_bazel_remote_execution_v2_OutputFile__Output } from '../../../../../build/bazel/remote/execution/v2/OutputFile.js';
import type { OutputDirectory as _build_bazel_remote_execution_v2_OutputDirectory, OutputDirectory__Output as _build_bazel_remote_execution_v2_OutputDirectory__Output } from '../../../../../build/bazel/remote/execution/v2/OutputDirectory.js';
import type { Digest as _build_bazel_remote_execution_v2_Digest, Digest__Output as _build_bazel_remote_execution_v2_Digest__Output } from '../../../../../build/bazel/remote/execution/v2/Digest.js';
import type { ExecutedActionMetadata as _build_bazel_remote_execution_v2_ExecutedActionMetadata, ExecutedActionMetadata__Output as _build_bazel_remote_execution_v2_ExecutedActionMetadata__Output } from '../../../../../build/bazel/remote/execution/v2/ExecutedActionMetadata.js';
import type { OutputSymlink as _build_bazel_remote_execution_v2_OutputSymlink, OutputSymlink__Output as _build_bazel_remote_execution_v2_OutputSymlink__Output } from '../../../../../build/bazel/remote/execution/v2/OutputSymlink.js';

export interface ActionResult {
  'output_files'?: (_build_bazel_remote_execution_v2_OutputFile)[];
  'output_directories'?: (_build_bazel_remote_execution_v2_OutputDirectory)[];
  'exit_code'?: (number);
  'stdout_raw'?: (Buffer | Uint8Array | string);
  'stdout_digest'?: (_build_bazel_remote_execution_v2_Digest | null);
  'stderr_raw'?: (Buffer | Uint8Array | string);
  'stderr_digest'?: (_build_bazel_remote_execution_v2_Digest | null);
  'execution_metadata'?: (_build_bazel_remote_execution_v2_ExecutedActionMetadata | null);
  'output_file_symlinks'?: (_build_bazel_remote_execution_v2_OutputSymlink)[];
  'output_directory_symlinks'?: (_build_bazel_remote_execution_v2_OutputSymlink)[];
  'output_symlinks'?: (_build_bazel_remote_execution_v2_OutputSymlink)[];
}

export interface ActionResult__Output {
  'output_files': (_build_bazel_remote_execution_v2_OutputFile__Output)[];
  'output_directories': (_build_bazel_remote_execution_v2_OutputDirectory__Output)[];
  'exit_code': (number);
  'stdout_raw': (Buffer);
  'stdout_digest': (_build_bazel_remote_execution_v2_Digest__Output | null);
  'stderr_raw': (Buffer);
  'stderr_digest': (_build_bazel_remote_execution_v2_Digest__Output | null);
  'execution_metadata': (_build_bazel_remote_execution_v2_ExecutedActionMetadata__Output | null);
  'output_file_symlinks': (_build_bazel_remote_execution_v2_OutputSymlink__Output)[];
  'output_directory_symlinks': (_build_bazel_remote_execution_v2_OutputSymlink__Output)[];
  'output_symlinks': (_build_bazel_remote_execution_v2_OutputSymlink__Output)[];
}
