import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { fingerprintOfPublicKey } from '../../../src/p2p/identity.js'
import { NonceCache, RequestSigner, RequestVerifier, requestKey } from '../../../src/p2p/signing.js'

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return { privateKey, der, fp: fingerprintOfPublicKey(der) }
}

describe('P2P request signing', () => {
  const me = keys()
  const server = keys()
  const key = requestKey('team-secret-0123456789')
  const signer = new RequestSigner(key, 'machine-a', me.privateKey, me.der, me.fp)
  const M = '/fabrik.p2p.v1.P2PCache/Get'

  it('accepts a fresh request and refuses the same request replayed', () => {
    const v = new RequestVerifier(key, server.fp)
    const h = signer.sign(M, ['cas/abc', 'offset=0'], server.fp)
    assert.deepEqual(v.verify(M, ['cas/abc', 'offset=0'], h), { ok: true, sender: 'machine-a', fingerprint: me.fp })
    assert.deepEqual(v.verify(M, ['cas/abc', 'offset=0'], h), { ok: false, reason: 'replay' })
  })

  it('binds the method, the keys, the target and the sender', () => {
    const v = new RequestVerifier(key, server.fp)
    const h = signer.sign(M, ['cas/abc', 'offset=0'], server.fp)
    assert.equal(v.verify('/fabrik.p2p.v1.P2PCache/Exists', ['cas/abc', 'offset=0'], h).ok, false)
    assert.equal(v.verify(M, ['cas/abd', 'offset=0'], h).ok, false)
    assert.deepEqual(v.verify(M, ['cas/abc', 'offset=0'], { ...h, sender: 'machine-b' }), { ok: false, reason: 'mac' })
    const other = new RequestVerifier(key, keys().fp)
    assert.deepEqual(other.verify(M, ['cas/abc', 'offset=0'], h), { ok: false, reason: 'target' })
    // Still accepted once, with the right fields: failed checks never spent the nonce.
    assert.equal(v.verify(M, ['cas/abc', 'offset=0'], h).ok, true)
  })

  it('refuses a wrong secret, a stale clock and a signature from another key', () => {
    const v = new RequestVerifier(requestKey('another-secret-0123456789'), server.fp)
    assert.deepEqual(v.verify(M, ['k'], signer.sign(M, ['k'], server.fp)), { ok: false, reason: 'mac' })
    const ok = new RequestVerifier(key, server.fp)
    assert.deepEqual(ok.verify(M, ['k'], signer.sign(M, ['k'], server.fp, Date.now() - 31_000)), { ok: false, reason: 'clock' })
    // Someone with the secret but another key cannot speak for machine-a's key.
    const thief = keys()
    const forged = new RequestSigner(key, 'machine-a', thief.privateKey, me.der, me.fp).sign(M, ['k'], server.fp)
    assert.deepEqual(ok.verify(M, ['k'], forged), { ok: false, reason: 'signature' })
    assert.deepEqual(ok.verify(M, ['k'], { ...signer.sign(M, ['k'], server.fp), mac: 'zz' }), { ok: false, reason: 'missing' })
  })

  it('forgets nonces after their time and refuses when full', () => {
    const c = new NonceCache(1000, 2)
    assert.equal(c.remember('a', 0), true)
    assert.equal(c.remember('a', 500), false)
    assert.equal(c.remember('b', 600), true)
    assert.equal(c.remember('c', 700), false)
    assert.equal(c.remember('a', 1001), true)
  })
})
