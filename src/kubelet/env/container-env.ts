// A container's environment, built as the kubelet's makeEnvironmentVariables
// does: envFrom sources first (later sources and then env entries override
// earlier ones), env entries in order with `$(VAR)` expansion against what is
// already defined plus the service variables, then the service variables that
// nothing overrode.

import type { KubeObject } from '../../client/index.js';
import { ContainerConfigError, type EnvService, type KubeletContext } from '../contracts.js';
import type { KeyValue } from '../cri/api.js';
import {
  ObjectNotFoundError,
  configMapBytes,
  getConfigMap,
  getMasterService,
  getNodeAllocatable,
  getSecret,
  listServices,
  secretBytes,
} from './api-objects.js';
import { isEnvVarName } from './env-names.js';
import { expand, mappingFor } from '../expansion.js';
import { podFieldValue } from './field-ref.js';
import { containerResourceValue } from './resource-ref.js';
import { serviceEnvVars } from './service-env.js';

export interface ContainerEnvOptions {
  ctx: KubeletContext;
  /** Services from a shared informer (the kubelet's service lister); without it they are read from the API per container. */
  services?: { inNamespace(ns: string): KubeObject[]; get(ns: string, name: string): KubeObject | undefined };
}

type Source = { kind: 'configmap'; data: Map<string, string> } | { kind: 'secret'; data: Map<string, string> };

function asText(bytes: Map<string, Buffer>): Map<string, string> {
  return new Map([...bytes].map(([k, v]) => [k, v.toString('utf8')]));
}

export class ContainerEnv implements EnvService {
  private readonly ctx: KubeletContext;
  private readonly services?: ContainerEnvOptions['services'];

  constructor(opts: ContainerEnvOptions) {
    this.ctx = opts.ctx;
    this.services = opts.services;
  }

  async envFor(pod: KubeObject, container: any, podIP: string): Promise<KeyValue[]> {
    try {
      return await this.build(pod, container, podIP);
    } catch (e) {
      if (e instanceof ContainerConfigError) throw e;
      throw new ContainerConfigError(e instanceof Error ? e.message : String(e));
    }
  }

  /** The service variables a pod in this namespace sees (default/kubernetes always; the namespace's when enableServiceLinks). */
  async serviceEnv(pod: KubeObject): Promise<Map<string, string>> {
    const ns = pod.metadata.namespace ?? 'default';
    const links = pod.spec?.enableServiceLinks !== false;
    const byName = new Map<string, KubeObject>();
    try {
      const master = this.services ? this.services.get('default', 'kubernetes') : await getMasterService(this.ctx.client);
      if (master) byName.set('kubernetes', master);
      const inNs = links ? (this.services ? this.services.inNamespace(ns) : await listServices(this.ctx.client, ns)) : [];
      for (const svc of inNs) byName.set(svc.metadata.name!, svc);
    } catch {
      throw new ContainerConfigError('failed to list services when setting up env vars');
    }
    const services = [...byName.values()].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    return new Map(serviceEnvVars(services).map((v) => [v.name, v.value]));
  }

  private async build(pod: KubeObject, container: any, podIP: string): Promise<KeyValue[]> {
    const ns = pod.metadata.namespace ?? 'default';
    const serviceEnv = await this.serviceEnv(pod);
    const sources = new Map<string, Source>();
    const load = async (kind: 'configmap' | 'secret', name: string, optional: boolean): Promise<Source | undefined> => {
      const key = `${kind}/${name}`;
      const cached = sources.get(key);
      if (cached) return cached;
      try {
        const src: Source =
          kind === 'configmap'
            ? { kind, data: asText(configMapBytes(await getConfigMap(this.ctx.client, ns, name))) }
            : { kind, data: asText(secretBytes(await getSecret(this.ctx.client, ns, name))) };
        sources.set(key, src);
        return src;
      } catch (e) {
        if (e instanceof ObjectNotFoundError && optional) return undefined;
        throw e;
      }
    };

    const env = new Map<string, string>();
    for (const from of container.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      if (!ref) continue;
      const kind = from.configMapRef ? 'configmap' : 'secret';
      const src = await load(kind, ref.name, ref.optional === true);
      if (!src) continue;
      const invalid: string[] = [];
      for (const [k, v] of src.data) {
        const name = (from.prefix ?? '') + k;
        if (!isEnvVarName(name)) invalid.push(name);
        else env.set(name, v);
      }
      if (invalid.length > 0) {
        invalid.sort();
        const what = kind === 'configmap' ? 'configMap' : 'secret';
        this.ctx.recorder.event(
          pod,
          'Warning',
          'InvalidEnvironmentVariableNames',
          `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
        );
      }
    }

    const mapping = mappingFor(env, serviceEnv);
    const addr = { podIPs: podIP ? [podIP] : [], hostIPs: this.ctx.nodeIP ? [this.ctx.nodeIP] : [] };
    let allocatable: Record<string, string> | undefined;
    for (const e of container.env ?? []) {
      let value: string = e.value ?? '';
      if (value !== '') {
        value = expand(value, mapping);
      } else if (e.valueFrom) {
        const vf = e.valueFrom;
        if (vf.fieldRef) {
          value = podFieldValue(pod, vf.fieldRef.fieldPath, addr);
        } else if (vf.resourceFieldRef) {
          allocatable ??= await getNodeAllocatable(this.ctx.client, this.ctx.nodeName);
          value = containerResourceValue(vf.resourceFieldRef, pod, container, allocatable);
        } else if (vf.configMapKeyRef || vf.secretKeyRef) {
          const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
          const kind = vf.configMapKeyRef ? 'configmap' : 'secret';
          const optional = ref.optional === true;
          const src = await load(kind, ref.name, optional);
          if (!src) continue;
          const v = src.data.get(ref.key);
          if (v === undefined) {
            if (optional) continue;
            throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
          }
          value = v;
        }
      }
      env.set(e.name, value);
    }

    const out: KeyValue[] = [...env].map(([key, value]) => ({ key, value }));
    for (const [key, value] of serviceEnv) if (!env.has(key)) out.push({ key, value });
    return out;
  }
}
