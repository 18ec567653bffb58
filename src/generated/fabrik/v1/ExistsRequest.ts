// Original file: protos/fabrik/v1/cache.proto

import type { EntryRef as _fabrik_v1_EntryRef, EntryRef__Output as _fabrik_v1_EntryRef__Output } from '../../fabrik/v1/EntryRef.js';

export interface ExistsRequest {
  'entries'?: (_fabrik_v1_EntryRef)[];
}

export interface ExistsRequest__Output {
  'entries': (_fabrik_v1_EntryRef__Output)[];
}
