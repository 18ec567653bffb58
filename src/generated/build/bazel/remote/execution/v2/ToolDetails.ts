// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto


export interface ToolDetails {
  'tool_name'?: (string);
  'tool_version'?: (string);
}

export interface ToolDetails__Output {
  'tool_name': (string);
  'tool_version': (string);
}
