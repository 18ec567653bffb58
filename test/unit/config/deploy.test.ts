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
