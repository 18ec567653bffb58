import type { TestContext } from 'node:test'
import { requireClient } from './clients.js'

// Debian's Chromium driven by playwright-core (its own browser download fails here). These flags keep it off
// the network: without them it tries Google's hosts at every start. Playwright gives each launch a fresh
// temporary profile (its own --user-data-dir), removed when the browser closes.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
]

export async function launchChromium(t: TestContext) {
  const path = requireClient(t, 'chromium')
  if (!path) return undefined
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true, timeout: 30_000 })
}
