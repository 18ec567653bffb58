// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { CASBytes as _compilation_cache_service_cas_v1_CASBytes, CASBytes__Output as _compilation_cache_service_cas_v1_CASBytes__Output } from '../../../compilation_cache_service/cas/v1/CASBytes.js';
import type { CASDataID as _compilation_cache_service_cas_v1_CASDataID, CASDataID__Output as _compilation_cache_service_cas_v1_CASDataID__Output } from '../../../compilation_cache_service/cas/v1/CASDataID.js';

export interface CASObject {
  'blob'?: (_compilation_cache_service_cas_v1_CASBytes | null);
  'references'?: (_compilation_cache_service_cas_v1_CASDataID)[];
}

export interface CASObject__Output {
  'blob': (_compilation_cache_service_cas_v1_CASBytes__Output | null);
  'references': (_compilation_cache_service_cas_v1_CASDataID__Output)[];
}
