import { FabrikCommand } from '../_base.js'
import { startedLines, type DaemonInfo } from '../../src/daemon/info.js'

export default class DaemonRestart extends FabrikCommand {
  static override summary = "Restart this project's daemon (a stop, then a start)"
  static override description =
    'Stops the daemon of the effective configuration if it runs, then starts it again. An activated shell picks up ' +
    'the new ports on its next prompt.'
  static override examples = ['<%= config.bin %> daemon restart']
  static override enableJsonFlag = true

  async run(): Promise<DaemonInfo & { started: boolean; stopped?: number }> {
    const { flags } = await this.parse(DaemonRestart)
    const loaded = await this.loadConfig(flags)
    const [{ stopDaemon }, { daemonId, stateDir }, { ensureActivation }] = await Promise.all([
      import('../../src/daemon/stop.js'),
      import('../../src/daemon/identity.js'),
      import('../../src/activate/ensure.js'),
    ])
    const id = daemonId(loaded.config)
    const r = await stopDaemon(id, stateDir(id))
    if (r.stopped) this.log(`Stopped daemon ${id} (pid ${r.pid})`)
    const ensured = await ensureActivation(loaded, process.env)
    for (const w of ensured.warnings) this.logToStderr(`fabrik: ${w}`)
    const { runningIn } = await import('../../src/daemon/start.js')
    const info = (await runningIn(id, stateDir(id))) as DaemonInfo
    for (const line of startedLines({ ...info, started: true }, loaded.config.cache.dir)) this.log(line)
    return { ...info, started: true, ...(r.pid ? { stopped: r.pid } : {}) }
  }
}
