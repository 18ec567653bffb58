import { Flags } from '@oclif/core'
import { FabrikCommand } from './_base.js'

export default class Dashboard extends FabrikCommand {
  static override summary = "Open the daemon's local dashboard in the browser"
  static override description = `Starts the daemon when none runs, prints the dashboard's URL (it carries the daemon's one-time token, which
the page exchanges for a cookie) and opens it with xdg-open / open where there is a desktop. Never fails for lack
of a browser: the URL is printed either way.`
  static override enableJsonFlag = true
  static override flags = {
    open: Flags.boolean({ description: 'Open the browser (--no-open only prints the URL)', default: true, allowNo: true }),
  }

  async run(): Promise<{ url: string; opened: boolean }> {
    const { flags } = await this.parse(Dashboard)
    const loaded = await this.loadConfig(flags)
    const { ensureDaemon } = await import('../src/daemon/start.js')
    const { readDashboardToken } = await import('../src/stats/token.js')
    const { FabrikError } = await import('../src/errors/registry.js')
    const daemon = await ensureDaemon(loaded)
    const token = readDashboardToken(daemon.state_dir)
    if (!token) throw new FabrikError('UNAVAILABLE', `the daemon wrote no dashboard token in ${daemon.state_dir}; restart it with \`fabrik daemon stop\``)
    const url = `${daemon.http_url}/_fabrik/dashboard?token=${encodeURIComponent(token)}`
    this.log(url)
    const opened = flags.open && !this.jsonEnabled() ? await openBrowser(url) : false
    return { url, opened }
  }
}

/** xdg-open (Linux with a desktop) or open (macOS); false, silently, where there is neither. */
async function openBrowser(url: string): Promise<boolean> {
  const { spawn } = await import('node:child_process')
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : 'xdg-open'
  if (cmd === undefined) return false
  if (process.platform !== 'darwin' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}
