// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { ToolDetails as _build_bazel_remote_execution_v2_ToolDetails, ToolDetails__Output as _build_bazel_remote_execution_v2_ToolDetails__Output } from '../../../../../build/bazel/remote/execution/v2/ToolDetails.js';

export interface RequestMetadata {
  'tool_details'?: (_build_bazel_remote_execution_v2_ToolDetails | null);
  'action_id'?: (string);
  'tool_invocation_id'?: (string);
  'correlated_invocations_id'?: (string);
  'action_mnemonic'?: (string);
  'target_id'?: (string);
  'configuration_id'?: (string);
}

export interface RequestMetadata__Output {
  'tool_details': (_build_bazel_remote_execution_v2_ToolDetails__Output | null);
  'action_id': (string);
  'tool_invocation_id': (string);
  'correlated_invocations_id': (string);
  'action_mnemonic': (string);
  'target_id': (string);
  'configuration_id': (string);
}
