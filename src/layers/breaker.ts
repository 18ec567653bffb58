import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel'
import { isRefusal } from '../errors/registry.js'
import type { LayerLogger } from './types.js'

export interface BreakerOptions {
  /** Consecutive failures that take the layer offline. */
  failures: number
  /** How long it stays offline before one probe request may try it again. */
  cooldownMs: number
}

export const DEFAULT_BREAKER: BreakerOptions = { failures: 5, cooldownMs: 10_000 }

/** The layer is offline (its breaker is open, or another request is probing it): skip it at once. */
export class LayerOffline extends Error {
  constructor(layer: string) {
    super(`the ${layer} layer is offline (circuit breaker open)`)
    this.name = 'LayerOffline'
  }
}

/**
 * One circuit breaker per layer (cockatiel), as verdaccio's uplinks do: consecutive failures open it for a
 * cool-down, then a single probe request decides. Only transitions are logged. A miss is a result, never an error;
 * a refusal is an answer, and a request the caller itself abandoned says nothing about the layer: none counts.
 */
export class LayerBreaker {
  private readonly policy: CircuitBreakerPolicy
  private failures = 0
  private openedAt = 0

  private readonly cooldownMs: number

  constructor(readonly layer: string, logger: LayerLogger, options: BreakerOptions = DEFAULT_BREAKER) {
    this.cooldownMs = options.cooldownMs
    // A refusal (the layer said UNAUTHENTICATED / PERMISSION_DENIED) is an answer from a layer that is up: counting
    // it would let a read-only token's refused uploads take the layer offline for the reads it may do.
    this.policy = circuitBreaker(handleWhen((err) => !(err instanceof CallerGone) && !isRefusal(err)), {
      halfOpenAfter: options.cooldownMs,
      breaker: new ConsecutiveBreaker(options.failures),
    })
    this.policy.onFailure(() => {
      this.failures++
    })
    this.policy.onSuccess(() => {
      this.failures = 0
    })
    this.policy.onBreak(() => (this.openedAt = Date.now()))
    this.policy.onBreak(() => logger.warn({ layer }, `${layer} layer offline after ${this.failures} failures`))
    this.policy.onReset(() => logger.info({ layer }, `${layer} layer back online`))
  }

  /** Runs `fn` unless the layer is offline (then throws LayerOffline without calling it). */
  async run<T>(fn: () => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await fn()
        } catch (err) {
          // Thrown because the client went away, not because the layer failed.
          if (callerSignal?.aborted) throw new CallerGone(err)
          throw err
        }
      })
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw new LayerOffline(this.layer)
      if (err instanceof CallerGone) throw err.cause
      throw err
    }
  }

  /**
   * When a probe may next be tried: 0 while closed. cockatiel only leaves "open" when a call tries the layer, so
   * the upload workers use this to send one probe once the cool-down is over instead of a burst.
   */
  get retryAt(): number {
    return this.policy.state === CircuitState.Closed ? 0 : this.openedAt + this.cooldownMs
  }

  /** 0 closed, 1 open, 2 half-open — the fabrik_layer_breaker_state gauge. */
  get stateValue(): number {
    const s = this.policy.state
    return s === CircuitState.Closed ? 0 : s === CircuitState.HalfOpen ? 2 : 1
  }

  get state(): 'closed' | 'open' | 'half-open' {
    return (['closed', 'open', 'half-open'] as const)[this.stateValue]!
  }
}

class CallerGone extends Error {
  constructor(cause: unknown) {
    super('the caller abandoned the request', { cause })
  }
}
