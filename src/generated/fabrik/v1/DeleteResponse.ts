// Original file: protos/fabrik/v1/cache.proto


export interface DeleteResponse {
  'deleted'?: (boolean);
}

export interface DeleteResponse__Output {
  'deleted': (boolean);
}
