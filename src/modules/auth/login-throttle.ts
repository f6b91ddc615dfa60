/**
 * Login lockout (api-contract.md §2): after `auth.login.max_attempts` failures within the lockout
 * window from one client IP or for one username, both are locked for `auth.login.lockout`; a
 * success clears the IP's and the username's counters. Memory is bounded: stale entries are
 * swept, and past MAX_TRACKED the oldest are dropped.
 */
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../../config/config.schema';

interface Attempts {
  failures: number[];
  lockedUntil: number;
}

const MAX_TRACKED = 100_000;

@Injectable()
export class LoginThrottle {
  private readonly attempts = new Map<string, Attempts>();

  constructor(private readonly auth: AuthConfig) {}

  private get config(): AuthConfig['login'] {
    return this.auth.login;
  }

  /** The time the lock ends, when `ip` or `username` is locked now. */
  lockedUntil(ip: string, username: string, now = Date.now()): number | undefined {
    let until = 0;
    for (const key of keys(ip, username)) {
      const entry = this.attempts.get(key);
      if (entry !== undefined && entry.lockedUntil > now)
        until = Math.max(until, entry.lockedUntil);
    }
    return until > 0 ? until : undefined;
  }

  /** Counts a failure; returns the lock's end when this failure locked the IP or username. */
  fail(ip: string, username: string, now = Date.now()): number | undefined {
    const window = this.windowMs();
    let locked: number | undefined;
    for (const key of keys(ip, username)) {
      const entry = this.attempts.get(key) ?? { failures: [], lockedUntil: 0 };
      entry.failures = entry.failures.filter((time) => time > now - window);
      entry.failures.push(now);
      if (entry.failures.length >= this.config.max_attempts) {
        entry.lockedUntil = now + window;
        entry.failures = [];
        locked = Math.max(locked ?? 0, entry.lockedUntil);
      }
      this.attempts.delete(key);
      this.attempts.set(key, entry);
    }
    this.sweep(now);
    return locked;
  }

  succeed(ip: string, username: string): void {
    for (const key of keys(ip, username)) this.attempts.delete(key);
  }

  private windowMs(): number {
    return Math.max(1000, this.config.lockout);
  }

  private sweep(now: number): void {
    if (this.attempts.size <= MAX_TRACKED) return;
    const window = this.windowMs();
    for (const [key, entry] of this.attempts) {
      if (entry.lockedUntil <= now && entry.failures.every((time) => time <= now - window)) {
        this.attempts.delete(key);
      }
    }
    // Insertion order is recency order (fail() re-inserts): drop the oldest beyond the cap.
    for (const key of this.attempts.keys()) {
      if (this.attempts.size <= MAX_TRACKED) break;
      this.attempts.delete(key);
    }
  }
}

function keys(ip: string, username: string): string[] {
  return [`ip:${ip}`, `user:${username.toLowerCase()}`];
}
