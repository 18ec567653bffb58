import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand } from '../helpers/cli.js'
import { counter } from '../helpers/http.js'
import { useProjectDaemon } from '../helpers/project.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))

function workspace(root: string, signature: boolean): void {
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: 'turbo-ws', private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: 'turbo-ws', lockfileVersion: 3, requires: true, packages: { '': { name: 'turbo-ws', workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } }, ...(signature ? { remoteCache: { signature: true } } : {}) }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    'packages/app/build.js': "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built '+Date.now());console.log('BUILD RAN')\n",
  })
  gitCommitAll(root)
}

for (const signature of [false, true]) {
  describe(`turbo 2 against the daemon (signatures ${signature ? 'on' : 'off'})`, () => {
    const ctx = useProjectDaemon()

    it('misses and uploads on the first run, then replays from the remote cache with FULL TURBO', async () => {
      const ws = join(ctx.project.dir, 'ws')
      workspace(ws, signature)
      const env = {
        ...ctx.project.env,
        TURBO_API: ctx.daemon.http_url,
        TURBO_TEAM: 'fabrik-local',
        TURBO_TOKEN: 'local-token',
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        TURBO_NO_UPDATE_NOTIFIER: '1',
        TURBO_UI: 'false',
        ...(signature ? { TURBO_REMOTE_CACHE_SIGNATURE_KEY: 'a-test-signing-key' } : {}),
      }
      const first = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
      assert.equal(first.code, 0, first.stdout + first.stderr)
      assert.match(first.stdout, /BUILD RAN/)
      assert.ok((await counter(ctx.daemon.http_url, 'fabrik_requests_total', { tool: 'turbo', outcome: 'stored' })) >= 1, 'artifact uploaded')

      // Remove every local trace so only the daemon can provide the hit.
      rmSync(join(ws, '.turbo'), { recursive: true, force: true })
      rmSync(join(ws, 'node_modules'), { recursive: true, force: true })
      rmSync(join(ws, 'packages/app/dist'), { recursive: true, force: true })
      const second = await runCommand(TURBO, ['run', 'build', '--output-logs=full'], { cwd: ws, env })
      assert.equal(second.code, 0, second.stdout + second.stderr)
      assert.match(second.stdout, /FULL TURBO/)
      assert.match(second.stdout, /remote cache hit|cache hit, replaying/i)
      assert.ok((await counter(ctx.daemon.http_url, 'fabrik_cache_hits_total', { tool: 'turbo' })) >= 1)
    })
  })
}
