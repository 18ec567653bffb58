import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { runCommand } from '../helpers/cli.js'
import { counter } from '../helpers/http.js'
import { useProjectDaemon } from '../helpers/project.js'
import { writeTree } from '../helpers/workspace.js'

const NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url))

describe('Nx self-hosted remote cache against the daemon', () => {
  const ctx = useProjectDaemon()

  it('stores the output on the first run and restores it from the daemon after `nx reset`', async () => {
    const ws = join(ctx.project.dir, 'ws')
    writeTree(ws, {
      // Without it Nx hashes the previous run's dist/ as an input and the second run gets a new hash.
      '.gitignore': 'dist\n.nx\nnode_modules\n',
      'package.json': JSON.stringify({ name: 'nx-ws', private: true }),
      'nx.json': JSON.stringify({ targetDefaults: { build: { cache: true } } }),
      'packages/a/project.json': JSON.stringify({
        name: 'a',
        root: 'packages/a',
        targets: { build: { command: 'node build.js', options: { cwd: 'packages/a' }, outputs: ['{projectRoot}/dist'], cache: true } },
      }),
      'packages/a/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/o.txt','built');console.log('NX BUILD RAN')\n",
    })
    symlinkSync(NODE_MODULES, join(ws, 'node_modules'))
    const nx = join(NODE_MODULES, '.bin', 'nx')
    const env = {
      ...ctx.project.env,
      NX_NO_CLOUD: 'true',
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: ctx.daemon.http_url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'local-token',
    }
    const first = await runCommand(nx, ['run', 'a:build'], { cwd: ws, env })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.match(first.stdout, /NX BUILD RAN/)
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_requests_total', { tool: 'nx', outcome: 'stored' })) >= 1, 'output uploaded')

    const reset = await runCommand(nx, ['reset'], { cwd: ws, env })
    assert.equal(reset.code, 0, reset.stdout + reset.stderr)
    rmSync(join(ws, 'packages/a/dist'), { recursive: true, force: true })
    const second = await runCommand(nx, ['run', 'a:build'], { cwd: ws, env })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    // Nx colours its output when CI=true, whatever the terminal.
    const out = stripVTControlCharacters(second.stdout)
    assert.match(out, /nx run a:build {2}\[remote cache\]/)
    assert.match(out, /Cache:\s+1\/1 hit/)
    assert.equal(readFileSync(join(ws, 'packages/a/dist/o.txt'), 'utf8'), 'built', 'output restored from the daemon')
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_cache_hits_total', { tool: 'nx' })) >= 1)
  })
})
