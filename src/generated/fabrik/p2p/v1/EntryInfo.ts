// Original file: protos/fabrik/p2p/v1/p2p.proto

import type { Long } from '@grpc/proto-loader';

export interface EntryInfo {
  'found'?: (boolean);
  'size'?: (number | string | Long);
  'sha256'?: (string);
  'meta'?: ({[key: string]: string});
}

export interface EntryInfo__Output {
  'found': (boolean);
  'size': (string);
  'sha256': (string);
  'meta': ({[key: string]: string});
}
