import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetValueRequest as _compilation_cache_service_keyvalue_v1_GetValueRequest, GetValueRequest__Output as _compilation_cache_service_keyvalue_v1_GetValueRequest__Output } from './compilation_cache_service/keyvalue/v1/GetValueRequest.js';
import type { GetValueResponse as _compilation_cache_service_keyvalue_v1_GetValueResponse, GetValueResponse__Output as _compilation_cache_service_keyvalue_v1_GetValueResponse__Output } from './compilation_cache_service/keyvalue/v1/GetValueResponse.js';
import type { KeyValueDBClient as _compilation_cache_service_keyvalue_v1_KeyValueDBClient, KeyValueDBDefinition as _compilation_cache_service_keyvalue_v1_KeyValueDBDefinition } from './compilation_cache_service/keyvalue/v1/KeyValueDB.js';
import type { PutValueRequest as _compilation_cache_service_keyvalue_v1_PutValueRequest, PutValueRequest__Output as _compilation_cache_service_keyvalue_v1_PutValueRequest__Output } from './compilation_cache_service/keyvalue/v1/PutValueRequest.js';
import type { PutValueResponse as _compilation_cache_service_keyvalue_v1_PutValueResponse, PutValueResponse__Output as _compilation_cache_service_keyvalue_v1_PutValueResponse__Output } from './compilation_cache_service/keyvalue/v1/PutValueResponse.js';
import type { ResponseError as _compilation_cache_service_keyvalue_v1_ResponseError, ResponseError__Output as _compilation_cache_service_keyvalue_v1_ResponseError__Output } from './compilation_cache_service/keyvalue/v1/ResponseError.js';
import type { Value as _compilation_cache_service_keyvalue_v1_Value, Value__Output as _compilation_cache_service_keyvalue_v1_Value__Output } from './compilation_cache_service/keyvalue/v1/Value.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  compilation_cache_service: {
    keyvalue: {
      v1: {
        GetValueRequest: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_GetValueRequest, _compilation_cache_service_keyvalue_v1_GetValueRequest__Output>
        GetValueResponse: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_GetValueResponse, _compilation_cache_service_keyvalue_v1_GetValueResponse__Output>
        KeyValueDB: SubtypeConstructor<typeof grpc.Client, _compilation_cache_service_keyvalue_v1_KeyValueDBClient> & { service: _compilation_cache_service_keyvalue_v1_KeyValueDBDefinition }
        PutValueRequest: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_PutValueRequest, _compilation_cache_service_keyvalue_v1_PutValueRequest__Output>
        PutValueResponse: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_PutValueResponse, _compilation_cache_service_keyvalue_v1_PutValueResponse__Output>
        ResponseError: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_ResponseError, _compilation_cache_service_keyvalue_v1_ResponseError__Output>
        Value: MessageTypeDefinition<_compilation_cache_service_keyvalue_v1_Value, _compilation_cache_service_keyvalue_v1_Value__Output>
      }
    }
  }
}

