// Original file: protos/compilation_cache_service/compilation_caching_kv.proto


export interface Value {
  'entries'?: ({[key: string]: Buffer | Uint8Array | string});
}

export interface Value__Output {
  'entries': ({[key: string]: Buffer});
}
