import { files, type DaemonState } from './state.js'

/** What `fabrik daemon start --json` and `status --json` print. */
export interface DaemonInfo {
  id: string
  pid: number
  http_url: string
  grpc_url: string
  unix_socket?: string
  state_dir: string
  log_file: string
  config_path?: string
}

export function describe(state: DaemonState & { pid: number; ports: NonNullable<DaemonState['ports']> }): DaemonInfo {
  return {
    id: state.id,
    pid: state.pid,
    http_url: `http://127.0.0.1:${state.ports.http}`,
    grpc_url: `grpc://127.0.0.1:${state.ports.grpc}`,
    ...(state.ports.unix_socket ? { unix_socket: state.ports.unix_socket } : {}),
    state_dir: state.dir,
    log_file: files.log(state.dir),
    ...(state.configPath ? { config_path: state.configPath } : {}),
  }
}

/** The human-readable answer of `fabrik daemon start` (the oclif command and bin/run.js's fast path print it). */
export function startedLines(info: DaemonInfo & { started: boolean }, cacheDir?: string): string[] {
  return [
    `${info.started ? 'Started' : 'Already running'}: daemon ${info.id} (pid ${info.pid})`,
    `  HTTP  ${info.http_url}`,
    `  gRPC  ${info.grpc_url}`,
    ...(info.unix_socket ? [`  Xcode ${info.unix_socket}`] : []),
    ...(cacheDir ? [`  cache ${cacheDir}`] : []),
    `  log   ${info.log_file}`,
    'Next: build as usual in an activated shell (`fabrik activate --help`), or run `fabrik exec -- <build command>`;',
    '      `fabrik doctor` checks the wiring, `fabrik daemon stop` stops it.',
  ]
}
