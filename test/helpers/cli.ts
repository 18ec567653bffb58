import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// Runs the built `fabrik` binary the way a user does: a child process of bin/run.js.
export const RUN_JS = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return runCommand(process.execPath, [RUN_JS, ...args], options)
}

export function runCommand(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    // A child that exits without reading its stdin (`ip route`, `sh -c 'command -v …'`) makes the end() below
    // fail with EPIPE after the fact; that is not the command's failure, its exit code says how it went.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e)
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Parses the JSON a `--json` command printed, with the output in the failure message when it isn't JSON. */
export function parseJson<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`expected JSON on stdout (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  }
}

/** oclif wraps error messages to the terminal width with " ›   " prefixes; this undoes that for matching. */
export function flat(text: string): string {
  return text.replace(/\s*\n\s*(›\s+)?/g, ' ').replace(/^\s*›\s+/, '')
}
