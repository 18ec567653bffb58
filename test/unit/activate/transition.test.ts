import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeSaved, encodeSaved, restoreOriginal, SAVED_VARIABLE } from '../../../src/activate/saved.js'
import { isEmpty, transition, type Plan, type Target } from '../../../src/activate/transition.js'

/** Applies a plan to an env the way the shell would after eval. */
function apply(env: NodeJS.ProcessEnv, plan: Plan): NodeJS.ProcessEnv {
  const next = { ...env }
  for (const name of plan.unsets) delete next[name]
  Object.assign(next, plan.exports)
  return next
}

const A: Target = { id: 'aaaaaaaaaaaaaaaa', config: '/a/fabrik.toml', vars: { FABRIK_HTTP_URL: 'http://127.0.0.1:1', TURBO_API: 'http://127.0.0.1:1', TURBO_TEAM: 'fabrik-local', BAZELRC: '/s/a/bazelrc' } }
const B: Target = { id: 'bbbbbbbbbbbbbbbb', config: '/b/fabrik.toml', vars: { FABRIK_HTTP_URL: 'http://127.0.0.1:2', GRADLE_BUILD_CACHE_URL: 'http://127.0.0.1:2/cache/' } }

function enter(env: NodeJS.ProcessEnv, target: Target | undefined): NodeJS.ProcessEnv {
  return apply(env, transition(env, decodeSaved(env[SAVED_VARIABLE]), target))
}

describe('activation transitions', () => {
  it('entering a project exports its variables and remembers the previous values', () => {
    const env = enter({ PATH: '/bin', BAZELRC: '/home/me/.bazelrc' }, A)
    assert.equal(env.TURBO_API, 'http://127.0.0.1:1')
    assert.equal(env.BAZELRC, '/s/a/bazelrc')
    const saved = decodeSaved(env[SAVED_VARIABLE])
    assert.equal(saved?.id, A.id)
    assert.equal(saved?.prev.BAZELRC, '/home/me/.bazelrc')
    assert.equal(saved?.prev.TURBO_API, undefined)
  })

  it('another directory of the same project changes nothing', () => {
    const env = enter({ PATH: '/bin' }, A)
    assert.ok(isEmpty(transition(env, decodeSaved(env[SAVED_VARIABLE]), A)))
  })

  it("leaving restores the user's earlier values and unsets the rest, TURBO_* and BAZELRC included", () => {
    const before = { PATH: '/bin', BAZELRC: '/home/me/.bazelrc' }
    const after = enter(enter(before, A), undefined)
    assert.deepEqual(after, before)
  })

  it('moving from project A to project B switches cleanly and still restores the pre-A values on leaving', () => {
    const before = { PATH: '/bin', BAZELRC: '/home/me/.bazelrc', GRADLE_BUILD_CACHE_URL: 'http://corp/cache/' }
    const inB = enter(enter(before, A), B)
    assert.equal(inB.TURBO_API, undefined)
    assert.equal(inB.TURBO_TEAM, undefined)
    assert.equal(inB.BAZELRC, '/home/me/.bazelrc')
    assert.equal(inB.FABRIK_HTTP_URL, 'http://127.0.0.1:2')
    assert.equal(inB.GRADLE_BUILD_CACHE_URL, 'http://127.0.0.1:2/cache/')
    assert.equal(decodeSaved(inB[SAVED_VARIABLE])?.id, B.id)
    assert.deepEqual(enter(inB, undefined), before)
  })

  it('a variable the user changed while activated keeps the user value when leaving', () => {
    const inA = { ...enter({ PATH: '/bin' }, A), TURBO_TEAM: 'mine' }
    const out = enter(inA, undefined)
    assert.equal(out.TURBO_TEAM, 'mine')
    assert.equal(out.TURBO_API, undefined)
  })

  it('restoreOriginal hides what activation exported, so TURBO_TEAM=fabrik-local is not taken for the user own', () => {
    const inA = enter({ PATH: '/bin' }, A)
    const original = restoreOriginal(inA, decodeSaved(inA[SAVED_VARIABLE]))
    assert.deepEqual(original, { PATH: '/bin' })
  })

  it('drops names from the saved state that are not variable names, since they end up in shell code', () => {
    const text = Buffer.from(JSON.stringify({ v: 1, id: 'x', config: '/c', set: { 'A;rm -rf ~': '1', OK: '2', N: 3 }, prev: {} })).toString('base64url')
    assert.deepEqual(decodeSaved(text)?.set, { OK: '2' })
  })

  it('a damaged saved-state variable reads as not activated instead of failing the prompt', () => {
    assert.equal(decodeSaved('not base64 json'), undefined)
    assert.equal(decodeSaved(encodeSaved({ v: 1, id: 'x', config: '/c', set: {}, prev: {} }).slice(0, 5)), undefined)
  })
})
