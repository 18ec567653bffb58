import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'

// The pinned SDK's note that later releases need Node 22 (see src/layers/s3.ts) would clutter every test's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const HERE = dirname(fileURLToPath(import.meta.url))
const S3RVER = join(HERE, '..', 'fixtures', 's3', 's3rver.js')
export const S3_KEY = 'S3RVER'

/** A real s3rver in a child process (fixtures/s3/s3rver.ts): stop() is "S3 is down", start() brings it back. */
export class S3rverProcess {
  port = 0
  private child: ChildProcess | undefined

  private constructor(readonly dir: string, readonly bucket: string) {}

  static async start(bucket = 'fabrik-test'): Promise<S3rverProcess> {
    const s = new S3rverProcess(await mkdtemp(join(tmpdir(), 'fabrik-s3-')), bucket)
    await s.start()
    return s
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [S3RVER, this.dir, this.bucket, String(this.port)], { stdio: ['ignore', 'pipe', 'inherit'] })
    this.child = child
    this.port = await new Promise<number>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error('s3rver did not start within 15 s')), 15_000)
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const line = out.split('\n').find((l) => l.startsWith('{'))
        if (line) {
          clearTimeout(timer)
          resolve((JSON.parse(line) as { port: number }).port)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`s3rver exited with ${code}`))
      })
    })
  }

  /** kill -9: S3 is gone at once, mid-request if need be. */
  async stop(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
  }

  async cleanup(): Promise<void> {
    await this.stop()
    await rm(this.dir, { recursive: true, force: true })
  }

  client(endpoint = this.endpoint): S3Client {
    return new S3Client({
      region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  /** Every object in the bucket: key → {size, sha256 of its bytes, the sha256 recorded in its metadata}. */
  async objects(prefix = ''): Promise<Map<string, { size: number; sha256: string; recorded: string | undefined }>> {
    const client = this.client()
    const out = new Map<string, { size: number; sha256: string; recorded: string | undefined }>()
    try {
      let token: string | undefined
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }))
        for (const o of page.Contents ?? []) {
          const got = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: o.Key! }))
          const bytes = Buffer.from(await got.Body!.transformToByteArray())
          out.set(o.Key!, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), recorded: got.Metadata?.['fabrik-sha256'] })
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
    } finally {
      client.destroy()
    }
    return out
  }
}

export type FaultMode =
  | { kind: 'pass' }
  /** Accepts the connection and the request, never answers. */
  | { kind: 'hang' }
  | { kind: 'status'; status: number }
  /** Answers GETs with one byte of the body changed. */
  | { kind: 'corrupt' }
  /** Answers GETs with the declared length but closes the connection halfway through the body. */
  | { kind: 'truncate' }

/**
 * A fault-injecting stand-in in front of s3rver: passes requests through, or hangs, fails, corrupts or truncates
 * them, and records every request (method and path) so tests can count uploads.
 */
export class FaultyS3 {
  mode: FaultMode = { kind: 'pass' }
  /** Every request, with the status the stand-in answered (0 while unanswered or when the connection broke). */
  readonly requests: { method: string; path: string; status: number }[] = []
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(private readonly target: () => number) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res))
    server.on('connection', (s) => {
      this.sockets.add(s)
      s.once('close', () => this.sockets.delete(s))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    this.server = server
    this.port = (server.address() as { port: number }).port
  }

  /** Requests seen with this method whose path contains `part` (and, if given, answered with `status`). */
  count(method: string, part = '', status?: number): number {
    return this.requests.filter((r) => r.method === method && r.path.includes(part) && (status === undefined || r.status === status)).length
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const record = { method: req.method ?? '', path: req.url ?? '', status: 0 }
    this.requests.push(record)
    res.once('finish', () => (record.status = res.statusCode))
    const mode = this.mode
    if (mode.kind === 'hang') {
      req.resume()
      return
    }
    if (mode.kind === 'status') {
      req.resume()
      req.once('end', () => {
        res.writeHead(mode.status, { 'content-type': 'application/xml' })
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${mode.status === 403 ? 'AccessDenied' : 'SlowDown'}</Code><Message>injected</Message></Error>`)
      })
      return
    }
    const up = httpRequest({ host: '127.0.0.1', port: this.target(), method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      const damage = req.method === 'GET' && (upRes.statusCode ?? 0) === 200 && (mode.kind === 'corrupt' || mode.kind === 'truncate')
      if (!damage) {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers)
        upRes.pipe(res)
        return
      }
      const chunks: Buffer[] = []
      upRes.on('data', (c: Buffer) => chunks.push(c))
      upRes.on('end', () => {
        const body = Buffer.concat(chunks)
        res.writeHead(200, upRes.headers)
        if (mode.kind === 'corrupt') {
          if (body.length > 0) body[Math.floor(body.length / 2)]! ^= 0xff
          res.end(body)
        } else {
          res.write(body.subarray(0, Math.floor(body.length / 2)))
          res.socket?.destroy()
        }
      })
    })
    up.on('error', () => res.socket?.destroy())
    req.pipe(up)
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }
}

/** The [[upstream]] block for an S3 layer at `endpoint`. */
export function s3Upstream(endpoint: string, bucket: string, extra = ''): string {
  return `[[upstream]]\nurl = "s3://${bucket}/team-a"\nendpoint = "${endpoint}"\nregion = "us-east-1"\naccess_key = "${S3_KEY}"\nsecret_key = "${S3_KEY}"\n${extra}`
}

/** Waits until the daemon at `httpUrl` reports an empty upload queue (its /health). */
export async function uploadsDrained(httpUrl: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < end) {
    const res = await fetch(`${httpUrl}/health`)
    last = await res.json()
    if ((last as { uploads_pending?: number }).uploads_pending === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`uploads still pending after ${timeoutMs} ms: ${JSON.stringify(last)}`)
}
