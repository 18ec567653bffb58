// Original file: protos/fabrik/v1/cache.proto

import type { Long } from '@grpc/proto-loader';

export interface GetStatsResponse {
  'entries'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'max_bytes'?: (number | string | Long);
}

export interface GetStatsResponse__Output {
  'entries': (string);
  'bytes': (string);
  'max_bytes': (string);
}
