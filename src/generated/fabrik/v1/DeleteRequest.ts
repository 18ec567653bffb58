// Original file: protos/fabrik/v1/cache.proto


export interface DeleteRequest {
  'namespace'?: (string);
  'key'?: (string);
}

export interface DeleteRequest__Output {
  'namespace': (string);
  'key': (string);
}
