// The one description of every API type. OpenAPI, strict field validation,
// strategic merge patch and the protobuf decoder are all derived from it, so
// adding a field is a one-place change.

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** The shape of a value. Wire notes: JSON form / protobuf form. */
export type TypeRef =
  | { t: 'string'; enum?: readonly string[] } // JSON string / proto string
  | { t: 'int32' } // JSON number / proto varint
  | { t: 'int64' } // JSON number / proto varint
  | { t: 'double' } // JSON number / proto fixed64 double
  | { t: 'boolean' } // JSON bool / proto varint
  | { t: 'bytes' } // []byte: base64 string / proto bytes
  | { t: 'quantity' } // resource.Quantity: "250m" / message {1: string}
  | { t: 'intOrString' } // 8080 or "http" / message {1: type, 2: intVal, 3: strVal}
  | { t: 'time' } // metav1.Time: RFC 3339 / message {1: seconds, 2: nanos}
  | { t: 'microTime' } // metav1.MicroTime: RFC 3339 with micros / same message
  | { t: 'duration' } // metav1.Duration: "1m0s" / message {1: int64 nanoseconds}
  | { t: 'raw' } // runtime.RawExtension / free-form JSON: any JSON / message {1: raw bytes}
  | { t: 'fieldsV1' } // managedFields[].fieldsV1: free JSON / message {1: raw bytes}
  | { t: 'ref'; name: string } // another named TypeDef
  | { t: 'array'; of: TypeRef }
  | { t: 'map'; of: TypeRef }; // map[string]X: JSON object / repeated entry {1: key, 2: value}

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface FieldDef {
  /** JSON name */
  json: string;
  type: TypeRef;
  /** Short description in our own words (shown by kubectl explain). */
  doc: string;
  /** Protobuf field number from Kubernetes' generated.proto; 0 = not on the proto wire (apiVersion/kind). */
  proto: number;
  required?: boolean;
  /** Go pointer (optional) field: a zero value sent on the proto wire is meaningful and kept. */
  pointer?: boolean;
  /** JSON-inline embedded struct (e.g. Volume embeds VolumeSource). In proto it is a nested message. */
  inline?: boolean;
  /** Default applied by the API server when the field is absent (documentation + defaulting). */
  default?: unknown;
  /** Strategic merge patch: x-kubernetes-patch-strategy */
  patchStrategy?: PatchStrategy;
  /** Strategic merge patch: x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
}

export interface TypeDef {
  /** Full OpenAPI name, e.g. io.k8s.api.core.v1.PodSpec */
  name: string;
  doc: string;
  fields: FieldDef[];
  /** Set on top-level kinds (they also get apiVersion/kind fields). */
  gvk?: GVK;
}

// ---- builders: keep the data files short and readable ----

export const str = (enumValues?: readonly string[]): TypeRef =>
  enumValues ? { t: 'string', enum: enumValues } : { t: 'string' };
export const int32 = (): TypeRef => ({ t: 'int32' });
export const int64 = (): TypeRef => ({ t: 'int64' });
export const double = (): TypeRef => ({ t: 'double' });
export const bool = (): TypeRef => ({ t: 'boolean' });
export const bytes = (): TypeRef => ({ t: 'bytes' });
export const quantity = (): TypeRef => ({ t: 'quantity' });
export const intOrString = (): TypeRef => ({ t: 'intOrString' });
export const time = (): TypeRef => ({ t: 'time' });
export const microTime = (): TypeRef => ({ t: 'microTime' });
export const duration = (): TypeRef => ({ t: 'duration' });
export const raw = (): TypeRef => ({ t: 'raw' });
export const fieldsV1 = (): TypeRef => ({ t: 'fieldsV1' });
export const ref = (name: string): TypeRef => ({ t: 'ref', name });
export const array = (of: TypeRef): TypeRef => ({ t: 'array', of });
export const map = (of: TypeRef): TypeRef => ({ t: 'map', of });

export type FieldOptions = Omit<FieldDef, 'json' | 'type' | 'doc' | 'proto'>;

/** A field: proto number, type, doc, options. */
export function field(proto: number, type: TypeRef, doc: string, opts: FieldOptions = {}): Omit<FieldDef, 'json'> {
  return { proto, type, doc, ...opts };
}

const typeMetaFields = (): FieldDef[] => [
  {
    json: 'apiVersion',
    proto: 0,
    type: str(),
    doc: 'APIVersion defines the versioned schema of this representation of an object. Servers convert recognized schemas to the latest internal value and may reject unrecognized values.',
  },
  {
    json: 'kind',
    proto: 0,
    type: str(),
    doc: 'Kind is a string value naming the REST resource this object represents, in CamelCase. Servers may infer it from the endpoint the client submits requests to.',
  },
];

/** Declare a type. Field order is the order given (it is the order explain prints and we serialise in). */
export function type(
  name: string,
  doc: string,
  fields: Record<string, Omit<FieldDef, 'json'>>,
  gvk?: GVK,
): TypeDef {
  const list: FieldDef[] = Object.entries(fields).map(([json, f]) => ({ json, ...f }));
  return { name, doc, fields: gvk ? [...typeMetaFields(), ...list] : list, gvk };
}
