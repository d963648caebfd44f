// apimachinery meta/v1: object/list metadata, selectors, Status, options and the
// discovery/table types. Facts follow k8s.io/apimachinery v1.32.
import {
  array,
  bool,
  field,
  fieldsV1,
  int32,
  int64,
  map,
  raw,
  ref,
  str,
  time,
  type,
  type GVK,
  type TypeDef,
  type TypeRef,
} from './dsl.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Reference to a meta/v1 type by its short name (e.g. 'ObjectMeta'). */
export const metaRef = (name: string): TypeRef => ref(META + name);

/** The shared description of a top-level kind's `metadata` field. */
export const OBJECT_METADATA_DOC =
  "Standard object metadata (name, namespace, labels, annotations, ...). See the API conventions on metadata.";

export const LIST_METADATA_DOC = 'Standard list metadata: resource version and continuation token of the list.';

/** Unversioned kinds (Status, discovery documents) are served as apiVersion "v1". */
const unversioned = (kind: string): GVK => ({ group: '', version: 'v1', kind });
const metaGroup = (kind: string): GVK => ({ group: 'meta.k8s.io', version: 'v1', kind });

const DRY_RUN_DOC =
  'If set, the change is validated and processed but not persisted. An unknown value is rejected. The only accepted value is "All" (run every dry-run stage).';

export const metaV1Types: TypeDef[] = [
  type(META + 'ObjectMeta', 'Metadata every persisted object carries, including those users create.', {
    name: field(
      1,
      str(),
      'Name of the object, unique within its namespace (or cluster-wide for cluster-scoped kinds). Needed on create unless generateName is given. Cannot be changed afterwards.',
    ),
    generateName: field(
      2,
      str(),
      'Prefix the server uses to make up a unique name when name is empty. A random suffix is appended (the prefix may be shortened to fit). If the generated name is taken, the server answers 409. Only used when name is not set.',
    ),
    namespace: field(
      3,
      str(),
      'Namespace the name is unique in. Empty means "default" for namespaced kinds; cluster-scoped objects leave it empty. Must be a DNS label and cannot be changed.',
    ),
    selfLink: field(4, str(), 'Deprecated legacy read-only field; the system no longer fills it in.'),
    uid: field(
      5,
      str(),
      'Identifier unique in time and space, assigned by the server when the object is created and never changed afterwards. Read-only.',
    ),
    resourceVersion: field(
      6,
      str(),
      'Opaque version token of this object, changed on every write. Clients pass it back unchanged for optimistic concurrency and watches. Read-only.',
    ),
    generation: field(7, int64(), 'Sequence number of the desired state, bumped by the system when the spec changes. Read-only.'),
    creationTimestamp: field(
      8,
      time(),
      'Server time at which the object was created, in RFC 3339 form (UTC). Set by the system and read-only; empty for lists.',
    ),
    deletionTimestamp: field(
      9,
      time(),
      'RFC 3339 time after which the object will be removed, set by the server when a graceful deletion is requested. The object stays while finalizers remain. Can only be moved earlier, never cleared. Read-only.',
      { pointer: true },
    ),
    deletionGracePeriodSeconds: field(
      10,
      int64(),
      'Seconds the object is given to terminate gracefully before it is removed. Only set together with deletionTimestamp and may only shrink. Read-only.',
      { pointer: true },
    ),
    labels: field(
      11,
      map(str()),
      'String key/value pairs used to organise and select objects; label selectors match on them.',
    ),
    annotations: field(
      12,
      map(str()),
      'Free-form string key/value pairs that tools attach to an object. Not used for selection; preserve them when changing the object.',
    ),
    ownerReferences: field(
      13,
      array(metaRef('OwnerReference')),
      'Objects this object depends on. When every owner is gone the object is garbage collected. At most one entry may be the managing controller (controller: true).',
      { patchStrategy: 'merge', mergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
    ),
    finalizers: field(
      14,
      array(str()),
      'Names of components that must clean up before the object is removed. Deletion waits until the list is empty; once deletionTimestamp is set entries can only be removed. Order carries no meaning.',
      { patchStrategy: 'merge', listType: 'set' },
    ),
    managedFields: field(
      17,
      array(metaRef('ManagedFieldsEntry')),
      'Which manager (user, controller or apply workflow) owns which fields, per API version. Internal bookkeeping for server-side apply; users rarely need to touch it.',
      { listType: 'atomic' },
    ),
  }),

  type(
    META + 'ListMeta',
    'Metadata of lists and other synthetic responses. An object has either ObjectMeta or ListMeta, never both.',
    {
      selfLink: field(1, str(), 'Deprecated legacy read-only field; the system no longer fills it in.'),
      resourceVersion: field(
        2,
        str(),
        'Opaque version of the collection at the time of the list, usable to start a watch. Clients pass it back unchanged. Read-only.',
      ),
      continue: field(
        3,
        str(),
        'Set when the list was cut short by a limit: an opaque token to fetch the next page with the same query. Tokens expire after a while.',
      ),
      remainingItemCount: field(
        4,
        int64(),
        'Estimated number of items after this page, when known. Left unset for filtered lists and on the last page; only an estimate.',
        { pointer: true },
      ),
    },
  ),

  type(
    META + 'OwnerReference',
    'Identifies an owning object. The owner lives in the same namespace as the dependent or is cluster-scoped, hence no namespace field.',
    {
      apiVersion: field(5, str(), 'API version of the owner.', { required: true }),
      kind: field(1, str(), 'Kind of the owner.', { required: true }),
      name: field(3, str(), 'Name of the owner.', { required: true }),
      uid: field(4, str(), 'UID of the owner.', { required: true }),
      controller: field(6, bool(), 'True when the owner is the managing controller of this object.', { pointer: true }),
      blockOwnerDeletion: field(
        7,
        bool(),
        'When true and the owner carries the "foregroundDeletion" finalizer, the owner is only removed after this reference is gone. Setting it needs delete permission on the owner. Defaults to false.',
        { pointer: true },
      ),
    },
  ),

  type(
    META + 'ManagedFieldsEntry',
    'One manager\'s claim: the set of fields it manages and the API version that set is expressed in.',
    {
      manager: field(1, str(), 'Identifies the workflow (user, controller, apply pipeline) that manages these fields.'),
      operation: field(2, str(), 'How the entry came to be: "Apply" or "Update".'),
      apiVersion: field(
        3,
        str(),
        'group/version the field set is written in. Needed because field sets cannot be converted between versions.',
      ),
      time: field(
        4,
        time(),
        'When the entry last gained fields or changed an owned value. Not bumped when another manager takes fields away.',
        { pointer: true },
      ),
      fieldsType: field(6, str(), 'Format of the fields set. The only value currently defined is "FieldsV1".'),
      fieldsV1: field(7, fieldsV1(), 'The managed field set in the FieldsV1 trie format.', { pointer: true }),
      subresource: field(
        8,
        str(),
        'Subresource the update went through (e.g. "status"), or empty for the main resource. Managers with the same name but different subresources are tracked separately.',
      ),
    },
  ),

  type(
    META + 'LabelSelector',
    'A query over labels. matchLabels and matchExpressions are ANDed. An empty selector matches everything; a null selector matches nothing.',
    {
      matchLabels: field(
        1,
        map(str()),
        'Exact key/value pairs to match. Each pair is the same as a matchExpressions entry with operator "In" and a single value. All must hold.',
      ),
      matchExpressions: field(
        2,
        array(metaRef('LabelSelectorRequirement')),
        'Set-based requirements on labels. All must hold.',
        { listType: 'atomic' },
      ),
    },
  ),

  type(
    META + 'LabelSelectorRequirement',
    'One selector requirement: a label key, an operator, and (for In/NotIn) a set of values.',
    {
      key: field(1, str(), 'Label key the requirement is about.', { required: true }),
      operator: field(2, str(), 'How the key relates to the values: In, NotIn, Exists or DoesNotExist.', { required: true }),
      values: field(
        3,
        array(str()),
        'Values for In and NotIn (must be non-empty); must be empty for Exists and DoesNotExist. Replaced as a whole by strategic merge patch.',
        { listType: 'atomic' },
      ),
    },
  ),

  type(
    META + 'Status',
    'Result returned by calls that do not return an object, most often errors.',
    {
      metadata: field(1, metaRef('ListMeta'), LIST_METADATA_DOC),
      status: field(2, str(), 'Outcome of the operation: "Success" or "Failure".'),
      message: field(3, str(), 'Human-readable description of the outcome.'),
      reason: field(
        4,
        str(),
        'Machine-readable reason for a "Failure" (e.g. NotFound, AlreadyExists, Invalid). Empty means no further information. It refines the HTTP code, it does not replace it.',
      ),
      details: field(
        5,
        metaRef('StatusDetails'),
        'Extra data tied to the reason. Its content depends on the reason and is not guaranteed to follow any schema beyond that.',
        { pointer: true },
      ),
      code: field(6, int32(), 'Suggested HTTP status code; 0 when not set.'),
    },
    unversioned('Status'),
  ),

  type(
    META + 'StatusDetails',
    'Optional extra facts about a Status. Which fields are set depends on the reason; clients should tolerate missing or odd values.',
    {
      name: field(1, str(), 'Name of the resource the status is about, when there is a single one.'),
      group: field(2, str(), 'API group of the resource the status is about.'),
      kind: field(3, str(), 'Kind (or resource) the status is about. May differ from the requested kind on some operations.'),
      uid: field(6, str(), 'UID of the resource, when there is a single one.'),
      causes: field(
        4,
        array(metaRef('StatusCause')),
        'Further details of the failure, such as one entry per invalid field. Not every reason provides causes.',
        { listType: 'atomic' },
      ),
      retryAfterSeconds: field(
        5,
        int32(),
        'If set, how many seconds to wait before retrying (or before taking the alternative action the error asks for).',
      ),
    },
  ),

  type(
    META + 'StatusCause',
    'One cause of a failed request; several may be reported at once.',
    {
      reason: field(1, str(), 'Machine-readable cause, e.g. FieldValueRequired. Empty means nothing more is known.'),
      message: field(2, str(), 'Human-readable explanation of the cause, fit to show as is.'),
      field: field(
        3,
        str(),
        'JSON path of the offending field, with dots and zero-based [index] for arrays, e.g. "spec.containers[0].image". A field may appear in several causes.',
      ),
    },
  ),

  type(
    META + 'DeleteOptions',
    'Options that may accompany a delete request.',
    {
      gracePeriodSeconds: field(
        1,
        int64(),
        'Seconds to wait before the object is removed; must be non-negative. 0 deletes at once. When unset the default of the kind is used.',
        { pointer: true },
      ),
      preconditions: field(
        2,
        metaRef('Preconditions'),
        'Conditions that must hold for the delete to go ahead; otherwise the server answers 409 Conflict.',
        { pointer: true },
      ),
      orphanDependents: field(
        3,
        bool(),
        'Deprecated, use propagationPolicy. Whether dependents are orphaned (adds or removes the "orphan" finalizer). Cannot be combined with propagationPolicy.',
        { pointer: true },
      ),
      propagationPolicy: field(
        4,
        str(),
        'What happens to dependents: "Orphan" leaves them, "Background" lets the garbage collector remove them afterwards, "Foreground" removes them before the owner. When unset the finalizers and kind default decide. Cannot be combined with orphanDependents.',
        { pointer: true },
      ),
      dryRun: field(5, array(str()), DRY_RUN_DOC, { listType: 'atomic' }),
      ignoreStoreReadErrorWithClusterBreakingPotential: field(
        6,
        bool(),
        'If true, an object that cannot be read from storage (e.g. undecryptable or undecodable) is removed anyway, skipping finalizers and preconditions. Unsafe: it may break workloads relying on the normal deletion flow. Defaults to false.',
        { pointer: true },
      ),
    },
    unversioned('DeleteOptions'),
  ),

  type(META + 'Preconditions', 'Conditions that must hold before an update or delete is carried out.', {
    uid: field(1, str(), 'The UID the target object must have.', { pointer: true }),
    resourceVersion: field(2, str(), 'The resourceVersion the target object must have.', { pointer: true }),
  }),

  type(
    META + 'Condition',
    'One aspect of the current state of an object, as found in status.conditions lists.',
    {
      type: field(1, str(), 'Condition type in CamelCase, optionally prefixed with a domain (foo.example.com/CamelCase).', {
        required: true,
      }),
      status: field(2, str(['False', 'True', 'Unknown']), 'Whether the condition holds: True, False or Unknown.', {
        required: true,
      }),
      observedGeneration: field(
        3,
        int64(),
        'metadata.generation the condition was computed from; older than the current generation means the condition is stale.',
      ),
      lastTransitionTime: field(
        4,
        time(),
        'When the condition last changed status (or, if unknown, when the API field changed).',
        { required: true },
      ),
      reason: field(
        5,
        str(),
        'Programmatic CamelCase identifier of why the condition last changed. Must not be empty.',
        { required: true },
      ),
      message: field(6, str(), 'Human-readable details about the last change; may be empty.', { required: true }),
    },
  ),

  type(META + 'WatchEvent', 'One event in a watch stream.', {
    type: field(1, str(), 'Event type: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', { required: true }),
    object: field(
      2,
      raw(),
      'For ADDED/MODIFIED the new state of the object; for DELETED its last state; for ERROR usually a Status.',
      { required: true },
    ),
  }),

  // Table types are JSON-only in Kubernetes (no protobuf form), hence proto 0.
  type(
    META + 'Table',
    'Tabular rendering of a set of objects, with columns chosen by the server for a quick overview.',
    {
      metadata: field(0, metaRef('ListMeta'), LIST_METADATA_DOC),
      columnDefinitions: field(
        0,
        array(metaRef('TableColumnDefinition')),
        'The columns of the table; every row has exactly one cell per column.',
        { required: true, listType: 'atomic' },
      ),
      rows: field(0, array(metaRef('TableRow')), 'The rows of the table, one per object.', {
        required: true,
        listType: 'atomic',
      }),
    },
    metaGroup('Table'),
  ),

  type(META + 'TableColumnDefinition', 'Describes one column of a Table.', {
    name: field(0, str(), 'Human-readable column name.', { required: true }),
    type: field(0, str(), 'OpenAPI type of the cells: number, integer, string, boolean, array...', { required: true }),
    format: field(
      0,
      str(),
      'Optional OpenAPI format refining the type, e.g. date; "name" marks the column holding the object name.',
      { required: true },
    ),
    description: field(0, str(), 'Human-readable description of the column.', { required: true }),
    priority: field(
      0,
      int32(),
      'Importance of the column; lower is more important. Columns with higher numbers may be hidden when space is short.',
      { required: true },
    ),
  }),

  type(META + 'TableRow', 'One row of a Table.', {
    cells: field(
      0,
      array(raw()),
      'One value per column: strings, numbers, booleans, simple maps or lists, or null, as the column type says.',
      { required: true, listType: 'atomic' },
    ),
    conditions: field(
      0,
      array(metaRef('TableRowCondition')),
      'Extra status of the row for human readers; the only defined type is "Completed".',
      { listType: 'atomic' },
    ),
    object: field(
      0,
      raw(),
      'The object behind the row, depending on includeObject: nothing (None), its metadata as PartialObjectMetadata (Metadata, the default) or the whole object (Object).',
    ),
  }),

  type(META + 'TableRowCondition', 'Marks a Table row with extra information.', {
    type: field(0, str(), 'Condition type; "Completed" means the object has run to completion and may be shown less prominently.', {
      required: true,
    }),
    status: field(0, str(), 'Whether the condition holds: True, False or Unknown.', { required: true }),
    reason: field(0, str(), 'Short machine-readable reason for the last transition.'),
    message: field(0, str(), 'Human-readable details about the last transition.'),
  }),

  type(
    META + 'PartialObjectMetadata',
    'Any object reduced to its metadata, for clients that only need ObjectMeta.',
    { metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC) },
    metaGroup('PartialObjectMetadata'),
  ),

  type(
    META + 'PartialObjectMetadataList',
    'A list of objects reduced to their metadata.',
    {
      metadata: field(1, metaRef('ListMeta'), LIST_METADATA_DOC),
      items: field(2, array(metaRef('PartialObjectMetadata')), 'The objects of the list.', { required: true }),
    },
    metaGroup('PartialObjectMetadataList'),
  ),

  type(
    META + 'APIResource',
    'Describes one resource of a group version: its names, scope, kind and verbs.',
    {
      name: field(1, str(), 'Plural resource name, e.g. "pods" or "pods/status".', { required: true }),
      singularName: field(6, str(), 'Singular resource name; kubectl accepts it as well as the plural.', { required: true }),
      namespaced: field(2, bool(), 'Whether objects of this resource live in a namespace.', { required: true }),
      group: field(8, str(), 'Preferred group of the resource when it differs from the list\'s (e.g. for some subresources).'),
      version: field(9, str(), 'Preferred version of the resource when it differs from the list\'s.'),
      kind: field(3, str(), 'Kind of the resource, e.g. "Pod".', { required: true }),
      // Kubernetes wraps this list in a `Verbs` message ({1: repeated string}) on the proto wire.
      verbs: field(4, array(str()), 'Verbs the resource supports: get, list, watch, create, update, patch, delete, deletecollection, proxy.', {
        required: true,
      }),
      shortNames: field(5, array(str()), 'Suggested short names, e.g. "po".', { listType: 'atomic' }),
      categories: field(7, array(str()), 'Groups of resources this one belongs to, e.g. "all".', { listType: 'atomic' }),
      storageVersionHash: field(
        10,
        str(),
        'Opaque hash of the version the resource is stored in; only compare for equality. Alpha, may be absent.',
      ),
    },
  ),

  type(
    META + 'APIResourceList',
    'The resources a group version serves, with their names and scope.',
    {
      groupVersion: field(1, str(), 'The group version this list describes, e.g. "apps/v1".', { required: true }),
      resources: field(2, array(metaRef('APIResource')), 'The resources of the group version.', {
        required: true,
        listType: 'atomic',
      }),
    },
    unversioned('APIResourceList'),
  ),

  type(
    META + 'APIGroup',
    'A named API group with its versions and the version the server prefers.',
    {
      name: field(1, str(), 'Name of the group, e.g. "apps".', { required: true }),
      versions: field(2, array(metaRef('GroupVersionForDiscovery')), 'Versions the group serves.', {
        required: true,
        listType: 'atomic',
      }),
      preferredVersion: field(3, metaRef('GroupVersionForDiscovery'), 'Version the server prefers, usually the storage version.'),
      serverAddressByClientCIDRs: field(
        4,
        array(metaRef('ServerAddressByClientCIDR')),
        'Server addresses to use per client network (CIDR), so clients reach the server the cheapest way. Clients pick the longest matching CIDR.',
        { listType: 'atomic' },
      ),
    },
    unversioned('APIGroup'),
  ),

  type(
    META + 'APIGroupList',
    'All API groups the server offers, as listed at /apis.',
    {
      groups: field(1, array(metaRef('APIGroup')), 'The groups.', { required: true, listType: 'atomic' }),
    },
    unversioned('APIGroupList'),
  ),

  type(META + 'GroupVersionForDiscovery', 'One version of a group, in both "group/version" and bare version form.', {
    groupVersion: field(1, str(), 'Group and version as "group/version" (just "v1" for the core group).', { required: true }),
    version: field(2, str(), 'The version alone, e.g. "v1".', { required: true }),
  }),

  type(META + 'ServerAddressByClientCIDR', 'Which server address a client in a given network should use.', {
    clientCIDR: field(1, str(), 'Client network the entry applies to.', { required: true }),
    serverAddress: field(2, str(), 'Address (host, host:port, IP or IP:port) clients in that network should use.', {
      required: true,
    }),
  }),

  type(
    META + 'APIVersions',
    'Versions of the legacy core API, as listed at /api.',
    {
      versions: field(1, array(str()), 'The available versions, e.g. ["v1"].', { required: true, listType: 'atomic' }),
      serverAddressByClientCIDRs: field(
        2,
        array(metaRef('ServerAddressByClientCIDR')),
        'Server addresses to use per client network (CIDR). Clients pick the longest matching CIDR.',
        { required: true, listType: 'atomic' },
      ),
    },
    unversioned('APIVersions'),
  ),
];
