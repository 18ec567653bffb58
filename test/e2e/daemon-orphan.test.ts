import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
// isAlive: a stopped daemon may stay a zombie for a moment until init reaps it, which counts as gone.
import { isAlive } from '../../src/io/process.js'
import { makeProject, type DaemonJson, type TestProject } from '../helpers/project.js'
import { until } from '../helpers/until.js'

// The daemon's own side of "a daemon nobody's config names stops" (src/daemon/orphan.ts, foreground.ts): no shell
// hook runs here, so no activation moves the project and stops the old daemon for it — the daemon must notice.

describe('a daemon no fabrik.toml names any more', () => {
  let project: TestProject
  let daemon: DaemonJson
  before(async () => {
    project = await makeProject('[cache]\ndir = ".fabrik/cache"\n')
    daemon = await project.startDaemon()
  })
  // `daemon stop --all` also ends the old daemon if it did not stop itself.
  after(async () => project.cleanup())

  it('stops itself within about 10 s of its fabrik.toml being rewritten to another configuration', async () => {
    assert.ok(isAlive(daemon.pid))
    // At once, as an editor saving right after `daemon start` would: the daemon's first check comes later.
    writeFileSync(join(project.dir, 'fabrik.toml'), '[cache]\ndir = ".fabrik/other-cache"\n')
    // The watch checks every 5 s; one interval, the drain and a loaded CI machine fit in 12 s.
    await until(`daemon ${daemon.pid} to exit`, () => !isAlive(daemon.pid), 12_000)
    assert.match(readFileSync(daemon.log_file, 'utf8'), /no fabrik\.toml names this daemon any more/)
  })

  it('a daemon whose fabrik.toml still names it keeps running', async () => {
    // The same configuration with a comment: the effective config, hence the daemon, is the same.
    const fresh = await project.startDaemon()
    assert.notEqual(fresh.pid, daemon.pid)
    writeFileSync(join(project.dir, 'fabrik.toml'), '# a comment\n[cache]\ndir = ".fabrik/other-cache"\n')
    await new Promise((resolve) => setTimeout(resolve, 11_000))
    assert.ok(isAlive(fresh.pid), 'still serving after two checks')
  })
})
