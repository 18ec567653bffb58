// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { ResponseError as _compilation_cache_service_cas_v1_ResponseError, ResponseError__Output as _compilation_cache_service_cas_v1_ResponseError__Output } from '../../../compilation_cache_service/cas/v1/ResponseError.js';
import type { CASObject as _compilation_cache_service_cas_v1_CASObject, CASObject__Output as _compilation_cache_service_cas_v1_CASObject__Output } from '../../../compilation_cache_service/cas/v1/CASObject.js';

// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

export const _compilation_cache_service_cas_v1_CASGetResponse_Outcome = {
  ERROR: 'ERROR',
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
  SUCCESS: 'SUCCESS',
} as const;

export type _compilation_cache_service_cas_v1_CASGetResponse_Outcome =
  | 'ERROR'
  | 0
  | 'OBJECT_NOT_FOUND'
  | 1
  | 'SUCCESS'
  | 2

export type _compilation_cache_service_cas_v1_CASGetResponse_Outcome__Output = typeof _compilation_cache_service_cas_v1_CASGetResponse_Outcome[keyof typeof _compilation_cache_service_cas_v1_CASGetResponse_Outcome]

export interface CASGetResponse {
  'outcome'?: (_compilation_cache_service_cas_v1_CASGetResponse_Outcome);
  'error'?: (_compilation_cache_service_cas_v1_ResponseError | null);
  'data'?: (_compilation_cache_service_cas_v1_CASObject | null);
  'contents'?: "error"|"data";
}

export interface CASGetResponse__Output {
  'outcome': (_compilation_cache_service_cas_v1_CASGetResponse_Outcome__Output);
  'error'?: (_compilation_cache_service_cas_v1_ResponseError__Output | null);
  'data'?: (_compilation_cache_service_cas_v1_CASObject__Output | null);
  'contents'?: "error"|"data";
}
