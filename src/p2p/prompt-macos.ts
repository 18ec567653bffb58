import { promptText, type PromptAnswer, type PromptRequest, type Prompter } from './prompt.js'

// macOS: node-notifier runs terminal-notifier, which supports actions and reports which one was clicked
// (activationType 'actionClicked' with the label as `activationValue`). Not runnable on the Linux CI machine.
export class NotifierPrompter implements Prompter {
  readonly name = 'node-notifier'

  async ask(request: PromptRequest, timeoutMs: number): Promise<PromptAnswer> {
    const { default: notifier } = await import('node-notifier')
    const { summary, body } = promptText(request)
    return new Promise<PromptAnswer>((resolve) => {
      notifier.notify(
        { title: summary, message: body, actions: ['Approve', 'Deny'], wait: true, timeout: Math.ceil(timeoutMs / 1000) } as Parameters<typeof notifier.notify>[0],
        (err: Error | null, _response: string, metadata?: { activationType?: string; activationValue?: string }) => {
          if (err) return resolve('unavailable')
          if (metadata?.activationType === 'actionClicked') return resolve(metadata.activationValue === 'Approve' ? 'approve' : metadata.activationValue === 'Deny' ? 'deny' : 'dismissed')
          resolve(metadata?.activationType === 'timeout' ? 'timeout' : 'dismissed')
        },
      )
    })
  }

  async close(): Promise<void> {}
}
