import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import type { ActionResult__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ActionResult.js'
import { MESSAGES, encodeMessage } from '../../../src/grpc/codec.js'
import { codeOf, digestOf, rpc, startServer, type Harness } from '../grpc/helpers.js'
import { open, tempDir } from '../store/helpers.js'
import { FakeLayer, chainOf, spec } from './helpers.js'

// A Bazel action result found in a slower layer is held to the same rule as a local one: served only when every
// blob it references is present somewhere in the chain (otherwise Bazel fails later with "missing digest").
describe('ActionCache over the layer chain', () => {
  let h: Harness
  let remote: FakeLayer
  let cleanup: () => Promise<void>
  before(async () => {
    const t = await tempDir('fabrik-chain-ac-')
    cleanup = t.cleanup
    remote = new FakeLayer()
    const { chain } = chainOf(open(join(t.dir, 'local')), [spec(remote, 'remote')])
    h = await startServer({ store: chain })
  })
  after(async () => {
    await h.close()
    await cleanup()
  })

  const get = (action: string) => rpc<ActionResult__Output>((cb) => h.clients.ac.GetActionResult({ action_digest: digestOf(action) }, cb))
  async function remoteResult(action: string, output: string): Promise<void> {
    const bytes = encodeMessage(MESSAGES.actionResult, { output_files: [{ path: 'out', digest: digestOf(output) }], exit_code: 0 })
    await remote.put('ac', digestOf(action).hash, bytes)
  }

  it('serves a result from the layer when its output is in the layer too', async () => {
    await remoteResult('act-1', 'output one')
    await remote.put('cas', digestOf('output one').hash, Buffer.from('output one'))
    const got = await get('act-1')
    assert.equal(got.output_files[0]?.digest?.hash, digestOf('output one').hash)
  })

  it('refuses a result from the layer whose output is nowhere in the chain', async () => {
    await remoteResult('act-2', 'output two, never uploaded')
    assert.equal(await codeOf(get('act-2')), grpc.status.NOT_FOUND)
  })
})
