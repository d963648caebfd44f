// core/v1 in-tree cloud and network volume sources. Most are deprecated in Kubernetes but are
// still part of the API, so manifests using them must validate. Facts follow k8s.io/api v1.32.
import { array, bool, field, int32, map, str, type, type TypeDef } from './dsl.js';
import { CORE, core } from './core-refs.js';

const FS_TYPE_DOC = 'Filesystem type to mount, e.g. ext4, xfs or ntfs. Taken as ext4 when unspecified.';
const READ_ONLY_DOC = 'Force the volume mounts to be read-only. Defaults to false.';
const PARTITION_DOC = 'Partition of the disk to mount, e.g. 1 for /dev/sda1. When omitted the whole device is mounted.';

export const legacyVolumeTypes: TypeDef[] = [
  type(CORE + 'GCEPersistentDiskVolumeSource', 'A Google Compute Engine persistent disk, which must exist in the zone of the node.', {
    pdName: field(1, str(), 'Name of the persistent disk in GCE.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
    partition: field(3, int32(), PARTITION_DOC),
    readOnly: field(4, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'AWSElasticBlockStoreVolumeSource', 'An AWS EBS disk, which must exist in the zone of the node. Mountable read-write once.', {
    volumeID: field(1, str(), 'ID of the EBS volume.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
    partition: field(3, int32(), PARTITION_DOC),
    readOnly: field(4, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'GitRepoVolumeSource', 'A directory populated from a git repository. Deprecated.', {
    repository: field(1, str(), 'URL of the repository.', { required: true }),
    revision: field(2, str(), 'Commit hash to check out.'),
    directory: field(
      3,
      str(),
      "Target directory name; must not contain or start with '..'. '.' puts the repository at the volume root, otherwise it goes into that subdirectory.",
    ),
  }),

  type(CORE + 'NFSVolumeSource', 'An NFS export mounted for the lifetime of the pod.', {
    server: field(1, str(), 'Hostname or IP address of the NFS server.', { required: true }),
    path: field(2, str(), 'Path exported by the server.', { required: true }),
    readOnly: field(3, bool(), 'Mount the export read-only. Defaults to false.'),
  }),

  type(CORE + 'ISCSIVolumeSource', 'An iSCSI disk. Mountable read-write once.', {
    targetPortal: field(1, str(), 'Target portal: an IP, or ip:port when not the default port (860 or 3260).', {
      required: true,
    }),
    iqn: field(2, str(), 'iSCSI Qualified Name of the target.', { required: true }),
    lun: field(3, int32(), 'Logical unit number of the target.', { required: true }),
    iscsiInterface: field(4, str(), "iSCSI interface used for the transport. Defaults to 'default' (tcp).", {
      default: 'default',
    }),
    fsType: field(5, str(), FS_TYPE_DOC),
    readOnly: field(6, bool(), READ_ONLY_DOC),
    portals: field(7, array(str()), 'Additional target portals (IP, or ip:port for a non-default port).', {
      listType: 'atomic',
    }),
    chapAuthDiscovery: field(8, bool(), 'Use CHAP authentication for iSCSI discovery.'),
    chapAuthSession: field(11, bool(), 'Use CHAP authentication for iSCSI sessions.'),
    secretRef: field(10, core('LocalObjectReference'), 'Secret holding the CHAP credentials.', { pointer: true }),
    initiatorName: field(
      12,
      str(),
      'Custom initiator name. Together with iscsiInterface, a new interface "<target portal>:<volume name>" is created.',
      { pointer: true },
    ),
  }),

  type(CORE + 'GlusterfsVolumeSource', 'A Glusterfs mount for the lifetime of the pod. Deprecated.', {
    endpoints: field(1, str(), 'Name of the Endpoints object describing the Glusterfs cluster.', { required: true }),
    path: field(2, str(), 'Glusterfs volume path.', { required: true }),
    readOnly: field(3, bool(), 'Mount the volume read-only. Defaults to false.'),
  }),

  type(CORE + 'RBDVolumeSource', 'A Rados Block Device mount for the lifetime of the pod. Deprecated.', {
    monitors: field(1, array(str()), 'Ceph monitors to contact.', { required: true, listType: 'atomic' }),
    image: field(2, str(), 'Name of the rados image.', { required: true }),
    fsType: field(3, str(), FS_TYPE_DOC),
    pool: field(4, str(), 'Rados pool name. Defaults to rbd.', { default: 'rbd' }),
    user: field(5, str(), 'Rados user name. Defaults to admin.', { default: 'admin' }),
    keyring: field(6, str(), 'Path of the keyring of the user. Defaults to /etc/ceph/keyring.', {
      default: '/etc/ceph/keyring',
    }),
    secretRef: field(7, core('LocalObjectReference'), 'Secret authenticating the user; overrides keyring.', {
      pointer: true,
    }),
    readOnly: field(8, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'FlexVolumeSource', 'A volume provisioned and attached by an exec-based plugin. Deprecated.', {
    driver: field(1, str(), 'Name of the driver.', { required: true }),
    fsType: field(2, str(), 'Filesystem type to mount; the default depends on the FlexVolume script.'),
    secretRef: field(
      3,
      core('LocalObjectReference'),
      'Secret with sensitive data passed to the plugin scripts (all of its keys).',
      { pointer: true },
    ),
    readOnly: field(4, bool(), READ_ONLY_DOC),
    options: field(5, map(str()), 'Extra command options for the driver.'),
  }),

  type(CORE + 'CinderVolumeSource', 'An OpenStack Cinder volume, which must exist in the region of the node. Deprecated.', {
    volumeID: field(1, str(), 'ID of the Cinder volume.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
    readOnly: field(3, bool(), READ_ONLY_DOC),
    secretRef: field(4, core('LocalObjectReference'), 'Secret with parameters for connecting to OpenStack.', {
      pointer: true,
    }),
  }),

  type(CORE + 'CephFSVolumeSource', 'A CephFS mount for the lifetime of the pod. Deprecated.', {
    monitors: field(1, array(str()), 'Ceph monitors to contact.', { required: true, listType: 'atomic' }),
    path: field(2, str(), 'Path used as the mounted root instead of the whole Ceph tree. Defaults to /.'),
    user: field(3, str(), 'Rados user name. Defaults to admin.'),
    secretFile: field(4, str(), 'Path of the keyring of the user. Defaults to /etc/ceph/user.secret.'),
    secretRef: field(5, core('LocalObjectReference'), 'Secret authenticating the user.', { pointer: true }),
    readOnly: field(6, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'FlockerVolumeSource', 'A Flocker dataset. Exactly one of datasetName and datasetUUID is set. Deprecated.', {
    datasetName: field(1, str(), 'Name of the dataset (stored as its metadata name). Deprecated.'),
    datasetUUID: field(2, str(), 'UUID of the dataset.'),
  }),

  type(CORE + 'FCVolumeSource', 'A Fibre Channel disk. Mountable read-write once.', {
    targetWWNs: field(1, array(str()), 'Target worldwide names (WWNs).', { listType: 'atomic' }),
    lun: field(2, int32(), 'Target logical unit number.', { pointer: true }),
    fsType: field(3, str(), FS_TYPE_DOC),
    readOnly: field(4, bool(), READ_ONLY_DOC),
    wwids: field(
      5,
      array(str()),
      'World wide identifiers of the volume. Set either these or targetWWNs with lun, not both.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'AzureFileVolumeSource', 'An Azure File share mounted into the pod. Deprecated.', {
    secretName: field(1, str(), 'Secret holding the Azure storage account name and key.', { required: true }),
    shareName: field(2, str(), 'Name of the share.', { required: true }),
    readOnly: field(3, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'VsphereVirtualDiskVolumeSource', 'A vSphere virtual disk. Deprecated.', {
    volumePath: field(1, str(), 'Path of the vmdk identifying the volume.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
    storagePolicyName: field(3, str(), 'Storage Policy Based Management (SPBM) profile name.'),
    storagePolicyID: field(4, str(), 'ID of the SPBM profile named by storagePolicyName.'),
  }),

  type(CORE + 'QuobyteVolumeSource', 'A Quobyte mount for the lifetime of the pod. Deprecated.', {
    registry: field(
      1,
      str(),
      'Quobyte registry services as host:port pairs, comma separated.',
      { required: true },
    ),
    volume: field(2, str(), 'Name of an existing Quobyte volume.', { required: true }),
    readOnly: field(3, bool(), 'Mount the volume read-only. Defaults to false.'),
    user: field(4, str(), 'User that volume access is mapped to. Defaults to the service account user.'),
    group: field(5, str(), 'Group that volume access is mapped to. No group by default.'),
    tenant: field(6, str(), 'Tenant owning the volume in the backend; set by the plugin for provisioned volumes.'),
  }),

  type(CORE + 'AzureDiskVolumeSource', 'An Azure data disk mounted into the pod. Deprecated.', {
    diskName: field(1, str(), 'Name of the data disk in blob storage.', { required: true }),
    diskURI: field(2, str(), 'URI of the data disk in blob storage.', { required: true }),
    cachingMode: field(3, str(['None', 'ReadOnly', 'ReadWrite']), 'Host caching mode: None, ReadOnly or ReadWrite.', {
      pointer: true,
      default: 'ReadWrite',
    }),
    fsType: field(4, str(), FS_TYPE_DOC, { pointer: true, default: 'ext4' }),
    readOnly: field(5, bool(), READ_ONLY_DOC, { pointer: true, default: false }),
    kind: field(
      6,
      str(['Dedicated', 'Managed', 'Shared']),
      'Kind of disk: Shared (several blob disks per storage account, the default), Dedicated (one per account) or Managed.',
      { pointer: true, default: 'Shared' },
    ),
  }),

  type(CORE + 'PhotonPersistentDiskVolumeSource', 'A Photon Controller persistent disk. Deprecated.', {
    pdID: field(1, str(), 'ID of the Photon Controller persistent disk.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
  }),

  type(CORE + 'PortworxVolumeSource', 'A Portworx volume. Deprecated.', {
    volumeID: field(1, str(), 'ID of the Portworx volume.', { required: true }),
    fsType: field(2, str(), FS_TYPE_DOC),
    readOnly: field(3, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'ScaleIOVolumeSource', 'A ScaleIO volume. Deprecated.', {
    gateway: field(1, str(), 'Host address of the ScaleIO API gateway.', { required: true }),
    system: field(2, str(), 'Name of the storage system configured in ScaleIO.', { required: true }),
    secretRef: field(
      3,
      core('LocalObjectReference'),
      'Secret with the ScaleIO user credentials; login fails without it.',
      { required: true, pointer: true },
    ),
    sslEnabled: field(4, bool(), 'Use SSL to talk to the gateway. Default false.'),
    protectionDomain: field(5, str(), 'ScaleIO protection domain of the storage.'),
    storagePool: field(6, str(), 'ScaleIO storage pool of the protection domain.'),
    storageMode: field(
      7,
      str(),
      'Whether the volume is ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.',
      { default: 'ThinProvisioned' },
    ),
    volumeName: field(8, str(), 'Name of an existing volume in the ScaleIO system.'),
    fsType: field(9, str(), 'Filesystem type to mount, e.g. ext4 or xfs. Defaults to xfs.', { default: 'xfs' }),
    readOnly: field(10, bool(), READ_ONLY_DOC),
  }),

  type(CORE + 'StorageOSVolumeSource', 'A StorageOS volume. Deprecated.', {
    volumeName: field(1, str(), 'Name of the StorageOS volume; unique within its StorageOS namespace.'),
    volumeNamespace: field(
      2,
      str(),
      'StorageOS namespace of the volume. The pod namespace when empty; "default" when StorageOS namespaces are not used.',
    ),
    fsType: field(3, str(), FS_TYPE_DOC),
    readOnly: field(4, bool(), READ_ONLY_DOC),
    secretRef: field(
      5,
      core('LocalObjectReference'),
      'Secret with the StorageOS API credentials; defaults are tried when unset.',
      { pointer: true },
    ),
  }),
];
