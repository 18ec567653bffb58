import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CASBlob as _compilation_cache_service_cas_v1_CASBlob, CASBlob__Output as _compilation_cache_service_cas_v1_CASBlob__Output } from './compilation_cache_service/cas/v1/CASBlob.js';
import type { CASBytes as _compilation_cache_service_cas_v1_CASBytes, CASBytes__Output as _compilation_cache_service_cas_v1_CASBytes__Output } from './compilation_cache_service/cas/v1/CASBytes.js';
import type { CASDBServiceClient as _compilation_cache_service_cas_v1_CASDBServiceClient, CASDBServiceDefinition as _compilation_cache_service_cas_v1_CASDBServiceDefinition } from './compilation_cache_service/cas/v1/CASDBService.js';
import type { CASDataID as _compilation_cache_service_cas_v1_CASDataID, CASDataID__Output as _compilation_cache_service_cas_v1_CASDataID__Output } from './compilation_cache_service/cas/v1/CASDataID.js';
import type { CASGetRequest as _compilation_cache_service_cas_v1_CASGetRequest, CASGetRequest__Output as _compilation_cache_service_cas_v1_CASGetRequest__Output } from './compilation_cache_service/cas/v1/CASGetRequest.js';
import type { CASGetResponse as _compilation_cache_service_cas_v1_CASGetResponse, CASGetResponse__Output as _compilation_cache_service_cas_v1_CASGetResponse__Output } from './compilation_cache_service/cas/v1/CASGetResponse.js';
import type { CASLoadRequest as _compilation_cache_service_cas_v1_CASLoadRequest, CASLoadRequest__Output as _compilation_cache_service_cas_v1_CASLoadRequest__Output } from './compilation_cache_service/cas/v1/CASLoadRequest.js';
import type { CASLoadResponse as _compilation_cache_service_cas_v1_CASLoadResponse, CASLoadResponse__Output as _compilation_cache_service_cas_v1_CASLoadResponse__Output } from './compilation_cache_service/cas/v1/CASLoadResponse.js';
import type { CASObject as _compilation_cache_service_cas_v1_CASObject, CASObject__Output as _compilation_cache_service_cas_v1_CASObject__Output } from './compilation_cache_service/cas/v1/CASObject.js';
import type { CASPutRequest as _compilation_cache_service_cas_v1_CASPutRequest, CASPutRequest__Output as _compilation_cache_service_cas_v1_CASPutRequest__Output } from './compilation_cache_service/cas/v1/CASPutRequest.js';
import type { CASPutResponse as _compilation_cache_service_cas_v1_CASPutResponse, CASPutResponse__Output as _compilation_cache_service_cas_v1_CASPutResponse__Output } from './compilation_cache_service/cas/v1/CASPutResponse.js';
import type { CASSaveRequest as _compilation_cache_service_cas_v1_CASSaveRequest, CASSaveRequest__Output as _compilation_cache_service_cas_v1_CASSaveRequest__Output } from './compilation_cache_service/cas/v1/CASSaveRequest.js';
import type { CASSaveResponse as _compilation_cache_service_cas_v1_CASSaveResponse, CASSaveResponse__Output as _compilation_cache_service_cas_v1_CASSaveResponse__Output } from './compilation_cache_service/cas/v1/CASSaveResponse.js';
import type { ResponseError as _compilation_cache_service_cas_v1_ResponseError, ResponseError__Output as _compilation_cache_service_cas_v1_ResponseError__Output } from './compilation_cache_service/cas/v1/ResponseError.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  compilation_cache_service: {
    cas: {
      v1: {
        CASBlob: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASBlob, _compilation_cache_service_cas_v1_CASBlob__Output>
        CASBytes: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASBytes, _compilation_cache_service_cas_v1_CASBytes__Output>
        CASDBService: SubtypeConstructor<typeof grpc.Client, _compilation_cache_service_cas_v1_CASDBServiceClient> & { service: _compilation_cache_service_cas_v1_CASDBServiceDefinition }
        CASDataID: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASDataID, _compilation_cache_service_cas_v1_CASDataID__Output>
        CASGetRequest: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASGetRequest, _compilation_cache_service_cas_v1_CASGetRequest__Output>
        CASGetResponse: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASGetResponse, _compilation_cache_service_cas_v1_CASGetResponse__Output>
        CASLoadRequest: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASLoadRequest, _compilation_cache_service_cas_v1_CASLoadRequest__Output>
        CASLoadResponse: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASLoadResponse, _compilation_cache_service_cas_v1_CASLoadResponse__Output>
        CASObject: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASObject, _compilation_cache_service_cas_v1_CASObject__Output>
        CASPutRequest: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASPutRequest, _compilation_cache_service_cas_v1_CASPutRequest__Output>
        CASPutResponse: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASPutResponse, _compilation_cache_service_cas_v1_CASPutResponse__Output>
        CASSaveRequest: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASSaveRequest, _compilation_cache_service_cas_v1_CASSaveRequest__Output>
        CASSaveResponse: MessageTypeDefinition<_compilation_cache_service_cas_v1_CASSaveResponse, _compilation_cache_service_cas_v1_CASSaveResponse__Output>
        ResponseError: MessageTypeDefinition<_compilation_cache_service_cas_v1_ResponseError, _compilation_cache_service_cas_v1_ResponseError__Output>
      }
    }
  }
}

