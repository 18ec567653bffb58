// Original file: protos/fabrik/v1/cache.proto

import type { EntryInfo as _fabrik_v1_EntryInfo, EntryInfo__Output as _fabrik_v1_EntryInfo__Output } from '../../fabrik/v1/EntryInfo.js';

export interface ExistsResponse {
  'entries'?: (_fabrik_v1_EntryInfo)[];
}

export interface ExistsResponse__Output {
  'entries': (_fabrik_v1_EntryInfo__Output)[];
}
