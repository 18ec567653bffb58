// Original file: protos/compilation_cache_service/compilation_caching_cas.proto


export interface ResponseError {
  'description'?: (string);
}

export interface ResponseError__Output {
  'description': (string);
}
