// Original file: protos/fabrik/v1/cache.proto

import type { PutHeader as _fabrik_v1_PutHeader, PutHeader__Output as _fabrik_v1_PutHeader__Output } from '../../fabrik/v1/PutHeader.js';

export interface PutRequest {
  'header'?: (_fabrik_v1_PutHeader | null);
  'data'?: (Buffer | Uint8Array | string);
  'part'?: "header"|"data";
}

export interface PutRequest__Output {
  'header'?: (_fabrik_v1_PutHeader__Output | null);
  'data'?: (Buffer);
  'part'?: "header"|"data";
}
