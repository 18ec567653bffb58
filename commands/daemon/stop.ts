import { Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class DaemonStop extends FabrikCommand {
  static override summary = "Stop this project's daemon, or every daemon with --all"
  static override enableJsonFlag = true
  static override flags = {
    all: Flags.boolean({ description: 'Stop every daemon of this user' }),
    flush: Flags.boolean({ description: 'First wait for queued uploads to slower layers (S3, regional) to finish' }),
    'flush-timeout': Flags.integer({ description: 'With --flush: seconds to wait at most', default: 300, min: 0 }),
  }

  async run(): Promise<{ stopped: { id: string; pid: number; uploads_pending?: number }[] }> {
    const { flags } = await this.parse(DaemonStop)
    const { stopDaemon } = await import('../../src/daemon/stop.js')
    const { daemonId, stateDir, stateRoot } = await import('../../src/daemon/identity.js')
    const { listStateIds } = await import('../../src/daemon/state.js')
    const { runningIn } = await import('../../src/daemon/start.js')
    const { pendingUploads, waitForUploads } = await import('../../src/daemon/uploads.js')
    let ids: string[]
    if (flags.all) {
      ids = listStateIds(stateRoot())
    } else {
      const loaded = await this.loadConfig(flags)
      ids = [daemonId(loaded.bytes)]
    }
    const stopped: { id: string; pid: number; uploads_pending?: number }[] = []
    for (const id of ids) {
      // Queued uploads survive the stop (they are in the store's index) and go out when the daemon next runs;
      // --flush waits for them first, for a laptop about to go offline or a CI job about to end.
      const running = await runningIn(id, stateDir(id))
      let pending = running ? await pendingUploads(running) : undefined
      if (running && flags.flush && pending) {
        const tty = process.stderr.isTTY
        let lastLine = 0
        pending = await waitForUploads(running, flags['flush-timeout'] * 1000, (n, left) => {
          if (n === 0) return
          const line = `Waiting for ${n} upload${n === 1 ? '' : 's'} to finish (${left}s left)`
          if (tty) process.stderr.write(`\r${line}\x1b[K`)
          else if (Date.now() - lastLine >= 5000) {
            process.stderr.write(`${line}\n`)
            lastLine = Date.now()
          }
        })
        if (tty) process.stderr.write('\r\x1b[K')
      }
      const r = await stopDaemon(id, stateDir(id))
      if (r.stopped && r.pid) {
        stopped.push({ id, pid: r.pid, ...(pending !== undefined ? { uploads_pending: pending } : {}) })
        this.log(`Stopped daemon ${id} (pid ${r.pid})`)
        if (pending) {
          this.log(`${pending} upload${pending === 1 ? ' is' : 's are'} still queued; ${pending === 1 ? 'it goes' : 'they go'} out when the daemon next runs (\`fabrik daemon stop --flush\` waits for them)`)
        }
      }
    }
    if (stopped.length === 0) this.log('No daemon was running')
    return { stopped }
  }
}
