// The scheduler's --config file: Kubernetes' KubeSchedulerConfiguration shape
// (profiles, plugins enabled/disabled with weights, pluginConfig args,
// percentageOfNodesToScore), reduced to what Skiff implements.

import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { defaultProfile, pluginFactories, type ProfileConfig } from './plugins/registry.js';

export interface SchedulerProfileConfig extends ProfileConfig {
  args: Record<string, Record<string, unknown>>;
  percentageOfNodesToScore: number;
}

export interface SchedulerConfig {
  profiles: SchedulerProfileConfig[];
}

interface PluginRef {
  name: string;
  weight?: number;
}

interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export function defaultSchedulerConfig(): SchedulerConfig {
  return { profiles: [{ ...structuredClone(defaultProfile), args: {}, percentageOfNodesToScore: 0 }] };
}

/** Apply one profile's plugins section to the default plugin list. */
function applyPlugins(base: ProfileConfig['plugins'], plugins: Record<string, PluginSet> | undefined): ProfileConfig['plugins'] {
  let list = base.map((p) => ({ ...p }));
  for (const [point, set] of Object.entries(plugins ?? {})) {
    for (const d of set.disabled ?? []) {
      if (d.name === '*') list = [];
      else list = list.filter((p) => p.name !== d.name);
    }
    for (const e of set.enabled ?? []) {
      if (!pluginFactories[e.name]) throw new Error(`scheduler config: plugin "${e.name}" does not exist (profiles[].plugins.${point})`);
      const existing = list.find((p) => p.name === e.name);
      if (existing) {
        if (e.weight !== undefined) existing.weight = e.weight;
      } else list.push({ name: e.name, weight: e.weight ?? 1 });
    }
  }
  return list;
}

export function parseSchedulerConfig(text: string): SchedulerConfig {
  const doc = parseYaml(text) ?? {};
  if (doc.kind && doc.kind !== 'KubeSchedulerConfiguration') throw new Error(`scheduler config: kind must be KubeSchedulerConfiguration, not ${doc.kind}`);
  const globalPct = Number(doc.percentageOfNodesToScore ?? 0);
  if (!Number.isFinite(globalPct) || globalPct < 0 || globalPct > 100) throw new Error('scheduler config: percentageOfNodesToScore must be between 0 and 100');
  const profiles: SchedulerProfileConfig[] = (doc.profiles?.length ? doc.profiles : [{}]).map((p: any) => {
    const args: Record<string, Record<string, unknown>> = {};
    for (const pc of p.pluginConfig ?? []) args[pc.name] = pc.args ?? {};
    const pct = p.percentageOfNodesToScore ?? globalPct;
    return {
      schedulerName: p.schedulerName ?? 'default-scheduler',
      plugins: applyPlugins(defaultProfile.plugins, p.plugins),
      args,
      percentageOfNodesToScore: Number(pct),
    };
  });
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.schedulerName)) throw new Error(`scheduler config: duplicate profile ${p.schedulerName}`);
    names.add(p.schedulerName);
  }
  return { profiles };
}

export function loadSchedulerConfig(path?: string): SchedulerConfig {
  return path ? parseSchedulerConfig(fs.readFileSync(path, 'utf8')) : defaultSchedulerConfig();
}
