// Original file: protos/compilation_cache_service/compilation_caching_cas.proto


export interface CASDataID {
  'id'?: (Buffer | Uint8Array | string);
}

export interface CASDataID__Output {
  'id': (Buffer);
}
