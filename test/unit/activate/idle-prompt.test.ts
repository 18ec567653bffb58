import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { activationScript } from '../../../src/activate/hooks.js'
import { quote } from '../../../src/activate/shell.js'
import { renderWatch } from '../../../src/activate/watch.js'
import { requireClient } from '../../helpers/clients.js'

// The bash hook's promise: a prompt where nothing changed spawns no process; a changed fabrik.toml spawns exactly
// one `fabrik hook-env --watch`. The real activation script runs in a real interactive bash fed through a pipe
// (bash -i still runs PROMPT_COMMAND before reading each line, so every line is a prompt). `fabrik` first on PATH
// is a stub that logs each call and answers hook-env with the real watch lists (renderWatch); like makeStamp, it
// leaves the stamp no older than fabrik.toml, so only a later edit makes the file newer than the stamp.

function runBash(bash: string, script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bash, ['--norc', '--noprofile', '-i'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', (err) => (clearTimeout(timer), reject(err)))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
    child.stdin.end(script)
  })
}

/** The log's lines between two markers the script wrote into it. */
function between(lines: string[], from: string, to: string): string[] {
  const start = lines.indexOf(from)
  const end = lines.indexOf(to)
  assert.ok(start >= 0 && end > start, `markers ${from}..${to} in ${lines.join(' | ')}`)
  return lines.slice(start + 1, end)
}

describe('bash hook: idle prompts spawn nothing', { timeout: 60_000 }, () => {
  it('20 idle prompts run no fabrik after the first activation; touching fabrik.toml runs exactly one hook-env --watch', async (t) => {
    const bash = requireClient(t, 'bash')
    if (!bash) return
    const root = mkdtempSync(join(tmpdir(), 'fabrik-idle-prompt-'))
    try {
      const project = join(root, 'project')
      const bin = join(root, 'bin')
      mkdirSync(project)
      mkdirSync(bin)
      mkdirSync(join(root, 'home'))
      const toml = join(project, 'fabrik.toml')
      writeFileSync(toml, '[cache]\n')
      const stamp = join(root, 'stamp')
      const log = join(root, 'log')
      const watch = join(root, 'watch.sh')
      writeFileSync(watch, renderWatch('bash', { present: [toml], absent: [join(project, 'never-created')] }, stamp))
      writeFileSync(log, '')
      writeFileSync(
        join(bin, 'fabrik'),
        [
          '#!/bin/sh',
          `echo "fabrik $*" >> ${quote('bash', log)}`,
          `if [ "$1" = hook-env ]; then touch -r ${quote('bash', toml)} ${quote('bash', stamp)}; cat ${quote('bash', watch)}; fi`,
          '',
        ].join('\n'),
      )
      chmodSync(join(bin, 'fabrik'), 0o755)
      const activation = join(root, 'activate.bash')
      writeFileSync(activation, activationScript('bash'))

      const mark = (m: string) => `echo ${m} >> ${quote('bash', log)}`
      const idle = Array.from({ length: 20 }, () => ':')
      const script = [
        // Each prompt also logs "prompt", to prove the 20 idle lines really were 20 prompts with the hook armed.
        `PROMPT_COMMAND=${quote('bash', `echo prompt >> ${quote('bash', log)}`)}`,
        `source ${quote('bash', activation)}`,
        mark('M-idle'),
        ...idle,
        mark('M-touch'),
        `touch ${quote('bash', toml)}`,
        ...idle,
        mark('M-end'),
        'exit',
        '',
      ].join('\n')
      const env: NodeJS.ProcessEnv = { PATH: `${bin}:${process.env.PATH}`, HOME: join(root, 'home'), TERM: 'dumb' }
      const r = await runBash(bash, script, project, env)
      assert.equal(r.code, 0, r.output)

      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean)
      const calls = (xs: string[]) => xs.filter((l) => l.startsWith('fabrik '))
      const prompts = (xs: string[]) => xs.filter((l) => l === 'prompt').length
      assert.deepEqual(calls(lines.slice(0, lines.indexOf('M-idle'))), ['fabrik hook-env --shell bash'], 'sourcing the hook activates once')
      const idleRun = between(lines, 'M-idle', 'M-touch')
      assert.ok(prompts(idleRun) >= 20, `20 prompts fired the hook: ${idleRun.join(' | ')}`)
      assert.deepEqual(calls(idleRun), [], 'idle prompts spawn nothing')
      const afterTouch = between(lines, 'M-touch', 'M-end')
      assert.ok(prompts(afterTouch) >= 20, `prompts after the touch: ${afterTouch.join(' | ')}`)
      assert.deepEqual(calls(afterTouch), ['fabrik hook-env --shell bash --watch'], 'a touched fabrik.toml spawns exactly one hook-env')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
