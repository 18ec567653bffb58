import { FabrikCommand } from './_base.js'

export default class Server extends FabrikCommand {
  static override summary = 'Run the regional cache server in the foreground (JWT tenants, every tool protocol, S3 behind it)'
  static override description = `Serves every build tool's HTTP protocol on [observability] api_bind (default 127.0.0.1:9091) and REAPI,
ByteStream and fabrik.v1.FabrikCache over gRPC on [server] bind (default 127.0.0.1:7070; TLS with tls_cert and
tls_key). Every request needs a JWT with cache:read / cache:write unless [auth] required = false (anonymous reads
only). Runs until SIGTERM or SIGINT, then drains. See docs/deployment.md.`

  static override examples = ['fabrik server --config /etc/fabrik/fabrik.toml']

  async run(): Promise<void> {
    const { flags } = await this.parse(Server)
    const loaded = await this.loadConfig(flags)
    const { runServer } = await import('../src/server/serve.js')
    await runServer(loaded)
  }
}
