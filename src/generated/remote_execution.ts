import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Action as _build_bazel_remote_execution_v2_Action, Action__Output as _build_bazel_remote_execution_v2_Action__Output } from './build/bazel/remote/execution/v2/Action.js';
import type { ActionCacheClient as _build_bazel_remote_execution_v2_ActionCacheClient, ActionCacheDefinition as _build_bazel_remote_execution_v2_ActionCacheDefinition } from './build/bazel/remote/execution/v2/ActionCache.js';
import type { ActionCacheUpdateCapabilities as _build_bazel_remote_execution_v2_ActionCacheUpdateCapabilities, ActionCacheUpdateCapabilities__Output as _build_bazel_remote_execution_v2_ActionCacheUpdateCapabilities__Output } from './build/bazel/remote/execution/v2/ActionCacheUpdateCapabilities.js';
import type { ActionResult as _build_bazel_remote_execution_v2_ActionResult, ActionResult__Output as _build_bazel_remote_execution_v2_ActionResult__Output } from './build/bazel/remote/execution/v2/ActionResult.js';
import type { BatchReadBlobsRequest as _build_bazel_remote_execution_v2_BatchReadBlobsRequest, BatchReadBlobsRequest__Output as _build_bazel_remote_execution_v2_BatchReadBlobsRequest__Output } from './build/bazel/remote/execution/v2/BatchReadBlobsRequest.js';
import type { BatchReadBlobsResponse as _build_bazel_remote_execution_v2_BatchReadBlobsResponse, BatchReadBlobsResponse__Output as _build_bazel_remote_execution_v2_BatchReadBlobsResponse__Output } from './build/bazel/remote/execution/v2/BatchReadBlobsResponse.js';
import type { BatchUpdateBlobsRequest as _build_bazel_remote_execution_v2_BatchUpdateBlobsRequest, BatchUpdateBlobsRequest__Output as _build_bazel_remote_execution_v2_BatchUpdateBlobsRequest__Output } from './build/bazel/remote/execution/v2/BatchUpdateBlobsRequest.js';
import type { BatchUpdateBlobsResponse as _build_bazel_remote_execution_v2_BatchUpdateBlobsResponse, BatchUpdateBlobsResponse__Output as _build_bazel_remote_execution_v2_BatchUpdateBlobsResponse__Output } from './build/bazel/remote/execution/v2/BatchUpdateBlobsResponse.js';
import type { CacheCapabilities as _build_bazel_remote_execution_v2_CacheCapabilities, CacheCapabilities__Output as _build_bazel_remote_execution_v2_CacheCapabilities__Output } from './build/bazel/remote/execution/v2/CacheCapabilities.js';
import type { CapabilitiesClient as _build_bazel_remote_execution_v2_CapabilitiesClient, CapabilitiesDefinition as _build_bazel_remote_execution_v2_CapabilitiesDefinition } from './build/bazel/remote/execution/v2/Capabilities.js';
import type { Command as _build_bazel_remote_execution_v2_Command, Command__Output as _build_bazel_remote_execution_v2_Command__Output } from './build/bazel/remote/execution/v2/Command.js';
import type { Compressor as _build_bazel_remote_execution_v2_Compressor, Compressor__Output as _build_bazel_remote_execution_v2_Compressor__Output } from './build/bazel/remote/execution/v2/Compressor.js';
import type { ContentAddressableStorageClient as _build_bazel_remote_execution_v2_ContentAddressableStorageClient, ContentAddressableStorageDefinition as _build_bazel_remote_execution_v2_ContentAddressableStorageDefinition } from './build/bazel/remote/execution/v2/ContentAddressableStorage.js';
import type { Digest as _build_bazel_remote_execution_v2_Digest, Digest__Output as _build_bazel_remote_execution_v2_Digest__Output } from './build/bazel/remote/execution/v2/Digest.js';
import type { DigestFunction as _build_bazel_remote_execution_v2_DigestFunction, DigestFunction__Output as _build_bazel_remote_execution_v2_DigestFunction__Output } from './build/bazel/remote/execution/v2/DigestFunction.js';
import type { Directory as _build_bazel_remote_execution_v2_Directory, Directory__Output as _build_bazel_remote_execution_v2_Directory__Output } from './build/bazel/remote/execution/v2/Directory.js';
import type { DirectoryNode as _build_bazel_remote_execution_v2_DirectoryNode, DirectoryNode__Output as _build_bazel_remote_execution_v2_DirectoryNode__Output } from './build/bazel/remote/execution/v2/DirectoryNode.js';
import type { ExecuteOperationMetadata as _build_bazel_remote_execution_v2_ExecuteOperationMetadata, ExecuteOperationMetadata__Output as _build_bazel_remote_execution_v2_ExecuteOperationMetadata__Output } from './build/bazel/remote/execution/v2/ExecuteOperationMetadata.js';
import type { ExecuteRequest as _build_bazel_remote_execution_v2_ExecuteRequest, ExecuteRequest__Output as _build_bazel_remote_execution_v2_ExecuteRequest__Output } from './build/bazel/remote/execution/v2/ExecuteRequest.js';
import type { ExecuteResponse as _build_bazel_remote_execution_v2_ExecuteResponse, ExecuteResponse__Output as _build_bazel_remote_execution_v2_ExecuteResponse__Output } from './build/bazel/remote/execution/v2/ExecuteResponse.js';
import type { ExecutedActionMetadata as _build_bazel_remote_execution_v2_ExecutedActionMetadata, ExecutedActionMetadata__Output as _build_bazel_remote_execution_v2_ExecutedActionMetadata__Output } from './build/bazel/remote/execution/v2/ExecutedActionMetadata.js';
import type { ExecutionClient as _build_bazel_remote_execution_v2_ExecutionClient, ExecutionDefinition as _build_bazel_remote_execution_v2_ExecutionDefinition } from './build/bazel/remote/execution/v2/Execution.js';
import type { ExecutionCapabilities as _build_bazel_remote_execution_v2_ExecutionCapabilities, ExecutionCapabilities__Output as _build_bazel_remote_execution_v2_ExecutionCapabilities__Output } from './build/bazel/remote/execution/v2/ExecutionCapabilities.js';
import type { ExecutionPolicy as _build_bazel_remote_execution_v2_ExecutionPolicy, ExecutionPolicy__Output as _build_bazel_remote_execution_v2_ExecutionPolicy__Output } from './build/bazel/remote/execution/v2/ExecutionPolicy.js';
import type { ExecutionStage as _build_bazel_remote_execution_v2_ExecutionStage, ExecutionStage__Output as _build_bazel_remote_execution_v2_ExecutionStage__Output } from './build/bazel/remote/execution/v2/ExecutionStage.js';
import type { FileNode as _build_bazel_remote_execution_v2_FileNode, FileNode__Output as _build_bazel_remote_execution_v2_FileNode__Output } from './build/bazel/remote/execution/v2/FileNode.js';
import type { FindMissingBlobsRequest as _build_bazel_remote_execution_v2_FindMissingBlobsRequest, FindMissingBlobsRequest__Output as _build_bazel_remote_execution_v2_FindMissingBlobsRequest__Output } from './build/bazel/remote/execution/v2/FindMissingBlobsRequest.js';
import type { FindMissingBlobsResponse as _build_bazel_remote_execution_v2_FindMissingBlobsResponse, FindMissingBlobsResponse__Output as _build_bazel_remote_execution_v2_FindMissingBlobsResponse__Output } from './build/bazel/remote/execution/v2/FindMissingBlobsResponse.js';
import type { GetActionResultRequest as _build_bazel_remote_execution_v2_GetActionResultRequest, GetActionResultRequest__Output as _build_bazel_remote_execution_v2_GetActionResultRequest__Output } from './build/bazel/remote/execution/v2/GetActionResultRequest.js';
import type { GetCapabilitiesRequest as _build_bazel_remote_execution_v2_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _build_bazel_remote_execution_v2_GetCapabilitiesRequest__Output } from './build/bazel/remote/execution/v2/GetCapabilitiesRequest.js';
import type { GetTreeRequest as _build_bazel_remote_execution_v2_GetTreeRequest, GetTreeRequest__Output as _build_bazel_remote_execution_v2_GetTreeRequest__Output } from './build/bazel/remote/execution/v2/GetTreeRequest.js';
import type { GetTreeResponse as _build_bazel_remote_execution_v2_GetTreeResponse, GetTreeResponse__Output as _build_bazel_remote_execution_v2_GetTreeResponse__Output } from './build/bazel/remote/execution/v2/GetTreeResponse.js';
import type { LogFile as _build_bazel_remote_execution_v2_LogFile, LogFile__Output as _build_bazel_remote_execution_v2_LogFile__Output } from './build/bazel/remote/execution/v2/LogFile.js';
import type { NodeProperties as _build_bazel_remote_execution_v2_NodeProperties, NodeProperties__Output as _build_bazel_remote_execution_v2_NodeProperties__Output } from './build/bazel/remote/execution/v2/NodeProperties.js';
import type { NodeProperty as _build_bazel_remote_execution_v2_NodeProperty, NodeProperty__Output as _build_bazel_remote_execution_v2_NodeProperty__Output } from './build/bazel/remote/execution/v2/NodeProperty.js';
import type { OutputDirectory as _build_bazel_remote_execution_v2_OutputDirectory, OutputDirectory__Output as _build_bazel_remote_execution_v2_OutputDirectory__Output } from './build/bazel/remote/execution/v2/OutputDirectory.js';
import type { OutputFile as _build_bazel_remote_execution_v2_OutputFile, OutputFile__Output as _build_bazel_remote_execution_v2_OutputFile__Output } from './build/bazel/remote/execution/v2/OutputFile.js';
import type { OutputSymlink as _build_bazel_remote_execution_v2_OutputSymlink, OutputSymlink__Output as _build_bazel_remote_execution_v2_OutputSymlink__Output } from './build/bazel/remote/execution/v2/OutputSymlink.js';
import type { Platform as _build_bazel_remote_execution_v2_Platform, Platform__Output as _build_bazel_remote_execution_v2_Platform__Output } from './build/bazel/remote/execution/v2/Platform.js';
import type { PriorityCapabilities as _build_bazel_remote_execution_v2_PriorityCapabilities, PriorityCapabilities__Output as _build_bazel_remote_execution_v2_PriorityCapabilities__Output } from './build/bazel/remote/execution/v2/PriorityCapabilities.js';
import type { RequestMetadata as _build_bazel_remote_execution_v2_RequestMetadata, RequestMetadata__Output as _build_bazel_remote_execution_v2_RequestMetadata__Output } from './build/bazel/remote/execution/v2/RequestMetadata.js';
import type { ResultsCachePolicy as _build_bazel_remote_execution_v2_ResultsCachePolicy, ResultsCachePolicy__Output as _build_bazel_remote_execution_v2_ResultsCachePolicy__Output } from './build/bazel/remote/execution/v2/ResultsCachePolicy.js';
import type { ServerCapabilities as _build_bazel_remote_execution_v2_ServerCapabilities, ServerCapabilities__Output as _build_bazel_remote_execution_v2_ServerCapabilities__Output } from './build/bazel/remote/execution/v2/ServerCapabilities.js';
import type { SymlinkAbsolutePathStrategy as _build_bazel_remote_execution_v2_SymlinkAbsolutePathStrategy, SymlinkAbsolutePathStrategy__Output as _build_bazel_remote_execution_v2_SymlinkAbsolutePathStrategy__Output } from './build/bazel/remote/execution/v2/SymlinkAbsolutePathStrategy.js';
import type { SymlinkNode as _build_bazel_remote_execution_v2_SymlinkNode, SymlinkNode__Output as _build_bazel_remote_execution_v2_SymlinkNode__Output } from './build/bazel/remote/execution/v2/SymlinkNode.js';
import type { ToolDetails as _build_bazel_remote_execution_v2_ToolDetails, ToolDetails__Output as _build_bazel_remote_execution_v2_ToolDetails__Output } from './build/bazel/remote/execution/v2/ToolDetails.js';
import type { Tree as _build_bazel_remote_execution_v2_Tree, Tree__Output as _build_bazel_remote_execution_v2_Tree__Output } from './build/bazel/remote/execution/v2/Tree.js';
import type { UpdateActionResultRequest as _build_bazel_remote_execution_v2_UpdateActionResultRequest, UpdateActionResultRequest__Output as _build_bazel_remote_execution_v2_UpdateActionResultRequest__Output } from './build/bazel/remote/execution/v2/UpdateActionResultRequest.js';
import type { WaitExecutionRequest as _build_bazel_remote_execution_v2_WaitExecutionRequest, WaitExecutionRequest__Output as _build_bazel_remote_execution_v2_WaitExecutionRequest__Output } from './build/bazel/remote/execution/v2/WaitExecutionRequest.js';
import type { SemVer as _build_bazel_semver_SemVer, SemVer__Output as _build_bazel_semver_SemVer__Output } from './build/bazel/semver/SemVer.js';
import type { Operation as _google_longrunning_Operation, Operation__Output as _google_longrunning_Operation__Output } from './google/longrunning/Operation.js';
import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any.js';
import type { BoolValue as _google_protobuf_BoolValue, BoolValue__Output as _google_protobuf_BoolValue__Output } from './google/protobuf/BoolValue.js';
import type { BytesValue as _google_protobuf_BytesValue, BytesValue__Output as _google_protobuf_BytesValue__Output } from './google/protobuf/BytesValue.js';
import type { DoubleValue as _google_protobuf_DoubleValue, DoubleValue__Output as _google_protobuf_DoubleValue__Output } from './google/protobuf/DoubleValue.js';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration.js';
import type { FloatValue as _google_protobuf_FloatValue, FloatValue__Output as _google_protobuf_FloatValue__Output } from './google/protobuf/FloatValue.js';
import type { Int32Value as _google_protobuf_Int32Value, Int32Value__Output as _google_protobuf_Int32Value__Output } from './google/protobuf/Int32Value.js';
import type { Int64Value as _google_protobuf_Int64Value, Int64Value__Output as _google_protobuf_Int64Value__Output } from './google/protobuf/Int64Value.js';
import type { StringValue as _google_protobuf_StringValue, StringValue__Output as _google_protobuf_StringValue__Output } from './google/protobuf/StringValue.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { UInt32Value as _google_protobuf_UInt32Value, UInt32Value__Output as _google_protobuf_UInt32Value__Output } from './google/protobuf/UInt32Value.js';
import type { UInt64Value as _google_protobuf_UInt64Value, UInt64Value__Output as _google_protobuf_UInt64Value__Output } from './google/protobuf/UInt64Value.js';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from './google/rpc/Status.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  build: {
    bazel: {
      remote: {
        execution: {
          v2: {
            Action: MessageTypeDefinition<_build_bazel_remote_execution_v2_Action, _build_bazel_remote_execution_v2_Action__Output>
            ActionCache: SubtypeConstructor<typeof grpc.Client, _build_bazel_remote_execution_v2_ActionCacheClient> & { service: _build_bazel_remote_execution_v2_ActionCacheDefinition }
            ActionCacheUpdateCapabilities: MessageTypeDefinition<_build_bazel_remote_execution_v2_ActionCacheUpdateCapabilities, _build_bazel_remote_execution_v2_ActionCacheUpdateCapabilities__Output>
            ActionResult: MessageTypeDefinition<_build_bazel_remote_execution_v2_ActionResult, _build_bazel_remote_execution_v2_ActionResult__Output>
            BatchReadBlobsRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_BatchReadBlobsRequest, _build_bazel_remote_execution_v2_BatchReadBlobsRequest__Output>
            BatchReadBlobsResponse: MessageTypeDefinition<_build_bazel_remote_execution_v2_BatchReadBlobsResponse, _build_bazel_remote_execution_v2_BatchReadBlobsResponse__Output>
            BatchUpdateBlobsRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_BatchUpdateBlobsRequest, _build_bazel_remote_execution_v2_BatchUpdateBlobsRequest__Output>
            BatchUpdateBlobsResponse: MessageTypeDefinition<_build_bazel_remote_execution_v2_BatchUpdateBlobsResponse, _build_bazel_remote_execution_v2_BatchUpdateBlobsResponse__Output>
            CacheCapabilities: MessageTypeDefinition<_build_bazel_remote_execution_v2_CacheCapabilities, _build_bazel_remote_execution_v2_CacheCapabilities__Output>
            Capabilities: SubtypeConstructor<typeof grpc.Client, _build_bazel_remote_execution_v2_CapabilitiesClient> & { service: _build_bazel_remote_execution_v2_CapabilitiesDefinition }
            Command: MessageTypeDefinition<_build_bazel_remote_execution_v2_Command, _build_bazel_remote_execution_v2_Command__Output>
            Compressor: MessageTypeDefinition<_build_bazel_remote_execution_v2_Compressor, _build_bazel_remote_execution_v2_Compressor__Output>
            ContentAddressableStorage: SubtypeConstructor<typeof grpc.Client, _build_bazel_remote_execution_v2_ContentAddressableStorageClient> & { service: _build_bazel_remote_execution_v2_ContentAddressableStorageDefinition }
            Digest: MessageTypeDefinition<_build_bazel_remote_execution_v2_Digest, _build_bazel_remote_execution_v2_Digest__Output>
            DigestFunction: MessageTypeDefinition<_build_bazel_remote_execution_v2_DigestFunction, _build_bazel_remote_execution_v2_DigestFunction__Output>
            Directory: MessageTypeDefinition<_build_bazel_remote_execution_v2_Directory, _build_bazel_remote_execution_v2_Directory__Output>
            DirectoryNode: MessageTypeDefinition<_build_bazel_remote_execution_v2_DirectoryNode, _build_bazel_remote_execution_v2_DirectoryNode__Output>
            ExecuteOperationMetadata: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecuteOperationMetadata, _build_bazel_remote_execution_v2_ExecuteOperationMetadata__Output>
            ExecuteRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecuteRequest, _build_bazel_remote_execution_v2_ExecuteRequest__Output>
            ExecuteResponse: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecuteResponse, _build_bazel_remote_execution_v2_ExecuteResponse__Output>
            ExecutedActionMetadata: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecutedActionMetadata, _build_bazel_remote_execution_v2_ExecutedActionMetadata__Output>
            Execution: SubtypeConstructor<typeof grpc.Client, _build_bazel_remote_execution_v2_ExecutionClient> & { service: _build_bazel_remote_execution_v2_ExecutionDefinition }
            ExecutionCapabilities: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecutionCapabilities, _build_bazel_remote_execution_v2_ExecutionCapabilities__Output>
            ExecutionPolicy: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecutionPolicy, _build_bazel_remote_execution_v2_ExecutionPolicy__Output>
            ExecutionStage: MessageTypeDefinition<_build_bazel_remote_execution_v2_ExecutionStage, _build_bazel_remote_execution_v2_ExecutionStage__Output>
            FileNode: MessageTypeDefinition<_build_bazel_remote_execution_v2_FileNode, _build_bazel_remote_execution_v2_FileNode__Output>
            FindMissingBlobsRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_FindMissingBlobsRequest, _build_bazel_remote_execution_v2_FindMissingBlobsRequest__Output>
            FindMissingBlobsResponse: MessageTypeDefinition<_build_bazel_remote_execution_v2_FindMissingBlobsResponse, _build_bazel_remote_execution_v2_FindMissingBlobsResponse__Output>
            GetActionResultRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_GetActionResultRequest, _build_bazel_remote_execution_v2_GetActionResultRequest__Output>
            GetCapabilitiesRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_GetCapabilitiesRequest, _build_bazel_remote_execution_v2_GetCapabilitiesRequest__Output>
            GetTreeRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_GetTreeRequest, _build_bazel_remote_execution_v2_GetTreeRequest__Output>
            GetTreeResponse: MessageTypeDefinition<_build_bazel_remote_execution_v2_GetTreeResponse, _build_bazel_remote_execution_v2_GetTreeResponse__Output>
            LogFile: MessageTypeDefinition<_build_bazel_remote_execution_v2_LogFile, _build_bazel_remote_execution_v2_LogFile__Output>
            NodeProperties: MessageTypeDefinition<_build_bazel_remote_execution_v2_NodeProperties, _build_bazel_remote_execution_v2_NodeProperties__Output>
            NodeProperty: MessageTypeDefinition<_build_bazel_remote_execution_v2_NodeProperty, _build_bazel_remote_execution_v2_NodeProperty__Output>
            OutputDirectory: MessageTypeDefinition<_build_bazel_remote_execution_v2_OutputDirectory, _build_bazel_remote_execution_v2_OutputDirectory__Output>
            OutputFile: MessageTypeDefinition<_build_bazel_remote_execution_v2_OutputFile, _build_bazel_remote_execution_v2_OutputFile__Output>
            OutputSymlink: MessageTypeDefinition<_build_bazel_remote_execution_v2_OutputSymlink, _build_bazel_remote_execution_v2_OutputSymlink__Output>
            Platform: MessageTypeDefinition<_build_bazel_remote_execution_v2_Platform, _build_bazel_remote_execution_v2_Platform__Output>
            PriorityCapabilities: MessageTypeDefinition<_build_bazel_remote_execution_v2_PriorityCapabilities, _build_bazel_remote_execution_v2_PriorityCapabilities__Output>
            RequestMetadata: MessageTypeDefinition<_build_bazel_remote_execution_v2_RequestMetadata, _build_bazel_remote_execution_v2_RequestMetadata__Output>
            ResultsCachePolicy: MessageTypeDefinition<_build_bazel_remote_execution_v2_ResultsCachePolicy, _build_bazel_remote_execution_v2_ResultsCachePolicy__Output>
            ServerCapabilities: MessageTypeDefinition<_build_bazel_remote_execution_v2_ServerCapabilities, _build_bazel_remote_execution_v2_ServerCapabilities__Output>
            SymlinkAbsolutePathStrategy: MessageTypeDefinition<_build_bazel_remote_execution_v2_SymlinkAbsolutePathStrategy, _build_bazel_remote_execution_v2_SymlinkAbsolutePathStrategy__Output>
            SymlinkNode: MessageTypeDefinition<_build_bazel_remote_execution_v2_SymlinkNode, _build_bazel_remote_execution_v2_SymlinkNode__Output>
            ToolDetails: MessageTypeDefinition<_build_bazel_remote_execution_v2_ToolDetails, _build_bazel_remote_execution_v2_ToolDetails__Output>
            Tree: MessageTypeDefinition<_build_bazel_remote_execution_v2_Tree, _build_bazel_remote_execution_v2_Tree__Output>
            UpdateActionResultRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_UpdateActionResultRequest, _build_bazel_remote_execution_v2_UpdateActionResultRequest__Output>
            WaitExecutionRequest: MessageTypeDefinition<_build_bazel_remote_execution_v2_WaitExecutionRequest, _build_bazel_remote_execution_v2_WaitExecutionRequest__Output>
          }
        }
      }
      semver: {
        SemVer: MessageTypeDefinition<_build_bazel_semver_SemVer, _build_bazel_semver_SemVer__Output>
      }
    }
  }
  google: {
    longrunning: {
      Operation: MessageTypeDefinition<_google_longrunning_Operation, _google_longrunning_Operation__Output>
    }
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>
      BoolValue: MessageTypeDefinition<_google_protobuf_BoolValue, _google_protobuf_BoolValue__Output>
      BytesValue: MessageTypeDefinition<_google_protobuf_BytesValue, _google_protobuf_BytesValue__Output>
      DoubleValue: MessageTypeDefinition<_google_protobuf_DoubleValue, _google_protobuf_DoubleValue__Output>
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      FloatValue: MessageTypeDefinition<_google_protobuf_FloatValue, _google_protobuf_FloatValue__Output>
      Int32Value: MessageTypeDefinition<_google_protobuf_Int32Value, _google_protobuf_Int32Value__Output>
      Int64Value: MessageTypeDefinition<_google_protobuf_Int64Value, _google_protobuf_Int64Value__Output>
      StringValue: MessageTypeDefinition<_google_protobuf_StringValue, _google_protobuf_StringValue__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      UInt32Value: MessageTypeDefinition<_google_protobuf_UInt32Value, _google_protobuf_UInt32Value__Output>
      UInt64Value: MessageTypeDefinition<_google_protobuf_UInt64Value, _google_protobuf_UInt64Value__Output>
    }
    rpc: {
      Status: MessageTypeDefinition<_google_rpc_Status, _google_rpc_Status__Output>
    }
  }
}

