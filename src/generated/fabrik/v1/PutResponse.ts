// Original file: protos/fabrik/v1/cache.proto

import type { Long } from '@grpc/proto-loader';

export interface PutResponse {
  'size'?: (number | string | Long);
  'sha256'?: (string);
  'created'?: (boolean);
}

export interface PutResponse__Output {
  'size': (string);
  'sha256': (string);
  'created': (boolean);
}
