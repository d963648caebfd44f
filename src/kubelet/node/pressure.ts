// Node conditions from eviction signals: each signal is compared with its
// hard eviction threshold (kubelet defaults memory.available<100Mi,
// nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15%,
// imagefs.inodesFree<5%), and the breaches become MemoryPressure, DiskPressure
// and PIDPressure. Ready comes from the runtime's health.

import { Quantity } from '../../api/quantity.js';
import type { NodeSignals } from './signals.js';

export const SIGNALS = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'pid.available',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** quantity: an absolute amount (bytes, inodes, pids); percentage: a fraction of capacity (0.1 for "10%"). */
export type Threshold = { quantity: number } | { percentage: number };
export type EvictionThresholds = Partial<Record<Signal, Threshold>>;

/** Parses "10%" the way the kubelet does: a float32 divided by 100 in float32. */
export function parsePercentage(text: string): number {
  const v = Number(text.replace(/%+$/, ''));
  if (!Number.isFinite(v) || text.trim() === '%') throw new Error(`invalid percentage ${JSON.stringify(text)}`);
  return Math.fround(Math.fround(v) / 100);
}

/** "memory.available<100Mi,nodefs.available<10%" (the --eviction-hard syntax). */
export function parseEvictionHard(spec: string): EvictionThresholds {
  const out: EvictionThresholds = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = part.match(/^([^<]+)<(.+)$/);
    if (!m) throw new Error(`invalid eviction threshold syntax ${JSON.stringify(part)}, expected <signal><operator><value>`);
    const signal = m[1].trim();
    if (!(SIGNALS as readonly string[]).includes(signal)) throw new Error(`unsupported eviction signal ${signal}`);
    const value = m[2].trim();
    if (value.endsWith('%')) {
      const p = parsePercentage(value);
      if (p < 0 || p > 1) throw new Error(`eviction percentage threshold ${signal} must be >= 0% and <= 100%: ${value}`);
      out[signal as Signal] = { percentage: p };
    } else {
      const q = Quantity.parse(value);
      if (q.sign() < 0) throw new Error(`eviction threshold ${signal} must be positive: ${value}`);
      out[signal as Signal] = { quantity: q.value() };
    }
  }
  return out;
}

export const DEFAULT_EVICTION_HARD: EvictionThresholds = parseEvictionHard(
  'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%,imagefs.inodesFree<5%',
);

/** The threshold as an absolute amount of a resource with this capacity (the kubelet truncates percentages). */
export function thresholdAmount(t: Threshold, capacity: number): number {
  return 'quantity' in t ? t.quantity : Math.trunc(capacity * t.percentage);
}

/** The signals whose observed value is below their threshold. */
export function breachedSignals(s: NodeSignals, thresholds: EvictionThresholds): Set<Signal> {
  const observed: Partial<Record<Signal, { available: number; capacity: number }>> = {};
  if (s.memory) observed['memory.available'] = { available: s.memory.availableBytes, capacity: s.memory.capacityBytes };
  if (s.nodefs) {
    observed['nodefs.available'] = { available: s.nodefs.availableBytes, capacity: s.nodefs.capacityBytes };
    observed['nodefs.inodesFree'] = { available: s.nodefs.inodesFree, capacity: s.nodefs.inodes };
  }
  if (s.imagefs) {
    observed['imagefs.available'] = { available: s.imagefs.availableBytes, capacity: s.imagefs.capacityBytes };
    observed['imagefs.inodesFree'] = { available: s.imagefs.inodesFree, capacity: s.imagefs.inodes };
  }
  if (s.pid) observed['pid.available'] = { available: s.pid.available, capacity: s.pid.max };
  const out = new Set<Signal>();
  for (const signal of SIGNALS) {
    const t = thresholds[signal];
    const o = observed[signal];
    // Filesystems without inode accounting report 0 inodes: never pressure.
    if (!t || !o || o.capacity <= 0) continue;
    if (o.available < thresholdAmount(t, o.capacity)) out.add(signal);
  }
  return out;
}

export interface Pressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

export function pressureOf(breached: Set<Signal>): Pressure {
  return {
    memory: breached.has('memory.available'),
    disk: ['nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree'].some((s) => breached.has(s as Signal)),
    pid: breached.has('pid.available'),
  };
}

/**
 * Like the kubelet's eviction-pressure-transition-period (default 5 min): a
 * condition goes back to False only after it has been clear that long.
 */
export class PressureTracker {
  private lastSeen: Record<keyof Pressure, number | undefined> = { memory: undefined, disk: undefined, pid: undefined };

  constructor(private readonly transitionMs = 5 * 60_000) {}

  observe(p: Pressure, nowMs: number): Pressure {
    const out = { memory: false, disk: false, pid: false };
    for (const k of ['memory', 'disk', 'pid'] as const) {
      if (p[k]) this.lastSeen[k] = nowMs;
      const seen = this.lastSeen[k];
      out[k] = p[k] || (seen !== undefined && nowMs - seen < this.transitionMs);
    }
    return out;
  }
}

export interface ConditionSpec {
  type: 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'Ready';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** Joins errors as the kubelet's error aggregate prints them: one as is, several as "[a, b]" (duplicates dropped). */
export function aggregateMessage(errs: string[]): string {
  const seen = [...new Set(errs)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/** The four kubelet conditions, in the kubelet's order. readyErrors empty means Ready. */
export function nodeConditions(p: Pressure, readyErrors: string[]): ConditionSpec[] {
  return [
    p.memory
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    p.disk
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    p.pid
      ? { type: 'PIDPressure', status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' }
      : { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    readyErrors.length === 0
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregateMessage(readyErrors) },
  ];
}

/** The Node event the kubelet records when a condition takes this status ("NodeHasSufficientMemory", "NodeNotReady", …). */
export function conditionEvent(c: Pick<ConditionSpec, 'type' | 'status'>): string {
  const on = c.status === 'True';
  switch (c.type) {
    case 'MemoryPressure':
      return on ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
    case 'DiskPressure':
      return on ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure';
    case 'PIDPressure':
      return on ? 'NodeHasInsufficientPID' : 'NodeHasSufficientPID';
    case 'Ready':
      return on ? 'NodeReady' : 'NodeNotReady';
  }
}
