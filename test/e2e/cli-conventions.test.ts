import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { flat, parseJson, type CliResult } from '../helpers/cli.js'
import { requireClient } from '../helpers/clients.js'
import { makeProject, type TestProject } from '../helpers/project.js'

// The CLI acts like a well-made one (issue 12): each message a newcomer met, and its exit code (docs/cli.md).

describe('CLI conventions: messages and exit codes', () => {
  let project: TestProject
  before(async () => {
    project = await makeProject('[build_systems]\nenabled = ["turborepo"]\n')
  })
  after(async () => project.cleanup())
  const cli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> => project.cli(args, env ? { env } : {})

  it('an unknown command exits 64 and suggests the nearest one', async () => {
    const typo = await cli(['daemon', 'stauts'])
    assert.equal(typo.code, 64)
    assert.match(flat(typo.stderr), /"daemon stauts" is not a fabrik command\. Did you mean "daemon status"\?/)
    const bare = await cli(['status'])
    assert.equal(bare.code, 64)
    assert.match(flat(bare.stderr), /Did you mean [^?]*"daemon status"/)
    assert.match(flat((await cli(['stauts'])).stderr), /Did you mean .*"daemon status"/)
  })

  it('help for an unknown command is the same usage error: exit 64 and the nearest command', async () => {
    for (const args of [['help', 'daemon', 'stauts'], ['daemon', 'stauts', '--help']]) {
      const r = await cli(args)
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`)
      assert.match(flat(r.stderr), /"daemon stauts" is not a fabrik command\. Did you mean "daemon status"\?/)
      assert.equal(r.stdout, '')
    }
    const top = await cli(['help', 'stauts'])
    assert.equal(top.code, 64)
    assert.match(flat(top.stderr), /"stauts" is not a fabrik command\. Did you mean .*"daemon status"/)
  })

  it('an unknown flag exits 64, suggests the nearest flag, and does not dump the usage', async () => {
    const r = await cli(['daemon', 'stop', '--al'])
    assert.equal(r.code, 64)
    assert.match(flat(r.stderr), /USAGE: unknown flag --al — did you mean --all\?/)
    assert.match(flat(r.stderr), /Run `fabrik daemon stop --help`/)
    assert.doesNotMatch(r.stderr, /--config-p2p-secret/)
    assert.equal((await cli(['activate', 'tcsh'])).code, 64, 'a value outside a fixed set is a usage error too')
  })

  it('-h, -v, version and help <cmd> work', async () => {
    const h = await cli(['-h'])
    assert.equal(h.code, 0)
    assert.match(h.stdout, /USAGE\n {2}\$ fabrik \[COMMAND\]/)
    const v = await cli(['-v'])
    assert.equal(v.code, 0)
    assert.match(v.stdout, /^fabrik\/\d+\.\d+\.\d+ \S+ node-v\d+/)
    assert.equal((await cli(['version'])).stdout, v.stdout)
    assert.equal((await cli(['--version'])).stdout, v.stdout)
    const help = await cli(['help', 'daemon'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /daemon restart/)
    const cmd = await cli(['help', 'daemon', 'stop'])
    assert.match(cmd.stdout, /Stop this project's daemon/)
  })

  it("a command's help shows its own flags first: the usage line ends with [CONFIG FLAGS], which are grouped after FLAGS", async () => {
    const r = await cli(['daemon', 'stop', '--help'])
    assert.match(r.stdout, /\$ fabrik daemon stop \[--json\] \[--all\] \[--flush\] \[--flush-timeout\s+<value>\] \[CONFIG FLAGS\]\n/)
    const flags = r.stdout.indexOf('\nFLAGS\n')
    const config = r.stdout.indexOf('\nCONFIG FLAGS\n')
    assert.ok(flags > 0 && config > flags, r.stdout)
  })

  it('config errors name the file and line and suggest the nearest valid value', async () => {
    const dir = join(project.dir, '..', 'badconf')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'fabrik.toml'), '# tools\n[build_systems]\nenabled = ["turbo"]\n')
    const r = await project.cli(['config', 'validate'], { cwd: dir })
    assert.equal(r.code, 78)
    assert.match(flat(r.stderr), new RegExp(`${dir}/fabrik\\.toml:3: build_systems\\.enabled: expected an array of .* got "turbo" \\(did you mean "turborepo"\\?\\)`))
  })

  it('daemon status with nothing running is a status (exit 0); start says where the cache is and what next; list has a header, uptime and cache size', async () => {
    const status = await cli(['daemon', 'status'])
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /^Not running: daemon [0-9a-f]{16} for .*fabrik\.toml\n.*fabrik daemon start/)
    assert.equal(parseJson<{ running: boolean }>(await cli(['daemon', 'status', '--json'])).running, false)

    const start = await cli(['daemon', 'start'])
    assert.equal(start.code, 0, start.stderr)
    assert.match(start.stdout, new RegExp(`^ {2}cache ${project.dir}/\\.fabrik/cache$`, 'm'))
    assert.match(start.stdout, /^Next: .*fabrik exec -- <build command>/m)

    const list = await cli(['daemon', 'list'])
    const [header, row] = list.stdout.split('\n')
    assert.match(header ?? '', /^ID\s+PID\s+UPTIME\s+CACHE\s+HTTP\s+CONFIG$/)
    assert.match(row ?? '', /^[0-9a-f]{16}\s+\d+\s+\d+s\s+\d+(\.\d)? (B|KiB|MiB)\s+http:\/\/127\.0\.0\.1:\d+\s+\//)
    const json = parseJson<{ daemons: { uptime_s: number; cache_bytes: number }[] }>(await cli(['daemon', 'list', '--json']))
    assert.equal(typeof json.daemons[0]?.uptime_s, 'number')
    assert.equal(typeof json.daemons[0]?.cache_bytes, 'number')
    await cli(['daemon', 'stop'])
  })

  it('deactivate says what it did on stderr, and prints only shell code on stdout', async () => {
    const r = await cli(['deactivate', '--shell', 'bash'])
    assert.equal(r.code, 0)
    assert.match(r.stderr, /^fabrik: deactivated: no project was active; hook removed from this shell$/m)
    assert.match(r.stdout, /unset -f __fabrik_hook fabrik/)
  })

  it('a typed command acts on an untrusted file and says so in one line', async () => {
    const untrusted = await makeProject('[build_systems]\nenabled = ["nx"]\n', { trusted: false })
    try {
      const oneNote = (r: CliResult, what: string) => {
        assert.equal(r.code, 0, `${what}: ${r.stderr}`)
        const notes = r.stderr.split('\n').filter((l) => l.startsWith('fabrik: note:'))
        assert.equal(notes.length, 1, `${what}: ${r.stderr}`)
        assert.match(notes[0] as string, /fabrik\.toml is not trusted yet; used because you asked \(`fabrik trust`/)
      }
      oneNote(await untrusted.cli(['config', 'show']), 'config show')
      // bin/run.js's fast path (commands/daemon/_fast-start.ts), which skips oclif and its base command.
      const start = await untrusted.cli(['daemon', 'start'])
      oneNote(start, 'daemon start')
      assert.match(start.stdout, /^ {2}cache /m, 'and it started the daemon')
      oneNote(await untrusted.cli(['exec', '--', 'true']), 'exec -- true')
      assert.equal((await untrusted.cli(['trust'])).code, 0)
      assert.doesNotMatch((await untrusted.cli(['config', 'show'])).stderr, /not trusted/)
      assert.doesNotMatch((await untrusted.cli(['daemon', 'start'])).stderr, /not trusted/)
      assert.doesNotMatch((await untrusted.cli(['exec', '--', 'true'])).stderr, /not trusted/)
    } finally {
      await untrusted.cleanup()
    }
  })

  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`fabrik completion ${shell} loads in ${shell} and completes \`fabrik daemon st\``, async (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const r = await cli(['completion', shell])
      assert.equal(r.code, 0, r.stderr)
      const file = join(project.dir, '..', `completion.${shell}`)
      writeFileSync(file, r.stdout)
      const probe = {
        bash: ['--norc', '--noprofile', '-c', `source '${file}' && complete -p fabrik && COMP_WORDS=(fabrik daemon st) COMP_CWORD=2 && _fabrik && echo "\${COMPREPLY[*]}"`],
        zsh: ['-f', '-c', `source '${file}' && print -r -- \${_comps[fabrik]} && setopt ksharrays && COMP_WORDS=(fabrik daemon st) && COMP_CWORD=2 && _fabrik && echo "\${COMPREPLY[*]}"`],
        fish: ['--no-config', '-c', `source '${file}'; and complete -C 'fabrik daemon st'`],
      }[shell] as string[]
      const out = spawnSync(bin, probe, { encoding: 'utf8', env: { ...project.env, HOME: join(project.dir, '..') } })
      assert.equal(out.status, 0, out.stderr)
      assert.equal(out.stderr.trim(), '', 'loads without errors')
      for (const word of ['start', 'status', 'stop']) assert.match(out.stdout, new RegExp(`(^|\\s)${word}(\\s|$)`), out.stdout)
      assert.ok(readFileSync(file, 'utf8').length > 0)
    })
  }
})
