import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { open as openFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import { isFabrikError } from '../../src/errors/registry.js'
import { toGrpcError } from '../../src/grpc/errors.js'
import { chunked, startServer, writeRequests } from '../unit/grpc/helpers.js'
import { createHttpApp } from '../../src/http/app.js'
import { createMetrics } from '../../src/metrics/metrics.js'
import { LocalStore } from '../../src/store/local/store.js'
import { withTmpfs } from '../helpers/tmpfs.js'
import { blobFiles, fileRows, random, sha } from '../unit/store/helpers.js'

// The cache dir on a small tmpfs, filled to the brim: the disk is really full, as on a laptop with no space left.

const MiB = 1024 * 1024

function openStore(dir: string, logs: string[]): LocalStore {
  return new LocalStore({
    dir, maxSize: 256 * MiB, evictionPolicy: 'lru', defaultTtl: 86_400_000,
    logger: { warn: (_obj: object, msg: string) => logs.push(msg) },
  })
}

/** Fills what is left of the file system with one file, 4 KiB at a time, until ENOSPC. Returns its path. */
async function fillToBrim(dir: string): Promise<string> {
  const path = join(dir, 'filler')
  const fh = await openFile(path, 'w')
  const chunk = Buffer.alloc(4096, 1)
  try {
    for (;;) await fh.write(chunk)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    await fh.close()
  }
  return path
}

/** Every file-backed row has its file and every file its row. */
async function assertAgree(cacheDir: string, what: string): Promise<void> {
  const files = existsSync(join(cacheDir, 'blobs')) ? await blobFiles(join(cacheDir, 'blobs')) : []
  assert.deepEqual(files, fileRows(cacheDir), `${what}: index and files disagree`)
}

describe('faults: the cache disk fills up', { timeout: 60_000 }, () => {
  it('puts fail with STORE_FULL (HTTP 507, gRPC RESOURCE_EXHAUSTED) logged once, reads go on, a failed delete leaves index and files agreeing, writes resume once space is freed', async (t) => {
    await withTmpfs(t, 8, async (mnt) => {
      const cacheDir = join(mnt, 'cache')
      // Another program's 1 MiB, removed at the end to free space.
      const ballast = join(mnt, 'ballast')
      await writeFile(ballast, Buffer.alloc(MiB, 2))
      const logs: string[] = []
      const store = openStore(cacheDir, logs)
      const app = await createHttpApp({ store, metrics: createMetrics({ defaultMetrics: false }), logger: false, maxBlobBytes: 64 * MiB })
      try {
        // Fill the disk with 200 KiB ccache entries (a tool whose protocol has DELETE) until the store refuses.
        const stored: { key: string; data: Buffer }[] = []
        let refusal: unknown
        for (let i = 0; i < 200 && refusal === undefined; i++) {
          const data = random(200 * 1024)
          try {
            await store.put('ccache', `entry${i}`, data, { size: data.length })
            stored.push({ key: `entry${i}`, data })
          } catch (err) {
            refusal = err
          }
        }
        assert.ok(stored.length > 5, `only ${stored.length} blobs fit`)
        assert.ok(isFabrikError(refusal, 'STORE_FULL'), `a full disk is STORE_FULL, got ${String(refusal)}`)
        assert.equal(toGrpcError(refusal).code, grpc.status.RESOURCE_EXHAUSTED)
        const filler = await fillToBrim(mnt)

        // HTTP: 507 with a fix, several times over, and still one log line.
        for (let i = 0; i < 3; i++) {
          const body = random(100 * 1024)
          const res = await app.inject({ method: 'PUT', url: `/ccache/new${i}`, payload: body })
          assert.equal(res.statusCode, 507, res.body)
          assert.equal(res.json().code, 'STORE_FULL')
          assert.match(res.json().fix, /Free space on the disk.*max_size/, `the 507 body says how to fix it: ${res.body}`)
        }
        // gRPC: a real ByteStream write over a real socket fails RESOURCE_EXHAUSTED, with the fix in the details.
        const grpcServer = await startServer({ store })
        try {
          const blob = random(100 * 1024)
          const name = `uploads/full-disk/blobs/${sha(blob)}/${blob.length}`
          const failure = await writeRequests(grpcServer.clients.bytestream, chunked(name, blob)).then(
            () => assert.fail('a ByteStream write on a full disk was acknowledged'),
            (err: grpc.ServiceError) => err,
          )
          assert.equal(failure.code, grpc.status.RESOURCE_EXHAUSTED, failure.details)
          assert.match(failure.details, /^STORE_FULL: .*Free space on the disk.*max_size/, failure.details)
        } finally {
          await grpcServer.close()
        }
        const small = Buffer.from('tiny')
        const smallRes = await app.inject({ method: 'PUT', url: `/ac/${sha(small)}`, payload: small })
        assert.ok(smallRes.statusCode === 507 || smallRes.statusCode === 200, `small put: ${smallRes.statusCode}`)
        assert.equal(logs.filter((l) => l.includes('disk is full')).length, 1, `one line per episode, got: ${logs.join(' | ')}`)

        // Reads are unaffected.
        for (const { key, data } of stored.slice(0, 10)) {
          const res = await app.inject({ method: 'GET', url: `/ccache/${key}` })
          assert.equal(res.statusCode, 200)
          assert.ok(res.rawPayload.equals(data))
        }

        // Deletes on the full disk: whatever each one answers, HEAD and the files must agree afterwards.
        const answers: number[] = []
        for (const { key } of stored.slice(0, 12)) {
          const res = await app.inject({ method: 'DELETE', url: `/ccache/${key}` })
          answers.push(res.statusCode)
          assert.ok([200, 507].includes(res.statusCode), `DELETE answered ${res.statusCode}: ${res.body}`)
          const head = await app.inject({ method: 'HEAD', url: `/ccache/${key}` })
          const row = await store.stat('ccache', key)
          assert.equal(head.statusCode === 200, row !== undefined)
          if (res.statusCode === 507) assert.ok(row, 'a refused delete keeps the entry')
          else assert.equal(row, undefined, 'an acknowledged delete removed the entry')
          await assertAgree(cacheDir, `after DELETE answered ${res.statusCode}`)
        }

        t.diagnostic(`DELETE answers on the full disk: ${answers.join(' ')}`)
        // Without a refused delete the checks above prove nothing about the full-disk path.
        assert.ok(answers.includes(507), `no DELETE was refused on the full disk: ${answers.join(' ')}`)
        // Space freed: writes succeed again at once, and the recovery is logged.
        await rm(filler)
        await rm(ballast)
        const again = random(100 * 1024)
        const res = await app.inject({ method: 'PUT', url: `/ccache/again`, payload: again })
        assert.equal(res.statusCode, 200, res.body)
        assert.ok(logs.some((l) => l.includes('room again')), logs.join(' | '))
        await assertAgree(cacheDir, 'at the end')
      } finally {
        await app.close()
        await store.close().catch(() => undefined)
      }
    })
  })

  it('DELETE on a full disk: an entry whose delete answered 200 is gone from the index too (HEAD agrees with the files)', async (t) => {
    await withTmpfs(t, 8, async (mnt) => {
      const cacheDir = join(mnt, 'cache')
      const store = openStore(cacheDir, [])
      const app = await createHttpApp({ store, metrics: createMetrics({ defaultMetrics: false }), logger: false, maxBlobBytes: 64 * MiB })
      try {
        const keys: string[] = []
        for (let i = 0; i < 200; i++) {
          try {
            await store.put('ccache', `entry${i}`, random(200 * 1024))
            keys.push(`entry${i}`)
          } catch {
            break
          }
        }
        await fillToBrim(mnt)
        const answers: number[] = []
        for (const key of keys.slice(0, 20)) {
          const res = await app.inject({ method: 'DELETE', url: `/ccache/${key}` })
          answers.push(res.statusCode)
          const head = await app.inject({ method: 'HEAD', url: `/ccache/${key}` })
          if (res.statusCode === 200) assert.equal(head.statusCode, 404, `DELETE ${key} answered 200 but HEAD still finds it`)
          else assert.equal(head.statusCode, 200, `DELETE ${key} failed (${res.statusCode}) but the entry is gone`)
          await assertAgree(cacheDir, `after DELETE ${key} answered ${res.statusCode}`)
        }
        t.diagnostic(`DELETE answers: ${answers.join(' ')}`)
        // The disk was full for every one of them: if none was refused, the test did not exercise a full disk.
        assert.ok(answers.includes(507), `no DELETE was refused on the full disk: ${answers.join(' ')}`)
      } finally {
        await app.close()
        await store.close().catch(() => undefined)
      }
    })
  })
})
