
import { BaseCommand } from './_base.js'

export default class Version extends BaseCommand {
  static override summary = 'Print the version of fabrik (also: --version, -v)'
  static override enableJsonFlag = true

  async run(): Promise<{ version: string; node: string; platform: string }> {
    this.log(this.config.userAgent)
    return { version: this.config.version, node: process.version, platform: `${process.platform}-${process.arch}` }
  }
}
