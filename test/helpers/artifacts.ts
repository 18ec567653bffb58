import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Files a test leaves for people to look at (the dashboard's screenshots): in $FABRIK_TEST_ARTIFACTS when set,
// else in test-results/ at the repository root (gitignored), which CI uploads as an artifact even when tests fail.
const DEFAULT_DIR = fileURLToPath(new URL('../../../test-results/', import.meta.url))

/** The path for an artifact named `name`; its folder exists. */
export function artifactPath(name: string): string {
  const dir = process.env.FABRIK_TEST_ARTIFACTS || DEFAULT_DIR
  mkdirSync(dir, { recursive: true })
  return join(dir, name)
}
