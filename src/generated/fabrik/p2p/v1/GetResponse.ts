// Original file: protos/fabrik/p2p/v1/p2p.proto

import type { EntryInfo as _fabrik_p2p_v1_EntryInfo, EntryInfo__Output as _fabrik_p2p_v1_EntryInfo__Output } from '../../../fabrik/p2p/v1/EntryInfo.js';

export interface GetResponse {
  'info'?: (_fabrik_p2p_v1_EntryInfo | null);
  'data'?: (Buffer | Uint8Array | string);
  'part'?: "info"|"data";
}

export interface GetResponse__Output {
  'info'?: (_fabrik_p2p_v1_EntryInfo__Output | null);
  'data'?: (Buffer);
  'part'?: "info"|"data";
}
