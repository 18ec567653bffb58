// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { CASBytes as _compilation_cache_service_cas_v1_CASBytes, CASBytes__Output as _compilation_cache_service_cas_v1_CASBytes__Output } from '../../../compilation_cache_service/cas/v1/CASBytes.js';

export interface CASBlob {
  'blob'?: (_compilation_cache_service_cas_v1_CASBytes | null);
}

export interface CASBlob__Output {
  'blob': (_compilation_cache_service_cas_v1_CASBytes__Output | null);
}
