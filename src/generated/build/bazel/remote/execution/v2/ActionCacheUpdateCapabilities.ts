// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto


export interface ActionCacheUpdateCapabilities {
  'update_enabled'?: (boolean);
}

export interface ActionCacheUpdateCapabilities__Output {
  'update_enabled': (boolean);
}
