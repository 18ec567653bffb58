import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { counter } from '../helpers/http.js'
import { makeProject, type DaemonJson, type TestProject } from '../helpers/project.js'
import { digestOf, makeClients } from '../unit/grpc/helpers.js'

// The fault suite against the layers: a daemon whose regional upstream ([[upstream]] grpc://) is unreachable or
// accepts connections and never answers must not hold a build beyond the layer's timeout. Lookups that miss
// locally (an HTTP GET, Bazel's FindMissingBlobs) answer a miss within the timeout plus a margin; a PUT is
// acknowledged from the local store without waiting for the upstream. The breaker is set out of reach, so every
// lookup below pays the timeout instead of being skipped once the layer is offline (s3-faults covers the breaker).
//
// P2P peers are covered in test/e2e/p2p.test.ts (a peer frozen with SIGSTOP, a peer killed mid-transfer): a peer
// is only ever found by mDNS on a LAN address (there is no static peer setting), so it needs network namespaces.

const TIMEOUT_MS = 1500
const MARGIN_MS = 1500
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** A TCP listener on 127.0.0.1 that accepts connections and never sends a byte. */
async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((s) => {
    sockets.add(s)
    s.on('error', () => undefined)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const l = await silentListener()
  await l.close()
  return l.port
}

/** How long `fn` took. Each call passed here carries its own limit (a fetch signal, a gRPC deadline), so none hangs. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now()
  const value = await fn()
  return { value, ms: Date.now() - started }
}

function findMissing(grpcUrl: string, data: Buffer, limitMs: number): Promise<string[]> {
  const clients = makeClients(grpcUrl.replace(/^grpc:\/\//, ''))
  return new Promise<string[]>((resolve, reject) => {
    clients.cas.FindMissingBlobs({ blob_digests: [digestOf(data)] }, { deadline: Date.now() + limitMs }, (err: grpc.ServiceError | null, res?: { missing_blob_digests: { hash: string }[] }) => {
      if (err) reject(err)
      else resolve(res!.missing_blob_digests.map((d) => d.hash))
    })
  }).finally(() => {
    for (const c of Object.values(clients)) c.close()
  })
}

for (const fault of ['refuses connections', 'accepts connections and never answers'] as const) {
  describe(`faults: a regional upstream that ${fault}`, { timeout: 60_000 }, () => {
    let project: TestProject
    let daemon: DaemonJson
    let listener: { close(): Promise<void> } | undefined

    before(async () => {
      let port: number
      if (fault === 'refuses connections') port = await closedPort()
      else {
        const l = await silentListener()
        listener = l
        port = l.port
      }
      project = await makeProject(
        '[cache]\ndir = ".fabrik/cache"\n[runtime]\ngraceful_shutdown_timeout = "3s"\n' +
          `[[upstream]]\nurl = "grpc://127.0.0.1:${port}"\ntimeout = "${TIMEOUT_MS}ms"\nbreaker_failures = 1000\n`,
      )
      daemon = await project.startDaemon()
    })
    after(async () => {
      await project?.cleanup()
      await listener?.close()
    })

    it('an HTTP GET of a missing key answers 404 within the layer timeout', async () => {
      const limit = TIMEOUT_MS + MARGIN_MS
      for (const path of [`/cache/${sha(randomBytes(8))}`, `/v1/cache/${sha(randomBytes(8))}`]) {
        const { value: res, ms } = await timed(() => fetch(`${daemon.http_url}${path}`, { signal: AbortSignal.timeout(limit) }))
        await res.arrayBuffer()
        assert.equal(res.status, 404, path)
        assert.ok(ms < limit, `GET ${path} took ${ms} ms`)
      }
      // The upstream was asked and failed (not skipped, not taken for a miss).
      assert.ok((await counter(daemon.http_url, 'fabrik_upstream_requests_total', { result: 'error' })) >= 2)
    })

    it("Bazel's FindMissingBlobs reports a missing blob within the layer timeout", async () => {
      const limit = TIMEOUT_MS + MARGIN_MS
      const absent = randomBytes(64)
      const { value: missing, ms } = await timed(() => findMissing(daemon.grpc_url, absent, limit))
      assert.deepEqual(missing, [sha(absent)])
      assert.ok(ms < limit, `FindMissingBlobs took ${ms} ms`)
    })

    it('a PUT is acknowledged without waiting for the upstream, and then found in the local store', async () => {
      const body = randomBytes(20_000)
      // Under the layer's timeout: a PUT that waited for the upstream (or its upload) could not answer before it.
      for (const path of [`/cache/${sha(randomBytes(8))}`, `/cas/${sha(body)}`]) {
        const { value: put, ms } = await timed(() => fetch(`${daemon.http_url}${path}`, { method: 'PUT', body, signal: AbortSignal.timeout(TIMEOUT_MS) }))
        await put.arrayBuffer()
        assert.equal(put.status, 200, path)
        assert.ok(ms < TIMEOUT_MS, `PUT ${path} took ${ms} ms`)
        const got = await fetch(`${daemon.http_url}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
        assert.equal(got.status, 200, path)
        assert.ok(Buffer.from(await got.arrayBuffer()).equals(body), path)
      }
      // A blob the local store holds is reported present without asking the upstream.
      assert.deepEqual(await findMissing(daemon.grpc_url, body, TIMEOUT_MS), [])
    })
  })
}
