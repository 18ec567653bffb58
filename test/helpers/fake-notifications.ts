import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import dbus from 'dbus-next'

// A private session bus (dbus-daemon --session, what dbus-run-session starts) with a fake
// org.freedesktop.Notifications service that records every Notify call and can "click" an action — the way the
// consent prompt is observed without X (shared/reference/p2p.md).

export interface NotifyCall {
  id: number
  app: string
  summary: string
  body: string
  actions: string[]
  timeout: number
}

export function canRunDbus(): string | undefined {
  if (spawnSync('dbus-daemon', ['--version']).status !== 0) return 'dbus-daemon is not installed (Debian package dbus)'
  return undefined
}

export class FakeNotifications {
  readonly calls: NotifyCall[] = []
  readonly closed: number[] = []
  private iface: { ActionInvoked(id: number, key: string): void; NotificationClosed(id: number, reason: number): void } | undefined

  private constructor(readonly address: string, private readonly daemon: ChildProcess, private readonly bus: dbus.MessageBus) {}

  static async start(): Promise<FakeNotifications> {
    const daemon = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] })
    const address = await new Promise<string>((resolve, reject) => {
      let out = ''
      daemon.stdout!.on('data', (c: Buffer) => {
        out += c.toString()
        if (out.includes('\n')) resolve(out.trim())
      })
      daemon.once('exit', () => reject(new Error('dbus-daemon exited')))
    })
    const bus = dbus.sessionBus({ busAddress: address })
    const fake = new FakeNotifications(address, daemon, bus)
    const calls = fake.calls
    const closed = fake.closed
    class Notifications extends dbus.interface.Interface {
      Notify(app: string, _replaces: number, _icon: string, summary: string, body: string, actions: string[], _hints: unknown, timeout: number): number {
        const id = calls.length + 1
        calls.push({ id, app, summary, body, actions, timeout })
        return id
      }
      GetCapabilities(): string[] {
        return ['actions', 'body']
      }
      GetServerInformation(): string[] {
        return ['fake', 'fabrik-tests', '1', '1.2']
      }
      CloseNotification(id: number): void {
        closed.push(id)
      }
      ActionInvoked(id: number, key: string): unknown[] {
        return [id, key]
      }
      NotificationClosed(id: number, reason: number): unknown[] {
        return [id, reason]
      }
    }
    Notifications.configureMembers({
      methods: {
        Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
        GetCapabilities: { outSignature: 'as' },
        GetServerInformation: { outSignature: 'ssss' },
        CloseNotification: { inSignature: 'u' },
      },
      signals: { ActionInvoked: { signature: 'us' }, NotificationClosed: { signature: 'uu' } },
    })
    const iface = new Notifications('org.freedesktop.Notifications')
    bus.export('/org/freedesktop/Notifications', iface)
    await bus.requestName('org.freedesktop.Notifications', 0)
    fake.iface = iface as unknown as FakeNotifications['iface']
    return fake
  }

  click(id: number, key: 'approve' | 'deny'): void {
    this.iface!.ActionInvoked(id, key)
  }

  async stop(): Promise<void> {
    this.bus.disconnect()
    this.daemon.kill('SIGTERM')
  }
}
