// Shared names and value sets for the core/v1 type descriptions.
import { ref, type GVK, type TypeRef } from './dsl.js';

export const CORE = 'io.k8s.api.core.v1.';
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Reference to another core/v1 type by its short name (e.g. 'PodSpec'). */
export const core = (name: string): TypeRef => ref(CORE + name);
/** Reference to an apimachinery meta/v1 type by its short name (e.g. 'ObjectMeta'). */
export const meta = (name: string): TypeRef => ref(META + name);

export const coreGVK = (kind: string): GVK => ({ group: '', version: 'v1', kind });

// Fixed value sets (Kubernetes +enum types), sorted as the OpenAPI document lists them.
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export const CONDITION_STATUS = ['False', 'True', 'Unknown'] as const;
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;
export const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;

export const METADATA_DOC =
  "Standard object metadata (name, namespace, labels, annotations, ...). See the API conventions on metadata.";
