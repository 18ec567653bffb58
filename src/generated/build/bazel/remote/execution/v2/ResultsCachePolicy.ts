// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto


export interface ResultsCachePolicy {
  'priority'?: (number);
}

export interface ResultsCachePolicy__Output {
  'priority': (number);
}
