import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { runCommand } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { counter } from '../helpers/http.js'
import { useProjectDaemon } from '../helpers/project.js'
import { writeTree } from '../helpers/workspace.js'

describe('Gradle 4.4.1 HTTP build cache against the daemon', () => {
  const ctx = useProjectDaemon()

  it('pushes compileJava outputs, then a clean build takes them FROM-CACHE', async (t) => {
    const gradle = requireClient(t, 'gradle')
    if (!gradle) return
    const ws = join(ctx.project.dir, 'gradle-ws')
    writeTree(ws, {
      // Local cache off: the only way to FROM-CACHE is the ctx.daemon.
      'settings.gradle': `rootProject.name = 'demo'\nbuildCache {\n  local { enabled = false }\n  remote(HttpBuildCache) {\n    url = '${ctx.daemon.http_url}/cache/'\n    push = true\n  }\n}\n`,
      'build.gradle': "apply plugin: 'java'\n",
      'src/main/java/demo/Hello.java': 'package demo;\npublic class Hello { public static String hi() { return "hi"; } }\n',
    })
    const args = ['--no-daemon', '--build-cache', '--console=plain', '-g', join(ctx.project.dir, 'gradle-home')]
    const first = await runCommand(gradle, [...args, 'compileJava'], { cwd: ws, env: ctx.project.env, timeoutMs: 300_000 })
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_requests_total', { tool: 'gradle', outcome: 'stored' })) >= 1, 'entry pushed')
    const second = await runCommand(gradle, [...args, 'clean', 'compileJava'], { cwd: ws, env: ctx.project.env, timeoutMs: 300_000 })
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /compileJava FROM-CACHE/)
    assert.ok((await counter(ctx.daemon.http_url, 'fabrik_cache_hits_total', { tool: 'gradle' })) >= 1)
  })
})
