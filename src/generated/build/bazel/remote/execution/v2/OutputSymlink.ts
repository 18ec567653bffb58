// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { NodeProperties as _build_bazel_remote_execution_v2_NodeProperties, NodeProperties__Output as _build_bazel_remote_execution_v2_NodeProperties__Output } from '../../../../../build/bazel/remote/execution/v2/NodeProperties.js';

export interface OutputSymlink {
  'path'?: (string);
  'target'?: (string);
  'node_properties'?: (_build_bazel_remote_execution_v2_NodeProperties | null);
}

export interface OutputSymlink__Output {
  'path': (string);
  'target': (string);
  'node_properties': (_build_bazel_remote_execution_v2_NodeProperties__Output | null);
}
