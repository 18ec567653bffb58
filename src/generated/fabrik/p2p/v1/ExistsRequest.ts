// Original file: protos/fabrik/p2p/v1/p2p.proto

import type { Key as _fabrik_p2p_v1_Key, Key__Output as _fabrik_p2p_v1_Key__Output } from '../../../fabrik/p2p/v1/Key.js';

export interface ExistsRequest {
  'keys'?: (_fabrik_p2p_v1_Key)[];
}

export interface ExistsRequest__Output {
  'keys': (_fabrik_p2p_v1_Key__Output)[];
}
