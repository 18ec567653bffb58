// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { Platform as _build_bazel_remote_execution_v2_Platform, Platform__Output as _build_bazel_remote_execution_v2_Platform__Output } from '../../../../../build/bazel/remote/execution/v2/Platform.js';

export interface _build_bazel_remote_execution_v2_Command_EnvironmentVariable {
  'name'?: (string);
  'value'?: (string);
}

export interface _build_bazel_remote_execution_v2_Command_EnvironmentVariable__Output {
  'name': (string);
  'value': (string);
}

// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

export const _build_bazel_remote_execution_v2_Command_OutputDirectoryFormat = {
  TREE_ONLY: 'TREE_ONLY',
  DIRECTORY_ONLY: 'DIRECTORY_ONLY',
  TREE_AND_DIRECTORY: 'TREE_AND_DIRECTORY',
} as const;

export type _build_bazel_remote_execution_v2_Command_OutputDirectoryFormat =
  | 'TREE_ONLY'
  | 0
  | 'DIRECTORY_ONLY'
  | 1
  | 'TREE_AND_DIRECTORY'
  | 2

export type _build_bazel_remote_execution_v2_Command_OutputDirectoryFormat__Output = typeof _build_bazel_remote_execution_v2_Command_OutputDirectoryFormat[keyof typeof _build_bazel_remote_execution_v2_Command_OutputDirectoryFormat]

export interface Command {
  'arguments'?: (string)[];
  'environment_variables'?: (_build_bazel_remote_execution_v2_Command_EnvironmentVariable)[];
  'output_files'?: (string)[];
  'output_directories'?: (string)[];
  'platform'?: (_build_bazel_remote_execution_v2_Platform | null);
  'working_directory'?: (string);
  'output_paths'?: (string)[];
  'output_node_properties'?: (string)[];
  'output_directory_format'?: (_build_bazel_remote_execution_v2_Command_OutputDirectoryFormat);
}

export interface Command__Output {
  'arguments': (string)[];
  'environment_variables': (_build_bazel_remote_execution_v2_Command_EnvironmentVariable__Output)[];
  'output_files': (string)[];
  'output_directories': (string)[];
  'platform': (_build_bazel_remote_execution_v2_Platform__Output | null);
  'working_directory': (string);
  'output_paths': (string)[];
  'output_node_properties': (string)[];
  'output_directory_format': (_build_bazel_remote_execution_v2_Command_OutputDirectoryFormat__Output);
}
