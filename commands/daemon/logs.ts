import { Flags } from '@oclif/core'
import { FabrikCommand } from '../_base.js'

export default class DaemonLogs extends FabrikCommand {
  static override summary = "Show this project's daemon log as aligned lines (or its raw JSON)"
  static override description = `Reads <state dir>/daemon.log, also when the daemon is stopped. Columns: time, level, tool, op, key, layer,
result, ms, bytes, message. At the default level (info) the daemon writes one "summary" line per tool and minute
rather than a line per request; start it with --config-log-level debug to see every request.`
  static override examples = ['<%= config.bin %> daemon logs', '<%= config.bin %> daemon logs -f --level warn', '<%= config.bin %> daemon logs --json']
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Keep printing lines as the daemon writes them' }),
    json: Flags.boolean({ description: 'Print the raw JSON lines' }),
    level: Flags.string({ description: 'Only lines at this level or above', options: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'], default: 'trace' }),
    lines: Flags.integer({ char: 'n', description: 'How many of the last lines to show first', default: 100, min: 0 }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonLogs)
    const loaded = await this.loadConfig(flags)
    const { daemonId, stateDir } = await import('../../src/daemon/identity.js')
    const { files } = await import('../../src/daemon/state.js')
    const { LEVELS, HEADER, showLine } = await import('../../src/daemon/log-view.js')
    const { FabrikError } = await import('../../src/errors/registry.js')
    const fs = await import('node:fs')
    const path = files.log(stateDir(daemonId(loaded.config)))
    if (!fs.existsSync(path)) throw new FabrikError('DAEMON_NOT_RUNNING', `no daemon log at ${path}: this project's daemon never ran`)
    const min = LEVELS[flags.level] ?? 0
    const print = (line: string) => {
      const shown = showLine(line, min, flags.json)
      if (shown !== undefined) this.log(shown)
    }
    const text = fs.readFileSync(path, 'utf8')
    const all = text.split('\n')
    const tail = all.slice(0, -1).slice(-flags.lines)
    if (!flags.json) this.log(HEADER)
    for (const line of tail) print(line)
    if (!flags.follow) return
    let offset = Buffer.byteLength(text)
    let partial = all[all.length - 1] ?? ''
    await new Promise<void>(() => {
      setInterval(() => {
        let size: number
        try {
          size = fs.statSync(path).size
        } catch {
          return
        }
        if (size < offset) offset = 0 // truncated or replaced
        if (size === offset) return
        const fd = fs.openSync(path, 'r')
        try {
          const buf = Buffer.alloc(size - offset)
          fs.readSync(fd, buf, 0, buf.length, offset)
          offset = size
          const lines = (partial + buf.toString('utf8')).split('\n')
          partial = lines.pop() ?? ''
          for (const line of lines) print(line)
        } finally {
          fs.closeSync(fd)
        }
      }, 250)
    })
  }
}
