// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { CASObject as _compilation_cache_service_cas_v1_CASObject, CASObject__Output as _compilation_cache_service_cas_v1_CASObject__Output } from '../../../compilation_cache_service/cas/v1/CASObject.js';

export interface CASPutRequest {
  'data'?: (_compilation_cache_service_cas_v1_CASObject | null);
}

export interface CASPutRequest__Output {
  'data': (_compilation_cache_service_cas_v1_CASObject__Output | null);
}
