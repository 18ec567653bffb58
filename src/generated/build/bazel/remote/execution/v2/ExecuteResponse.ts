// Original file: protos/build/bazel/remote/execution/v2/remote_execution.proto

import type { ActionResult as _build_bazel_remote_execution_v2_ActionResult, ActionResult__Output as _build_bazel_remote_execution_v2_ActionResult__Output } from '../../../../../build/bazel/remote/execution/v2/ActionResult.js';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../../../../google/rpc/Status.js';
import type { LogFile as _build_bazel_remote_execution_v2_LogFile, LogFile__Output as _build_bazel_remote_execution_v2_LogFile__Output } from '../../../../../build/bazel/remote/execution/v2/LogFile.js';

export interface ExecuteResponse {
  'result'?: (_build_bazel_remote_execution_v2_ActionResult | null);
  'cached_result'?: (boolean);
  'status'?: (_google_rpc_Status | null);
  'server_logs'?: ({[key: string]: _build_bazel_remote_execution_v2_LogFile});
  'message'?: (string);
}

export interface ExecuteResponse__Output {
  'result': (_build_bazel_remote_execution_v2_ActionResult__Output | null);
  'cached_result': (boolean);
  'status': (_google_rpc_Status__Output | null);
  'server_logs': ({[key: string]: _build_bazel_remote_execution_v2_LogFile__Output});
  'message': (string);
}
