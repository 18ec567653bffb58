import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as grpc from '@grpc/grpc-js'
import type { ActionResult, ActionResult__Output } from '../../../src/generated/build/bazel/remote/execution/v2/ActionResult.js'
import { MESSAGES, encodeMessage } from '../../../src/grpc/codec.js'
import { acNamespace } from '../../../src/grpc/reapi/instance.js'
import { validateNamespace } from '../../../src/store/keys.js'
import { codeOf, digestOf, rpc, startServer, type Harness } from './helpers.js'

describe('acNamespace', () => {
  it('keeps simple instance names readable and hashes the rest into valid, distinct namespaces', () => {
    assert.equal(acNamespace(''), 'ac')
    assert.equal(acNamespace('main'), 'ac.main')
    const odd = ['team/linux', 'team/mac', '..', 'a..b', '.hidden', 'x'.repeat(300), 'ünïcode', 'with space']
    const names = odd.map(acNamespace)
    for (const ns of names) assert.equal(validateNamespace(ns), ns)
    assert.equal(new Set(names).size, odd.length)
    assert.ok(names.every((n) => n.startsWith('ac.h:')))
  })
})

describe('ActionCache', () => {
  let h: Harness
  before(async () => {
    h = await startServer()
  })
  after(() => h.close())

  const putBlob = (data: Buffer | string) => h.store.put('cas', digestOf(data).hash, Buffer.from(data))
  const update = (action: string, action_result: ActionResult, instance_name = '') =>
    rpc<ActionResult__Output>((cb) => h.clients.ac.UpdateActionResult({ instance_name, action_digest: digestOf(action), action_result }, cb))
  const get = (action: string, extra: object = {}) =>
    rpc<ActionResult__Output>((cb) => h.clients.ac.GetActionResult({ action_digest: digestOf(action), ...extra }, cb))

  it('stores a result and serves it once every referenced blob is present', async () => {
    const out = Buffer.from('compiled output')
    const stdout = Buffer.from('build log')
    await putBlob(out)
    await putBlob(stdout)
    const result: ActionResult = {
      output_files: [{ path: 'out/a.o', digest: digestOf(out), is_executable: true }],
      exit_code: 0,
      stdout_digest: digestOf(stdout),
      execution_metadata: { worker: 'local' },
    }
    const echoed = await update('action-1', result)
    assert.equal(echoed.output_files[0]?.path, 'out/a.o')
    const got = await get('action-1')
    assert.equal(got.output_files[0]?.digest?.hash, digestOf(out).hash)
    assert.equal(got.output_files[0]?.is_executable, true)
    assert.equal(got.execution_metadata?.worker, 'local')
    // Not requested: stdout stays out of the response.
    assert.equal(got.stdout_raw.length, 0)
  })

  it('answers NOT_FOUND for an unknown action', async () => {
    assert.equal(await codeOf(get('never-run')), grpc.status.NOT_FOUND)
  })

  it('does not serve a result whose output file is gone (dangling), so Bazel never hits "missing digest"', async () => {
    await update('action-dangling', { output_files: [{ path: 'x', digest: digestOf('never uploaded') }] })
    assert.equal(await codeOf(get('action-dangling')), grpc.status.NOT_FOUND)
    await putBlob('never uploaded')
    const got = await get('action-dangling')
    assert.equal(got.output_files.length, 1)
  })

  it('checks stdout/stderr digests and every file inside output directory trees', async () => {
    const inRoot = Buffer.from('root file')
    const inChild = Buffer.from('child file')
    await putBlob(inRoot)
    const child = { files: [{ name: 'c.txt', digest: digestOf(inChild) }] }
    const childBytes = encodeMessage(MESSAGES.directory, child)
    const tree = encodeMessage(MESSAGES.tree, {
      root: { files: [{ name: 'r.txt', digest: digestOf(inRoot) }], directories: [{ name: 'sub', digest: digestOf(childBytes) }] },
      children: [child],
    })
    await update('action-tree', { output_directories: [{ path: 'out', tree_digest: digestOf(tree) }] })
    assert.equal(await codeOf(get('action-tree')), grpc.status.NOT_FOUND, 'tree blob missing')
    await putBlob(tree)
    assert.equal(await codeOf(get('action-tree')), grpc.status.NOT_FOUND, 'file in a child directory missing')
    await putBlob(inChild)
    assert.equal((await get('action-tree')).output_directories[0]?.path, 'out')

    await update('action-stderr', { stderr_digest: digestOf('stderr text') })
    assert.equal(await codeOf(get('action-stderr')), grpc.status.NOT_FOUND)
  })

  it('does not serve a result whose stdout blob is the missing one', async () => {
    const out = Buffer.from('present output')
    await putBlob(out)
    await update('action-stdout', { output_files: [{ path: 'o', digest: digestOf(out) }], stdout_digest: digestOf('stdout never uploaded') })
    assert.equal(await codeOf(get('action-stdout')), grpc.status.NOT_FOUND)
    await putBlob('stdout never uploaded')
    assert.equal((await get('action-stdout')).output_files.length, 1)
  })

  it('does not serve a result whose missing blob is a file in the Tree\'s root directory', async () => {
    const inRoot = Buffer.from('root-level file, never uploaded first')
    const inChild = Buffer.from('child-level file, uploaded')
    await putBlob(inChild)
    const child = { files: [{ name: 'c.txt', digest: digestOf(inChild) }] }
    const tree = encodeMessage(MESSAGES.tree, {
      root: { files: [{ name: 'r.txt', digest: digestOf(inRoot) }], directories: [{ name: 'sub', digest: digestOf(encodeMessage(MESSAGES.directory, child)) }] },
      children: [child],
    })
    await putBlob(tree)
    await update('action-root-file', { output_directories: [{ path: 'out', tree_digest: digestOf(tree) }] })
    assert.equal(await codeOf(get('action-root-file')), grpc.status.NOT_FOUND, 'file in the root directory missing')
    await putBlob(inRoot)
    assert.equal((await get('action-root-file')).output_directories[0]?.path, 'out')
  })

  it('checks separately stored directories of DIRECTORY_ONLY outputs', async () => {
    const file = Buffer.from('deep file')
    const sub = encodeMessage(MESSAGES.directory, { files: [{ name: 'f', digest: digestOf(file) }] })
    const root = encodeMessage(MESSAGES.directory, { directories: [{ name: 'sub', digest: digestOf(sub) }] })
    await putBlob(root)
    await putBlob(sub)
    await update('action-dirs', { output_directories: [{ path: 'd', root_directory_digest: digestOf(root) }] })
    assert.equal(await codeOf(get('action-dirs')), grpc.status.NOT_FOUND)
    await putBlob(file)
    assert.equal((await get('action-dirs')).output_directories.length, 1)
  })

  it('inlines stdout and stderr when asked, and listed output files', async () => {
    const stdout = Buffer.from('hello from stdout')
    const stderr = Buffer.from('warning: on stderr')
    const out = Buffer.from('file body')
    await Promise.all([putBlob(stdout), putBlob(stderr), putBlob(out)])
    await update('action-inline', {
      stdout_digest: digestOf(stdout),
      stderr_digest: digestOf(stderr),
      output_files: [{ path: 'o.txt', digest: digestOf(out) }],
    })
    const got = await get('action-inline', { inline_stdout: true, inline_stderr: true, inline_output_files: ['o.txt'] })
    assert.equal(got.stdout_raw.toString(), 'hello from stdout')
    assert.equal(got.stderr_raw.toString(), 'warning: on stderr')
    assert.equal(got.output_files[0]?.contents.toString(), 'file body')
    const onlyOut = await get('action-inline', { inline_stdout: true })
    assert.equal(onlyOut.stderr_raw.length, 0)
  })

  it('scopes results by instance name, including names with slashes', async () => {
    const blob = Buffer.from('scoped')
    await putBlob(blob)
    await update('action-scoped', { output_files: [{ path: 's', digest: digestOf(blob) }], exit_code: 1 }, 'team/linux')
    await update('action-scoped', { output_files: [{ path: 's', digest: digestOf(blob) }], exit_code: 2 }, 'team/mac')
    const linux = await get('action-scoped', { instance_name: 'team/linux' })
    const mac = await get('action-scoped', { instance_name: 'team/mac' })
    assert.equal(linux.exit_code, 1)
    assert.equal(mac.exit_code, 2)
    assert.equal(await codeOf(get('action-scoped')), grpc.status.NOT_FOUND)
    assert.equal(await codeOf(get('action-scoped', { instance_name: 'team' })), grpc.status.NOT_FOUND)
  })

  it('rejects malformed action digests and a missing action_result', async () => {
    const bad = rpc((cb) => h.clients.ac.GetActionResult({ action_digest: { hash: 'xyz', size_bytes: '1' } }, cb))
    assert.equal(await codeOf(bad), grpc.status.INVALID_ARGUMENT)
    const noResult = rpc((cb) => h.clients.ac.UpdateActionResult({ action_digest: digestOf('a') }, cb))
    assert.equal(await codeOf(noResult), grpc.status.INVALID_ARGUMENT)
  })

  it('treats an unreadable stored result as a miss', async () => {
    await h.store.put('ac', digestOf('corrupt').hash, Buffer.from([0xff, 0xff, 0xff]))
    assert.equal(await codeOf(get('corrupt')), grpc.status.NOT_FOUND)
  })
})
