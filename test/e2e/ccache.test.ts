import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { useProjectDaemon } from '../helpers/project.js'

function remoteHits(stats: string): number {
  const m = /Remote storage:[\s\S]*?Hits:\s+(\d+)/.exec(stats)
  return m ? Number(m[1]) : -1
}

describe('ccache 4.7 remote HTTP storage against the daemon', () => {
  const ctx = useProjectDaemon()

  for (const layout of ['subdirs', 'bazel', 'flat'] as const) {
    it(`gets a remote hit after the local cache is cleared (layout=${layout})`, async (t) => {
      const ccache = requireClient(t, 'ccache')
      if (!ccache || !requireClient(t, 'gcc')) return
      const dir = join(ctx.project.dir, `cc-${layout}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'hello.c'), `int fabrik_${layout}(void) { return 42; }\n`)
      const env = {
        ...ctx.project.env,
        CCACHE_DIR: join(dir, 'ccache-dir'),
        CCACHE_REMOTE_STORAGE: `${ctx.daemon.http_url}/ccache/${layout}|layout=${layout}`,
        CCACHE_NOHASHDIR: '1',
      }
      const compile = () => runCommand(ccache, ['gcc', '-c', 'hello.c', '-o', 'hello.o'], { cwd: dir, env })
      assert.equal((await compile()).code, 0)
      assert.equal((await runCommand(ccache, ['-C'], { cwd: dir, env })).code, 0)
      assert.equal((await runCommand(ccache, ['-z'], { cwd: dir, env })).code, 0)
      assert.equal((await compile()).code, 0)
      const stats = await runCommand(ccache, ['-s', '-v'], { cwd: dir, env })
      assert.equal(remoteHits(stats.stdout), 1, stats.stdout)
    })
  }
})
