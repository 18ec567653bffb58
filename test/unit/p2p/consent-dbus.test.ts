import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DbusPrompter } from '../../../src/p2p/prompt-dbus.js'
import type { Prompter } from '../../../src/p2p/prompt.js'
import { underCi } from '../../helpers/clients.js'
import { FakeNotifications, canRunDbus, type NotifyCall } from '../../helpers/fake-notifications.js'
import { readAll, startPeer, until, type TestPeer } from './helpers.js'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const missing = canRunDbus()
const ci = underCi()

describe('consent prompt on D-Bus (private session bus, fake notification service)', { skip: !ci && missing ? missing : false }, () => {
  let fake: FakeNotifications
  const open: TestPeer[] = []
  const prompters: Prompter[] = []
  before(async () => {
    if (missing) throw new Error(`CI needs this test's prerequisite: ${missing}`)
    fake = await FakeNotifications.start()
  })
  after(async () => {
    for (const p of open) await p.close()
    for (const p of prompters) await p.close()
    await fake?.stop()
  })
  const pair = async (name: string, timeoutMs = 10_000) => {
    const prompter = await DbusPrompter.connect(fake.address)
    prompters.push(prompter)
    const blob = Buffer.from(`bytes of ${name}`)
    const a = await startPeer(`${name}-a`, { config: { consent_mode: 'notify-once', consent_timeout: timeoutMs }, prompter })
    await a.local.put('cas', sha(blob), blob)
    const b = await startPeer(`${name}-b`, { peers: [a.endpoint] })
    open.push(a, b)
    return { a, b, blob }
  }
  const promptFor = async (hostname: string): Promise<NotifyCall> => {
    await until(`a Notify naming ${hostname}`, () => fake.calls.some((c) => c.summary.includes(hostname)))
    return fake.calls.find((c) => c.summary.includes(hostname))!
  }

  it('asks with Approve/Deny actions naming the peer; the requester is refused at once while pending; Approve lets it through', async () => {
    const { a, b, blob } = await pair('ok')
    const call = await promptFor('ok-b')
    assert.equal(call.app, 'fabrik')
    assert.deepEqual(call.actions, ['approve', 'Approve', 'deny', 'Deny'])
    assert.match(call.body, /fabrik p2p approve machine-ok-b/)
    await until('b hears pending', () => b.p2p.peers.get('machine-ok-a')?.theirConsent === 'pending')
    const started = Date.now()
    assert.equal(await b.p2p.layer.get('cas', sha(blob)), undefined)
    assert.ok(Date.now() - started < 1000, 'a pending peer is refused quickly, never kept waiting for a human')
    fake.click(call.id, 'approve')
    await until('b approved', () => b.p2p.peers.usable(10).length === 1)
    assert.ok((await readAll((await b.p2p.layer.get('cas', sha(blob)))!.stream)).equals(blob))
    const saved = JSON.parse(readFileSync(join(a.home, 'data', 'fabrik', 'p2p', 'consents.json'), 'utf8'))
    assert.equal(saved.peers['machine-ok-b'].decision, 'approved', 'notify-once saves the answer')
    assert.equal(fake.calls.filter((c) => c.summary.includes('ok-b')).length, 1, 'one prompt per peer')
  })

  it('Deny refuses the peer and is saved', async () => {
    const { a, b, blob } = await pair('no')
    fake.click((await promptFor('no-b')).id, 'deny')
    await until('b denied', () => b.p2p.peers.get('machine-no-a')?.theirConsent === 'denied')
    assert.equal(await b.p2p.layer.get('cas', sha(blob)), undefined)
    const saved = JSON.parse(readFileSync(join(a.home, 'data', 'fabrik', 'p2p', 'consents.json'), 'utf8'))
    assert.equal(saved.peers['machine-no-b'].decision, 'denied')
  })

  it('an unanswered prompt times out: the peer stays pending, a shown notification is no approval', async () => {
    const { a, b, blob } = await pair('late', 300)
    const call = await promptFor('late-b')
    await until('prompt closed on timeout', () => fake.closed.includes(call.id))
    assert.equal(await b.p2p.layer.get('cas', sha(blob)), undefined)
    assert.equal(b.p2p.peers.get('machine-late-a')?.theirConsent, 'pending')
    assert.ok(a.p2p.control.list().some((v) => v.machine_id === 'machine-late-b' && v.consent === 'pending'))
  })
})
