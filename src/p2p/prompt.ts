// How a consent question reaches the user. A shown notification is never an approval (upstream treated it as
// one): only a click on Approve is. When no prompt with actions is possible the peer stays pending and the user
// decides with `fabrik p2p approve|deny`.

export interface PromptRequest {
  machineId: string
  hostname: string
  address: string
  fingerprint: string
}

export type PromptAnswer = 'approve' | 'deny' | 'timeout' | 'dismissed' | 'unavailable'

export interface Prompter {
  readonly name: string
  ask(request: PromptRequest, timeoutMs: number): Promise<PromptAnswer>
  close(): Promise<void>
}

export const NO_PROMPT: Prompter = {
  name: 'none',
  ask: async () => 'unavailable',
  close: async () => undefined,
}

export function promptText(r: PromptRequest): { summary: string; body: string } {
  return {
    summary: `Fabrik: share your build cache with ${r.hostname}?`,
    body: `${r.hostname} (${r.address}, machine ${r.machineId.slice(0, 12)}, key ${r.fingerprint.slice(0, 16)}) asks to read your build cache. Or run: fabrik p2p approve ${r.machineId}`,
  }
}

/** D-Bus on Linux, node-notifier (terminal-notifier, which reports the clicked action) on macOS, else none. */
export async function platformPrompter(env: NodeJS.ProcessEnv = process.env): Promise<Prompter> {
  if (process.platform === 'darwin') {
    const { NotifierPrompter } = await import('./prompt-macos.js')
    return new NotifierPrompter()
  }
  if (process.platform === 'linux' && env.DBUS_SESSION_BUS_ADDRESS) {
    const { DbusPrompter } = await import('./prompt-dbus.js')
    return DbusPrompter.connect(env.DBUS_SESSION_BUS_ADDRESS)
  }
  return NO_PROMPT
}
