// core/v1 Volume, VolumeSource and the commonly used volume sources (host path, emptyDir,
// secret, configMap, projected, PVC, ephemeral, CSI, image). Facts follow k8s.io/api v1.32.
// The in-tree cloud and network storage sources live in core-volume-legacy.ts.
import { array, bool, field, int32, int64, map, quantity, str, type, type TypeDef } from './dsl.js';
import { CORE, PULL_POLICIES, core, meta } from './core-refs.js';

const DEFAULT_MODE_DOC =
  'Permission bits for created files, 0000-0777 in octal (0-511 in decimal; JSON needs decimal). Defaults to 0644. Directories are not affected, and other options such as fsGroup may add bits.';
const ITEMS_DOC =
  'Which keys to project and to which relative paths. When unset every key becomes a file named after it; listed keys that do not exist are an error unless optional.';
const DEPRECATED_IN_TREE = 'Deprecated in-tree volume type.';

export const volumeTypes: TypeDef[] = [
  type(CORE + 'Volume', 'A named volume of a pod that any container of the pod may mount.', {
    name: field(1, str(), 'Name of the volume; a DNS_LABEL unique within the pod.', { required: true }),
    volumeSource: field(
      2,
      core('VolumeSource'),
      'Where the volume comes from. A volume without any source is treated as an emptyDir (deprecated behaviour).',
      { inline: true },
    ),
  }),

  type(CORE + 'VolumeSource', 'Where a volume comes from. Only one member may be set.', {
    hostPath: field(
      1,
      core('HostPathVolumeSource'),
      'An existing file or directory of the host, exposed directly to the container. Meant for privileged system agents.',
      { pointer: true },
    ),
    emptyDir: field(2, core('EmptyDirVolumeSource'), 'A temporary directory that lives as long as the pod.', {
      pointer: true,
    }),
    gcePersistentDisk: field(
      3,
      core('GCEPersistentDiskVolumeSource'),
      `A GCE persistent disk attached to the node. ${DEPRECATED_IN_TREE}`,
      { pointer: true },
    ),
    awsElasticBlockStore: field(
      4,
      core('AWSElasticBlockStoreVolumeSource'),
      `An AWS EBS disk attached to the node. ${DEPRECATED_IN_TREE}`,
      { pointer: true },
    ),
    gitRepo: field(
      5,
      core('GitRepoVolumeSource'),
      'A git repository checked out at a revision. Deprecated: clone into an emptyDir from an init container instead.',
      { pointer: true },
    ),
    secret: field(6, core('SecretVolumeSource'), 'A Secret whose keys become files.', { pointer: true }),
    nfs: field(7, core('NFSVolumeSource'), 'An NFS export mounted for the lifetime of the pod.', { pointer: true }),
    iscsi: field(8, core('ISCSIVolumeSource'), 'An iSCSI disk attached to the node.', { pointer: true }),
    glusterfs: field(9, core('GlusterfsVolumeSource'), `A Glusterfs mount. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    persistentVolumeClaim: field(
      10,
      core('PersistentVolumeClaimVolumeSource'),
      'A PersistentVolumeClaim in the same namespace.',
      { pointer: true },
    ),
    rbd: field(11, core('RBDVolumeSource'), `A Rados Block Device mount. ${DEPRECATED_IN_TREE}`, { pointer: true }),
    flexVolume: field(
      12,
      core('FlexVolumeSource'),
      'A volume provisioned by an exec-based plugin. Deprecated: use a CSI driver.',
      { pointer: true },
    ),
    cinder: field(13, core('CinderVolumeSource'), `An OpenStack Cinder volume. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    cephfs: field(14, core('CephFSVolumeSource'), `A CephFS mount. ${DEPRECATED_IN_TREE}`, { pointer: true }),
    flocker: field(15, core('FlockerVolumeSource'), `A Flocker volume. ${DEPRECATED_IN_TREE}`, { pointer: true }),
    downwardAPI: field(16, core('DownwardAPIVolumeSource'), 'Files filled with information about the pod.', {
      pointer: true,
    }),
    fc: field(17, core('FCVolumeSource'), 'A Fibre Channel disk attached to the node.', { pointer: true }),
    azureFile: field(18, core('AzureFileVolumeSource'), `An Azure File share. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    configMap: field(19, core('ConfigMapVolumeSource'), 'A ConfigMap whose keys become files.', { pointer: true }),
    vsphereVolume: field(
      20,
      core('VsphereVirtualDiskVolumeSource'),
      `A vSphere virtual disk. ${DEPRECATED_IN_TREE}`,
      { pointer: true },
    ),
    quobyte: field(21, core('QuobyteVolumeSource'), `A Quobyte mount. ${DEPRECATED_IN_TREE}`, { pointer: true }),
    azureDisk: field(22, core('AzureDiskVolumeSource'), `An Azure data disk. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    photonPersistentDisk: field(
      23,
      core('PhotonPersistentDiskVolumeSource'),
      `A Photon Controller persistent disk. ${DEPRECATED_IN_TREE}`,
      { pointer: true },
    ),
    projected: field(
      26,
      core('ProjectedVolumeSource'),
      'Several sources (secrets, configMaps, downward API, tokens...) projected into one directory.',
      { pointer: true },
    ),
    portworxVolume: field(24, core('PortworxVolumeSource'), `A Portworx volume. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    scaleIO: field(25, core('ScaleIOVolumeSource'), `A ScaleIO volume. ${DEPRECATED_IN_TREE}`, { pointer: true }),
    storageos: field(27, core('StorageOSVolumeSource'), `A StorageOS volume. ${DEPRECATED_IN_TREE}`, {
      pointer: true,
    }),
    csi: field(
      28,
      core('CSIVolumeSource'),
      'An ephemeral volume provided by a CSI driver that supports inline volumes.',
      { pointer: true },
    ),
    ephemeral: field(
      29,
      core('EphemeralVolumeSource'),
      'A volume from a storage class, provisioned through a PersistentVolumeClaim created for and deleted with the pod.',
      { pointer: true },
    ),
    image: field(
      30,
      core('ImageVolumeSource'),
      'An OCI image or artifact pulled by the kubelet and mounted read-only. Re-resolved when the pod is recreated.',
      { pointer: true },
    ),
  }),

  type(CORE + 'HostPathVolumeSource', 'A file or directory of the host mapped into the pod.', {
    path: field(1, str(), 'Path on the host; symlinks are followed.', { required: true }),
    type: field(
      2,
      str(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']),
      'What must exist at the path (and whether to create it). Defaults to "" (no check).',
      { pointer: true, default: '' },
    ),
  }),

  type(CORE + 'EmptyDirVolumeSource', 'An empty directory that lives as long as the pod.', {
    medium: field(
      1,
      str(),
      'Storage medium backing the directory: "" for the node default, or Memory (tmpfs).',
    ),
    sizeLimit: field(
      2,
      quantity(),
      'Maximum local storage the directory may use (also for memory, capped by the pod memory limits). Unlimited when unset.',
      { pointer: true },
    ),
  }),

  type(CORE + 'SecretVolumeSource', 'A Secret presented as files, one per key.', {
    secretName: field(1, str(), "Name of the Secret in the pod's namespace."),
    items: field(2, array(core('KeyToPath')), ITEMS_DOC, { listType: 'atomic' }),
    defaultMode: field(3, int32(), DEFAULT_MODE_DOC, { pointer: true, default: 420 }),
    optional: field(4, bool(), 'Whether it is acceptable for the Secret or its keys to be missing.', {
      pointer: true,
    }),
  }),

  type(CORE + 'ConfigMapVolumeSource', 'A ConfigMap presented as files, one per key.', {
    localObjectReference: field(1, core('LocalObjectReference'), 'The ConfigMap to present.', { inline: true }),
    items: field(2, array(core('KeyToPath')), ITEMS_DOC, { listType: 'atomic' }),
    defaultMode: field(3, int32(), DEFAULT_MODE_DOC, { pointer: true, default: 420 }),
    optional: field(4, bool(), 'Whether it is acceptable for the ConfigMap or its keys to be missing.', {
      pointer: true,
    }),
  }),

  type(CORE + 'KeyToPath', 'Maps one key to a file path inside the volume.', {
    key: field(1, str(), 'The key to project.', { required: true }),
    path: field(
      2,
      str(),
      "Relative path of the file for the key. May not be absolute, contain '..' or start with '..'.",
      { required: true },
    ),
    mode: field(
      3,
      int32(),
      'Permission bits of this file, 0000-0777 in octal (0-511 in decimal). The volume defaultMode applies when unset.',
      { pointer: true },
    ),
  }),

  type(CORE + 'PersistentVolumeClaimVolumeSource', 'Uses the volume bound to a PersistentVolumeClaim of the same namespace.', {
    claimName: field(1, str(), "Name of the PersistentVolumeClaim in the pod's namespace.", { required: true }),
    readOnly: field(2, bool(), 'Force the volume mounts to be read-only. Default false.'),
  }),

  type(CORE + 'DownwardAPIVolumeSource', 'Files containing information about the pod.', {
    items: field(1, array(core('DownwardAPIVolumeFile')), 'The files to create.', { listType: 'atomic' }),
    defaultMode: field(2, int32(), DEFAULT_MODE_DOC, { pointer: true, default: 420 }),
  }),

  type(CORE + 'DownwardAPIVolumeFile', 'One file holding a field of the pod or a resource of a container.', {
    path: field(
      1,
      str(),
      "Relative path of the file to create. Must not be absolute, contain '..' or start with '..'. UTF-8.",
      { required: true },
    ),
    fieldRef: field(
      2,
      core('ObjectFieldSelector'),
      'Pod field to write: annotations, labels, name, namespace or uid.',
      { pointer: true },
    ),
    resourceFieldRef: field(
      3,
      core('ResourceFieldSelector'),
      'Container resource to write: limits or requests of cpu and memory.',
      { pointer: true },
    ),
    mode: field(
      4,
      int32(),
      'Permission bits of this file, 0000-0777 in octal (0-511 in decimal). The volume defaultMode applies when unset.',
      { pointer: true },
    ),
  }),

  type(CORE + 'ProjectedVolumeSource', 'Several volume sources projected into one directory.', {
    sources: field(1, array(core('VolumeProjection')), 'The projections, each handling one source.', {
      listType: 'atomic',
    }),
    defaultMode: field(
      2,
      int32(),
      'Permission bits for created files, 0000-0777 in octal (0-511 in decimal; JSON needs decimal). Directories are not affected.',
      { pointer: true, default: 420 },
    ),
  }),

  type(CORE + 'VolumeProjection', 'One source of a projected volume. Exactly one member is set.', {
    secret: field(1, core('SecretProjection'), 'Data of a Secret.', { pointer: true }),
    downwardAPI: field(2, core('DownwardAPIProjection'), 'Downward API information about the pod.', {
      pointer: true,
    }),
    configMap: field(3, core('ConfigMapProjection'), 'Data of a ConfigMap.', { pointer: true }),
    serviceAccountToken: field(
      4,
      core('ServiceAccountTokenProjection'),
      'A service account token that the kubelet keeps fresh.',
      { pointer: true },
    ),
    clusterTrustBundle: field(
      5,
      core('ClusterTrustBundleProjection'),
      'Trust anchors from ClusterTrustBundle objects (selected by name, or by signer and labels), kept up to date in a file. Alpha.',
      { pointer: true },
    ),
  }),

  type(CORE + 'SecretProjection', 'Projects the data of a Secret as files (like a secret volume, without defaultMode).', {
    localObjectReference: field(1, core('LocalObjectReference'), 'The Secret to project.', { inline: true }),
    items: field(2, array(core('KeyToPath')), ITEMS_DOC, { listType: 'atomic' }),
    optional: field(4, bool(), 'Whether it is acceptable for the Secret or its keys to be missing.', {
      pointer: true,
    }),
  }),

  type(
    CORE + 'ConfigMapProjection',
    'Projects the data of a ConfigMap as files (like a configMap volume, without defaultMode).',
    {
      localObjectReference: field(1, core('LocalObjectReference'), 'The ConfigMap to project.', { inline: true }),
      items: field(2, array(core('KeyToPath')), ITEMS_DOC, { listType: 'atomic' }),
      optional: field(4, bool(), 'Whether it is acceptable for the ConfigMap or its keys to be missing.', {
        pointer: true,
      }),
    },
  ),

  type(CORE + 'DownwardAPIProjection', 'Projects downward API files (like a downwardAPI volume, without defaultMode).', {
    items: field(1, array(core('DownwardAPIVolumeFile')), 'The files to create.', { listType: 'atomic' }),
  }),

  type(
    CORE + 'ServiceAccountTokenProjection',
    "Projects a token of the pod's service account into a file, for use against the API server or other audiences.",
    {
      audience: field(
        1,
        str(),
        'Intended audience of the token; recipients must reject tokens not meant for them. Defaults to the API server identifier.',
      ),
      expirationSeconds: field(
        2,
        int64(),
        'Requested validity of the token. The kubelet rotates it when 80% of that has passed or after 24 hours. Defaults to 1 hour; minimum 10 minutes.',
        { pointer: true, default: 3600 },
      ),
      path: field(3, str(), 'Path of the token file, relative to the mount point.', { required: true }),
    },
  ),

  type(CORE + 'ClusterTrustBundleProjection', 'Selects ClusterTrustBundle objects and writes their certificates into a file.', {
    name: field(1, str(), 'Select one ClusterTrustBundle by name. Exclusive with signerName and labelSelector.', {
      pointer: true,
    }),
    signerName: field(
      2,
      str(),
      'Select all ClusterTrustBundles of this signer; their contents are merged and deduplicated. Exclusive with name.',
      { pointer: true },
    ),
    labelSelector: field(
      3,
      meta('LabelSelector'),
      'Further restricts the bundles selected by signerName. Unset matches nothing; empty matches everything.',
      { pointer: true },
    ),
    optional: field(
      5,
      bool(),
      'Do not block pod startup when the referenced bundles are missing or none match.',
      { pointer: true },
    ),
    path: field(4, str(), 'Path of the bundle file, relative to the volume root.', { required: true }),
  }),

  type(CORE + 'EphemeralVolumeSource', 'A volume provisioned by a normal storage driver for the lifetime of the pod.', {
    volumeClaimTemplate: field(
      1,
      core('PersistentVolumeClaimTemplate'),
      'Template of the PersistentVolumeClaim created for the pod (named "<pod>-<volume>", owned by and deleted with the pod). An existing claim of that name not owned by the pod is never used. Required.',
      { pointer: true },
    ),
  }),

  type(CORE + 'PersistentVolumeClaimTemplate', 'Template used to create a PersistentVolumeClaim for an ephemeral volume.', {
    metadata: field(
      1,
      meta('ObjectMeta'),
      'Labels and annotations copied into the created claim; other metadata fields are rejected.',
    ),
    spec: field(
      2,
      core('PersistentVolumeClaimSpec'),
      'Spec of the created PersistentVolumeClaim, copied unchanged.',
      { required: true },
    ),
  }),

  type(CORE + 'PersistentVolumeClaimSpec', 'Desired characteristics of a volume claimed by a user.', {
    accessModes: field(
      1,
      array(str(['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'])),
      'Access modes the volume must support.',
      { listType: 'atomic' },
    ),
    selector: field(4, meta('LabelSelector'), 'Label query over the volumes that may be bound.', { pointer: true }),
    resources: field(
      2,
      core('VolumeResourceRequirements'),
      'Minimum resources the volume must have. May be lowered, but not below the recorded capacity.',
    ),
    volumeName: field(3, str(), 'Name of the PersistentVolume to bind to.'),
    storageClassName: field(5, str(), 'Name of the StorageClass the claim needs.', { pointer: true }),
    volumeMode: field(
      6,
      str(['Block', 'Filesystem']),
      'Whether the volume is used as a formatted filesystem or a raw block device. Filesystem when unset.',
      { pointer: true, default: 'Filesystem' },
    ),
    dataSource: field(
      7,
      core('TypedLocalObjectReference'),
      'An existing VolumeSnapshot or PersistentVolumeClaim to populate the new volume from, when the provisioner supports it.',
      { pointer: true },
    ),
    dataSourceRef: field(
      8,
      core('TypedObjectReference'),
      'Object to populate the volume from: any non-core object handled by a volume populator, or a PersistentVolumeClaim. Supersedes dataSource and may name another namespace.',
      { pointer: true },
    ),
    volumeAttributesClassName: field(
      9,
      str(),
      'VolumeAttributesClass whose attributes the CSI driver applies to the volume. Unlike the storage class it may change after creation.',
      { pointer: true },
    ),
  }),

  type(CORE + 'VolumeResourceRequirements', 'Storage resource requirements of a volume.', {
    limits: field(1, map(quantity()), 'Maximum amount of each resource allowed.'),
    requests: field(
      2,
      map(quantity()),
      'Minimum amount of each resource required. Defaults to the limits when those are set; may not exceed them.',
    ),
  }),

  type(CORE + 'TypedLocalObjectReference', 'Reference to a typed object in the same namespace.', {
    apiGroup: field(
      1,
      str(),
      'API group of the referenced resource. Empty means the core group; required for other kinds.',
      { pointer: true },
    ),
    kind: field(2, str(), 'Kind of the referenced resource.', { required: true }),
    name: field(3, str(), 'Name of the referenced resource.', { required: true }),
  }),

  type(CORE + 'TypedObjectReference', 'Reference to a typed object, possibly in another namespace.', {
    apiGroup: field(
      1,
      str(),
      'API group of the referenced resource. Empty means the core group; required for other kinds.',
      { pointer: true },
    ),
    kind: field(2, str(), 'Kind of the referenced resource.', { required: true }),
    name: field(3, str(), 'Name of the referenced resource.', { required: true }),
    namespace: field(
      4,
      str(),
      'Namespace of the referenced resource. A ReferenceGrant there must allow the reference. Alpha.',
      { pointer: true },
    ),
  }),

  type(CORE + 'CSIVolumeSource', 'A volume provided by an external CSI driver.', {
    driver: field(1, str(), 'Name of the CSI driver handling the volume, as registered in the cluster.', {
      required: true,
    }),
    readOnly: field(2, bool(), 'Mount the volume read-only. Defaults to false.', { pointer: true }),
    fsType: field(
      3,
      str(),
      'Filesystem type to mount, e.g. ext4. When empty the driver chooses.',
      { pointer: true },
    ),
    volumeAttributes: field(4, map(str()), 'Driver-specific properties passed to the CSI driver.'),
    nodePublishSecretRef: field(
      5,
      core('LocalObjectReference'),
      'Secret with sensitive data passed to the driver on NodePublishVolume and NodeUnpublishVolume calls.',
      { pointer: true },
    ),
  }),

  type(CORE + 'ImageVolumeSource', 'An OCI image or artifact mounted as a volume.', {
    reference: field(
      1,
      str(),
      'Image or artifact reference, resolved like a container image (same pull secrets).',
    ),
    pullPolicy: field(
      2,
      str(PULL_POLICIES),
      'When to pull: Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise.',
    ),
  }),

  type(CORE + 'LocalObjectReference', 'Reference to an object, by name, in the same namespace.', {
    name: field(
      1,
      str(),
      'Name of the referenced object. Effectively required, though an empty value is tolerated for compatibility.',
    ),
  }),

  type(
    CORE + 'ObjectReference',
    'Reference to another object, with enough information to inspect or modify it.',
    {
      kind: field(1, str(), 'Kind of the referenced object.'),
      namespace: field(2, str(), 'Namespace of the referenced object.'),
      name: field(3, str(), 'Name of the referenced object.'),
      uid: field(4, str(), 'UID of the referenced object.'),
      apiVersion: field(5, str(), 'API version of the referenced object.'),
      resourceVersion: field(6, str(), 'Specific resourceVersion the reference is about, if any.'),
      fieldPath: field(
        7,
        str(),
        'Path of a part of the object when the reference is about that part, e.g. "spec.containers{name}" for one container.',
      ),
    },
  ),
];

