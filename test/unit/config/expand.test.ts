import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'smol-toml'
import { expandEnv } from '../../../src/config/expand.js'
import { isFabrikError } from '../../../src/errors/registry.js'

const FILE = '/project/fabrik.toml'
const expand = (text: string, env: NodeJS.ProcessEnv = {}): string => expandEnv(text, env, FILE)
// smol-toml returns null-prototype tables; compare plain copies.
const toml = (text: string): unknown => JSON.parse(JSON.stringify(parse(text)))

describe('expandEnv', () => {
  it('leaves text without ${...} untouched, including a lone $', () => {
    const text = 'price = "5$ or $HOME"\n[cache]\ndir = "x" # $ sign\n'
    assert.equal(expand(text, { HOME: '/h' }), text)
  })

  it('replaces ${VAR} with the variable', () => {
    assert.equal(expand('dir = "${DIR}/cache"', { DIR: '/data' }), 'dir = "/data/cache"')
  })

  it('fails on an unset ${VAR}, naming the variable and the file', () => {
    assert.throws(
      () => expand('a = 1\nsecret = "${P2P_SECRET}"'),
      (err: unknown) =>
        isFabrikError(err, 'CONFIG_ENV_UNSET') && err.message.includes('P2P_SECRET') && err.message.includes(`${FILE}:2`),
    )
  })

  it('gives "" for a set-but-empty ${VAR} (only unset is an error)', () => {
    assert.equal(expand('k = "${EMPTY}"', { EMPTY: '' }), 'k = ""')
  })

  it('uses the ${VAR:-default} default when VAR is unset or empty (shell semantics)', () => {
    assert.equal(expand('k = "${NOPE:-fallback}"'), 'k = "fallback"')
    assert.equal(expand('k = "${EMPTY:-fallback}"', { EMPTY: '' }), 'k = "fallback"')
    assert.equal(expand('k = "${SET:-fallback}"', { SET: 'value' }), 'k = "value"')
  })

  it('uses the ${VAR-default} default only when VAR is unset', () => {
    assert.equal(expand('k = "${NOPE-fallback}"'), 'k = "fallback"')
    assert.equal(expand('k = "${EMPTY-fallback}"', { EMPTY: '' }), 'k = ""')
  })

  it('expands variables inside a default', () => {
    assert.equal(expand('k = "${A:-${B}/x}"', { B: 'b' }), 'k = "b/x"')
  })

  it('turns $$ into a literal $, so $${VAR} is not expanded', () => {
    assert.equal(expand('price = "$$100 and $${HOME}"'), 'price = "$100 and ${HOME}"')
  })

  it('expands unquoted values so numbers work, as in upstream', () => {
    const out = expand('[daemon]\nhttp_port = ${PORT}\n', { PORT: '8080' })
    assert.deepEqual(toml(out), { daemon: { http_port: 8080 } })
  })

  it('never reads comments, so an unset variable in a comment is harmless', () => {
    const text = '# secret = "${UNSET_SECRET}"\nk = "v" # ${ALSO_UNSET}\n'
    assert.equal(expand(text), text)
  })

  it('escapes a value inside "..." so quotes, backslashes and newlines cannot break the file', () => {
    const tricky = 'a"b\\c\nd'
    const out = expand('k = "${V}"\nm = """\n${V}"""', { V: tricky })
    assert.deepEqual(toml(out), { k: tricky, m: tricky })
  })

  it("refuses a value with a quote inside '...', which TOML cannot hold", () => {
    assert.throws(() => expand("k = '${V}'", { V: "it's" }), /use "\.\.\." instead/)
    assert.equal(expand("k = '${V}'", { V: 'plain' }), "k = 'plain'")
  })

  it('reports a malformed ${...} with the file and line', () => {
    assert.throws(() => expand('a = 1\nk = "${NOT CLOSED"\n'), /fabrik\.toml:2: expected "}"/)
    assert.throws(() => expand('k = "${1BAD}"'), /expected \$\{NAME\}/)
  })
})
