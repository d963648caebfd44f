// Per-resource behaviour on top of the generic storage (Kubernetes calls these
// "strategies"): defaulting, status handling, validation, deletion rules.

import type { ResourceDef } from '../api/resources.js';
import { apiVersionOf } from '../api/resources.js';
import type { FieldError } from '../api/validation/field-error.js';
import { validateCreate, validateUpdate } from '../api/validation/index.js';
import { applyDefaults } from '../api/defaults/index.js';
import { qosClass } from '../api/qos.js';
import { recordUpdate } from '../api/patch/server-side-apply.js';
import { typeByName } from '../api/schema/index.js';
import type { DeleteOptions, WriteContext } from './registry.js';
import { rfc3339 } from './registry.js';
import { ApiError } from './status.js';

export type DeletePlan = { kind: 'now' } | { kind: 'mark'; obj: any };

export interface Strategy {
  prepareForCreate(obj: any, ctx: WriteContext): void;
  validateCreate(obj: any): FieldError[];
  /** Runs after validation succeeded (allocations such as a Service's clusterIP). */
  afterValidateCreate?(obj: any, ctx: WriteContext): void;
  prepareForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): void;
  validateUpdate(obj: any, old: any, subresource?: string): FieldError[];
  afterValidateUpdate?(obj: any, old: any, ctx: WriteContext): void;
  managedFieldsForCreate(obj: any, ctx: WriteContext): any[];
  managedFieldsForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): any[];
  planDelete(current: any, opts: DeleteOptions, ctx: WriteContext): DeletePlan;
  /** An object marked for deletion whose finalizers are all gone may be removed now. */
  canRemoveAfterFinalizers(obj: any): boolean;
}

export class DefaultStrategy implements Strategy {
  protected readonly hasStatus: boolean;

  constructor(readonly def: ResourceDef) {
    this.hasStatus = def.subresources.includes('status');
  }

  prepareForCreate(obj: any, _ctx: WriteContext): void {
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    applyDefaults(this.def.kind, obj);
  }

  validateCreate(obj: any): FieldError[] {
    return validateCreate(this.def.kind, obj);
  }

  prepareForUpdate(obj: any, old: any, _ctx: WriteContext, subresource?: string): void {
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    if (subresource === 'status') {
      // A status write changes status only (and labels/annotations, as Kubernetes allows).
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const k of Object.keys(old)) if (k !== 'status' && k !== 'metadata') obj[k] = structuredClone(old[k]);
      if (obj.metadata) {
        obj.metadata.finalizers = old.metadata.finalizers;
        obj.metadata.ownerReferences = old.metadata.ownerReferences;
        for (const k of ['finalizers', 'ownerReferences'] as const) if (obj.metadata[k] === undefined) delete obj.metadata[k];
      }
      return;
    }
    applyDefaults(this.def.kind, obj);
    if (this.hasStatus) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
  }

  validateUpdate(obj: any, old: any, subresource?: string): FieldError[] {
    if (subresource === 'status') return [];
    return validateUpdate(this.def.kind, obj, old);
  }

  managedFieldsForCreate(obj: any, ctx: WriteContext): any[] {
    if (ctx.managedFieldsSet) return obj.metadata.managedFields ?? [];
    return this.record(undefined, obj, ctx);
  }

  managedFieldsForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): any[] {
    if (ctx.managedFieldsSet) return obj.metadata.managedFields ?? [];
    return this.record(old, obj, ctx, subresource);
  }

  private record(old: any, obj: any, ctx: WriteContext, subresource?: string): any[] {
    const typeName = this.def.typeName;
    return recordUpdate({
      old,
      new: obj,
      manager: ctx.fieldManager,
      apiVersion: apiVersionOf(this.def),
      now: ctx.now,
      rootTypeName: typeName,
      lookup: typeByName,
      subresource,
    });
  }

  planDelete(current: any, _opts: DeleteOptions, ctx: WriteContext): DeletePlan {
    if (current.metadata.finalizers?.length) {
      if (!current.metadata.deletionTimestamp) {
        current.metadata.deletionTimestamp = rfc3339(ctx.now);
        current.metadata.deletionGracePeriodSeconds = 0;
      }
      return { kind: 'mark', obj: current };
    }
    return { kind: 'now' };
  }

  canRemoveAfterFinalizers(_obj: any): boolean {
    return true;
  }
}

export class PodStrategy extends DefaultStrategy {
  constructor(
    def: ResourceDef,
    /** PriorityClass lookup for the Priority admission step (by name; undefined name = the global default). */
    private readonly priorityClasses: () => Iterable<any> = () => [],
  ) {
    super(def);
  }

  override prepareForCreate(obj: any, ctx: WriteContext): void {
    super.prepareForCreate(obj, ctx);
    this.admitPriority(obj);
    obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
  }

  /** Kubernetes' Priority admission: spec.priority comes from the PriorityClass (or the global default). */
  private admitPriority(pod: any): void {
    const spec = (pod.spec ??= {});
    const name: string | undefined = spec.priorityClassName;
    let pc: any;
    for (const c of this.priorityClasses()) {
      if (name ? c.metadata.name === name : c.globalDefault) {
        pc = c;
        break;
      }
    }
    if (name && !pc) {
      throw new ApiError(403, 'Forbidden', `pods "${pod.metadata?.name ?? ''}" is forbidden: no PriorityClass with name ${name} was found`, {
        name: pod.metadata?.name,
        kind: 'pods',
      });
    }
    const value = pc ? pc.value : 0;
    if (spec.priority !== undefined && spec.priority !== value) {
      throw new ApiError(403, 'Forbidden', `pods "${pod.metadata?.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`, {
        name: pod.metadata?.name,
        kind: 'pods',
      });
    }
    spec.priority = value;
    if (pc) {
      spec.priorityClassName = pc.metadata.name;
      spec.preemptionPolicy = pc.preemptionPolicy ?? 'PreemptLowerPriority';
    }
  }

  // pods/binding writes storage directly in Kubernetes: no defaulting, no update validation
  // (spec.nodeName is otherwise immutable), managedFields untouched.
  override prepareForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): void {
    if (subresource !== 'binding') super.prepareForUpdate(obj, old, ctx, subresource);
  }

  override validateUpdate(obj: any, old: any, subresource?: string): FieldError[] {
    return subresource === 'binding' ? [] : super.validateUpdate(obj, old, subresource);
  }

  override managedFieldsForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): any[] {
    return subresource === 'binding' ? (old.metadata.managedFields ?? []) : super.managedFieldsForUpdate(obj, old, ctx, subresource);
  }

  override planDelete(current: any, opts: DeleteOptions, ctx: WriteContext): DeletePlan {
    const meta = current.metadata;
    let grace = opts.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
    // Pods that never reached a node, or that already finished, have nothing to stop.
    const phase = current.status?.phase;
    if (!current.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace < 0) grace = 1;
    if (meta.deletionTimestamp) {
      if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds <= grace) {
        return { kind: 'mark', obj: current };
      }
    }
    if (grace === 0) {
      if (meta.finalizers?.length) {
        meta.deletionTimestamp ??= rfc3339(ctx.now);
        meta.deletionGracePeriodSeconds = 0;
        return { kind: 'mark', obj: current };
      }
      return { kind: 'now' };
    }
    meta.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    return { kind: 'mark', obj: current };
  }

  override canRemoveAfterFinalizers(obj: any): boolean {
    // A graceful pod still waits for its kubelet to confirm with grace 0.
    return !obj.metadata.deletionGracePeriodSeconds;
  }
}

export class NamespaceStrategy extends DefaultStrategy {
  override prepareForCreate(obj: any, ctx: WriteContext): void {
    super.prepareForCreate(obj, ctx);
    obj.spec = { ...(obj.spec ?? {}), finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  }

  override prepareForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): void {
    if (subresource === 'finalize') {
      const finalizers = obj.spec?.finalizers;
      obj.spec = structuredClone(old.spec ?? {});
      if (finalizers?.length) obj.spec.finalizers = finalizers;
      else delete obj.spec.finalizers;
      obj.status = structuredClone(old.status);
      return;
    }
    super.prepareForUpdate(obj, old, ctx, subresource);
    // spec.finalizers changes only through /finalize.
    if (subresource !== 'status') obj.spec = structuredClone(old.spec ?? {});
  }

  override planDelete(current: any, _opts: DeleteOptions, ctx: WriteContext): DeletePlan {
    if (!current.metadata.deletionTimestamp) {
      current.metadata.deletionTimestamp = rfc3339(ctx.now);
      current.metadata.deletionGracePeriodSeconds = 0;
      current.status = { ...(current.status ?? {}), phase: 'Terminating' };
    }
    if (!current.spec?.finalizers?.length && !current.metadata.finalizers?.length) return { kind: 'now' };
    return { kind: 'mark', obj: current };
  }

  override canRemoveAfterFinalizers(obj: any): boolean {
    return !obj.spec?.finalizers?.length;
  }
}

export class WorkloadStrategy extends DefaultStrategy {
  override prepareForCreate(obj: any, ctx: WriteContext): void {
    super.prepareForCreate(obj, ctx);
    obj.status = {};
  }
}
