import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deactivationScript } from '../../../src/activate/deactivate.js'
import { encodeSaved, SAVED_VARIABLE } from '../../../src/activate/saved.js'

// `fabrik deactivate` restores what the user had: the e2e shell tests cover it only where bash, zsh and fish are
// installed, so the restore itself is checked here on the script it produces.

function activatedEnv(): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin',
    // Exported by Fabrik over the user's own value, which must come back.
    TURBO_API: 'http://127.0.0.1:7000',
    // Exported by Fabrik where the user had nothing: must be unset again.
    BAZELRC: '/state/abc/bazelrc',
    // Exported by Fabrik, then changed by the user: the user's value stays.
    TURBO_TEAM: 'users-own-team',
    [SAVED_VARIABLE]: encodeSaved({
      v: 1,
      id: '0123456789abcdef',
      config: '/p/fabrik.toml',
      set: { TURBO_API: 'http://127.0.0.1:7000', BAZELRC: '/state/abc/bazelrc', TURBO_TEAM: 'fabrik-local' },
      prev: { TURBO_API: 'https://users-own-remote.example' },
    }),
  }
}

describe('deactivate restores the environment', () => {
  it("gives every variable Fabrik exported back the user's value, or unsets it, and forgets the activation", () => {
    const script = deactivationScript('bash', activatedEnv())
    assert.match(script, /^export TURBO_API='https:\/\/users-own-remote\.example'$/m)
    assert.match(script, /^unset BAZELRC$/m)
    assert.match(script, new RegExp(`^unset ${SAVED_VARIABLE}$`, 'm'))
    assert.doesNotMatch(script, /TURBO_TEAM/, "a value the user changed since activation is the user's: left alone")
    assert.doesNotMatch(script, /PATH=/)
  })

  it('changes no variable when nothing is active', () => {
    const script = deactivationScript('bash', { PATH: '/usr/bin', TURBO_API: 'mine' })
    assert.doesNotMatch(script, /^(export|unset) (TURBO_API|PATH)/m)
  })
})
