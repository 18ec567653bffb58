// Original file: protos/compilation_cache_service/compilation_caching_kv.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetValueRequest as _compilation_cache_service_keyvalue_v1_GetValueRequest, GetValueRequest__Output as _compilation_cache_service_keyvalue_v1_GetValueRequest__Output } from '../../../compilation_cache_service/keyvalue/v1/GetValueRequest.js';
import type { GetValueResponse as _compilation_cache_service_keyvalue_v1_GetValueResponse, GetValueResponse__Output as _compilation_cache_service_keyvalue_v1_GetValueResponse__Output } from '../../../compilation_cache_service/keyvalue/v1/GetValueResponse.js';
import type { PutValueRequest as _compilation_cache_service_keyvalue_v1_PutValueRequest, PutValueRequest__Output as _compilation_cache_service_keyvalue_v1_PutValueRequest__Output } from '../../../compilation_cache_service/keyvalue/v1/PutValueRequest.js';
import type { PutValueResponse as _compilation_cache_service_keyvalue_v1_PutValueResponse, PutValueResponse__Output as _compilation_cache_service_keyvalue_v1_PutValueResponse__Output } from '../../../compilation_cache_service/keyvalue/v1/PutValueResponse.js';

export interface KeyValueDBClient extends grpc.Client {
  GetValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  GetValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  GetValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  GetValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  getValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  getValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  getValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  getValue(argument: _compilation_cache_service_keyvalue_v1_GetValueRequest, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_GetValueResponse__Output>): grpc.ClientUnaryCall;
  
  PutValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  PutValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  PutValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  PutValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  putValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  putValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  putValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  putValue(argument: _compilation_cache_service_keyvalue_v1_PutValueRequest, callback: grpc.requestCallback<_compilation_cache_service_keyvalue_v1_PutValueResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface KeyValueDBHandlers extends grpc.UntypedServiceImplementation {
  GetValue: grpc.handleUnaryCall<_compilation_cache_service_keyvalue_v1_GetValueRequest__Output, _compilation_cache_service_keyvalue_v1_GetValueResponse>;
  
  PutValue: grpc.handleUnaryCall<_compilation_cache_service_keyvalue_v1_PutValueRequest__Output, _compilation_cache_service_keyvalue_v1_PutValueResponse>;
  
}

export interface KeyValueDBDefinition extends grpc.ServiceDefinition {
  GetValue: MethodDefinition<_compilation_cache_service_keyvalue_v1_GetValueRequest, _compilation_cache_service_keyvalue_v1_GetValueResponse, _compilation_cache_service_keyvalue_v1_GetValueRequest__Output, _compilation_cache_service_keyvalue_v1_GetValueResponse__Output>
  PutValue: MethodDefinition<_compilation_cache_service_keyvalue_v1_PutValueRequest, _compilation_cache_service_keyvalue_v1_PutValueResponse, _compilation_cache_service_keyvalue_v1_PutValueRequest__Output, _compilation_cache_service_keyvalue_v1_PutValueResponse__Output>
}
