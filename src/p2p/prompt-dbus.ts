import dbus from 'dbus-next'
import { promptText, type PromptAnswer, type PromptRequest, type Prompter } from './prompt.js'

// org.freedesktop.Notifications with actions. node-notifier's Linux backend (notify-send) drops actions and can
// never report a click, so the daemon talks to the notification service itself: GetCapabilities must list
// "actions"; Notify returns an id; ActionInvoked(id, "approve"|"deny") is the answer, NotificationClosed or the
// timeout leaves the peer pending.

const NAME = 'org.freedesktop.Notifications'
const PATH = '/org/freedesktop/Notifications'

interface NotificationsIface {
  GetCapabilities(): Promise<string[]>
  Notify(app: string, replaces: number, icon: string, summary: string, body: string, actions: string[], hints: Record<string, unknown>, timeout: number): Promise<number>
  CloseNotification(id: number): Promise<void>
  on(signal: string, listener: (...args: unknown[]) => void): void
  off(signal: string, listener: (...args: unknown[]) => void): void
}

export class DbusPrompter implements Prompter {
  readonly name = 'dbus'

  private constructor(private readonly bus: dbus.MessageBus | undefined, private readonly iface: NotificationsIface | undefined) {}

  static async connect(busAddress?: string): Promise<Prompter> {
    let bus: dbus.MessageBus | undefined
    try {
      bus = dbus.sessionBus(busAddress ? { busAddress } : {})
      // A bus that cannot be reached emits 'error' instead of rejecting; keep it from crashing the daemon.
      bus.on('error', () => undefined)
      const obj = await bus.getProxyObject(NAME, PATH)
      const iface = obj.getInterface(NAME) as unknown as NotificationsIface
      const caps = await iface.GetCapabilities()
      if (!caps.includes('actions')) {
        bus.disconnect()
        return new DbusPrompter(undefined, undefined)
      }
      return new DbusPrompter(bus, iface)
    } catch {
      bus?.disconnect()
      return new DbusPrompter(undefined, undefined)
    }
  }

  get available(): boolean {
    return this.iface !== undefined
  }

  async ask(request: PromptRequest, timeoutMs: number): Promise<PromptAnswer> {
    const iface = this.iface
    if (!iface) return 'unavailable'
    const { summary, body } = promptText(request)
    return new Promise<PromptAnswer>((resolve) => {
      let id: number | undefined
      const early: [number, string][] = []
      const finish = (answer: PromptAnswer) => {
        iface.off('ActionInvoked', onAction)
        iface.off('NotificationClosed', onClosed)
        clearTimeout(timer)
        if (answer === 'timeout' && id !== undefined) iface.CloseNotification(id).catch(() => undefined)
        resolve(answer)
      }
      const onAction = (...args: unknown[]) => {
        const [nid, key] = args as [number, string]
        if (id === undefined) return void early.push([nid, key])
        if (nid !== id) return
        finish(key === 'approve' ? 'approve' : key === 'deny' ? 'deny' : 'dismissed')
      }
      const onClosed = (...args: unknown[]) => {
        const [nid] = args as [number]
        if (id !== undefined && nid === id) finish('dismissed')
      }
      iface.on('ActionInvoked', onAction)
      iface.on('NotificationClosed', onClosed)
      const timer = setTimeout(() => finish('timeout'), timeoutMs)
      timer.unref()
      iface
        .Notify('fabrik', 0, 'network-workgroup', summary, body, ['approve', 'Approve', 'deny', 'Deny'], {}, timeoutMs)
        .then((nid) => {
          id = nid
          for (const [n, key] of early) if (n === id) onAction(n, key)
        })
        .catch(() => finish('unavailable'))
    })
  }

  async close(): Promise<void> {
    this.bus?.disconnect()
  }
}
