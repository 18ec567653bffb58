// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { _build_bazel_remote_execution_v2_DigestFunction_Value, _build_bazel_remote_execution_v2_DigestFunction_Value__Output } from '../../../../../build/bazel/remote/execution/v2/DigestFunction.js';
import type { Digest as _build_bazel_remote_execution_v2_Digest, Digest__Output as _build_bazel_remote_execution_v2_Digest__Output } from '../../../../../build/bazel/remote/execution/v2/Digest.js';
import type { _build_bazel_remote_execution_v2_Compressor_Value, _build_bazel_remote_execution_v2_Compressor_Value__Output } from '../../../../../build/bazel/remote/execution/v2/Compressor.js';

export interface _build_bazel_remote_execution_v2_BatchUpdateBlobsRequest_Request {
  'digest'?: (_build_bazel_remote_execution_v2_Digest | null);
  'data'?: (Buffer | Uint8Array | string);
  'compressor'?: (_build_bazel_remote_execution_v2_Compressor_Value);
}

export interface _build_bazel_remote_execution_v2_BatchUpdateBlobsRequest_Request__Output {
  'digest': (_build_bazel_remote_execution_v2_Digest__Output | null);
  'data': (Buffer);
  'compressor': (_build_bazel_remote_execution_v2_Compressor_Value__Output);
}

export interface BatchUpdateBlobsRequest {
  'instance_name'?: (string);
  'requests'?: (_build_bazel_remote_execution_v2_BatchUpdateBlobsRequest_Request)[];
  'digest_function'?: (_build_bazel_remote_execution_v2_DigestFunction_Value);
}

export interface BatchUpdateBlobsRequest__Output {
  'instance_name': (string);
  'requests': (_build_bazel_remote_execution_v2_BatchUpdateBlobsRequest_Request__Output)[];
  'digest_function': (_build_bazel_remote_execution_v2_DigestFunction_Value__Output);
}
