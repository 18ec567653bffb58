// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto


export interface GetCapabilitiesRequest {
  'instance_name'?: (string);
}

export interface GetCapabilitiesRequest__Output {
  'instance_name': (string);
}
