import { FabrikCommand } from './_base.js'

export default class Exec extends FabrikCommand {
  static override summary = "Run a build command against this project's daemon (CI: no shell hook needed)"
  static override description =
    "Starts the project's daemon if needed, sets the same variables shell activation sets for the enabled build " +
    'tools, and runs the command with inherited stdio. For bazel and bazelisk it also passes the daemon\'s rc ' +
    'file as --bazelrc (Bazel before 9 reads no BAZELRC). SIGINT, SIGTERM and SIGHUP are forwarded; the exit ' +
    "status is the command's own, or 128 + the signal number if a signal killed it (127: command not found)."
  static override examples = [
    '<%= config.bin %> exec -- bazel build //...',
    '<%= config.bin %> exec -- npx turbo run build',
    '<%= config.bin %> exec --config ci/fabrik.toml -- ./gradlew build',
  ]
  static override strict = false

  async run(): Promise<void> {
    const [{ splitExecArgv, withBazelrc }, { FabrikError }] = await Promise.all([
      import('../src/exec/argv.js'),
      import('../src/errors/registry.js'),
    ])
    const { own, command } = splitExecArgv(this.argv)
    const { flags } = await this.parse(Exec, own)
    if (command.length === 0) throw new FabrikError('USAGE', 'no command given: fabrik exec [--] CMD [ARGS...]')

    const [{ decodeSaved, restoreOriginal, SAVED_VARIABLE }, { ensureActivation }, { computeVariables }, { runCommand }] = await Promise.all([
      import('../src/activate/saved.js'),
      import('../src/activate/ensure.js'),
      import('../src/activate/variables.js'),
      import('../src/exec/run.js'),
    ])
    const loaded = await this.loadConfig(flags)
    // Start from the environment as the user had it, even when run inside an activated shell.
    const original = restoreOriginal(process.env, decodeSaved(process.env[SAVED_VARIABLE]))
    const ensured = await ensureActivation(loaded, original)
    for (const w of ensured.warnings) this.logToStderr(`fabrik: ${w}`)
    if (ensured.started) this.logToStderr(`fabrik: started daemon ${ensured.record.id}`)
    const { set } = computeVariables(ensured.record, original)
    const argv = ensured.record.enabled.includes('bazel') ? withBazelrc(command, `${ensured.record.state_dir}/bazelrc`) : command

    const result = await runCommand(argv, { ...original, ...set })
    if (result.spawnError) this.logToStderr(`fabrik: ${command[0]}: ${result.spawnError.code === 'ENOENT' ? 'command not found' : result.spawnError.message}`)
    if (result.status !== 0) this.exit(result.status)
  }
}
