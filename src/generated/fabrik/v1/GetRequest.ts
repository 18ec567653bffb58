// Original file: protos/fabrik/v1/cache.proto


export interface GetRequest {
  'namespace'?: (string);
  'key'?: (string);
}

export interface GetRequest__Output {
  'namespace': (string);
  'key': (string);
}
