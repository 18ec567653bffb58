import { Flags } from '@oclif/core'
import { FabrikCommand } from './_base.js'

export default class Stats extends FabrikCommand {
  static override summary = 'Show what the cache did: hit rate per tool, where hits came from, bytes and time saved'
  static override description = `Figures are kept per hour in <cache dir>/stats.db (for [observability] stats_retention, 90 days by default),
so they survive restarts and are read with the daemon stopped. --zero forgets them, like \`ccache -z\`.`
  static override examples = ['<%= config.bin %> stats', '<%= config.bin %> stats --since 7d --json', '<%= config.bin %> stats --zero']
  static override enableJsonFlag = true
  static override flags = {
    since: Flags.string({ description: 'How far back: a number and m, h, d or w (1h, 1d, 7d)', default: '1d' }),
    zero: Flags.boolean({ description: 'Reset the figures to zero' }),
  }

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Stats)
    const loaded = await this.loadConfig(flags)
    const { readStats, zeroStats } = await import('../src/stats/cli.js')
    if (flags.zero) {
      await zeroStats(loaded)
      this.log('Statistics reset to zero.')
      return { zeroed: true }
    }
    const { parseSince } = await import('../src/stats/window.js')
    const sinceMs = Date.now() - parseSince(flags.since)
    const answer = await readStats(loaded, sinceMs)
    const { statsLines } = await import('../src/stats/text.js')
    for (const line of statsLines(answer.report, answer.queue)) this.log(line)
    return { source: answer.source, ...answer.report, queue: answer.queue }
  }
}
