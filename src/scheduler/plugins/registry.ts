// The one place scheduler plugins are registered, and Kubernetes 1.32's default
// profile (pkg/scheduler/apis/config/v1/default_plugins.go) restricted to the
// plugins Skiff implements here. PrioritySort, the volume plugins,
// DefaultPreemption and DefaultBinder live elsewhere or do not apply.

import { isFilter, isPreFilter, isPreScore, isScore, type FilterPlugin, type Plugin, type PluginFactory, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework.js';
import { BALANCED_ALLOCATION, newBalancedAllocation } from './balanced-allocation.js';
import { IMAGE_LOCALITY, newImageLocality } from './image-locality.js';
import { INTER_POD_AFFINITY, newInterPodAffinity } from './inter-pod-affinity.js';
import { NODE_AFFINITY, newNodeAffinity } from './node-affinity.js';
import { NODE_NAME, newNodeName } from './node-name.js';
import { NODE_PORTS, newNodePorts } from './node-ports.js';
import { NODE_RESOURCES_FIT, newNodeResourcesFit } from './node-resources-fit.js';
import { NODE_UNSCHEDULABLE, newNodeUnschedulable } from './node-unschedulable.js';
import { POD_TOPOLOGY_SPREAD, newPodTopologySpread } from './pod-topology-spread.js';
import { SCHEDULING_GATES, newSchedulingGates } from './scheduling-gates.js';
import { TAINT_TOLERATION, newTaintToleration } from './taint-toleration.js';

export const pluginFactories: Record<string, PluginFactory> = {
  [SCHEDULING_GATES]: () => newSchedulingGates(),
  [NODE_UNSCHEDULABLE]: () => newNodeUnschedulable(),
  [NODE_NAME]: () => newNodeName(),
  [TAINT_TOLERATION]: () => newTaintToleration(),
  [NODE_AFFINITY]: (ctx) => newNodeAffinity(ctx),
  [NODE_PORTS]: () => newNodePorts(),
  [NODE_RESOURCES_FIT]: (ctx) => newNodeResourcesFit(ctx),
  [POD_TOPOLOGY_SPREAD]: (ctx) => newPodTopologySpread(ctx),
  [INTER_POD_AFFINITY]: (ctx) => newInterPodAffinity(ctx),
  [BALANCED_ALLOCATION]: (ctx) => newBalancedAllocation(ctx),
  [IMAGE_LOCALITY]: () => newImageLocality(),
};

export interface ProfilePluginEntry {
  name: string;
  /** Score weight; only meaningful for plugins with a Score extension point. */
  weight: number;
}

export interface ProfileConfig {
  schedulerName: string;
  plugins: ProfilePluginEntry[];
}

/** Kubernetes' MultiPoint order and score weights. */
export const defaultProfile: Readonly<ProfileConfig> = Object.freeze({
  schedulerName: 'default-scheduler',
  plugins: Object.freeze([
    { name: SCHEDULING_GATES, weight: 0 },
    { name: NODE_UNSCHEDULABLE, weight: 0 },
    { name: NODE_NAME, weight: 0 },
    { name: TAINT_TOLERATION, weight: 3 },
    { name: NODE_AFFINITY, weight: 2 },
    { name: NODE_PORTS, weight: 0 },
    { name: NODE_RESOURCES_FIT, weight: 1 },
    { name: POD_TOPOLOGY_SPREAD, weight: 2 },
    { name: INTER_POD_AFFINITY, weight: 2 },
    { name: BALANCED_ALLOCATION, weight: 1 },
    { name: IMAGE_LOCALITY, weight: 1 },
  ]) as ProfilePluginEntry[],
});

export interface InstantiatedPlugins {
  plugins: Plugin[];
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: { plugin: ScorePlugin; weight: number }[];
}

/**
 * Builds a profile's plugins in order and sorts them into extension points.
 * `args` are per-plugin args (NodeResourcesFitArgs etc.). A score plugin with weight 0 gets 1, as Kubernetes defaults it.
 */
export function instantiatePlugins(profile: Readonly<ProfileConfig> = defaultProfile, args: Record<string, Record<string, unknown>> = {}): InstantiatedPlugins {
  const out: InstantiatedPlugins = { plugins: [], preFilter: [], filter: [], preScore: [], score: [] };
  for (const entry of profile.plugins) {
    const factory = pluginFactories[entry.name];
    if (!factory) throw new Error(`plugin "${entry.name}" does not exist`);
    const plugin = factory({ args: args[entry.name] ?? {} });
    out.plugins.push(plugin);
    if (isPreFilter(plugin)) out.preFilter.push(plugin);
    if (isFilter(plugin)) out.filter.push(plugin);
    if (isPreScore(plugin)) out.preScore.push(plugin);
    if (isScore(plugin)) out.score.push({ plugin, weight: entry.weight > 0 ? entry.weight : 1 });
  }
  return out;
}
