// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { _build_bazel_remote_execution_v2_DigestFunction_Value, _build_bazel_remote_execution_v2_DigestFunction_Value__Output } from '../../../../../build/bazel/remote/execution/v2/DigestFunction.js';
import type { PriorityCapabilities as _build_bazel_remote_execution_v2_PriorityCapabilities, PriorityCapabilities__Output as _build_bazel_remote_execution_v2_PriorityCapabilities__Output } from '../../../../../build/bazel/remote/execution/v2/PriorityCapabilities.js';

export interface ExecutionCapabilities {
  'digest_function'?: (_build_bazel_remote_execution_v2_DigestFunction_Value);
  'exec_enabled'?: (boolean);
  'execution_priority_capabilities'?: (_build_bazel_remote_execution_v2_PriorityCapabilities | null);
  'supported_node_properties'?: (string)[];
  'digest_functions'?: (_build_bazel_remote_execution_v2_DigestFunction_Value)[];
}

export interface ExecutionCapabilities__Output {
  'digest_function': (_build_bazel_remote_execution_v2_DigestFunction_Value__Output);
  'exec_enabled': (boolean);
  'execution_priority_capabilities': (_build_bazel_remote_execution_v2_PriorityCapabilities__Output | null);
  'supported_node_properties': (string)[];
  'digest_functions': (_build_bazel_remote_execution_v2_DigestFunction_Value__Output)[];
}
