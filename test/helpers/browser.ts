import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { requireClient } from './clients.js'

// Debian's Chromium driven by playwright-core (its own browser download fails here). These flags keep it off
// the network: without them it tries Google's hosts at every start. Playwright gives each launch a fresh
// temporary profile (its own --user-data-dir), removed when the browser closes.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
]

/**
 * Launches Chromium, or skips (fails under CI) when it is missing. With `netns`, Chromium runs inside that network
 * namespace, so it reaches a daemon listening on the namespace's own 127.0.0.1 (the dashboard's Host rule accepts
 * loopback names only). Playwright talks to Chromium over a pipe (--remote-debugging-pipe), not a socket, so a
 * wrapper that `exec`s `ip netns exec <ns> chromium` keeps the pipe's descriptors and the pid Playwright waits on.
 */
export async function launchChromium(t: TestContext, o: { netns?: string } = {}): Promise<Browser | undefined> {
  const path = requireClient(t, 'chromium')
  if (!path) return undefined
  const { chromium } = await import('playwright-core')
  let executablePath = '/usr/bin/chromium'
  let wrapperDir: string | undefined
  if (o.netns !== undefined) {
    wrapperDir = mkdtempSync(join(tmpdir(), 'fabrik-chromium-ns-'))
    executablePath = join(wrapperDir, 'chromium')
    writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec '${o.netns}' /usr/bin/chromium "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  const removeWrapper = () => {
    if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true })
  }
  try {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 })
    browser.on('disconnected', removeWrapper)
    return browser
  } catch (err) {
    removeWrapper()
    throw err
  }
}

/** Collects the page's console errors and uncaught exceptions; the returned array fills as they happen. */
export function consoleErrors(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
  return problems
}
