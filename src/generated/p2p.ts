import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { EntryInfo as _fabrik_p2p_v1_EntryInfo, EntryInfo__Output as _fabrik_p2p_v1_EntryInfo__Output } from './fabrik/p2p/v1/EntryInfo.js';
import type { ExistsRequest as _fabrik_p2p_v1_ExistsRequest, ExistsRequest__Output as _fabrik_p2p_v1_ExistsRequest__Output } from './fabrik/p2p/v1/ExistsRequest.js';
import type { ExistsResponse as _fabrik_p2p_v1_ExistsResponse, ExistsResponse__Output as _fabrik_p2p_v1_ExistsResponse__Output } from './fabrik/p2p/v1/ExistsResponse.js';
import type { GetRequest as _fabrik_p2p_v1_GetRequest, GetRequest__Output as _fabrik_p2p_v1_GetRequest__Output } from './fabrik/p2p/v1/GetRequest.js';
import type { GetResponse as _fabrik_p2p_v1_GetResponse, GetResponse__Output as _fabrik_p2p_v1_GetResponse__Output } from './fabrik/p2p/v1/GetResponse.js';
import type { HelloRequest as _fabrik_p2p_v1_HelloRequest, HelloRequest__Output as _fabrik_p2p_v1_HelloRequest__Output } from './fabrik/p2p/v1/HelloRequest.js';
import type { HelloResponse as _fabrik_p2p_v1_HelloResponse, HelloResponse__Output as _fabrik_p2p_v1_HelloResponse__Output } from './fabrik/p2p/v1/HelloResponse.js';
import type { Key as _fabrik_p2p_v1_Key, Key__Output as _fabrik_p2p_v1_Key__Output } from './fabrik/p2p/v1/Key.js';
import type { P2PCacheClient as _fabrik_p2p_v1_P2PCacheClient, P2PCacheDefinition as _fabrik_p2p_v1_P2PCacheDefinition } from './fabrik/p2p/v1/P2PCache.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fabrik: {
    p2p: {
      v1: {
        EntryInfo: MessageTypeDefinition<_fabrik_p2p_v1_EntryInfo, _fabrik_p2p_v1_EntryInfo__Output>
        ExistsRequest: MessageTypeDefinition<_fabrik_p2p_v1_ExistsRequest, _fabrik_p2p_v1_ExistsRequest__Output>
        ExistsResponse: MessageTypeDefinition<_fabrik_p2p_v1_ExistsResponse, _fabrik_p2p_v1_ExistsResponse__Output>
        GetRequest: MessageTypeDefinition<_fabrik_p2p_v1_GetRequest, _fabrik_p2p_v1_GetRequest__Output>
        GetResponse: MessageTypeDefinition<_fabrik_p2p_v1_GetResponse, _fabrik_p2p_v1_GetResponse__Output>
        HelloRequest: MessageTypeDefinition<_fabrik_p2p_v1_HelloRequest, _fabrik_p2p_v1_HelloRequest__Output>
        HelloResponse: MessageTypeDefinition<_fabrik_p2p_v1_HelloResponse, _fabrik_p2p_v1_HelloResponse__Output>
        Key: MessageTypeDefinition<_fabrik_p2p_v1_Key, _fabrik_p2p_v1_Key__Output>
        P2PCache: SubtypeConstructor<typeof grpc.Client, _fabrik_p2p_v1_P2PCacheClient> & { service: _fabrik_p2p_v1_P2PCacheDefinition }
      }
    }
  }
}

