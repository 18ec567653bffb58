import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { skipOrFail } from './clients.js'

/**
 * Runs `fn` with a folder on a tmpfs of `mib` MiB: a disk that really fills up (ENOSPC from the kernel, SQLITE_FULL
 * from SQLite), not a mock. Mounting needs root (CI runs as root); elsewhere the test skips, except under CI.
 * The tmpfs is unmounted afterwards whatever happens.
 */
export async function withTmpfs(t: TestContext, mib: number, fn: (dir: string) => Promise<void>): Promise<void> {
  if (process.getuid?.() !== 0) {
    skipOrFail(t, 'mounting a tmpfs needs root (CI runs as root)')
    return
  }
  const dir = await mkdtemp(join(tmpdir(), 'fabrik-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m`, 'tmpfs', dir])
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    skipOrFail(t, `cannot mount a tmpfs here: ${(err as Error).message}`)
    return
  }
  try {
    await fn(dir)
  } finally {
    try {
      execFileSync('umount', [dir])
    } catch {
      execFileSync('umount', ['-l', dir])
    }
    await rm(dir, { recursive: true, force: true })
  }
}
