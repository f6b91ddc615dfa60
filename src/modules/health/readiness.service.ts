/**
 * Whether this instance should receive traffic (GET /health/ready). Components that must be up
 * before requests can be served register themselves and report when they are ready; once
 * shutdown starts the instance is not ready again, so load balancers stop sending requests while
 * in-flight ones drain.
 */
import { Injectable } from '@nestjs/common';

export type ComponentReadiness = 'ready' | 'not_ready';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, ComponentReadiness>>;
  /** Why not ready; absent when ready. */
  readonly reason?: string;
}

@Injectable()
export class ReadinessService {
  private readonly components = new Map<string, boolean>();
  private shuttingDown = false;
  private readonly shutdownListeners = new Set<() => void>();

  /** Declares a component that starts not ready; registering twice changes nothing. */
  register(component: string): void {
    if (!this.components.has(component)) this.components.set(component, false);
  }

  markReady(component: string): void {
    this.components.set(component, true);
  }

  /** From here on the instance reports not ready, whatever its components say. */
  markShuttingDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const listener of this.shutdownListeners) listener();
  }

  /**
   * Calls `listener` when shutdown starts, before connections are drained: long-lived streams
   * end themselves then, or the drain would wait for them. Returns the function that removes it.
   */
  onShuttingDown(listener: () => void): () => void {
    this.shutdownListeners.add(listener);
    return () => this.shutdownListeners.delete(listener);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  report(): ReadinessReport {
    const checks: Record<string, ComponentReadiness> = {};
    const waiting: string[] = [];
    for (const [component, ready] of this.components) {
      checks[component] = ready ? 'ready' : 'not_ready';
      if (!ready) waiting.push(component);
    }
    if (this.shuttingDown) return { ready: false, checks, reason: 'shutting down' };
    if (waiting.length > 0)
      return { ready: false, checks, reason: `waiting for ${waiting.join(', ')}` };
    return { ready: true, checks };
  }
}
