import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '../../../src/store/memory.js'
import { BufferedResult } from '../../../src/store/result.js'
import type { GetOptions, GetResult } from '../../../src/store/types.js'
import { PeerClient } from '../../../src/p2p/client.js'
import { RequestSigner, helloKey, requestKey, type SignedHeaders } from '../../../src/p2p/signing.js'
import { SECRET, metric, readAll, startPeer, until, type TestPeer } from './helpers.js'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('P2P transport between two daemons (TLS + signed requests on 127.0.0.1)', () => {
  const open: TestPeer[] = []
  after(async () => {
    for (const p of open) await p.close()
  })
  const peer = async (...args: Parameters<typeof startPeer>) => {
    const p = await startPeer(...args)
    open.push(p)
    return p
  }

  it('serves an approved peer a verified entry, and keeps key and certificate 0600 in the data dir', async () => {
    const a = await peer('a1')
    const blob = randomBytes(3 * 1024 * 1024 + 17)
    await a.local.put('cas', sha(blob), blob)
    await a.local.put('turbo.team', 'hash1', Buffer.from('artifact'), { meta: { 'x-artifact-tag': 't' } })
    const b = await peer('b1', { peers: [a.endpoint] })
    await until('b sees a approve it', () => b.p2p.layer !== undefined && b.p2p.peers.usable(10).length === 1)

    const got = await b.p2p.layer.get('cas', sha(blob))
    assert.ok(got)
    assert.equal(got.size, blob.length)
    assert.ok((await readAll(got.stream)).equals(blob))
    const kv = await b.p2p.layer.get('turbo.team', 'hash1')
    assert.equal((await readAll(kv!.stream)).toString(), 'artifact')
    assert.equal(kv!.meta['x-artifact-tag'], 't')
    const range = await b.p2p.layer.get('cas', sha(blob), { offset: 10, length: 100 })
    assert.ok((await readAll(range!.stream)).equals(blob.subarray(10, 110)))
    assert.equal(await b.p2p.layer.get('cas', sha(Buffer.from('nope'))), undefined)
    assert.equal(await b.p2p.layer.has('turbo.team', 'hash1'), true)
    assert.equal((await b.p2p.layer.stat('cas', sha(blob)))?.size, blob.length)
    assert.equal(await metric(b.registry, 'fabrik_p2p_hits_total'), 3)
    // Per peer too, once verified: the daemon samples these totals into "top teammates" (samplePeers).
    assert.equal(b.p2p.control.list().find((p) => p.machine_id === 'machine-a1')?.hits, 3)
    assert.equal(await metric(b.registry, 'fabrik_p2p_bytes_downloaded_total'), 2 * blob.length + 8)
    assert.ok((await metric(a.registry, 'fabrik_p2p_bytes_uploaded_total')) >= 2 * blob.length)
    await assert.rejects(b.p2p.layer.put(), /read-only/)
    for (const f of ['key.pem', 'cert.pem']) assert.equal(statSync(join(a.home, 'data', 'fabrik', 'p2p', f)).mode & 0o777, 0o600)
    assert.match(readFileSync(join(a.home, 'data', 'fabrik', 'p2p', 'cert.pem'), 'utf8'), /BEGIN CERTIFICATE/)
  })

  it('a peer with the wrong secret gets nothing and serves nothing', async () => {
    const a = await peer('a2')
    const blob = Buffer.from('secret stuff')
    await a.local.put('cas', sha(blob), blob)
    const b = await peer('b2', { peers: [a.endpoint], config: { secret: 'another-team-secret-0000' } })
    await until('a refuses b', async () => (await metric(a.registry, 'fabrik_p2p_auth_failures_total', { reason: 'mac' })) >= 1)
    assert.equal(b.p2p.peers.usable(10).length, 0)
    assert.equal(await b.p2p.layer.get('cas', sha(blob)), undefined)
    // And the other way: a asks b, b refuses.
    await b.local.put('cas', sha(blob), blob)
    const c = await peer('c2', { peers: [b.endpoint] })
    await until('b refuses c', async () => (await metric(b.registry, 'fabrik_p2p_auth_failures_total', { reason: 'mac' })) >= 1)
    assert.equal(await c.p2p.layer.get('cas', sha(blob)), undefined)
    assert.equal(await metric(b.registry, 'fabrik_p2p_bytes_uploaded_total'), 0)
  })

  it('refuses a recorded request replayed, even to the same peer', async () => {
    const a = await peer('a3')
    const blob = Buffer.from('replay me')
    await a.local.put('cas', sha(blob), blob)
    const b = await peer('b3')
    const real = new RequestSigner(requestKey(SECRET), 'machine-b3', b.p2p.identity.privateKey, b.p2p.identity.publicKeyDer, b.p2p.identity.fingerprint)
    let recorded: SignedHeaders | undefined
    const recording = { sign: (m: string, s: string[], t: string) => (recorded ??= real.sign(m, s, t)) } as unknown as RequestSigner
    const client = new PeerClient(a.endpoint, b.p2p.identity, recording, helloKey(SECRET), 2000)
    try {
      const first = await client.get('cas', sha(blob), 0, 2000, 2000)
      assert.ok((await readAll(first!.stream)).equals(blob))
      await assert.rejects(client.get('cas', sha(blob), 0, 2000, 2000), /replay/)
      assert.equal(await metric(a.registry, 'fabrik_p2p_auth_failures_total', { reason: 'replay' }), 1)
    } finally {
      client.close()
    }
  })

  it('never serves tampered bytes: a peer whose bytes do not match its digest fails the read', async () => {
    const blob = randomBytes(2 * 1024 * 1024)
    const digest = sha(blob)
    class Lying extends MemoryStore {
      override async get(ns: string, key: string, o?: GetOptions): Promise<GetResult | undefined> {
        const r = await super.get(ns, key, o)
        if (!r) return r
        const bad = Buffer.from(r.data!)
        bad[bad.length - 1]! ^= 1
        return new BufferedResult(r, bad)
      }
    }
    const liar = new Lying()
    await liar.put('cas', digest, blob)
    await liar.put('nx', 'k1', blob)
    const a = await peer('a4', { local: liar })
    const b = await peer('b4', { peers: [a.endpoint] })
    await until('b sees a', () => b.p2p.peers.usable(10).length === 1)
    for (const [ns, key] of [['cas', digest], ['nx', 'k1']] as const) {
      const got = await b.p2p.layer.get(ns, key)
      assert.ok(got)
      let received = 0
      await assert.rejects(
        (async () => {
          for await (const c of got.stream as AsyncIterable<Buffer>) received += c.length
        })(),
        /DIGEST|do not match/i,
      )
      assert.ok(received < blob.length, 'the complete entry was never handed out')
    }
    assert.equal(await metric(b.registry, 'fabrik_p2p_verification_failures_total', { reason: 'digest' }), 2)
    assert.equal(await metric(b.registry, 'fabrik_p2p_bytes_downloaded_total'), 0)
  })

  it('a denied peer is served nothing, and the denial survives a restart', async () => {
    const blob = Buffer.from('private')
    const a = await peer('a5', { config: { consent_mode: 'notify-once' } })
    await a.local.put('cas', sha(blob), blob)
    const b = await peer('b5', { peers: [a.endpoint] })
    await until('a has b pending', () => a.p2p.control.list().some((v) => v.machine_id === 'machine-b5' && v.consent === 'pending'))
    // Pending: a quick refusal, the build moves on.
    await until('b hears pending', () => b.p2p.peers.get('machine-a5')?.theirConsent === 'pending')
    assert.equal(await b.p2p.layer.get('cas', sha(blob)), undefined)
    a.p2p.control.decide('b5', 'denied', true)
    const client = new PeerClient(a.endpoint, b.p2p.identity, new RequestSigner(requestKey(SECRET), 'machine-b5', b.p2p.identity.privateKey, b.p2p.identity.publicKeyDer, b.p2p.identity.fingerprint), helloKey(SECRET), 2000)
    await assert.rejects(client.get('cas', sha(blob), 0, 2000, 2000), /denied/)
    client.close()
    const consents = JSON.parse(readFileSync(join(a.home, 'data', 'fabrik', 'p2p', 'consents.json'), 'utf8'))
    assert.equal(consents.peers['machine-b5'].decision, 'denied')
    assert.equal(consents.peers['machine-b5'].fingerprint, b.p2p.identity.fingerprint)

    // Restart a on the same data dir: still denied.
    const home = a.home
    await a.p2p.close()
    open.splice(open.indexOf(a), 1)
    const a2 = await peer('a5', { config: { consent_mode: 'notify-once' }, home, local: a.local })
    const client2 = new PeerClient(a2.endpoint, b.p2p.identity, new RequestSigner(requestKey(SECRET), 'machine-b5', b.p2p.identity.privateKey, b.p2p.identity.publicKeyDer, b.p2p.identity.fingerprint), helloKey(SECRET), 2000)
    await assert.rejects(client2.get('cas', sha(blob), 0, 2000, 2000), /denied/)
    assert.equal((await client2.hello(2000)).consent, 'denied')
    client2.close()
    assert.equal(await metric(a2.registry, 'fabrik_p2p_bytes_uploaded_total'), 0)
  })

  it('approving a pending peer lets it through at once; disabled serves nobody', async () => {
    const blob = Buffer.from('approved bytes')
    const a = await peer('a6', { config: { consent_mode: 'notify-always' } })
    await a.local.put('cas', sha(blob), blob)
    const b = await peer('b6', { peers: [a.endpoint] })
    await until('pending', () => a.p2p.control.list().some((v) => v.consent === 'pending'))
    assert.deepEqual(a.p2p.control.decide('machine-b6', 'approved', false), { machine_id: 'machine-b6', decision: 'approved', permanent: false })
    await until('b sees approval', () => b.p2p.peers.usable(10).length === 1)
    assert.ok((await readAll((await b.p2p.layer.get('cas', sha(blob)))!.stream)).equals(blob))

    const d = await peer('d6', { config: { consent_mode: 'disabled' } })
    await d.local.put('cas', sha(blob), blob)
    const e = await peer('e6', { peers: [d.endpoint] })
    await until('e hears disabled', () => e.p2p.peers.get('machine-d6')?.theirConsent === 'disabled')
    assert.equal(await e.p2p.layer.get('cas', sha(blob)), undefined)
    assert.equal(await metric(d.registry, 'fabrik_p2p_bytes_uploaded_total'), 0)
  })

  it('does not serve namespaces outside the build tools\' (fabrik kv entries stay private)', async () => {
    const a = await peer('a7')
    await a.local.put('kv', 'mine', Buffer.from('x'))
    const b = await peer('b7', { peers: [a.endpoint] })
    await until('b sees a', () => b.p2p.peers.usable(10).length === 1)
    assert.equal(await b.p2p.layer.get('kv', 'mine'), undefined)
  })
})

describe('P2P start failures', () => {
  it('a taken bind_port fails startP2P and leaves nothing listening', async () => {
    const a = await startPeer('busy-a')
    const home = mkdtempSync(join(tmpdir(), 'fabrik-p2p-busy-'))
    try {
      await assert.rejects(startPeer('busy-b', { config: { bind_port: a.p2p.port }, home }), /cannot listen/)
    } finally {
      await a.close()
      rmSync(home, { recursive: true, force: true })
    }
  })
})
