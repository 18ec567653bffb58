// Original file: protos/compilation_cache_service/compilation_caching_kv.proto

import type { ResponseError as _compilation_cache_service_keyvalue_v1_ResponseError, ResponseError__Output as _compilation_cache_service_keyvalue_v1_ResponseError__Output } from '../../../compilation_cache_service/keyvalue/v1/ResponseError.js';

export interface PutValueResponse {
  'error'?: (_compilation_cache_service_keyvalue_v1_ResponseError | null);
  '_error'?: "error";
}

export interface PutValueResponse__Output {
  'error'?: (_compilation_cache_service_keyvalue_v1_ResponseError__Output | null);
  '_error'?: "error";
}
