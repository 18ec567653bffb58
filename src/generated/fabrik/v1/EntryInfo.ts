// Original file: protos/fabrik/v1/cache.proto

import type { Long } from '@grpc/proto-loader';

export interface EntryInfo {
  'found'?: (boolean);
  'size'?: (number | string | Long);
  'sha256'?: (string);
  'meta'?: ({[key: string]: string});
  'created_at_ms'?: (number | string | Long);
}

export interface EntryInfo__Output {
  'found': (boolean);
  'size': (string);
  'sha256': (string);
  'meta': ({[key: string]: string});
  'created_at_ms': (string);
}
