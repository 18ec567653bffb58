import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeleteRequest as _fabrik_v1_DeleteRequest, DeleteRequest__Output as _fabrik_v1_DeleteRequest__Output } from './fabrik/v1/DeleteRequest.js';
import type { DeleteResponse as _fabrik_v1_DeleteResponse, DeleteResponse__Output as _fabrik_v1_DeleteResponse__Output } from './fabrik/v1/DeleteResponse.js';
import type { EntryInfo as _fabrik_v1_EntryInfo, EntryInfo__Output as _fabrik_v1_EntryInfo__Output } from './fabrik/v1/EntryInfo.js';
import type { EntryRef as _fabrik_v1_EntryRef, EntryRef__Output as _fabrik_v1_EntryRef__Output } from './fabrik/v1/EntryRef.js';
import type { ExistsRequest as _fabrik_v1_ExistsRequest, ExistsRequest__Output as _fabrik_v1_ExistsRequest__Output } from './fabrik/v1/ExistsRequest.js';
import type { ExistsResponse as _fabrik_v1_ExistsResponse, ExistsResponse__Output as _fabrik_v1_ExistsResponse__Output } from './fabrik/v1/ExistsResponse.js';
import type { FabrikCacheClient as _fabrik_v1_FabrikCacheClient, FabrikCacheDefinition as _fabrik_v1_FabrikCacheDefinition } from './fabrik/v1/FabrikCache.js';
import type { GetRequest as _fabrik_v1_GetRequest, GetRequest__Output as _fabrik_v1_GetRequest__Output } from './fabrik/v1/GetRequest.js';
import type { GetResponse as _fabrik_v1_GetResponse, GetResponse__Output as _fabrik_v1_GetResponse__Output } from './fabrik/v1/GetResponse.js';
import type { GetStatsRequest as _fabrik_v1_GetStatsRequest, GetStatsRequest__Output as _fabrik_v1_GetStatsRequest__Output } from './fabrik/v1/GetStatsRequest.js';
import type { GetStatsResponse as _fabrik_v1_GetStatsResponse, GetStatsResponse__Output as _fabrik_v1_GetStatsResponse__Output } from './fabrik/v1/GetStatsResponse.js';
import type { PutHeader as _fabrik_v1_PutHeader, PutHeader__Output as _fabrik_v1_PutHeader__Output } from './fabrik/v1/PutHeader.js';
import type { PutRequest as _fabrik_v1_PutRequest, PutRequest__Output as _fabrik_v1_PutRequest__Output } from './fabrik/v1/PutRequest.js';
import type { PutResponse as _fabrik_v1_PutResponse, PutResponse__Output as _fabrik_v1_PutResponse__Output } from './fabrik/v1/PutResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fabrik: {
    v1: {
      DeleteRequest: MessageTypeDefinition<_fabrik_v1_DeleteRequest, _fabrik_v1_DeleteRequest__Output>
      DeleteResponse: MessageTypeDefinition<_fabrik_v1_DeleteResponse, _fabrik_v1_DeleteResponse__Output>
      EntryInfo: MessageTypeDefinition<_fabrik_v1_EntryInfo, _fabrik_v1_EntryInfo__Output>
      EntryRef: MessageTypeDefinition<_fabrik_v1_EntryRef, _fabrik_v1_EntryRef__Output>
      ExistsRequest: MessageTypeDefinition<_fabrik_v1_ExistsRequest, _fabrik_v1_ExistsRequest__Output>
      ExistsResponse: MessageTypeDefinition<_fabrik_v1_ExistsResponse, _fabrik_v1_ExistsResponse__Output>
      FabrikCache: SubtypeConstructor<typeof grpc.Client, _fabrik_v1_FabrikCacheClient> & { service: _fabrik_v1_FabrikCacheDefinition }
      GetRequest: MessageTypeDefinition<_fabrik_v1_GetRequest, _fabrik_v1_GetRequest__Output>
      GetResponse: MessageTypeDefinition<_fabrik_v1_GetResponse, _fabrik_v1_GetResponse__Output>
      GetStatsRequest: MessageTypeDefinition<_fabrik_v1_GetStatsRequest, _fabrik_v1_GetStatsRequest__Output>
      GetStatsResponse: MessageTypeDefinition<_fabrik_v1_GetStatsResponse, _fabrik_v1_GetStatsResponse__Output>
      PutHeader: MessageTypeDefinition<_fabrik_v1_PutHeader, _fabrik_v1_PutHeader__Output>
      PutRequest: MessageTypeDefinition<_fabrik_v1_PutRequest, _fabrik_v1_PutRequest__Output>
      PutResponse: MessageTypeDefinition<_fabrik_v1_PutResponse, _fabrik_v1_PutResponse__Output>
    }
  }
}

