// Original file: protos/fabrik/p2p/v1/p2p.proto

import type { Key as _fabrik_p2p_v1_Key, Key__Output as _fabrik_p2p_v1_Key__Output } from '../../../fabrik/p2p/v1/Key.js';
import type { Long } from '@grpc/proto-loader';

export interface GetRequest {
  'key'?: (_fabrik_p2p_v1_Key | null);
  'offset'?: (number | string | Long);
}

export interface GetRequest__Output {
  'key': (_fabrik_p2p_v1_Key__Output | null);
  'offset': (string);
}
