// Original file: protos/fabrik/p2p/v1/p2p.proto

import type { EntryInfo as _fabrik_p2p_v1_EntryInfo, EntryInfo__Output as _fabrik_p2p_v1_EntryInfo__Output } from '../../../fabrik/p2p/v1/EntryInfo.js';

export interface ExistsResponse {
  'entries'?: (_fabrik_p2p_v1_EntryInfo)[];
}

export interface ExistsResponse__Output {
  'entries': (_fabrik_p2p_v1_EntryInfo__Output)[];
}
