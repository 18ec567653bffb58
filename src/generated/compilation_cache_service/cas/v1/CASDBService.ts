// Original file: protos/compilation_cache_service/compilation_caching_cas.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CASGetRequest as _compilation_cache_service_cas_v1_CASGetRequest, CASGetRequest__Output as _compilation_cache_service_cas_v1_CASGetRequest__Output } from '../../../compilation_cache_service/cas/v1/CASGetRequest.js';
import type { CASGetResponse as _compilation_cache_service_cas_v1_CASGetResponse, CASGetResponse__Output as _compilation_cache_service_cas_v1_CASGetResponse__Output } from '../../../compilation_cache_service/cas/v1/CASGetResponse.js';
import type { CASLoadRequest as _compilation_cache_service_cas_v1_CASLoadRequest, CASLoadRequest__Output as _compilation_cache_service_cas_v1_CASLoadRequest__Output } from '../../../compilation_cache_service/cas/v1/CASLoadRequest.js';
import type { CASLoadResponse as _compilation_cache_service_cas_v1_CASLoadResponse, CASLoadResponse__Output as _compilation_cache_service_cas_v1_CASLoadResponse__Output } from '../../../compilation_cache_service/cas/v1/CASLoadResponse.js';
import type { CASPutRequest as _compilation_cache_service_cas_v1_CASPutRequest, CASPutRequest__Output as _compilation_cache_service_cas_v1_CASPutRequest__Output } from '../../../compilation_cache_service/cas/v1/CASPutRequest.js';
import type { CASPutResponse as _compilation_cache_service_cas_v1_CASPutResponse, CASPutResponse__Output as _compilation_cache_service_cas_v1_CASPutResponse__Output } from '../../../compilation_cache_service/cas/v1/CASPutResponse.js';
import type { CASSaveRequest as _compilation_cache_service_cas_v1_CASSaveRequest, CASSaveRequest__Output as _compilation_cache_service_cas_v1_CASSaveRequest__Output } from '../../../compilation_cache_service/cas/v1/CASSaveRequest.js';
import type { CASSaveResponse as _compilation_cache_service_cas_v1_CASSaveResponse, CASSaveResponse__Output as _compilation_cache_service_cas_v1_CASSaveResponse__Output } from '../../../compilation_cache_service/cas/v1/CASSaveResponse.js';

export interface CASDBServiceClient extends grpc.Client {
  Get(argument: _compilation_cache_service_cas_v1_CASGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _compilation_cache_service_cas_v1_CASGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _compilation_cache_service_cas_v1_CASGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _compilation_cache_service_cas_v1_CASGetRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _compilation_cache_service_cas_v1_CASGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _compilation_cache_service_cas_v1_CASGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _compilation_cache_service_cas_v1_CASGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _compilation_cache_service_cas_v1_CASGetRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASGetResponse__Output>): grpc.ClientUnaryCall;
  
  Load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  Load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  Load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  Load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  load(argument: _compilation_cache_service_cas_v1_CASLoadRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASLoadResponse__Output>): grpc.ClientUnaryCall;
  
  Put(argument: _compilation_cache_service_cas_v1_CASPutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _compilation_cache_service_cas_v1_CASPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _compilation_cache_service_cas_v1_CASPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _compilation_cache_service_cas_v1_CASPutRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _compilation_cache_service_cas_v1_CASPutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _compilation_cache_service_cas_v1_CASPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _compilation_cache_service_cas_v1_CASPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _compilation_cache_service_cas_v1_CASPutRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASPutResponse__Output>): grpc.ClientUnaryCall;
  
  Save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  Save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  Save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  Save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  save(argument: _compilation_cache_service_cas_v1_CASSaveRequest, callback: grpc.requestCallback<_compilation_cache_service_cas_v1_CASSaveResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface CASDBServiceHandlers extends grpc.UntypedServiceImplementation {
  Get: grpc.handleUnaryCall<_compilation_cache_service_cas_v1_CASGetRequest__Output, _compilation_cache_service_cas_v1_CASGetResponse>;
  
  Load: grpc.handleUnaryCall<_compilation_cache_service_cas_v1_CASLoadRequest__Output, _compilation_cache_service_cas_v1_CASLoadResponse>;
  
  Put: grpc.handleUnaryCall<_compilation_cache_service_cas_v1_CASPutRequest__Output, _compilation_cache_service_cas_v1_CASPutResponse>;
  
  Save: grpc.handleUnaryCall<_compilation_cache_service_cas_v1_CASSaveRequest__Output, _compilation_cache_service_cas_v1_CASSaveResponse>;
  
}

export interface CASDBServiceDefinition extends grpc.ServiceDefinition {
  Get: MethodDefinition<_compilation_cache_service_cas_v1_CASGetRequest, _compilation_cache_service_cas_v1_CASGetResponse, _compilation_cache_service_cas_v1_CASGetRequest__Output, _compilation_cache_service_cas_v1_CASGetResponse__Output>
  Load: MethodDefinition<_compilation_cache_service_cas_v1_CASLoadRequest, _compilation_cache_service_cas_v1_CASLoadResponse, _compilation_cache_service_cas_v1_CASLoadRequest__Output, _compilation_cache_service_cas_v1_CASLoadResponse__Output>
  Put: MethodDefinition<_compilation_cache_service_cas_v1_CASPutRequest, _compilation_cache_service_cas_v1_CASPutResponse, _compilation_cache_service_cas_v1_CASPutRequest__Output, _compilation_cache_service_cas_v1_CASPutResponse__Output>
  Save: MethodDefinition<_compilation_cache_service_cas_v1_CASSaveRequest, _compilation_cache_service_cas_v1_CASSaveResponse, _compilation_cache_service_cas_v1_CASSaveRequest__Output, _compilation_cache_service_cas_v1_CASSaveResponse__Output>
}
