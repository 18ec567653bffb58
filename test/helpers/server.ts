import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { RUN_JS } from './cli.js'

/** A `fabrik server` started by the CLI (`fabrik server --config`), its ports read from its "ready" log line. */
export class ServerProcess {
  http = ''
  grpcPort = 0
  private child: ChildProcess | undefined
  readonly log: string[] = []

  constructor(readonly dir: string, private readonly toml: string) {}

  async start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    await writeFile(join(this.dir, 'fabrik.toml'), this.toml)
    const child = spawn(process.execPath, [RUN_JS, 'server', '--config', join(this.dir, 'fabrik.toml')], { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    child.stderr!.on('data', (d: Buffer) => this.log.push(d.toString()))
    const ready = await new Promise<{ http: string; grpc: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fabrik server did not become ready:\n${this.log.join('')}`)), 30_000)
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.log.push(line)
        if (!line.includes('"fabrik server ready"')) return
        clearTimeout(timer)
        resolve(JSON.parse(line) as { http: string; grpc: string })
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`fabrik server exited with ${code}:\n${this.log.join('\n')}`))
      })
    })
    this.http = `http://${ready.http}`
    this.grpcPort = Number(ready.grpc.split(':').pop())
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill(signal)
    await exited
  }
}

/** The server's fabrik.toml: loopback ports picked by the OS, S3 behind it, keys from a JWKS file. */
export function serverToml(opts: { s3Endpoint: string; bucket: string; keyFile: string; grpcPort?: number; httpPort?: number }): string {
  return `[cache]
dir = "cache"

[[upstream]]
url = "s3://${opts.bucket}/regional"
endpoint = "${opts.s3Endpoint}"
access_key = "S3RVER"
secret_key = "S3RVER"
timeout = "5s"

[auth]
required = true
public_key_file = "${opts.keyFile}"

[server]
bind = "127.0.0.1:${opts.grpcPort ?? 0}"

[observability]
api_bind = "127.0.0.1:${opts.httpPort ?? 0}"
log_level = "info"
`
}
