// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { CASBlob as _compilation_cache_service_cas_v1_CASBlob, CASBlob__Output as _compilation_cache_service_cas_v1_CASBlob__Output } from '../../../compilation_cache_service/cas/v1/CASBlob.js';

export interface CASSaveRequest {
  'data'?: (_compilation_cache_service_cas_v1_CASBlob | null);
}

export interface CASSaveRequest__Output {
  'data': (_compilation_cache_service_cas_v1_CASBlob__Output | null);
}
