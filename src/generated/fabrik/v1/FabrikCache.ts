// Original file: protos/fabrik/v1/cache.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteRequest as _fabrik_v1_DeleteRequest, DeleteRequest__Output as _fabrik_v1_DeleteRequest__Output } from '../../fabrik/v1/DeleteRequest.js';
import type { DeleteResponse as _fabrik_v1_DeleteResponse, DeleteResponse__Output as _fabrik_v1_DeleteResponse__Output } from '../../fabrik/v1/DeleteResponse.js';
import type { ExistsRequest as _fabrik_v1_ExistsRequest, ExistsRequest__Output as _fabrik_v1_ExistsRequest__Output } from '../../fabrik/v1/ExistsRequest.js';
import type { ExistsResponse as _fabrik_v1_ExistsResponse, ExistsResponse__Output as _fabrik_v1_ExistsResponse__Output } from '../../fabrik/v1/ExistsResponse.js';
import type { GetRequest as _fabrik_v1_GetRequest, GetRequest__Output as _fabrik_v1_GetRequest__Output } from '../../fabrik/v1/GetRequest.js';
import type { GetResponse as _fabrik_v1_GetResponse, GetResponse__Output as _fabrik_v1_GetResponse__Output } from '../../fabrik/v1/GetResponse.js';
import type { GetStatsRequest as _fabrik_v1_GetStatsRequest, GetStatsRequest__Output as _fabrik_v1_GetStatsRequest__Output } from '../../fabrik/v1/GetStatsRequest.js';
import type { GetStatsResponse as _fabrik_v1_GetStatsResponse, GetStatsResponse__Output as _fabrik_v1_GetStatsResponse__Output } from '../../fabrik/v1/GetStatsResponse.js';
import type { PutRequest as _fabrik_v1_PutRequest, PutRequest__Output as _fabrik_v1_PutRequest__Output } from '../../fabrik/v1/PutRequest.js';
import type { PutResponse as _fabrik_v1_PutResponse, PutResponse__Output as _fabrik_v1_PutResponse__Output } from '../../fabrik/v1/PutResponse.js';

export interface FabrikCacheClient extends grpc.Client {
  Delete(argument: _fabrik_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _fabrik_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _fabrik_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _fabrik_v1_DeleteRequest, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _fabrik_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _fabrik_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _fabrik_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _fabrik_v1_DeleteRequest, callback: grpc.requestCallback<_fabrik_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  
  Exists(argument: _fabrik_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_v1_ExistsRequest, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_v1_ExistsRequest, callback: grpc.requestCallback<_fabrik_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _fabrik_v1_GetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_v1_GetResponse__Output>;
  Get(argument: _fabrik_v1_GetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_v1_GetResponse__Output>;
  get(argument: _fabrik_v1_GetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_v1_GetResponse__Output>;
  get(argument: _fabrik_v1_GetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_v1_GetResponse__Output>;
  
  GetStats(argument: _fabrik_v1_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _fabrik_v1_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _fabrik_v1_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _fabrik_v1_GetStatsRequest, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _fabrik_v1_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _fabrik_v1_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _fabrik_v1_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _fabrik_v1_GetStatsRequest, callback: grpc.requestCallback<_fabrik_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  
  Put(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  Put(metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  Put(options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  Put(callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  put(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  put(metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  put(options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  put(callback: grpc.requestCallback<_fabrik_v1_PutResponse__Output>): grpc.ClientWritableStream<_fabrik_v1_PutRequest>;
  
}

export interface FabrikCacheHandlers extends grpc.UntypedServiceImplementation {
  Delete: grpc.handleUnaryCall<_fabrik_v1_DeleteRequest__Output, _fabrik_v1_DeleteResponse>;
  
  Exists: grpc.handleUnaryCall<_fabrik_v1_ExistsRequest__Output, _fabrik_v1_ExistsResponse>;
  
  Get: grpc.handleServerStreamingCall<_fabrik_v1_GetRequest__Output, _fabrik_v1_GetResponse>;
  
  GetStats: grpc.handleUnaryCall<_fabrik_v1_GetStatsRequest__Output, _fabrik_v1_GetStatsResponse>;
  
  Put: grpc.handleClientStreamingCall<_fabrik_v1_PutRequest__Output, _fabrik_v1_PutResponse>;
  
}

export interface FabrikCacheDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<_fabrik_v1_DeleteRequest, _fabrik_v1_DeleteResponse, _fabrik_v1_DeleteRequest__Output, _fabrik_v1_DeleteResponse__Output>
  Exists: MethodDefinition<_fabrik_v1_ExistsRequest, _fabrik_v1_ExistsResponse, _fabrik_v1_ExistsRequest__Output, _fabrik_v1_ExistsResponse__Output>
  Get: MethodDefinition<_fabrik_v1_GetRequest, _fabrik_v1_GetResponse, _fabrik_v1_GetRequest__Output, _fabrik_v1_GetResponse__Output>
  GetStats: MethodDefinition<_fabrik_v1_GetStatsRequest, _fabrik_v1_GetStatsResponse, _fabrik_v1_GetStatsRequest__Output, _fabrik_v1_GetStatsResponse__Output>
  Put: MethodDefinition<_fabrik_v1_PutRequest, _fabrik_v1_PutResponse, _fabrik_v1_PutRequest__Output, _fabrik_v1_PutResponse__Output>
}
