// Original file: protos/fabrik/v1/cache.proto

import type { EntryInfo as _fabrik_v1_EntryInfo, EntryInfo__Output as _fabrik_v1_EntryInfo__Output } from '../../fabrik/v1/EntryInfo.js';

export interface GetResponse {
  'info'?: (_fabrik_v1_EntryInfo | null);
  'data'?: (Buffer | Uint8Array | string);
  'part'?: "info"|"data";
}

export interface GetResponse__Output {
  'info'?: (_fabrik_v1_EntryInfo__Output | null);
  'data'?: (Buffer);
  'part'?: "info"|"data";
}
