// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type { CASDataID as _compilation_cache_service_cas_v1_CASDataID, CASDataID__Output as _compilation_cache_service_cas_v1_CASDataID__Output } from '../../../compilation_cache_service/cas/v1/CASDataID.js';

export interface CASLoadRequest {
  'cas_id'?: (_compilation_cache_service_cas_v1_CASDataID | null);
  'write_to_disk'?: (boolean);
}

export interface CASLoadRequest__Output {
  'cas_id': (_compilation_cache_service_cas_v1_CASDataID__Output | null);
  'write_to_disk': (boolean);
}
