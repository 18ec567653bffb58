import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { artifactPath } from '../helpers/artifacts.js'
import { consoleErrors, launchChromium } from '../helpers/browser.js'
import { parseJson, runCommand } from '../helpers/cli.js'
import { skipOrFail } from '../helpers/clients.js'
import { useProjectDaemon } from '../helpers/project.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'

// The dashboard of a daemon started by the CLI, opened from the URL `fabrik dashboard` prints, while a real
// turbo build runs against that daemon: the page's counts move during the build, and the rebuild's hits and the
// time turbo reported saving show up, with no console error.

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const PACKAGES = ['a', 'b', 'c', 'd']

/**
 * A chain d → c → b → a: turbo 2 looks every task up at the start, then runs them one after another and uploads
 * each output as its task ends, so the daemon's counts grow over the whole build.
 */
function workspace(root: string): void {
  const files: Record<string, string> = {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'dash-ws', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({
      name: 'dash-ws', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: 'dash-ws', workspaces: ['packages/*'] },
        ...Object.fromEntries(PACKAGES.flatMap((p) => [[`packages/${p}`, { name: p }], [`node_modules/${p}`, { resolved: `packages/${p}`, link: true }]])),
      },
    }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { dependsOn: ['^build'], outputs: ['dist/**'] } } }),
  }
  PACKAGES.forEach((p, i) => {
    const dep = PACKAGES[i - 1]
    files[`packages/${p}/package.json`] = JSON.stringify({ name: p, scripts: { build: 'node build.js' }, ...(dep ? { dependencies: { [dep]: '*' } } : {}) })
    // Each task takes a while, so the build spans several of the page's one-second updates.
    files[`packages/${p}/build.js`] = "setTimeout(()=>{require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built');console.log('BUILD RAN')},1200)\n"
  })
  writeTree(root, files)
  gitCommitAll(root)
}

/** The turbo row of the page's tools table, as cell texts (tool, requests, hits, misses, errors, rate, served, saved). */
async function turboRow(page: Page): Promise<string[] | undefined> {
  const row = page.locator('#tools tbody tr', { hasText: 'turbo' })
  if ((await row.count()) === 0) return undefined
  return row.locator('td').allTextContents()
}

describe('the dashboard of a real daemon while turbo builds', () => {
  const ctx = useProjectDaemon()

  it('counts change during the build; the rebuild shows its hits and the time saved; no console errors', { timeout: 150_000 }, async (t) => {
    if (!existsSync(TURBO)) return skipOrFail(t, `turbo is not installed at ${TURBO} (npm ci installs it)`)
    const browser = await launchChromium(t)
    if (!browser) return
    t.after(() => browser.close())
    const ws = join(ctx.project.dir, 'ws')
    workspace(ws)
    const env = {
      ...ctx.project.env,
      TURBO_API: ctx.daemon.http_url, TURBO_TEAM: 'fabrik-local', TURBO_TOKEN: 'local-token',
      TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_UI: 'false',
    }

    const opened = await ctx.project.cli(['dashboard', '--no-open', '--json'])
    assert.equal(opened.code, 0, opened.stdout + opened.stderr)
    const { url } = parseJson<{ url: string }>(opened)
    assert.ok(url.startsWith(`${ctx.daemon.http_url}/_fabrik/dashboard?token=`), url)

    const page = await (await browser.newContext()).newPage()
    const problems = consoleErrors(page)
    await page.goto(url)
    await page.locator('#status', { hasText: 'live' }).waitFor({ timeout: 10_000 })
    assert.equal(await page.locator('#requests').textContent(), '0')

    // The first build: sample the page while turbo runs.
    let done = false
    const first = runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env, timeoutMs: 90_000 }).finally(() => (done = true))
    const during: string[] = []
    while (!done) {
      const n = (await page.locator('#requests').textContent()) ?? ''
      if (!done && during.at(-1) !== n) during.push(n)
      await page.waitForTimeout(100)
    }
    const built = await first
    assert.equal(built.code, 0, built.stdout + built.stderr)
    assert.equal(built.stdout.match(/BUILD RAN/g)?.length, PACKAGES.length, built.stdout)
    const moving = during.filter((n) => Number(n) > 0)
    assert.ok(moving.length >= 2, `the request count changed while turbo ran (values seen: ${during.join(', ')})`)

    // After the build: every task missed once; the page settles on the daemon's figures.
    await page.waitForFunction((n) => {
      const row = [...document.querySelectorAll('#tools tbody tr')].find((r) => r.firstChild?.textContent === 'turbo')
      return row?.children[3]?.textContent === String(n)
    }, PACKAGES.length, { timeout: 5000 })
    const afterFirst = await turboRow(page)
    assert.equal(afterFirst?.[2], '0', `no hits on a cold build: ${afterFirst?.join(' | ')}`)
    const requestsAfterFirst = Number(await page.locator('#requests').textContent())
    assert.ok(requestsAfterFirst >= Number(moving.at(-1)), `${requestsAfterFirst} after ${moving.join(', ')}`)

    // The rebuild, with every local trace gone: only the daemon can answer, and the page shows it did.
    rmSync(join(ws, '.turbo'), { recursive: true, force: true })
    rmSync(join(ws, 'node_modules'), { recursive: true, force: true })
    for (const p of PACKAGES) rmSync(join(ws, 'packages', p, 'dist'), { recursive: true, force: true })
    const rebuilt = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env, timeoutMs: 90_000 })
    assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr)
    assert.match(rebuilt.stdout, /FULL TURBO/, rebuilt.stdout)
    await page.waitForFunction((n) => {
      const row = [...document.querySelectorAll('#tools tbody tr')].find((r) => r.firstChild?.textContent === 'turbo')
      return Number(row?.children[2]?.textContent) >= n
    }, PACKAGES.length, { timeout: 5000 })
    const afterRebuild = await turboRow(page)
    assert.equal(afterRebuild?.[3], String(PACKAGES.length), `the rebuild missed nothing: ${afterRebuild?.join(' | ')}`)
    assert.ok(Number(await page.locator('#requests').textContent()) > requestsAfterFirst)
    // turbo reported each task's duration with its upload (x-artifact-duration, ≥ 1.2 s each): a hit saves it.
    assert.match(afterRebuild?.[7] ?? '', /^\d+(\.\d)? s$|^\d+m \d+s$/, `time saved: ${afterRebuild?.join(' | ')}`)
    assert.match((await page.locator('#saved').textContent()) ?? '', /\d/)
    await page.locator('#hit-rate', { hasText: '%' }).waitFor({ timeout: 5000 })
    await page.locator('#recent tbody tr', { hasText: 'turbo' }).first().waitFor({ timeout: 5000 })

    const shot = artifactPath('dashboard-live-turbo.png')
    await page.screenshot({ path: shot, fullPage: true })
    t.diagnostic(`screenshot: ${shot}`)
    assert.deepEqual(problems, [])
  })
})
