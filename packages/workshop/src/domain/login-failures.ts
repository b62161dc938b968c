export interface LoginFailureWindowOptions {
  /** How far back failures count. Default 15 minutes, the usual lock-out window. */
  windowMs?: number;
  /** Failures in the window from which a failure is logged at WARN (R16). Default 3. */
  warnAt?: number;
  /** Logins and addresses remembered at most; the stalest are forgotten first. Default 100,000. */
  maxKeys?: number;
  /** The clock, for tests. */
  now?: () => number;
}

// Counts saturate here: a brute force from one address is obvious long before, and memory stays bounded.
const MAX_PER_KEY = 1_000;

export interface LoginFailureCount {
  byLogin: number;
  byIp: number;
  /** The larger of the two: what R16 reports as `failures in window`. */
  failuresInWindow: number;
  /** `failuresInWindow` reached `warnAt`: a guessed password or a brute force from one address. */
  suspicious: boolean;
}

/**
 * Counts failed logins per login and per client address in a sliding window (R16). A guesser
 * trying many logins from one address shows in `byIp`; many addresses on one login in `byLogin`.
 * Held in memory: one service process counts its own logins.
 */
export class LoginFailureWindow {
  private readonly windowMs: number;
  private readonly warnAt: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  // Timestamps of failures, oldest first, per key ("login:…" or "ip:…"); Map order is least recently failed first.
  private readonly failures = new Map<string, number[]>();

  constructor(options: LoginFailureWindowOptions = {}) {
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.warnAt = options.warnAt ?? 3;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Records one failure and returns the counts in the window, this one included. */
  recordFailure(login: string, ip: string): LoginFailureCount {
    const now = this.now();
    const byLogin = this.add(`login:${login.toLowerCase()}`, now);
    const byIp = this.add(`ip:${ip}`, now);
    const failuresInWindow = Math.max(byLogin, byIp);
    return { byLogin, byIp, failuresInWindow, suspicious: failuresInWindow >= this.warnAt };
  }

  /** A successful login clears its login's failures; the address keeps its count. */
  recordSuccess(login: string): void {
    this.failures.delete(`login:${login.toLowerCase()}`);
  }

  private add(key: string, now: number): number {
    const kept = this.failures.get(key) ?? [];
    while (kept.length > 0 && (now - kept[0]! >= this.windowMs || kept.length >= MAX_PER_KEY)) kept.shift();
    kept.push(now);
    this.failures.delete(key);
    this.failures.set(key, kept);
    if (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
    return kept.length;
  }
}
