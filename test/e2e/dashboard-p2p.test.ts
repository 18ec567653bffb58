import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { artifactPath } from '../helpers/artifacts.js'
import { consoleErrors, launchChromium } from '../helpers/browser.js'
import { RUN_JS, parseJson, runCommand, type CliResult } from '../helpers/cli.js'
import { underCi } from '../helpers/clients.js'
import { Lan, canUseNetns, hostEnv, type NetnsHost } from '../helpers/netns.js'
import { until } from '../helpers/until.js'

// Two daemons started by the CLI in two network namespaces on a bridge. Host 1 asks before serving
// (notify-once) and has no way to prompt (no session bus, as over SSH), so host 2 stays pending on it. Chromium,
// run inside host 1's namespace, opens host 1's dashboard on that namespace's 127.0.0.1 and presses Approve:
// `fabrik p2p list` on host 1 then says approved, and host 2's next request is served from host 1.

const SECRET = 'dashboard-e2e-secret-0123456789'
const missing = canUseNetns()

interface Host extends NetnsHost {
  name: string
  project: string
  env: NodeJS.ProcessEnv
  http?: string
}

interface PeerJson {
  machine_id: string
  hostname: string
  consent: string
  their_consent: string | null
  alive: boolean
}

function inNs(h: Host, cmd: string, args: string[]): Promise<CliResult> {
  return runCommand('ip', ['netns', 'exec', h.ns, cmd, ...args], { cwd: h.project, env: h.env, timeoutMs: 60_000 })
}

const fabrik = (h: Host, args: string[]) => inNs(h, process.execPath, [RUN_JS, ...args])

/** An HTTP request made inside the host's namespace (its daemon listens on that namespace's 127.0.0.1). */
async function request(h: Host, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const script = `fetch(${JSON.stringify(h.http + path)}, { method: ${JSON.stringify(method)}, ${body === undefined ? '' : `body: ${JSON.stringify(body)}, headers: { 'content-type': 'application/octet-stream' }`} })
    .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))`
  const r = await inNs(h, process.execPath, ['-e', script])
  assert.equal(r.code, 0, r.stderr)
  return JSON.parse(r.stdout) as { status: number; body: string }
}

async function peers(h: Host): Promise<PeerJson[]> {
  const r = await fabrik(h, ['p2p', 'list', '--json'])
  assert.equal(r.code, 0, r.stdout + r.stderr)
  return parseJson<PeerJson[]>(r)
}

describe('the dashboard approves a real pending peer (two daemons in network namespaces)', { skip: !underCi() && missing ? missing : false }, () => {
  const lan = new Lan()
  const hosts: Host[] = []
  const root = mkdtempSync(join(tmpdir(), 'fabrik-dashboard-p2p-'))

  before(async () => {
    if (missing) throw new Error(`CI needs this test's prerequisite: ${missing}`)
    for (const [i, n] of lan.create(2).entries()) {
      const name = `host${i + 1}`
      const dir = join(root, name)
      const project = join(dir, 'project')
      mkdirSync(project, { recursive: true })
      // Host 1 asks before serving anyone; host 2 serves every holder of the secret.
      const mode = i === 0 ? 'notify-once' : 'auto-approve'
      writeFileSync(join(project, 'fabrik.toml'), `[cache]\ndir = ".fabrik/cache"\n\n[p2p]\nenabled = true\nsecret = "${SECRET}"\nconsent_mode = "${mode}"\nrequest_timeout = "3s"\n`)
      // No DBUS_SESSION_BUS_ADDRESS and no DISPLAY: no prompt is possible, so an unknown peer stays pending.
      const env = hostEnv(dir, name, `dash-machine-${name}-${lan.id}`)
      hosts.push({ ...n, name, project, env })
    }
  })

  after(async () => {
    try {
      for (const h of hosts) await fabrik(h, ['daemon', 'stop', '--all']).catch(() => undefined)
    } finally {
      lan.destroy()
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("Approve in Chromium changes host 1's consent for host 2, and host 2's next request is served", { timeout: 150_000 }, async (t) => {
    const [h1, h2] = hosts as [Host, Host]
    for (const h of hosts) {
      const r = await fabrik(h, ['daemon', 'start', '--json'])
      assert.equal(r.code, 0, r.stdout + r.stderr)
      h.http = parseJson<{ http_url: string }>(r).http_url
    }
    const id2 = h2.env.FABRIK_MACHINE_ID!
    const id1 = h1.env.FABRIK_MACHINE_ID!
    // A turbo artifact only host 1 holds.
    const artifact = `built on host 1 at ${Date.now()}`
    assert.equal((await request(h1, 'PUT', '/v8/artifacts/dash0001?slug=team', artifact)).status, 200)

    // Host 2 says Hello; host 1 cannot prompt, so host 2 waits in host 1's list as pending.
    let list: PeerJson[] = []
    await until('host 2 pending on host 1', async () => {
      list = await peers(h1)
      return list.some((p) => p.machine_id === id2 && p.consent === 'pending')
    }, 15_000).catch((e: Error) => assert.fail(`${e.message}: ${JSON.stringify(list)}`))
    assert.equal((await request(h2, 'GET', '/v8/artifacts/dash0001?slug=team')).status, 404, 'a pending peer is served nothing')

    const browser = await launchChromium(t, { netns: h1.ns })
    if (!browser) return
    t.after(() => browser.close())
    const opened = await fabrik(h1, ['dashboard', '--no-open', '--json'])
    assert.equal(opened.code, 0, opened.stdout + opened.stderr)
    const page = await (await browser.newContext()).newPage()
    const problems = consoleErrors(page)
    await page.goto(parseJson<{ url: string }>(opened).url)
    await page.locator('#status', { hasText: 'live' }).waitFor({ timeout: 10_000 })
    const row = page.locator('#peers tbody tr', { hasText: 'host2' })
    await row.locator('td', { hasText: /^pending$/ }).waitFor({ timeout: 10_000 })
    await row.locator('button', { hasText: 'Approve' }).click()
    await row.locator('td', { hasText: /^approved$/ }).waitFor({ timeout: 10_000 })

    // The daemon's own state, through the CLI that talks to it.
    const approved = (await peers(h1)).find((p) => p.machine_id === id2)
    assert.equal(approved?.consent, 'approved', JSON.stringify(approved))
    // Host 2 hears it with its next Hello, then asks host 1 on a miss and gets host 1's bytes.
    await until('host 2 hears that host 1 approved it', async () => (await peers(h2)).find((p) => p.machine_id === id1)?.their_consent === 'approved', 15_000)
    const served = await request(h2, 'GET', '/v8/artifacts/dash0001?slug=team')
    assert.equal(served.status, 200, served.body)
    assert.equal(served.body, artifact)

    const shot = artifactPath('dashboard-p2p-approved.png')
    await page.screenshot({ path: shot, fullPage: true })
    t.diagnostic(`screenshot: ${shot}`)
    assert.deepEqual(problems, [])
  })
})
