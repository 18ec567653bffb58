import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readlinkSync, rmSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore } from '../../../src/store/local/store.js'
import { PeerClient } from '../../../src/p2p/client.js'
import { FIRST_CHUNK, CHUNK } from '../../../src/p2p/proto.js'
import { RequestSigner, helloKey, requestKey } from '../../../src/p2p/signing.js'
import { SECRET, readAll, startPeer, until, type TestPeer } from './helpers.js'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** This process's open descriptors that point into `dir`. */
function openIn(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      return target.startsWith(dir) ? [target] : []
    } catch {
      return []
    }
  })
}

// A daemon serves peers from its LocalStore, whose larger entries are files read into ready-made frames while
// the info message goes out (server.ts sendFile). The transport tests use a memory store, which never takes
// that path.
describe('P2P Get served from blob files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrik-p2p-files-'))
  const local = new LocalStore({ dir: join(dir, 'cache'), maxSize: 1024 * 1024 * 1024, evictionPolicy: 'lru', defaultTtl: 86_400_000, inlineMaxBytes: 1024 })
  const blobFiles = () => openIn(join(dir, 'cache', 'blobs'))
  const open: TestPeer[] = []
  after(async () => {
    for (const p of open) await p.close()
    await local.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends every size whole and right, from the first chunk boundary to several messages', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async () => {
    const a = await startPeer('fa', { local })
    open.push(a)
    const b = await startPeer('fb', { peers: [a.endpoint] })
    open.push(b)
    await until('b sees a', () => b.p2p.peers.usable(10).length === 1)
    for (const size of [2048, FIRST_CHUNK - 1, FIRST_CHUNK, FIRST_CHUNK + 1, CHUNK + FIRST_CHUNK + 1, 3 * CHUNK + 17]) {
      const blob = randomBytes(size)
      await local.put('cas', sha(blob), blob)
      const got = await b.p2p.layer.get('cas', sha(blob))
      assert.ok(got, `${size} bytes: a hit`)
      assert.ok((await readAll(got.stream)).equals(blob), `${size} bytes: the same bytes`)
    }
    // Every handle went back: the last read closed each file.
    await until('blob files closed', () => blobFiles().length === 0)
  })

  it('an offset past the end is refused and the file it opened is closed again', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async () => {
    const [a, b] = open
    const blob = randomBytes(CHUNK)
    await local.put('cas', sha(blob), blob)
    const client = new PeerClient(a!.endpoint, b!.p2p.identity, new RequestSigner(requestKey(SECRET), 'machine-fb', b!.p2p.identity.privateKey, b!.p2p.identity.publicKeyDer, b!.p2p.identity.fingerprint), helloKey(SECRET), 2000)
    try {
      await assert.rejects(client.get('cas', sha(blob), blob.length + 1, 2000, 2000), /offset past the end/)
      // Closed before the refusal is sent, not whenever a collection finds the handle.
      assert.deepEqual(blobFiles(), [])
    } finally {
      client.close()
    }
  })

  it('a blob file shorter than its entry fails the transfer instead of sending a short entry', async () => {
    const [, b] = open
    for (const size of [FIRST_CHUNK, 2 * CHUNK]) {
      const blob = randomBytes(size)
      const key = sha(blob)
      await local.put('cas', key, blob)
      // paths.ts newBlobName: the file is named by the hash of namespace and key.
      const named = createHash('sha256').update('cas').update('\0').update(key).digest('hex')
      const shard = join(local.layout.blobs, named.slice(0, 2))
      const file = readdirSync(shard).find((f) => f.startsWith(named))
      assert.ok(file, 'the entry is a file')
      // Short inside the first message (read at once) and inside a later one (read on the threadpool).
      truncateSync(join(shard, file), size === FIRST_CHUNK ? 1000 : CHUNK + 3)
      await assert.rejects(async () => {
        const got = await b!.p2p.layer.get('cas', key)
        if (got) await readAll(got.stream)
      }, /ended \d+ bytes early/, `${size} bytes: the server refuses to send a short entry`)
    }
  })
})
