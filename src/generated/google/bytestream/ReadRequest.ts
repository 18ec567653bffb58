// Original file: protos/google/bytestream/bytestream.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadRequest {
  'resource_name'?: (string);
  'read_offset'?: (number | string | Long);
  'read_limit'?: (number | string | Long);
}

export interface ReadRequest__Output {
  'resource_name': (string);
  'read_offset': (string);
  'read_limit': (string);
}
