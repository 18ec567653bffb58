import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trust, trustFile, trustState } from '../../../src/activate/trust.js'
import { contentHash } from '../../../src/daemon/identity.js'

// `fabrik trust` and `init` pass process.env; the shell hook passes a copy (restoreOriginal). Both must name the
// same trusted.json on every platform, or the hook never activates a project the user trusted (issue 12, macOS).

const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform')
function stubPlatform(platform: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true, enumerable: true })
}

describe('the trust file', () => {
  let root: string
  let saved: { HOME?: string; XDG_DATA_HOME?: string; LOCALAPPDATA?: string }
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'fabrik-trust-'))
  })
  after(() => rmSync(root, { recursive: true, force: true }))
  beforeEach(() => {
    // process.env is pointed at a temp home, so nothing here can touch the real user's data dir.
    saved = { HOME: process.env.HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME, LOCALAPPDATA: process.env.LOCALAPPDATA }
    process.env.HOME = join(root, 'home')
    delete process.env.XDG_DATA_HOME
    delete process.env.LOCALAPPDATA
  })
  afterEach(() => {
    if (realPlatform) Object.defineProperty(process, 'platform', realPlatform)
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  for (const [platform, expected] of [
    ['darwin', ['Library', 'Application Support', 'fabrik', 'trusted.json']],
    ['linux', ['.local', 'share', 'fabrik', 'trusted.json']],
    ['win32', ['AppData', 'Local', 'fabrik', 'Data', 'trusted.json']],
  ] as const) {
    it(`on ${platform}, process.env and a copy of it name the same file, under the env's HOME`, () => {
      stubPlatform(platform)
      const home = join(root, 'home')
      assert.equal(trustFile(process.env), join(home, ...expected))
      assert.equal(trustFile({ ...process.env }), join(home, ...expected))
    })
  }

  it('on macOS, what `fabrik trust` records (process.env) the hook (a copied env) reads as trusted', () => {
    stubPlatform('darwin')
    const config = join(root, 'project', 'fabrik.toml')
    const bytes = Buffer.from('[cache]\n')
    trust(config, bytes)
    assert.ok(existsSync(join(root, 'home', 'Library', 'Application Support', 'fabrik', 'trusted.json')))
    assert.equal(trustState(config, contentHash(bytes), { ...process.env }), 'trusted')
  })

  it('XDG_DATA_HOME wins on every platform; LOCALAPPDATA is honoured on Windows', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      stubPlatform(platform)
      assert.equal(trustFile({ HOME: '/h', XDG_DATA_HOME: '/x' }), join('/x', 'fabrik', 'trusted.json'))
    }
    stubPlatform('win32')
    assert.equal(trustFile({ HOME: '/h', LOCALAPPDATA: '/l' }), join('/l', 'fabrik', 'Data', 'trusted.json'))
  })
})
