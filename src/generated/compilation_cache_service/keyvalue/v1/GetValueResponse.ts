// Original file: protos/compilation_cache_service/compilation_caching_kv.proto

import type { ResponseError as _compilation_cache_service_keyvalue_v1_ResponseError, ResponseError__Output as _compilation_cache_service_keyvalue_v1_ResponseError__Output } from '../../../compilation_cache_service/keyvalue/v1/ResponseError.js';
import type { Value as _compilation_cache_service_keyvalue_v1_Value, Value__Output as _compilation_cache_service_keyvalue_v1_Value__Output } from '../../../compilation_cache_service/keyvalue/v1/Value.js';

// Original file: protos/compilation_cache_service/compilation_caching_kv.proto

export const _compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome = {
  ERROR: 'ERROR',
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  SUCCESS: 'SUCCESS',
} as const;

export type _compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome =
  | 'ERROR'
  | 0
  | 'KEY_NOT_FOUND'
  | 1
  | 'SUCCESS'
  | 2

export type _compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome__Output = typeof _compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome[keyof typeof _compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome]

export interface GetValueResponse {
  'outcome'?: (_compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome);
  'error'?: (_compilation_cache_service_keyvalue_v1_ResponseError | null);
  'value'?: (_compilation_cache_service_keyvalue_v1_Value | null);
  'contents'?: "error"|"value";
}

export interface GetValueResponse__Output {
  'outcome': (_compilation_cache_service_keyvalue_v1_GetValueResponse_Outcome__Output);
  'error'?: (_compilation_cache_service_keyvalue_v1_ResponseError__Output | null);
  'value'?: (_compilation_cache_service_keyvalue_v1_Value__Output | null);
  'contents'?: "error"|"value";
}
