import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseConfigText } from '../../../src/config/file.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')

// The configs shipped for deployment (docs/deployment.md) must stay valid as the schema changes.
describe('deploy/*.toml', () => {
  for (const name of readdirSync(join(ROOT, 'deploy')).filter((f) => f.endsWith('.toml'))) {
    it(`${name} is a valid fabrik.toml`, () => {
      const text = readFileSync(join(ROOT, 'deploy', name))
      assert.doesNotThrow(() => parseConfigText(text, name, {}))
    })
  }
})

// kubelet updates a Secret volume by swapping the `..data` symlink inside the mounted directory; a `subPath` mount
// is a bind of the file as it was at start and never changes, so the server could never reload rotated keys.
describe('deploy/kubernetes/fabrik.yaml', () => {
  it('mounts the JWT key Secret as a directory that public_key_file points into', () => {
    const yaml = readFileSync(join(ROOT, 'deploy', 'kubernetes', 'fabrik.yaml'), 'utf8')
    const mount = yaml.split('\n').find((l) => /^\s*- \{ name: keys,/.test(l))
    assert.ok(mount, 'a volumeMount named keys')
    assert.doesNotMatch(mount, /subPath/)
    const dir = /mountPath: ([^,\s}]+)/.exec(mount)?.[1]
    assert.ok(dir)
    const toml = parseConfigText(readFileSync(join(ROOT, 'deploy', 'fabrik.toml')), 'fabrik.toml', {})
    const keyFile = (toml as { auth?: { public_key_file?: string } }).auth?.public_key_file
    assert.equal(dirname(keyFile ?? ''), dir, `public_key_file ${keyFile} is inside the mounted directory ${dir}`)
  })
})
