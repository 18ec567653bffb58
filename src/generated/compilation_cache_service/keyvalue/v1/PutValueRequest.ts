// Original file: protos/compilation_cache_service/compilation_caching_kv.proto

import type { Value as _compilation_cache_service_keyvalue_v1_Value, Value__Output as _compilation_cache_service_keyvalue_v1_Value__Output } from '../../../compilation_cache_service/keyvalue/v1/Value.js';

export interface PutValueRequest {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (_compilation_cache_service_keyvalue_v1_Value | null);
}

export interface PutValueRequest__Output {
  'key': (Buffer);
  'value': (_compilation_cache_service_keyvalue_v1_Value__Output | null);
}
