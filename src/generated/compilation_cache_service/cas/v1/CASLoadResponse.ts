// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { ResponseError as _compilation_cache_service_cas_v1_ResponseError, ResponseError__Output as _compilation_cache_service_cas_v1_ResponseError__Output } from '../../../compilation_cache_service/cas/v1/ResponseError.js';
import type { CASBlob as _compilation_cache_service_cas_v1_CASBlob, CASBlob__Output as _compilation_cache_service_cas_v1_CASBlob__Output } from '../../../compilation_cache_service/cas/v1/CASBlob.js';

// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

export const _compilation_cache_service_cas_v1_CASLoadResponse_Outcome = {
  ERROR: 'ERROR',
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
  SUCCESS: 'SUCCESS',
} as const;

export type _compilation_cache_service_cas_v1_CASLoadResponse_Outcome =
  | 'ERROR'
  | 0
  | 'OBJECT_NOT_FOUND'
  | 1
  | 'SUCCESS'
  | 2

export type _compilation_cache_service_cas_v1_CASLoadResponse_Outcome__Output = typeof _compilation_cache_service_cas_v1_CASLoadResponse_Outcome[keyof typeof _compilation_cache_service_cas_v1_CASLoadResponse_Outcome]

export interface CASLoadResponse {
  'outcome'?: (_compilation_cache_service_cas_v1_CASLoadResponse_Outcome);
  'error'?: (_compilation_cache_service_cas_v1_ResponseError | null);
  'data'?: (_compilation_cache_service_cas_v1_CASBlob | null);
  'contents'?: "error"|"data";
}

export interface CASLoadResponse__Output {
  'outcome': (_compilation_cache_service_cas_v1_CASLoadResponse_Outcome__Output);
  'error'?: (_compilation_cache_service_cas_v1_ResponseError__Output | null);
  'data'?: (_compilation_cache_service_cas_v1_CASBlob__Output | null);
  'contents'?: "error"|"data";
}
