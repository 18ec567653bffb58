import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { computeVariables, MANAGED_VARIABLES, type ActivationInputs } from '../../../src/activate/variables.js'

const daemon: ActivationInputs = {
  id: '0123456789abcdef',
  pid: 4242,
  http_url: 'http://127.0.0.1:41000',
  grpc_url: 'grpc://127.0.0.1:41001',
  state_dir: '/state/0123456789abcdef',
  enabled: [],
}

describe('computeVariables', () => {
  it('always exports the daemon variables, and nothing tool-specific when no tool is enabled', () => {
    const { set, unset } = computeVariables(daemon, {})
    assert.deepEqual(set, {
      FABRIK_HTTP_URL: 'http://127.0.0.1:41000',
      FABRIK_GRPC_URL: 'grpc://127.0.0.1:41001',
      FABRIK_CONFIG_HASH: '0123456789abcdef',
      FABRIK_DAEMON_PID: '4242',
    })
    assert.ok(unset.includes('TURBO_API') && unset.includes('BAZELRC') && unset.includes('GRADLE_BUILD_CACHE_URL'))
    assert.equal(unset.length + Object.keys(set).length, MANAGED_VARIABLES.length)
  })

  it('exports each enabled tool its own variable with the URL shape the client needs', () => {
    const { set } = computeVariables(
      { ...daemon, http_url: 'http://127.0.0.1:41000/', enabled: ['bazel', 'gradle', 'nx', 'turborepo', 'ccache', 'sccache'] },
      {},
    )
    assert.equal(set.BAZELRC, '/state/0123456789abcdef/bazelrc')
    assert.equal(set.GRADLE_BUILD_CACHE_URL, 'http://127.0.0.1:41000/cache/')
    // No trailing slash: Nx and turbo append "/v1/..." and "/v8/..." themselves.
    assert.equal(set.NX_SELF_HOSTED_REMOTE_CACHE_SERVER, 'http://127.0.0.1:41000')
    assert.equal(set.TURBO_API, 'http://127.0.0.1:41000')
    assert.equal(set.TURBO_TEAM, 'fabrik-local')
    assert.ok(set.TURBO_TOKEN)
    assert.equal(set.CCACHE_REMOTE_STORAGE, 'http://127.0.0.1:41000/ccache')
    assert.equal(set.SCCACHE_WEBDAV_ENDPOINT, 'http://127.0.0.1:41000/sccache/')
    assert.equal(set.FABRIK_HTTP_URL, 'http://127.0.0.1:41000')
  })

  it("keeps the user's own TURBO_TEAM, TURBO_TEAMID and TURBO_TOKEN", () => {
    const a = computeVariables({ ...daemon, enabled: ['turborepo'] }, { TURBO_TEAM: 'acme', TURBO_TOKEN: 'secret' }).set
    assert.equal(a.TURBO_TEAM, undefined)
    assert.equal(a.TURBO_TOKEN, undefined)
    assert.equal(a.TURBO_API, 'http://127.0.0.1:41000')
    const b = computeVariables({ ...daemon, enabled: ['turborepo'] }, { TURBO_TEAMID: 'team_123' }).set
    assert.equal(b.TURBO_TEAM, undefined)
  })

  it('exports the unix socket, and XCODE_CACHE_SERVER only when xcode is enabled and a socket exists', () => {
    assert.equal(computeVariables({ ...daemon, enabled: ['xcode'] }, {}).set.XCODE_CACHE_SERVER, undefined)
    const withSocket = computeVariables({ ...daemon, unix_socket: '/p/.fabrik/xcode.sock', enabled: ['xcode'] }, {}).set
    assert.equal(withSocket.XCODE_CACHE_SERVER, '/p/.fabrik/xcode.sock')
    assert.equal(withSocket.FABRIK_UNIX_SOCKET, '/p/.fabrik/xcode.sock')
    const noXcode = computeVariables({ ...daemon, unix_socket: '/p/x.sock', enabled: ['nx'] }, {}).set
    assert.equal(noXcode.XCODE_CACHE_SERVER, undefined)
    assert.equal(noXcode.FABRIK_UNIX_SOCKET, '/p/x.sock')
  })
})
