import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { createHttpApp } from '../../src/http/app.js'
import { createMetrics } from '../../src/metrics/metrics.js'
import { MemoryStore } from '../../src/store/memory.js'
import { StatsRecorder } from '../../src/stats/recorder.js'
import type { PeersProvider, PeerView } from '../../src/stats/types.js'
import { artifactPath } from '../helpers/artifacts.js'
import { consoleErrors, launchChromium } from '../helpers/browser.js'
import { http } from '../helpers/http.js'

// The dashboard in a real headless Chromium: it loads without console errors, its counts move while requests
// run, its Approve button changes the (fake) P2P layer's consent state — and a page from another origin in the
// same browser, with the dashboard's cookie already set, can neither read its data nor press its buttons.

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv'

class FakePeers implements PeersProvider {
  peers: PeerView[] = [{ id: 'peer-1', name: 'alice-laptop', address: '10.1.2.3:7071', consent: 'pending' }]
  decisions: string[] = []
  list() {
    return this.peers.map((p) => ({ ...p }))
  }
  async decide(id: string, decision: 'approve' | 'deny') {
    this.decisions.push(`${id}:${decision}`)
    const p = this.peers.find((x) => x.id === id)
    if (!p) throw Object.assign(new Error('no such peer'), { statusCode: 404 })
    p.consent = decision === 'approve' ? 'approved' : 'denied'
  }
}

describe('the local dashboard', () => {
  let app: FastifyInstance
  let base: string
  let port: number
  const peers = new FakePeers()
  const stats = new StatsRecorder({ retentionMs: 86_400_000 })

  before(async () => {
    const metrics = createMetrics({ defaultMetrics: false, tap: (o) => stats.observe(o) })
    app = await createHttpApp({
      store: new MemoryStore(),
      metrics,
      logger: false,
      maxBlobBytes: 1024 * 1024,
      dashboard: { token: TOKEN, stats, peers, health: async () => ({ peers: peers.list() }), intervalMs: 200 },
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    port = (app.server.address() as AddressInfo).port
    base = `http://127.0.0.1:${port}`
  })
  after(async () => app.close())

  it('refuses requests without the cookie, with a foreign Host or Origin, and a wrong token', async () => {
    assert.equal((await http('GET', `${base}/_fabrik/dashboard`)).status, 401)
    assert.equal((await http('GET', `${base}/_fabrik/dashboard?token=wrong`)).status, 401)
    const ok = await http('GET', `${base}/_fabrik/dashboard?token=${TOKEN}`)
    assert.equal(ok.status, 303)
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!
    assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict; Path=\/_fabrik/)
    assert.equal((await http('GET', `${base}/_fabrik/api/state`, undefined, { cookie })).status, 200)
    assert.equal((await http('GET', `${base}/_fabrik/api/state`)).status, 401)
    assert.equal((await http('GET', `${base}/_fabrik/api/state`, undefined, { cookie, host: `localhost:${port + 1}` })).status, 403)
    assert.equal((await http('GET', `${base}/_fabrik/api/state`, undefined, { cookie, origin: 'http://127.0.0.1:1' })).status, 403)
    assert.equal((await http('GET', `${base}/_fabrik/api/state`, undefined, { cookie, 'sec-fetch-site': 'same-site' })).status, 403)
    const post = (headers: Record<string, string>) => http('POST', `${base}/_fabrik/api/peers/peer-1/approve`, '{}', { 'content-type': 'application/json', ...headers })
    assert.equal((await post({ cookie })).status, 403, 'a POST without Origin is refused')
    assert.equal((await post({ cookie, origin: 'http://127.0.0.1:1' })).status, 403)
    assert.equal((await post({ origin: base })).status, 401)
    assert.deepEqual(peers.decisions, [])
  })

  it('in Chromium: loads cleanly, counts live, Approve works; another origin can neither read nor press', async (t) => {
    const browser = await launchChromium(t)
    if (!browser) return
    // The other origin: a page on another 127.0.0.1 port that tries everything a page can do without CORS.
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<!doctype html><body><form id=f method=POST action="${base}/_fabrik/api/peers/peer-1/approve" target=sink enctype="text/plain"><input name=a value=b></form>
<iframe name=sink></iframe><script>
window.results = {};
(async () => {
  try { const r = await fetch('${base}/_fabrik/api/state', { credentials: 'include' }); window.results.read = 'status ' + r.status + ' ' + (await r.text()).slice(0, 40); }
  catch (e) { window.results.read = 'blocked'; }
  try { await fetch('${base}/_fabrik/api/peers/peer-1/approve', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }); window.results.post = 'sent'; }
  catch (e) { window.results.post = 'blocked'; }
  try { await fetch('${base}/_fabrik/api/peers/peer-1/approve', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }); window.results.json = 'sent'; }
  catch (e) { window.results.json = 'blocked'; }
  window.results.sse = await new Promise((resolve) => {
    const es = new EventSource('${base}/_fabrik/api/events', { withCredentials: true });
    es.onmessage = () => { es.close(); resolve('read'); };
    es.onerror = () => { es.close(); resolve('blocked'); };
  });
  document.getElementById('f').submit();
  setTimeout(() => { window.results.done = true; }, 500);
})();
</script></body>`)
    })
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`
    t.after(async () => {
      await browser.close()
      await new Promise((resolve) => evil.close(resolve))
    })

    const context = await browser.newContext()
    const page = await context.newPage()
    const problems = consoleErrors(page)
    await page.goto(`${base}/_fabrik/dashboard?token=${TOKEN}`)
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar')
    await page.locator('#status', { hasText: 'live' }).waitFor({ timeout: 10_000 })

    // Requests while the page is open: its request count follows.
    const before = Number(await page.locator('#requests').textContent())
    let running = true
    const load = (async () => {
      let i = 0
      await http('PUT', `${base}/v8/artifacts/h0?slug=team`, 'artifact', { 'x-artifact-duration': '2500' })
      while (running) {
        await http('GET', `${base}/v8/artifacts/h${i++ % 2}?slug=team`)
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    const seen = new Set<string>()
    const deadline = Date.now() + 10_000
    while (seen.size < 3 && Date.now() < deadline) {
      seen.add((await page.locator('#requests').textContent()) ?? '')
      await page.waitForTimeout(250)
    }
    running = false
    await load
    assert.ok(seen.size >= 3, `the count changed while requests ran: ${[...seen].join(', ')}`)
    await page.locator('#tools tbody tr', { hasText: 'turbo' }).waitFor()
    assert.ok(Number(await page.locator('#requests').textContent()) > before)
    await page.locator('#saved', { hasText: /\d/ }).waitFor()
    await page.locator('#recent tbody tr').first().waitFor()

    // The other origin, in the same browser, with the dashboard's cookie set.
    const other = await context.newPage()
    await other.goto(evilUrl)
    await other.waitForFunction(() => (window as unknown as { results: { done?: boolean } }).results.done === true, undefined, { timeout: 10_000 })
    const results = await other.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results)
    assert.equal(results.read, 'blocked', JSON.stringify(results))
    assert.equal(results.json, 'blocked', JSON.stringify(results))
    assert.equal(results.sse, 'blocked', JSON.stringify(results))
    await other.waitForTimeout(300)
    assert.deepEqual(peers.decisions, [], 'no button was pressed from another origin')
    assert.equal(peers.peers[0]?.consent, 'pending')
    await other.close()

    // The pending peer's Approve button changes the consent state.
    const row = page.locator('#peers tbody tr', { hasText: 'alice-laptop' })
    await row.locator('td', { hasText: 'pending' }).waitFor()
    await row.locator('button', { hasText: 'Approve' }).click()
    await row.locator('td', { hasText: 'approved' }).waitFor({ timeout: 5000 })
    assert.deepEqual(peers.decisions, ['peer-1:approve'])

    const shot = artifactPath('dashboard-in-process.png')
    await page.screenshot({ path: shot, fullPage: true })
    t.diagnostic(`screenshot: ${shot}`)
    console.log(`dashboard screenshot: ${shot}`)
    assert.deepEqual(problems, [])
  })
})
