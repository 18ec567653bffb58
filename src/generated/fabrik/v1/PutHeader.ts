// Original file: protos/fabrik/v1/cache.proto

import type { Long } from '@grpc/proto-loader';

export interface PutHeader {
  'namespace'?: (string);
  'key'?: (string);
  'size'?: (number | string | Long);
  'sha256'?: (string);
  'meta'?: ({[key: string]: string});
}

export interface PutHeader__Output {
  'namespace': (string);
  'key': (string);
  'size': (string);
  'sha256': (string);
  'meta': ({[key: string]: string});
}
