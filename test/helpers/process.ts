import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive } from '../../src/io/process.js'

/** Waits until `pid` has exited (a zombie counts as exited, as in src/io/process.ts); fails after `ms`. */
export async function waitGone(pid: number, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; isAlive(pid) && Date.now() < end; ) await sleep(20)
  if (isAlive(pid)) throw new Error(`pid ${pid} still alive after ${ms} ms`)
}
