import { FabrikCommand } from './_base.js'

export default class Health extends FabrikCommand {
  static override summary = "Report the running daemon's health and cache figures"
  static override description = "Asks this project's daemon for /health. Exits 69 when no daemon is running."
  static override enableJsonFlag = true

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Health)
    const loaded = await this.loadConfig(flags)
    const { findRunning } = await import('../src/daemon/start.js')
    const { probe } = await import('../src/daemon/probe.js')
    const { FabrikError } = await import('../src/errors/registry.js')
    const daemon = await findRunning(loaded)
    if (!daemon) throw new FabrikError('DAEMON_NOT_RUNNING', `no daemon is running for ${loaded.path ?? 'the user-wide config'}`)
    const port = Number(new URL(daemon.http_url).port)
    const health = await probe(port, '/health', 3000)
    if (!health || health.status !== 200 || typeof health.body !== 'object' || health.body === null) {
      throw new FabrikError('UNAVAILABLE', `the daemon at ${daemon.http_url} did not answer /health (status ${health?.status ?? 'none'})`)
    }
    const report = { daemon, ...(health.body as Record<string, unknown>) }
    const { healthLines } = await import('../src/daemon/health-text.js')
    this.log(`Daemon ${daemon.id} (pid ${daemon.pid}) at ${daemon.http_url}`)
    for (const line of healthLines(health.body as Record<string, unknown>)) this.log(line)
    return report
  }
}
