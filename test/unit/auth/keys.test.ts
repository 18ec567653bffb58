import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { openKeySource } from '../../../src/auth/keys.js'
import { TokenVerifier } from '../../../src/auth/verify.js'
import { makeKey, token, writeKeys } from '../server/helpers.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('[auth] public_key_file: reloaded on SIGHUP', () => {
  it('after SIGHUP a key removed from the file stops verifying, even a token verified before, and the new key works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabrik-keys-'))
    const file = join(dir, 'keys.json')
    const k1 = await makeKey('k1')
    const k2 = await makeKey('k2', 'ES256')
    await writeKeys(file, [k1])
    const reloads: unknown[] = []
    const log = { info: (o: object) => reloads.push((o as { why?: unknown }).why), warn: () => undefined }
    const hupListeners = process.listenerCount('SIGHUP')
    // The file is polled hourly here, so only the signal can make it reload within the test.
    const source = await openKeySource({ public_key_file: file, key_refresh_interval: 60_000 }, log, { filePollMs: 3_600_000 })
    const verifier = new TokenVerifier(source)
    try {
      assert.equal(process.listenerCount('SIGHUP'), hupListeners + 1, 'the key file listens for SIGHUP')
      const t1 = await token(k1, { project_id: 'acme' })
      const t2 = await token(k2, { project_id: 'acme' })
      assert.equal((await verifier.verify(t1)).tenant, 'acme')
      await writeKeys(file, [k2])
      await sleep(200)
      assert.equal((await verifier.verify(t1)).tenant, 'acme', 'no reload yet: t1 is still remembered as verified')
      assert.equal(source.current().version, 1)

      process.kill(process.pid, 'SIGHUP')
      const end = Date.now() + 5000
      while (source.current().version === 1 && Date.now() < end) await sleep(20)
      assert.equal(source.current().version, 2, 'SIGHUP reloaded the file')
      assert.deepEqual(reloads, ['SIGHUP'])
      await assert.rejects(verifier.verify(t1), { code: 'UNAUTHENTICATED', message: /no configured key/ })
      assert.equal((await verifier.verify(t2)).tenant, 'acme')
    } finally {
      verifier.close()
      await rm(dir, { recursive: true, force: true })
    }
    assert.equal(process.listenerCount('SIGHUP'), hupListeners, 'closing the key source stops listening')
  })
})

describe('[auth] public_key: a PEM key has no kid', () => {
  it('verifies a token whose header names a kid with the kid-less PEM key, and still refuses one signed by another key', async () => {
    const issuer = await makeKey('issuer-key-2026')
    const stranger = await makeKey('issuer-key-2026')
    const log = { info: () => undefined, warn: () => undefined }
    const source = await openKeySource({ public_key: issuer.spki, key_refresh_interval: 60_000 }, log)
    const verifier = new TokenVerifier(source)
    try {
      // Issuers such as Auth0 and Keycloak put a kid in every token's header; the PEM the server was given has none.
      assert.equal((await verifier.verify(await token(issuer, { project_id: 'acme' }))).tenant, 'acme')
      assert.equal((await verifier.verify(await token(issuer, { project_id: 'acme' }, { kid: null }))).tenant, 'acme')
      await assert.rejects(verifier.verify(await token(stranger, { project_id: 'acme' })), { code: 'UNAUTHENTICATED' })
    } finally {
      verifier.close()
    }
  })

  it('with a JWKS, a kid selects its own key only: a token naming one key but signed by another is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fabrik-keys-'))
    const file = join(dir, 'keys.json')
    const k1 = await makeKey('k1')
    const k2 = await makeKey('k2')
    await writeKeys(file, [k1, k2])
    const source = await openKeySource({ public_key_file: file, key_refresh_interval: 60_000 }, { info: () => undefined, warn: () => undefined })
    const verifier = new TokenVerifier(source)
    try {
      assert.equal((await verifier.verify(await token(k2, { project_id: 'acme' }))).tenant, 'acme')
      await assert.rejects(verifier.verify(await token(k2, { project_id: 'acme' }, { kid: 'k1' })), { code: 'UNAUTHENTICATED' })
    } finally {
      verifier.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
