import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { requireClient } from '../../helpers/clients.js'
import { activationScript, teardownScript } from '../../../src/activate/hooks.js'
import { detectShell, exportLine, renderPlan, SHELLS, unsetLine } from '../../../src/activate/shell.js'

const TRICKY = `it's "quoted" $HOME \`pwd\` \\ back\\slash; * ? [x] ~ !x\nnew line`

describe('shell syntax', () => {
  for (const shell of SHELLS) {
    it(`${shell}: an exported value arrives byte for byte, whatever characters it holds`, (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const script = `${exportLine(shell, 'FABRIK_T', TRICKY)}\nprintf %s "$FABRIK_T"\n`
      const out = execFileSync(bin, ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent' } })
      assert.equal(out, TRICKY)
    })

    it(`${shell}: unset removes the variable from the environment of later commands`, (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const out = execFileSync(bin, ['-c', `${unsetLine(shell, 'FABRIK_T')}\nenv`], { encoding: 'utf8', env: { PATH: process.env.PATH, FABRIK_T: 'x' } })
      assert.doesNotMatch(out, /^FABRIK_T=/m)
    })

    it(`${shell}: the activation hook and the teardown parse`, (t) => {
      const bin = requireClient(t, shell)
      if (!bin) return
      const check = shell === 'fish' ? ['--no-execute', '-c'] : ['-n', '-c']
      execFileSync(bin, [...check, activationScript(shell)])
      execFileSync(bin, [...check, teardownScript(shell)])
    })
  }

  it('fish gets fish syntax, bash and zsh get export/unset', () => {
    const plan = { exports: { A: 'x' }, unsets: ['B'] }
    assert.equal(renderPlan('fish', plan), "set -e B\nset -gx A 'x'\n")
    assert.equal(renderPlan('bash', plan), "unset B\nexport A='x'\n")
    assert.equal(renderPlan('zsh', { exports: {}, unsets: [] }), '')
  })

  it('refuses a name that is not a variable name rather than emitting code', () => {
    assert.throws(() => exportLine('bash', 'A;rm -rf /', 'x'))
  })

  it('picks the shell from --shell, else from $SHELL, else bash', () => {
    assert.equal(detectShell('fish', { SHELL: '/bin/zsh' }), 'fish')
    assert.equal(detectShell(undefined, { SHELL: '/usr/bin/zsh' }), 'zsh')
    assert.equal(detectShell(undefined, { SHELL: '/bin/tcsh' }), 'bash')
  })
})
