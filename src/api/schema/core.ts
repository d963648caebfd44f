// All core/v1 (legacy group "") type descriptions, concatenated. Source of truth: k8s.io/api v1.32.
import type { TypeDef } from './dsl.js';
import { containerTypes } from './core-container.js';
import { legacyVolumeTypes } from './core-volume-legacy.js';
import { nodeTypes } from './core-node.js';
import { otherTypes } from './core-other.js';
import { podTypes } from './core-pod.js';
import { schedulingTypes } from './core-scheduling.js';
import { securityTypes } from './core-security.js';
import { serviceTypes } from './core-service.js';
import { volumeTypes } from './core-volume.js';

export const coreV1Types: TypeDef[] = [
  ...podTypes,
  ...containerTypes,
  ...securityTypes,
  ...schedulingTypes,
  ...volumeTypes,
  ...legacyVolumeTypes,
  ...nodeTypes,
  ...serviceTypes,
  ...otherTypes,
];
