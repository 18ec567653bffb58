// Original file: protos/compilation_cache_service/compilation_caching_kv.proto


export interface GetValueRequest {
  'key'?: (Buffer | Uint8Array | string);
}

export interface GetValueRequest__Output {
  'key': (Buffer);
}
