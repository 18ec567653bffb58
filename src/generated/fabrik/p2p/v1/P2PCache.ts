// Original file: protos/fabrik/p2p/v1/p2p.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExistsRequest as _fabrik_p2p_v1_ExistsRequest, ExistsRequest__Output as _fabrik_p2p_v1_ExistsRequest__Output } from '../../../fabrik/p2p/v1/ExistsRequest.js';
import type { ExistsResponse as _fabrik_p2p_v1_ExistsResponse, ExistsResponse__Output as _fabrik_p2p_v1_ExistsResponse__Output } from '../../../fabrik/p2p/v1/ExistsResponse.js';
import type { GetRequest as _fabrik_p2p_v1_GetRequest, GetRequest__Output as _fabrik_p2p_v1_GetRequest__Output } from '../../../fabrik/p2p/v1/GetRequest.js';
import type { GetResponse as _fabrik_p2p_v1_GetResponse, GetResponse__Output as _fabrik_p2p_v1_GetResponse__Output } from '../../../fabrik/p2p/v1/GetResponse.js';
import type { HelloRequest as _fabrik_p2p_v1_HelloRequest, HelloRequest__Output as _fabrik_p2p_v1_HelloRequest__Output } from '../../../fabrik/p2p/v1/HelloRequest.js';
import type { HelloResponse as _fabrik_p2p_v1_HelloResponse, HelloResponse__Output as _fabrik_p2p_v1_HelloResponse__Output } from '../../../fabrik/p2p/v1/HelloResponse.js';

export interface P2PCacheClient extends grpc.Client {
  Exists(argument: _fabrik_p2p_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_p2p_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_p2p_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _fabrik_p2p_v1_ExistsRequest, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_p2p_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_p2p_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_p2p_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _fabrik_p2p_v1_ExistsRequest, callback: grpc.requestCallback<_fabrik_p2p_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _fabrik_p2p_v1_GetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_p2p_v1_GetResponse__Output>;
  Get(argument: _fabrik_p2p_v1_GetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_p2p_v1_GetResponse__Output>;
  get(argument: _fabrik_p2p_v1_GetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_p2p_v1_GetResponse__Output>;
  get(argument: _fabrik_p2p_v1_GetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fabrik_p2p_v1_GetResponse__Output>;
  
  Hello(argument: _fabrik_p2p_v1_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  Hello(argument: _fabrik_p2p_v1_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  Hello(argument: _fabrik_p2p_v1_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  Hello(argument: _fabrik_p2p_v1_HelloRequest, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  hello(argument: _fabrik_p2p_v1_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  hello(argument: _fabrik_p2p_v1_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  hello(argument: _fabrik_p2p_v1_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  hello(argument: _fabrik_p2p_v1_HelloRequest, callback: grpc.requestCallback<_fabrik_p2p_v1_HelloResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface P2PCacheHandlers extends grpc.UntypedServiceImplementation {
  Exists: grpc.handleUnaryCall<_fabrik_p2p_v1_ExistsRequest__Output, _fabrik_p2p_v1_ExistsResponse>;
  
  Get: grpc.handleServerStreamingCall<_fabrik_p2p_v1_GetRequest__Output, _fabrik_p2p_v1_GetResponse>;
  
  Hello: grpc.handleUnaryCall<_fabrik_p2p_v1_HelloRequest__Output, _fabrik_p2p_v1_HelloResponse>;
  
}

export interface P2PCacheDefinition extends grpc.ServiceDefinition {
  Exists: MethodDefinition<_fabrik_p2p_v1_ExistsRequest, _fabrik_p2p_v1_ExistsResponse, _fabrik_p2p_v1_ExistsRequest__Output, _fabrik_p2p_v1_ExistsResponse__Output>
  Get: MethodDefinition<_fabrik_p2p_v1_GetRequest, _fabrik_p2p_v1_GetResponse, _fabrik_p2p_v1_GetRequest__Output, _fabrik_p2p_v1_GetResponse__Output>
  Hello: MethodDefinition<_fabrik_p2p_v1_HelloRequest, _fabrik_p2p_v1_HelloResponse, _fabrik_p2p_v1_HelloRequest__Output, _fabrik_p2p_v1_HelloResponse__Output>
}
