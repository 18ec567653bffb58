// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { ResponseError as _compilation_cache_service_cas_v1_ResponseError, ResponseError__Output as _compilation_cache_service_cas_v1_ResponseError__Output } from '../../../compilation_cache_service/cas/v1/ResponseError.js';
import type { CASDataID as _compilation_cache_service_cas_v1_CASDataID, CASDataID__Output as _compilation_cache_service_cas_v1_CASDataID__Output } from '../../../compilation_cache_service/cas/v1/CASDataID.js';

export interface CASSaveResponse {
  'error'?: (_compilation_cache_service_cas_v1_ResponseError | null);
  'cas_id'?: (_compilation_cache_service_cas_v1_CASDataID | null);
  'contents'?: "error"|"cas_id";
}

export interface CASSaveResponse__Output {
  'error'?: (_compilation_cache_service_cas_v1_ResponseError__Output | null);
  'cas_id'?: (_compilation_cache_service_cas_v1_CASDataID__Output | null);
  'contents'?: "error"|"cas_id";
}
