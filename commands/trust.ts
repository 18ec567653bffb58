import { Args, Flags } from '@oclif/core'
import { FabrikCommand } from './_base.js'

export default class Trust extends FabrikCommand {
  static override summary = "Trust this project's fabrik.toml, so the shell hook acts on it"
  static override description =
    'A fabrik.toml can name upstream caches that receive your build outputs and turn on P2P, so the shell hook ' +
    'does not start a daemon for one you have not trusted: a freshly cloned repository, or a file changed since ' +
    'you trusted it. Review the file, then run this. Trust is recorded by path and content hash in your data dir ' +
    '(~/.local/share/fabrik/trusted.json); `fabrik init` trusts the file it writes.'
  static override examples = ['<%= config.bin %> trust', '<%= config.bin %> trust ../other/fabrik.toml', '<%= config.bin %> trust --revoke']
  static override enableJsonFlag = true
  static override args = {
    path: Args.string({ ignoreStdin: true, description: 'The fabrik.toml (or its folder) to trust (default: found by walking up from the cwd)', required: false }),
  }
  static override flags = {
    revoke: Flags.boolean({ description: 'Forget the trust: the hook stops acting on the file', default: false }),
  }

  async run(): Promise<{ path: string; trusted: boolean; changed: boolean }> {
    const { args, flags } = await this.parse(Trust)
    const [{ statSync, readFileSync }, { join, resolve }, { discoverConfig }, { trust, untrust }, { FabrikError }] = await Promise.all([
      import('node:fs'),
      import('node:path'),
      import('../src/config/discover.js'),
      import('../src/activate/trust.js'),
      import('../src/errors/registry.js'),
    ])
    let path: string | undefined
    if (args.path) {
      path = resolve(args.path)
      try {
        if (statSync(path).isDirectory()) path = join(path, 'fabrik.toml')
      } catch {
        // reported below
      }
    } else {
      path = (await discoverConfig({ cwd: process.cwd(), configPath: flags.config, env: process.env }))?.path
    }
    if (!path) throw new FabrikError('CONFIG_NOT_FOUND', `no fabrik.toml in ${process.cwd()} or any folder above it`)
    if (flags.revoke) {
      const changed = untrust(path)
      this.log(changed ? `Revoked trust in ${path}` : `${path} was not trusted`)
      return { path, trusted: false, changed }
    }
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch (err) {
      throw new FabrikError('CONFIG_NOT_FOUND', `${path}: cannot be read (${(err as Error).message})`)
    }
    // Only a file that loads is worth trusting; the error names the line to fix.
    await this.loadConfig({ ...flags, config: path }, { quiet: true })
    const changed = trust(path, bytes)
    this.log(changed ? `Trusted ${path}; an activated shell uses it from the next prompt` : `${path} is already trusted`)
    return { path, trusted: true, changed }
  }
}
