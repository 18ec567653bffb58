// Original file: protos/compilation_cache_service/compilation_caching_kv.proto


export interface ResponseError {
  'description'?: (string);
}

export interface ResponseError__Output {
  'description': (string);
}
